"""HTTP routes under /v1 plus health probes. Thin: validate, call the engine, shape the reply."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request, Response

from corpus.records import status_now
from question.query import resolve_followup
from service import metrics
from service.answer import respond
from service.auth import require_scope
from service.deps import ERRORS, EngineDep, require_engine
from service.engine import Engine, on_model_thread
from service.errors import NotFound, NotReady
from service.limits import bound_conversation, bound_query, bound_question
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
    ask_out,
    clause_out,
    facts_out,
    hit_out,
    to_filters,
)

router = APIRouter()


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"model": ErrorOut}})
async def readyz(request: Request) -> dict[str, Any]:
    """``ready``, or ``degraded`` with ``reason`` when the service answers from another
    generation than the live one (it failed verification) or from an unverifiable one; 503
    when no generation can be served."""
    engine = await require_engine(request)
    generation = engine.generation
    manifest = generation.index.manifest
    degraded = engine.degraded
    return {"status": "degraded" if degraded else "ready", "reason": degraded,
            "generation": generation.id, "embedder": manifest["embedder"],
            "documents": len(manifest.get("documents", [])),
            "clauses": manifest["clause_count"], "built_at": manifest.get("built_at")}


@router.post("/v1/ask", response_model=AskOut, responses=ERRORS)
async def ask(body: AskIn, engine: EngineDep) -> Response:
    return await on_model_thread(engine, _ask, engine, body)


def _ask(engine: Engine, body: AskIn) -> Response:
    """The question parsed, answered, counted and written as JSON off the event loop, in one
    hand-off (service.engine.on_model_thread), leaving the loop free for other requests' HTTP
    work. The body is ``AskOut`` as built here (FastAPI would validate a returned model again
    on the loop)."""
    generation = engine.generation  # one generation for the whole request
    query = generation.parse(bound_question(body.question, engine.settings))
    answer = ask_out(respond(generation, engine.settings, query, body.top_k, to_filters(body.filters)))
    metrics.observe_answer("ask", answer, engine)
    return Response(answer.model_dump_json(), media_type="application/json")


@router.post("/v1/chat", response_model=ChatOut, responses=ERRORS)
async def chat(body: ChatIn, engine: EngineDep) -> ChatOut:
    turns, notes = bound_conversation([(m.role, m.content) for m in body.messages], engine.settings)
    messages = [(role, text) for role, text in turns if role != "system"]
    text = bound_query(resolve_followup(messages), messages[-1][1], engine.settings)
    generation = engine.generation
    query = generation.parse(text, own=messages[-1][1])
    answer = ask_out(await on_model_thread(engine, respond, generation, engine.settings, query,
                                           body.top_k, to_filters(body.filters)))
    answer.warnings += notes
    metrics.observe_answer("chat", answer, engine)
    return ChatOut(**answer.model_dump(), query_used=text)


@router.post("/v1/search", response_model=SearchOut, responses=ERRORS)
async def search(body: SearchIn, engine: EngineDep) -> SearchOut:
    generation = engine.generation
    query = generation.parse(bound_question(body.query, engine.settings))
    result = await on_model_thread(engine, generation.searcher.search, query, body.top_k,
                                   to_filters(body.filters))
    metrics.observe_embedding(result.timing_ms)
    return SearchOut(query=body.query, confidence=round(result.confidence, 4),
                     hits=[hit_out(h) for h in result.hits], generation=generation.id)


def _documents(engine: Engine) -> list[DocumentOut]:
    today = date.today()
    return [DocumentOut(**{**d, "status": status_now(d, today)})
            for d in engine.generation.index.manifest.get("documents", [])]


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
    found = generation.index.clauses[row]
    return ClauseDetail(**clause_out(found).model_dump(), previous_id=previous_id,
                        next_id=next_id, facts=facts_out(found))


@router.post("/v1/admin/reload", responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut},
                                           503: {"model": ErrorOut}},
             dependencies=[Depends(require_scope("admin"))])
async def reload(request: Request) -> dict[str, Any]:
    """Load the live generation now (scope ``admin``) and report the outcome: ``reloaded`` or
    ``unchanged``, the generation served before and now, and ``degraded`` (why the service is
    not on the live generation, or null). Other workers follow ``current`` on their next
    request; a failure answers 503 and keeps the previous generation."""
    from index.store import IndexError_
    from service.engine import open_engine

    engine = getattr(request.app.state, "engine", None)
    previous = engine.generation.id if engine is not None else None
    try:
        if engine is None:
            request.app.state.engine = await asyncio.to_thread(open_engine, request.app.state.settings)
            request.app.state.not_ready = None
            engine = request.app.state.engine
            status = "reloaded"
        else:
            status = (await asyncio.to_thread(engine.reload)).status
    except (IndexError_, NotReady) as exc:
        detail = exc.message if isinstance(exc, NotReady) else str(exc)
        still = f" (generation {previous})" if previous else ""
        raise NotReady(f"reload failed, still serving the previous index{still}: {detail}",
                       code=exc.code) from exc
    generation = engine.generation
    request.state.generation = generation.id
    metrics.observe_index(generation.id, generation.index.manifest)
    return {"status": status, "generation": generation.id, "previous": previous,
            "degraded": engine.degraded}


__all__ = ["router"]
