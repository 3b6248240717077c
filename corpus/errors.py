"""The root of the one error tree. Each error class states its HTTP status and its CLI exit
code, so the service maps errors to responses once (service.app) and the command line to exit
codes once (service.errors.exit_code), by class, never by name.

    PolicyQAError                        status  exit
    ├── index.store.IndexError_            503     3   index missing or corrupt
    │   └── IndexLocked                    409     2   another build holds the index
    ├── index.build.EmptyCorpus            422     3   no document could be read
    ├── index.embed.EmbedderUnavailable    503     3   the model cannot be loaded offline
    └── service.errors: BadRequest 400/422 (2), NotFound 404 (2), Unauthorized 401,
        Forbidden 403, Overloaded 503, NotReady 503 (3)
"""

from __future__ import annotations


class PolicyQAError(Exception):
    status = 500
    code = "internal_error"
    exit_code = 1
    headers: dict[str, str] | None = None

    def __init__(self, message: str, code: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if headers:
            self.headers = headers
