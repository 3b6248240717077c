"""Plumbing every router shares: the engine dependency and the JSON error body.

Routers import from here, never from service.app (which includes the routers), so the
application and its routes form no import loop.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from service.engine import Engine, current_engine
from service.schemas import ErrorOut


def error_response(status: int, code: str, message: str,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status,
                        headers=headers)


async def require_engine(request: Request) -> Engine:
    """The engine, refreshed to the live generation (every worker follows ``current`` by
    itself: see service.engine). Loading a generation blocks, so it runs in a worker thread;
    a request that finds nothing to load takes no thread hop (one hop costs a request about
    as much as the whole of its JSON handling)."""
    engine: Engine | None = getattr(request.app.state, "engine", None)
    if engine is None or engine.may_be_stale():
        engine = await asyncio.to_thread(current_engine, request.app.state)
    request.state.generation = engine.generation.id
    return engine


EngineDep = Annotated[Engine, Depends(require_engine)]
# The error bodies a read route documents in the OpenAPI schema.
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (400, 404, 413, 422, 503)}
