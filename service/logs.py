"""Logging for the server: the request id on every line logged while a request runs, and an
optional JSON format (``POLICYQA_LOG_FORMAT=json``).

The request id lives in a context variable that the ``RequestId`` middleware (app.py) sets for
each request; a filter copies it onto every record, uvicorn's access line included (uvicorn logs
that line inside the app's ``send`` call, so in the request's context). ``log_config`` returns the
``logging.config.dictConfig`` dictionary that ``policyqa serve`` hands to uvicorn, so every worker
process configures itself the same way.
"""

from __future__ import annotations

import json
import logging
import time
from contextvars import ContextVar
from typing import Any, Literal

request_id_var: ContextVar[str] = ContextVar("policyqa_request_id", default="-")

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# Attributes every LogRecord has; anything else on a record came from ``extra=`` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime",
                                                                           "request_id", "taskName"}


class RequestIdFilter(logging.Filter):
    """Puts ``record.request_id`` on every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601 with milliseconds), level, logger, message,
    request_id; uvicorn's access line also as fields (client, method, path, http_version,
    status); an exception as ``exc_type`` + ``exc_message`` + ``traceback``."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        out: dict[str, Any] = {
            "time": f"{stamp}.{int(record.msecs):03d}Z", "level": record.levelname,
            "logger": record.name, "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        if record.name == "uvicorn.access" and isinstance(record.args, tuple) \
                and len(record.args) == 5:
            client, method, path, version, status = record.args
            out.update(client=client, method=method, path=path, http_version=version,
                       status=status)
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in out:
                out[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info and record.exc_info[0] is not None:
            out["exc_type"] = record.exc_info[0].__name__
            out["exc_message"] = str(record.exc_info[1])
            out["traceback"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def log_config(fmt: LogFormat = "text", level: str = "INFO") -> dict[str, Any]:
    """The dictConfig for uvicorn and our own loggers: one stderr handler, the request-id
    filter on it, text or JSON lines; the secret redaction of uvicorn's access log (app.py)
    stays attached to the ``uvicorn.access`` logger."""
    formatter: dict[str, Any] = (
        {"()": "service.logs.JsonFormatter"} if fmt == "json"
        else {"format": TEXT_FORMAT, "datefmt": "%Y-%m-%dT%H:%M:%S%z"})
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "service.logs.RequestIdFilter"}},
        "formatters": {"policyqa": formatter},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                                "formatter": "policyqa", "filters": ["request_id"]}},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["stderr"], "level": level, "propagate": False},
            "policyqa": {"handlers": ["stderr"], "level": level, "propagate": False},
        },
        # everything else (libraries' warnings) through the same handler, request id included
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }


__all__ = ["JsonFormatter", "RequestIdFilter", "log_config", "request_id_var"]
