"""``POST /v1/documents`` (multipart upload) and ``DELETE /v1/documents/{doc_id}``: adding and
removing documents on a running service (scope ``ingest``). The rules live in
service/documents.py; here: the token, the body, running the build off the event loop, and
switching this worker to the new generation before answering (other workers follow ``current``
on their next request)."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import JSONResponse

from service.auth import require_scope
from service.documents import RequestRefused, Upload, add_documents, remove_document
from service.errors import public_message
from service.schemas import ErrorOut
from service.settings import Settings

log = logging.getLogger("policyqa")
router = APIRouter()
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (400, 401, 403, 404, 409, 413, 415, 422, 503)}


def _embedder(request: Request):  # type: ignore[no-untyped-def]
    """The serving engine's embedder (the model is loaded once); without an index yet, the
    configured one."""
    engine = getattr(request.app.state, "engine", None)
    if engine is not None:
        return engine.searcher.embedder
    from index.embed import load_embedder
    from service.documents import embedder_spec

    return load_embedder(embedder_spec(request.app.state.settings))


def _switch(request: Request) -> str | None:
    """This worker serves the newest generation now."""
    from service.engine import current_engine

    state = request.app.state
    engine = getattr(state, "engine", None)
    try:
        if engine is not None:
            engine.reload()
        engine = current_engine(state)
    except Exception as exc:  # noqa: BLE001 - the build is done; serving catches up by itself
        log.error("switch after a document change failed: %s", exc)
        return None
    request.state.generation = engine.generation.id
    return engine.generation.id


@router.post("/v1/documents", responses=WRITE_ERRORS,
             dependencies=[Depends(require_scope("ingest"))])
async def upload_documents(request: Request, files: Annotated[list[UploadFile], File(
        description="one or more documents: .txt .md .html/.htm .docx .pdf")]) -> Any:
    """Add documents (scope ``ingest``): each file is ingested, or skipped with the reason;
    the index is rebuilt incrementally and switched atomically. All or nothing: a file of an
    unsupported type refuses the request with 415, an unreadable one with 422, and nothing is
    added. The request body may be up to ``POLICYQA_MAX_UPLOAD_BYTES`` (413 beyond)."""
    settings: Settings = request.app.state.settings
    uploads = [Upload(f.filename or "upload", await f.read()) for f in files]

    def work() -> dict[str, Any]:
        result = add_documents(settings, uploads, _embedder(request))
        body = result.to_json()
        if result.built:
            body["generation"] = _switch(request) or result.generation
        return body

    try:
        return await asyncio.to_thread(work)
    except RequestRefused as exc:
        return JSONResponse({"error": {"code": exc.code, "message": public_message(exc.message)},
                             "files": [f.to_json() for f in exc.files]}, status_code=exc.status)


@router.delete("/v1/documents/{doc_id}", responses=WRITE_ERRORS,
               dependencies=[Depends(require_scope("ingest"))])
async def delete_document(request: Request, doc_id: str) -> dict[str, Any]:
    """Remove an added document (scope ``ingest``): its original is deleted and a generation
    without it is switched to. 404 for an unknown id, 409 for a document of the configured
    corpus directories (remove its file there and run ``policyqa build``)."""
    settings: Settings = request.app.state.settings

    def work() -> dict[str, Any]:
        body = remove_document(settings, doc_id, _embedder(request))
        body["generation"] = _switch(request) or body["generation"]
        return body

    return await asyncio.to_thread(work)


__all__ = ["router"]
