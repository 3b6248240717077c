"""One error tree, mapped to HTTP status + JSON body in app.py and to exit codes in the CLI.

    PolicyQAError
    ├── BadRequest            400/422  the request is malformed or out of bounds
    ├── NotFound              404      unknown document or clause
    ├── Unauthorized          401      no bearer token (WWW-Authenticate: Bearer)
    ├── Forbidden             403      write route disabled, wrong token or a token without the scope
    ├── Overloaded            503      concurrency limit reached (Retry-After)
    └── NotReady              503      no index loaded (missing or corrupt)

Index-stage errors (index.store.IndexError_) and embedder errors (EmbedderUnavailable) are
translated to NotReady where they reach the service.
"""

from __future__ import annotations

import re

# An absolute path (POSIX or Windows) in a message meant for a client: cut to its last part.
_PATH = re.compile(r"(?:[A-Za-z]:\\|/)(?:[^\s/\\'\"`,;:()<>|]+[/\\])+([^\s/\\'\"`,;:()<>|]*)")
_TRACEBACK = re.compile(r"Traceback \(most recent call last\).*", re.DOTALL)


def public_message(message: str) -> str:
    """``message`` fit for a response body: no file or library paths, no traceback (the server
    log keeps the full text, with the request id)."""
    message = _TRACEBACK.sub("", message)
    return _PATH.sub(lambda m: m.group(1) or "…", message).strip()


class PolicyQAError(Exception):
    status = 500
    code = "internal_error"
    headers: dict[str, str] | None = None

    def __init__(self, message: str, code: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if headers:
            self.headers = headers


class BadRequest(PolicyQAError):
    status = 422
    code = "invalid_request"


class NotFound(PolicyQAError):
    status = 404
    code = "not_found"


class Unauthorized(PolicyQAError):
    status = 401
    code = "unauthorized"
    headers = {"WWW-Authenticate": 'Bearer realm="policyqa"'}


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
    """CLI exit codes: 2 bad input or index locked by another build, 3 index missing/corrupt or model unavailable, 1 otherwise."""
    if isinstance(exc, BadRequest | NotFound) or getattr(exc, "code", "") == "index_locked":
        return 2
    code = getattr(exc, "code", "")
    if isinstance(exc, NotReady) or code in {"index_missing", "index_corrupt", "empty_corpus"} \
            or exc.__class__.__name__ == "EmbedderUnavailable":
        return 3
    return 1
