"""HTTP routes under /v1 plus health probes. Thin: validate, call the engine, shape the reply."""

from __future__ import annotations

import asyncio
import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request

from service import metrics
from service.answer import answer_question, resolve_followup, to_filters
from service.app import require_engine
from service.engine import Engine
from service.errors import Forbidden, NotFound, NotReady
from service.schemas import (
    AskIn,
    AskOut,
    ChatIn,
    ChatOut,
    ClauseDetail,
    DocumentDetail,
    DocumentOut,
    ErrorOut,
    SearchIn,
    SearchOut,
    clause_out,
    hit_out,
)

router = APIRouter()
EngineDep = Annotated[Engine, Depends(require_engine)]
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut}, 404: {"model": ErrorOut}, 413: {"model": ErrorOut},
    422: {"model": ErrorOut}, 503: {"model": ErrorOut}}


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"model": ErrorOut}})
async def readyz(request: Request) -> dict[str, Any]:
    engine = require_engine(request)
    generation = engine.generation
    manifest = generation.index.manifest
    return {"status": "ready", "generation": generation.id, "embedder": manifest["embedder"],
            "documents": len(manifest.get("documents", [])),
            "clauses": manifest["clause_count"], "built_at": manifest.get("built_at")}


@router.post("/v1/ask", response_model=AskOut, responses=ERRORS)
async def ask(body: AskIn, engine: EngineDep) -> AskOut:
    answer = await asyncio.to_thread(answer_question, engine, body.question, body.top_k, body.filters)
    metrics.observe_answer("ask", answer, engine)
    return answer


@router.post("/v1/chat", response_model=ChatOut, responses=ERRORS)
async def chat(body: ChatIn, engine: EngineDep) -> ChatOut:
    messages = [(m.role, m.content) for m in body.messages if m.role != "system"]
    query = resolve_followup(messages)
    answer = await asyncio.to_thread(answer_question, engine, query, body.top_k, body.filters,
                                     messages[-1][1])
    metrics.observe_answer("chat", answer, engine)
    return ChatOut(**answer.model_dump(), query_used=query)


@router.post("/v1/search", response_model=SearchOut, responses=ERRORS)
async def search(body: SearchIn, engine: EngineDep) -> SearchOut:
    generation = engine.generation
    result = await asyncio.to_thread(generation.searcher.search, body.query, body.top_k,
                                     to_filters(body.filters))
    metrics.observe_embedding(result.timing_ms)
    return SearchOut(query=body.query, confidence=round(result.confidence, 4),
                     hits=[hit_out(h) for h in result.hits], generation=generation.id)


def _documents(engine: Engine) -> list[DocumentOut]:
    return [DocumentOut(**d) for d in engine.generation.index.manifest.get("documents", [])]


@router.get("/v1/documents", response_model=list[DocumentOut], responses=ERRORS)
async def documents(engine: EngineDep) -> list[DocumentOut]:
    return _documents(engine)


@router.get("/v1/documents/{doc_id}", response_model=DocumentDetail, responses=ERRORS)
async def document(doc_id: str, engine: EngineDep) -> DocumentDetail:
    found = next((d for d in _documents(engine) if d.doc_id == doc_id), None)
    if found is None:
        raise NotFound(f"no document with id {doc_id!r}")
    clauses = [clause_out(c) for c in engine.generation.index.clauses if c.doc_id == doc_id]
    return DocumentDetail(**found.model_dump(), clause_list=clauses)


@router.get("/v1/clauses/{clause_id}", response_model=ClauseDetail, responses=ERRORS)
async def clause(clause_id: str, engine: EngineDep) -> ClauseDetail:
    generation = engine.generation
    row = generation.index.by_id.get(clause_id)
    if row is None:
        raise NotFound(f"no clause with id {clause_id!r}")
    previous_id, next_id = generation.searcher.neighbours(clause_id)
    return ClauseDetail(**clause_out(generation.index.clauses[row]).model_dump(),
                        previous_id=previous_id, next_id=next_id)


def _check_admin(request: Request, authorization: str | None) -> None:
    token = request.app.state.settings.admin_token
    if not token:
        raise Forbidden("admin routes are disabled: set POLICYQA_ADMIN_TOKEN to enable them",
                        code="admin_disabled")
    if request.query_params.get("token") or request.query_params.get("access_token"):
        raise Forbidden("send the token in the Authorization header, never in the URL")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), token.encode()):
        raise Forbidden("missing or wrong admin token", code="bad_token")


@router.post("/v1/admin/reload", responses={403: {"model": ErrorOut}, 503: {"model": ErrorOut}})
async def reload(request: Request,
                 authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
    _check_admin(request, authorization)
    from index.store import IndexError_
    from service.engine import open_engine

    engine = getattr(request.app.state, "engine", None)
    try:
        if engine is None:
            request.app.state.engine = await asyncio.to_thread(open_engine, request.app.state.settings)
            request.app.state.not_ready = None
            generation = request.app.state.engine.generation
        else:
            generation = await asyncio.to_thread(engine.reload)
    except (IndexError_, NotReady) as exc:
        detail = exc.message if isinstance(exc, NotReady) else str(exc)
        raise NotReady(f"reload failed, still serving the previous index: {detail}",
                       code=exc.code) from exc
    metrics.observe_index(generation.id, generation.index.manifest)
    return {"status": "reloaded", "generation": generation.id}


__all__ = ["router"]
