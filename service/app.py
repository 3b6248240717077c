"""The FastAPI application: ``create_app(settings)``.

Owns the lifespan (the index and model load once, here), the middleware (request id, body-size
limit, concurrency limit) and the one map from errors to HTTP status + JSON body
``{"error": {"code", "message"}}``. Routes live in routes.py.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.deps import error_response
from service.errors import PolicyQAError, public_message
from service.logs import request_id_var
from service.settings import Settings

log = logging.getLogger("policyqa")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")  # UUIDs and proxies' ids; nothing a log line could be split by
_SECRET_QUERY = re.compile(r"((?:^|[?&])(?:token|access_token|api_key|key)=)[^&\s]*", re.IGNORECASE)


class RedactSecrets(logging.Filter):
    """uvicorn's access log prints the full path: a token sent (wrongly) in a query string must
    not reach the logs. Headers are never logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_SECRET_QUERY.sub(r"\1[redacted]", a) if isinstance(a, str) else a
                                for a in record.args)
        return True


def _install_redaction() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactSecrets) for f in access.filters):
        access.addFilter(RedactSecrets())


class BodyLimit:
    """Refuse bodies over ``limit`` bytes with 413 JSON, whether or not Content-Length is sent
    (chunked bodies are counted as they arrive). ``routes`` gives (method, path) its own limit
    (the document upload)."""

    def __init__(self, app: ASGIApp, limit: int,
                 routes: dict[tuple[str, str], int] | None = None) -> None:
        self.app = app
        self.limit = limit
        self.routes = routes or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.routes.get((scope.get("method", ""), scope.get("path", "")), self.limit)

        def too_large(scope: Scope, receive: Receive, send: Send) -> Any:
            return error_response(413, "payload_too_large",
                                  f"request body is larger than {limit} bytes")(scope, receive, send)
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                await too_large(scope, receive, send)
                return
        # Read the body up front (at most limit + one chunk), so an oversized chunked body is
        # refused here rather than inside the framework's body parsing (which turns errors into 400).
        chunks: list[bytes] = []
        received = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # client went away
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > limit:
                await too_large(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class ConcurrencyLimit:
    """Beyond ``limit`` requests in flight, answer 503 with Retry-After instead of queueing
    without bound (health probes are never refused)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in ("/healthz", "/readyz"):
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            response = error_response(503, "overloaded", "too many requests in flight; retry soon",
                                      {"Retry-After": "1"})
            await response(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1


class RequestId:
    """Echo a sane ``X-Request-ID`` or mint one, on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers", [])).get(b"x-request-id", b"")
        text = given.decode("latin-1") if given else ""
        request_id = text if _REQUEST_ID.fullmatch(text) else uuid.uuid4().hex
        request_id_var.set(request_id)  # every log line of this request carries it (service.logs)

        async def with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        await self.app(scope, receive, with_id)


def create_app(settings: Settings) -> FastAPI:
    """The application over ``settings`` (built by the composition root, policyqa.wiring)."""
    _install_redaction()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from service.engine import live_marker_of, open_engine

        app.state.engine = None
        app.state.not_ready = None
        app.state.tried_marker = live_marker_of(settings)  # a later switch is tried again (engine.py)
        try:
            app.state.engine = await asyncio.to_thread(open_engine, settings)
            metrics.observe_engine(app.state.engine)
        except PolicyQAError as exc:
            app.state.not_ready = exc
            log.error("index not loaded: %s", exc.message)
        metrics.worker_started()
        yield
        metrics.worker_stopped()
        app.state.engine = None

    from service import apidocs, metrics

    app = FastAPI(title="PolicyQA", version="0.1.0", lifespan=lifespan,
                  docs_url=None, redoc_url=None,  # apidocs: the same pages with local assets
                  description="Cited answers from Chinese government policy documents.",
                  responses={422: {"description": "invalid request"},
                             503: {"description": "not ready or overloaded"}})
    app.state.settings = settings

    @app.exception_handler(PolicyQAError)
    async def _policyqa_error(request: Request, exc: PolicyQAError) -> JSONResponse:
        headers = dict(exc.headers or {})
        if exc.status == 503:
            headers["Retry-After"] = "1"
        message = public_message(exc.message)  # no paths or tracebacks in a body
        if message != exc.message:
            log.warning("%s %s: %s", exc.status, exc.code, exc.message)  # the log keeps them
        return error_response(exc.status, exc.code, message, headers or None)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
            problems.append(f"{where or 'body'}: {error.get('msg', 'invalid')}")
        code = "malformed_json" if any(e.get("type") == "json_invalid" for e in exc.errors()) \
            else "invalid_request"
        status = 400 if code == "malformed_json" else 422
        return error_response(status, code, "; ".join(problems)[:1000])

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        # answered outside the RequestId middleware: the id is added here
        return error_response(500, "internal_error", "internal error",
                              {"X-Request-ID": request_id_var.get()})

    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"], allow_headers=["*"])
    app.add_middleware(GenerationHeader)
    app.add_middleware(ConcurrencyLimit, limit=settings.max_concurrency)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes,
                       routes={("POST", "/v1/documents"): settings.max_upload_bytes})
    app.add_middleware(RequestId)  # every response, 413 and 503 included, carries it
    if settings.metrics_enabled:
        app.add_middleware(metrics.HttpMetrics)  # outermost: counts 413 and 503 too

    from service import eligibility_api, openai_compat, web
    from service.routes import router

    app.include_router(router)
    app.include_router(openai_compat.router)
    from service import uploads

    app.include_router(uploads.router)
    app.include_router(eligibility_api.router)
    app.include_router(web.router)
    if settings.metrics_enabled:
        app.include_router(metrics.router)
    apidocs.install(app)
    return app


class GenerationHeader:
    """``X-Index-Generation``: the index generation a response was served from (set by
    ``require_engine``), on every response that used the index."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_generation(message: Message) -> None:
            if message["type"] == "http.response.start":
                generation = (scope.get("state") or {}).get("generation")
                if generation:
                    message["headers"] = [*message.get("headers", []),
                                          (b"x-index-generation", str(generation).encode())]
            await send(message)

        await self.app(scope, receive, with_generation)
