"""PolicyQA as an OpenAI chat-completions model: ``GET /v1/models``, ``POST /v1/chat/completions``.

Owns the translation between the OpenAI wire shapes and our answer path; the answer itself comes
from the same ``answer_question`` and follow-up resolution as ``/v1/chat``. The content is the
cited answer with a short source list; the structured clauses travel in an extra ``citations``
field (OpenAI clients keep unknown fields). Streaming sends the content in OpenAI chunk events
and ends with ``data: [DONE]``.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from service.answer import answer_question, resolve_followup
from service.app import require_engine
from service.engine import Engine
from service.errors import NotFound
from service.schemas import AskOut, Citation, Count, ErrorOut, FiltersIn, check_last_turn

MODEL = "policyqa"
router = APIRouter()
EngineDep = Annotated[Engine, Depends(require_engine)]
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut}, 404: {"model": ErrorOut}, 413: {"model": ErrorOut}, 422: {"model": ErrorOut},
    503: {"model": ErrorOut}}


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: str
    text: str = ""


class OpenAIMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(part.text for part in self.content if part.type == "text")
        return self.content or ""


class CompletionIn(BaseModel):
    # Clients send sampling options (temperature, max_tokens, …) that an extractive answer has no
    # use for: they are accepted and ignored rather than refused.
    model_config = ConfigDict(extra="ignore")

    model: str = MODEL
    messages: list[OpenAIMessage] = Field(min_length=1, max_length=50)
    stream: bool = Field(default=False, strict=True)
    top_k: Count = Field(default=5, ge=1, le=20)
    filters: FiltersIn = Field(default_factory=FiltersIn)

    @field_validator("messages")
    @classmethod
    def _last_is_user(cls, messages: list[OpenAIMessage]) -> list[OpenAIMessage]:
        check_last_turn(messages[-1].role, messages[-1].text())
        return messages


def sources(citations: list[Citation]) -> str:
    lines = []
    for c in citations:
        where = " › ".join(c.heading_path)
        number = f"（{c.doc_number}）" if c.doc_number else ""
        lines.append(f"[{c.n}] {c.title or c.source_file}{number} › {where}")
    return "来源：\n" + "\n".join(lines) if lines else ""


def content_of(answer: AskOut) -> str:
    listed = sources(answer.citations)
    return f"{answer.answer}\n\n{listed}" if listed else answer.answer


def _usage(prompt: str, completion: str) -> dict[str, int]:
    # No tokenizer is involved in an extractive answer; characters stand in for tokens.
    return {"prompt_tokens": len(prompt), "completion_tokens": len(completion),
            "total_tokens": len(prompt) + len(completion)}


def _event(payload: dict[str, Any]) -> str:
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


@router.get("/v1/models")
async def models() -> dict[str, Any]:
    return {"object": "list", "data": [
        {"id": MODEL, "object": "model", "created": 0, "owned_by": "policyqa"}]}


@router.post("/v1/chat/completions", responses=ERRORS)
async def chat_completions(body: CompletionIn, engine: EngineDep) -> Any:
    if body.model != MODEL:
        raise NotFound(f"unknown model {body.model!r}: this service serves {MODEL!r}",
                       code="model_not_found")
    turns = [(m.role, m.text()) for m in body.messages if m.role in ("user", "assistant")]
    query = resolve_followup(turns)
    answer: AskOut = await asyncio.to_thread(answer_question, engine, query, body.top_k,
                                             body.filters, turns[-1][1])
    content = content_of(answer)
    citations = [c.model_dump() for c in answer.citations]
    base = {"id": f"chatcmpl-{uuid.uuid4().hex}", "created": int(time.time()), "model": MODEL,
            "system_fingerprint": answer.generation}
    extra = {"citations": citations, "answerable": answer.answerable, "query_used": query,
             "generation": answer.generation}
    if not body.stream:
        return {**base, "object": "chat.completion",
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": content}}],
                "usage": _usage(query, content), **extra}

    def events() -> Iterator[str]:
        chunk = {**base, "object": "chat.completion.chunk"}
        yield _event({**chunk, "choices": [
            {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]})
        for piece in content.splitlines(keepends=True):  # line by line, as it arrives
            yield _event({**chunk, "choices": [
                {"index": 0, "delta": {"content": piece}, "finish_reason": None}]})
        yield _event({**chunk, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                      **extra})
        yield "data: [DONE]\n\n"

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


__all__ = ["router", "content_of", "sources"]
