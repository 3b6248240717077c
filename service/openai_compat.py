"""PolicyQA as an OpenAI chat-completions model: ``GET /v1/models``, ``POST /v1/chat/completions``.

Owns the translation between the OpenAI wire shapes and our answer path; the answer itself comes
from the same ``respond`` and follow-up resolution as ``/v1/chat``. The content is the
cited answer with a short source list; the structured clauses travel in an extra ``citations``
field (OpenAI clients keep unknown fields).

- Model names: by default any ``model`` is answered by PolicyQA and the response names the model
  that answered (``POLICYQA_OPENAI_MODEL``, default ``policyqa``); with
  ``POLICYQA_OPENAI_STRICT_MODEL=true`` another name is 404 ``model_not_found``.
- ``max_tokens`` / ``max_completion_tokens``: no tokenizer is involved, a token is a character
  (as in ``usage``); content beyond the limit is cut and ``finish_reason`` is ``"length"``.
- Streaming is progressive: the role chunk goes out at once, a chunk carrying the citations as
  soon as retrieval is done, then the answer sentence by sentence (extractive: the composed
  sentences; LLM: each sentence of the model's stream once it passes the grounding check, with
  the extractive sentences as the fallback), then the source list, a final chunk with
  ``finish_reason``, with ``stream_options.include_usage`` a usage chunk, and ``data: [DONE]``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any, Literal

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from question.query import is_traditional, resolve_followup
from service import metrics
from service.answer import in_script, respond
from service.deps import ERRORS, EngineDep
from service.engine import Engine
from service.errors import NotFound
from service.limits import bound_conversation, bound_query
from service.schemas import (
    AnswerTopK,
    AskOut,
    Citation,
    Count,
    ErrorOut,
    FiltersIn,
    ask_out,
    check_last_turn,
    to_filters,
)

MODEL = "policyqa"
router = APIRouter()
log = logging.getLogger("policyqa")
# One sentence (or one line of the source list) with its closing punctuation and line breaks.
_PIECE = re.compile(r"[^。！？；\n]*[。！？；]*\n*")
# Where the grounding check (service.generate) splits a model's answer into sentences.
_LLM_SENTENCE_END = re.compile(r"[。！？\n]")


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


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="ignore")

    include_usage: bool = Field(default=False, strict=True)


class CompletionIn(BaseModel):
    # Clients send sampling options (temperature, top_p, …) that an extractive answer has no
    # use for: they are accepted and ignored rather than refused.
    model_config = ConfigDict(extra="ignore")

    model: str = Field(default=MODEL, max_length=200,
                       description="any name (answered by PolicyQA) unless strict mode is on")
    messages: list[OpenAIMessage] = Field(min_length=1, max_length=50)
    stream: bool = Field(default=False, strict=True)
    stream_options: StreamOptions | None = None
    max_tokens: Count | None = Field(default=None, ge=1, le=1_000_000,
                                     description="characters of content at most (finish_reason "
                                                 "'length' when cut)")
    max_completion_tokens: Count | None = Field(default=None, ge=1, le=1_000_000,
                                                description="the same as max_tokens")
    top_k: AnswerTopK | None = None
    filters: FiltersIn = Field(default_factory=FiltersIn)

    @field_validator("messages")
    @classmethod
    def _last_is_user(cls, messages: list[OpenAIMessage]) -> list[OpenAIMessage]:
        check_last_turn(messages[-1].role, messages[-1].text())
        return messages

    def limit(self) -> int | None:
        given = [n for n in (self.max_tokens, self.max_completion_tokens) if n is not None]
        return min(given) if given else None


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


def pieces(text: str) -> list[str]:
    """Sentences (and source-list lines), in order; ``"".join(pieces(t)) == t``."""
    return [p for p in _PIECE.findall(text) if p]


def _usage(prompt: str, completion: str) -> dict[str, int]:
    # No tokenizer is involved in an extractive answer; characters stand in for tokens.
    return {"prompt_tokens": len(prompt), "completion_tokens": len(completion),
            "total_tokens": len(prompt) + len(completion)}


def _event(payload: dict[str, Any]) -> str:
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


def served_model(request: Request) -> str:
    return str(request.app.state.settings.openai_model)


def _model_card(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": 0, "owned_by": "policyqa"}


@router.get("/v1/models")
async def models(request: Request) -> dict[str, Any]:
    return {"object": "list", "data": [_model_card(served_model(request))]}


@router.get("/v1/models/{model}", responses={404: {"model": ErrorOut}})
async def model(model: str, request: Request) -> dict[str, Any]:
    name = served_model(request)
    if model != name:
        raise NotFound(f"unknown model {model!r}: this service serves {name!r}",
                       code="model_not_found")
    return _model_card(name)


def _check_model(request: Request, requested: str) -> str:
    name = served_model(request)
    if requested != name and request.app.state.settings.openai_strict_model:
        raise NotFound(f"unknown model {requested!r}: this service serves {name!r}",
                       code="model_not_found")
    return name


# ``stream: true`` answers as server-sent events: the schema says so beside the JSON reply.
_STREAMED: dict[int | str, dict[str, Any]] = {200: {"description": "the completion; with stream: true, server-sent events",
                   "content": {"text/event-stream": {}}}}


@router.post("/v1/chat/completions", responses={**ERRORS, **_STREAMED})
async def chat_completions(body: CompletionIn, engine: EngineDep, request: Request) -> Any:
    name = _check_model(request, body.model)
    # caps (service.limits): 422 for a message over its limit, the newest history within its own
    checked, notes = bound_conversation([(m.role, m.text()) for m in body.messages], engine.settings)
    turns = [(role, text) for role, text in checked if role in ("user", "assistant")]
    query = bound_query(resolve_followup(turns), turns[-1][1], engine.settings)
    base = {"id": f"chatcmpl-{uuid.uuid4().hex}", "created": int(time.time()), "model": name}
    if body.stream:
        return StreamingResponse(_stream(engine, body, query, turns[-1][1], base, notes),
                                 media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    answer = await asyncio.to_thread(_answer, engine, query, turns[-1][1], body)
    answer.warnings += notes
    metrics.observe_answer("chat_completions", answer, engine)
    content, finish = content_of(answer), "stop"
    limit = body.limit()
    if limit is not None and len(content) > limit:
        content, finish = content[:limit], "length"
    return {**base, "object": "chat.completion", "system_fingerprint": answer.generation,
            "choices": [{"index": 0, "finish_reason": finish,
                         "message": {"role": "assistant", "content": content}}],
            "usage": _usage(query, content), **_extra(answer, query)}


def _answer(engine: Engine, text: str, own: str, body: CompletionIn, llm: bool = True) -> AskOut:
    generation = engine.generation  # one generation for the whole request
    query = generation.parse(text, own=own)
    return ask_out(respond(generation, engine.settings, query, body.top_k,
                           to_filters(body.filters), llm=llm))


def _extra(answer: AskOut, query: str) -> dict[str, Any]:
    return {"citations": [c.model_dump() for c in answer.citations], "answerable": answer.answerable,
            "query_used": query, "generation": answer.generation, "warnings": answer.warnings}


async def _stream(engine: Engine, body: CompletionIn, query: str, own: str,
                  base: dict[str, Any], notes: list[str] | None = None) -> AsyncIterator[str]:
    include_usage = bool(body.stream_options and body.stream_options.include_usage)
    chunk = {**base, "object": "chat.completion.chunk", **({"usage": None} if include_usage else {})}

    def delta(content: str | None = None, finish: str | None = None, **fields: Any) -> str:
        choice_delta = {} if content is None else {"content": content}
        return _event({**chunk, **fields, "choices": [
            {"index": 0, "delta": choice_delta, "finish_reason": finish}]})

    yield _event({**chunk, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""},
                                        "finish_reason": None}]})
    try:
        # retrieval and the extractive composition (milliseconds once the query is embedded)
        answer = await asyncio.to_thread(_answer, engine, query, own, body, False)
        answer.warnings += notes or []
    except Exception:  # noqa: BLE001 - the status line has gone out: report it in the stream
        log.exception("chat completion stream failed")
        yield _event({"error": {"code": "internal_error", "message": "internal error"}})
        yield "data: [DONE]\n\n"
        return
    extra = _extra(answer, query)
    chunk["system_fingerprint"] = answer.generation
    yield delta(**extra)  # the citations, before any sentence

    limit = body.limit()
    sent: list[str] = []
    finish = "stop"
    sentences: _LLMSentences | AsyncGenerator[str, None] = _llm_or_extractive(engine, answer, query, own) \
        if engine.settings.llm_base_url and answer.citations else _aiter(pieces(answer.answer))
    listed = sources(answer.citations)
    tail = pieces(f"\n\n{listed}") if listed else []
    chained = _chain(sentences, tail)
    try:
        async for piece in chained:
            if limit is not None and len("".join(sent)) + len(piece) > limit:
                piece = piece[: limit - len("".join(sent))]
                finish = "length"
            if piece:
                sent.append(piece)
                yield delta(piece)
            if finish == "length":
                break
    finally:
        await chained.aclose()
        if isinstance(sentences, _LLMSentences):
            await sentences.aclose()  # closes the model's stream when the answer was cut
    mode = sentences.mode if isinstance(sentences, _LLMSentences) else answer.mode
    warnings = sentences.warnings if isinstance(sentences, _LLMSentences) else []
    metrics.observe_answer("chat_completions",
                           answer.model_copy(update={"mode": mode,
                                                     "warnings": [*answer.warnings, *warnings]}),
                           engine)
    yield delta(finish=finish, **extra)
    if include_usage:
        yield _event({**chunk, "choices": [], "usage": _usage(query, "".join(sent))})
    yield "data: [DONE]\n\n"


async def _aiter(items: list[str]) -> AsyncGenerator[str, None]:
    for item in items:
        yield item


async def _chain(first: AsyncIterator[str], then: list[str]) -> AsyncGenerator[str, None]:
    async for item in first:
        yield item
    for item in then:
        yield item


class _LLMSentences:
    """The model's answer streamed from ``POLICYQA_LLM_BASE_URL``, sentence by sentence, each
    one passed through the same grounding check as a whole LLM answer (service.generate). When
    the model fails, times out or no sentence passes, the extractive sentences come instead."""

    def __init__(self, engine: Engine, answer: AskOut, query: str, own: str) -> None:
        self.engine, self.answer, self.query = engine, answer, query
        self.traditional = is_traditional(own)
        self.mode = "extractive"
        self.warnings: list[str] = []
        self._iterator = self._run()

    def __aiter__(self) -> _LLMSentences:
        return self

    async def __anext__(self) -> str:
        return await self._iterator.__anext__()

    async def aclose(self) -> None:
        await self._iterator.aclose()

    def _hits(self) -> list[Any] | None:
        from index.search import Hit

        index = self.engine.generation.index
        hits = []
        for rank, citation in enumerate(self.answer.citations):
            row = index.by_id.get(citation.clause_id)
            if row is None:  # a reload between retrieval and now
                return None
            hits.append(Hit(index.clauses[row], getattr(citation, "score", None) or 0.0, 0.0, 0.0,
                            rank))
        return hits

    async def _run(self) -> AsyncGenerator[str, None]:
        from service.generate import build_prompt, check_grounding

        hits = self._hits()
        kept = dropped = 0
        if hits:
            try:
                async for sentence in self._model_sentences(build_prompt(self.query, hits)):
                    grounded, _ = check_grounding(sentence, hits)
                    if grounded is None:
                        dropped += 1
                        continue
                    kept += 1
                    self.mode = "llm"
                    yield in_script(grounded, self.traditional)
            except httpx.TimeoutException:
                self.warnings.append("llm_timeout: fell back to the extractive answer")
            except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
                self.warnings.append(
                    f"llm_error: {exc.__class__.__name__}: fell back to the extractive answer")
        if dropped:
            self.warnings.append(f"llm_sentences_dropped:{dropped}")
        if kept:
            return
        if hits and not any(w.startswith(("llm_timeout", "llm_error")) for w in self.warnings):
            self.warnings += ["llm_answer_ungrounded",
                              "llm_check_failed: fell back to the extractive answer"]
        for piece in pieces(self.answer.answer):
            yield piece

    async def _model_sentences(self, prompt: str) -> AsyncIterator[str]:
        settings = self.engine.settings
        headers = {"Authorization": f"Bearer {settings.llm_api_key}"} if settings.llm_api_key else {}
        payload = {"model": settings.llm_model, "temperature": 0, "stream": True,
                   "messages": [{"role": "user", "content": prompt}]}
        url = f"{str(settings.llm_base_url).rstrip('/')}/chat/completions"
        async with httpx.AsyncClient(timeout=settings.llm_timeout_s) as client, \
                client.stream("POST", url, json=payload, headers=headers) as response:
            response.raise_for_status()
            if not response.headers.get("content-type", "").startswith("text/event-stream"):
                # an upstream that does not stream: one JSON completion
                body = json.loads(await response.aread())
                for sentence in _split_model_text(str(body["choices"][0]["message"]["content"])):
                    yield sentence
                return
            buffer = ""
            async for line in response.aiter_lines():
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    break
                choices = json.loads(data).get("choices") or []
                buffer += (choices[0].get("delta", {}).get("content") or "") if choices else ""
                while (end := _LLM_SENTENCE_END.search(buffer)) is not None:
                    sentence, buffer = buffer[: end.end()], buffer[end.end():]
                    if sentence.strip():
                        yield sentence.strip()
            if buffer.strip():
                yield buffer.strip()


def _split_model_text(text: str) -> list[str]:
    out, start = [], 0
    for end in _LLM_SENTENCE_END.finditer(text):
        if text[start:end.end()].strip():
            out.append(text[start:end.end()].strip())
        start = end.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def _llm_or_extractive(engine: Engine, answer: AskOut, query: str, own: str) -> _LLMSentences:
    return _LLMSentences(engine, answer, query, own)


__all__ = ["router", "content_of", "pieces", "sources"]
