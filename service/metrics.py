"""Prometheus metrics (``GET /metrics``), correct across uvicorn worker processes.

With more than one worker, ``policyqa serve`` points ``PROMETHEUS_MULTIPROC_DIR`` at an empty
directory before the workers start (an operator's own directory is emptied first, as
prometheus-client requires); each worker then writes its samples to memory-mapped files there and
``/metrics``, whichever worker answers it, reads all of them: counters and histograms are summed
over workers (dead ones included: a count never goes back), gauges are combined as each one says
(``multiprocess_mode``). With one process the ordinary registry is used.

What is measured:

- ``policyqa_http_requests_total`` and ``policyqa_http_request_duration_seconds`` by method,
  route template (``/v1/documents/{doc_id}``, never the raw path; ``unmatched`` for unknown
  paths) and status; ``policyqa_http_requests_in_progress``;
- ``policyqa_answers_total`` by endpoint, mode (extractive, llm) and answerable;
  ``policyqa_refusals_total`` by reason;
- ``policyqa_embedder_seconds``: the query embedding inside each answer or search;
- ``policyqa_index_info{generation}`` (1 while some live worker serves it),
  ``policyqa_index_documents``, ``policyqa_index_clauses``; ``policyqa_workers`` (live workers).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from service.schemas import AskOut

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_LATENCY = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_REQUESTS = Counter("policyqa_http_requests", "HTTP requests answered",
                        ["method", "route", "status"])
HTTP_SECONDS = Histogram("policyqa_http_request_duration_seconds",
                         "time from the request's arrival to the last byte of its response",
                         ["method", "route", "status"], buckets=_LATENCY)
IN_PROGRESS = Gauge("policyqa_http_requests_in_progress", "HTTP requests being answered",
                    multiprocess_mode="livesum")
ANSWERS = Counter("policyqa_answers", "answers given", ["endpoint", "mode", "answerable"])
REFUSALS = Counter("policyqa_refusals", "questions answered with a refusal, by reason", ["reason"])
EMBEDDER_SECONDS = Histogram("policyqa_embedder_seconds", "query embedding time per question",
                             buckets=(0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5,
                                      1.0, 2.5))
INDEX_INFO = Gauge("policyqa_index_info", "1 for the index generation a live worker serves",
                   ["generation"], multiprocess_mode="livemax")
INDEX_DOCUMENTS = Gauge("policyqa_index_documents", "documents in the served generation",
                        multiprocess_mode="livemostrecent")
INDEX_CLAUSES = Gauge("policyqa_index_clauses", "clauses in the served generation",
                      multiprocess_mode="livemostrecent")
WORKERS = Gauge("policyqa_workers", "live server processes", multiprocess_mode="livesum")

# Reasons a refusal can carry (service.answer's warnings); anything else is a low confidence.
REFUSAL_REASONS = ("unknown_document_number", "unknown_document", "unknown_place", "unstated_support",
                   "asked_detail_missing")

_served: dict[str, str] = {}
_served_lock = threading.Lock()


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def prepare_multiprocess_dir(path: str | Path) -> Path:
    """Create ``path`` or empty it of an earlier run's files (stale samples of dead workers
    would otherwise be summed in)."""
    directory = Path(path)
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    return directory


def worker_started() -> None:
    WORKERS.set(1)


def worker_stopped() -> None:
    """Drop this worker's live gauges (``live*`` modes) from the shared directory."""
    if multiprocess_dir():
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(os.getpid())
    else:
        WORKERS.set(0)


def observe_index(generation_id: str, manifest: dict[str, Any]) -> None:
    """Record the generation this worker now serves (cheap when it has not changed)."""
    with _served_lock:
        previous = _served.get("generation")
        if previous == generation_id:
            return
        if previous is not None:
            INDEX_INFO.labels(generation=previous).set(0)
        INDEX_INFO.labels(generation=generation_id).set(1)
        INDEX_DOCUMENTS.set(len(manifest.get("documents", [])))
        INDEX_CLAUSES.set(int(manifest.get("clause_count", 0)))
        _served["generation"] = generation_id


def observe_engine(engine: Any) -> None:
    generation = engine.generation
    observe_index(generation.id, generation.index.manifest)


def refusal_reason(answer: AskOut, min_confidence: float) -> str:
    for reason in REFUSAL_REASONS:
        if reason in answer.warnings:
            return reason
    return "low_confidence" if answer.confidence < min_confidence else "nothing_to_quote"


def observe_answer(endpoint: str, answer: AskOut, engine: Any = None) -> None:
    ANSWERS.labels(endpoint=endpoint, mode=answer.mode,
                   answerable=str(answer.answerable).lower()).inc()
    if not answer.answerable:
        minimum = engine.settings.min_confidence if engine is not None else 0.0
        REFUSALS.labels(reason=refusal_reason(answer, minimum)).inc()
    observe_embedding(answer.timing_ms)
    if engine is not None:
        observe_engine(engine)


def observe_embedding(timing_ms: dict[str, float]) -> None:
    if "embed" in timing_ms:
        EMBEDDER_SECONDS.observe(timing_ms["embed"] / 1000)


def _match(routes: Any, scope: Scope) -> str | None:
    for candidate in routes or ():
        inner = getattr(candidate, "original_router", None)  # FastAPI's included routers
        if inner is not None:
            found = _match(getattr(inner, "routes", ()), scope)
            if found:
                return found
            continue
        path = getattr(candidate, "path", None)
        if path and candidate.matches(scope)[0] != Match.NONE:
            return str(path)
    return None


def _route_of(scope: Scope) -> str:
    """The template of the route a request matches (``scope`` as it arrived, before a mount
    rewrote its path); ``unmatched`` for paths no route has, so raw paths never become labels."""
    app = scope.get("app")
    return _match(getattr(getattr(app, "router", None), "routes", ()), scope) or "unmatched"


class HttpMetrics:
    """Counts and times every HTTP request (outermost middleware: 413 and 503 included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        # the scope as it arrived: a mount rewrites the path; matched only when the router
        # did not say which route ran (413/503 are answered before routing)
        arrived = dict(scope)

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        IN_PROGRESS.inc()
        try:
            await self.app(scope, receive, observed)
        finally:
            IN_PROGRESS.dec()
            routed = getattr(scope.get("route"), "path", None)  # what the router chose, if it ran
            labels = {"method": scope.get("method", ""), "route": str(routed or _route_of(arrived)),
                      "status": str(status)}
            HTTP_REQUESTS.labels(**labels).inc()
            HTTP_SECONDS.labels(**labels).observe(time.perf_counter() - started)


def render() -> bytes:
    if multiprocess_dir():
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


router = APIRouter()


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    engine = getattr(request.app.state, "engine", None)
    if engine is not None:
        observe_engine(engine)
    return Response(render(), media_type=CONTENT_TYPE_LATEST)


__all__ = ["HttpMetrics", "observe_answer", "observe_embedding", "observe_engine",
           "prepare_multiprocess_dir", "render", "router", "worker_started", "worker_stopped"]
