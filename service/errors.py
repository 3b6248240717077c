"""One error tree, mapped to HTTP status + JSON body in app.py and to exit codes in the CLI.

    PolicyQAError
    ├── BadRequest            400/422  the request is malformed or out of bounds
    ├── NotFound              404      unknown document or clause
    ├── Forbidden             403      admin route disabled or wrong token
    ├── Overloaded            503      concurrency limit reached (Retry-After)
    └── NotReady              503      no index loaded (missing or corrupt)

Index-stage errors (index.store.IndexError_) and embedder errors (EmbedderUnavailable) are
translated to NotReady where they reach the service.
"""

from __future__ import annotations


class PolicyQAError(Exception):
    status = 500
    code = "internal_error"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class BadRequest(PolicyQAError):
    status = 422
    code = "invalid_request"


class NotFound(PolicyQAError):
    status = 404
    code = "not_found"


class Forbidden(PolicyQAError):
    status = 403
    code = "forbidden"


class Overloaded(PolicyQAError):
    status = 503
    code = "overloaded"


class NotReady(PolicyQAError):
    status = 503
    code = "not_ready"


def exit_code(exc: BaseException) -> int:
    """CLI exit codes: 2 bad input, 3 index missing/corrupt or model unavailable, 1 otherwise."""
    if isinstance(exc, BadRequest | NotFound):
        return 2
    code = getattr(exc, "code", "")
    if isinstance(exc, NotReady) or code in {"index_missing", "index_corrupt", "empty_corpus"} \
            or exc.__class__.__name__ == "EmbedderUnavailable":
        return 3
    return 1
