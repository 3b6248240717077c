"""The service's branches of the one error tree (its root and the lower stages' branches are
in corpus.errors), mapped to HTTP status + JSON body in app.py and to exit codes here.

    PolicyQAError (corpus.errors)
    ├── BadRequest            400/422  the request is malformed or out of bounds
    ├── NotFound              404      unknown document or clause
    ├── Unauthorized          401      no bearer token (WWW-Authenticate: Bearer)
    ├── Forbidden             403      write route disabled, wrong token or a token without the scope
    ├── Overloaded            503      concurrency limit reached (Retry-After)
    └── NotReady              503      no index loaded (missing or corrupt)

Index-stage errors (index.store.IndexError_) and embedder errors (EmbedderUnavailable) are
translated to NotReady where the engine loads; any that reaches a response keeps its own status.
"""

from __future__ import annotations

import re

from corpus.errors import PolicyQAError

# An absolute path (POSIX or Windows) in a message meant for a client: cut to its last part.
_PATH = re.compile(r"(?:[A-Za-z]:\\|/)(?:[^\s/\\'\"`,;:()<>|]+[/\\])+([^\s/\\'\"`,;:()<>|]*)")
_TRACEBACK = re.compile(r"Traceback \(most recent call last\).*", re.DOTALL)


def public_message(message: str) -> str:
    """``message`` fit for a response body: no file or library paths, no traceback (the server
    log keeps the full text, with the request id)."""
    message = _TRACEBACK.sub("", message)
    return _PATH.sub(lambda m: m.group(1) or "…", message).strip()


class BadRequest(PolicyQAError):
    status = 422
    code = "invalid_request"
    exit_code = 2


class NotFound(PolicyQAError):
    status = 404
    code = "not_found"
    exit_code = 2


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
    exit_code = 3


def exit_code(exc: BaseException) -> int:
    """The CLI's exit code: the error class's own (2 bad input or index locked, 3 index or model
    unavailable), 1 for anything outside the tree."""
    return exc.exit_code if isinstance(exc, PolicyQAError) else 1
