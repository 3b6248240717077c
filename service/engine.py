"""The engine: one loaded index generation + its query embedder + the answerer.

Owns the live generation and its atomic swap on reload: a request takes a reference to one
``Generation`` at its start and uses only it, so a reload never mixes two generations in one
answer, and the old one is released when its last request ends.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property

from corpus.clean import to_match
from index.embed import Embedder, load_embedder
from index.search import LoadedIndex, Searcher, load_index
from service.errors import NotReady
from service.settings import Settings


@dataclass(frozen=True, eq=False)
class Generation:
    index: LoadedIndex
    searcher: Searcher

    @property
    def id(self) -> str:
        return self.index.generation

    @cached_property
    def corpus_text(self) -> str:
        """Every clause and title in matching form, for "does the corpus mention X" checks."""
        titles = {c.title or "" for c in self.index.clauses}
        return "\n".join([*(c.text_match for c in self.index.clauses), *map(to_match, titles)])


class Engine:
    def __init__(self, settings: Settings, generation: Generation) -> None:
        self.settings = settings
        self._generation = generation
        self._lock = threading.Lock()
        self._embedders: dict[str, Embedder] = {
            generation.index.manifest["embedder"]["name"]: generation.searcher.embedder}

    @property
    def generation(self) -> Generation:
        return self._generation

    @property
    def searcher(self) -> Searcher:
        return self._generation.searcher

    def _embedder_for(self, index: LoadedIndex) -> Embedder:
        info = index.manifest["embedder"]
        if info["name"] not in self._embedders:
            self._embedders[info["name"]] = load_embedder(info.get("spec") or info["name"])
        embedder = self._embedders[info["name"]]
        if embedder.dim != info["dim"]:
            raise NotReady(f"embedder {info['name']} has dimension {embedder.dim}, "
                           f"the index {info['dim']}", code="index_corrupt")
        return embedder

    def reload(self) -> Generation:
        """Load the newest generation; on any failure keep serving the current one."""
        with self._lock:
            index = load_live(self.settings)
            if index.generation == self._generation.id:
                return self._generation
            generation = Generation(index, searcher_for(self.settings, index, self._embedder_for(index)))
            self._generation = generation
            return generation

    def ask(self, question: str, **kwargs: object):  # type: ignore[no-untyped-def]
        from service.answer import answer_question

        return answer_question(self, question, **kwargs)  # type: ignore[arg-type]


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
            raise IndexMissing(f"Milvus at {settings.milvus_uri} cannot be read: {exc}") from exc
    return load_index(settings.index_dir)


def searcher_for(settings: Settings, index: LoadedIndex, embedder: Embedder) -> Searcher:
    if settings.backend == "milvus":
        from index.milvus import MilvusIndex, MilvusSearcher

        return MilvusSearcher(index, embedder, MilvusIndex(settings.milvus_uri))
    return Searcher(index, embedder)


def open_engine(settings: Settings) -> Engine:
    from index.store import IndexError_

    try:
        index = load_live(settings)
        info = index.manifest["embedder"]
        embedder = load_embedder(info.get("spec") or info["name"])
    except IndexError_ as exc:
        raise NotReady(str(exc), code=exc.code) from exc
    if embedder.dim != info["dim"]:
        raise NotReady(f"embedder dimension {embedder.dim} ≠ index {info['dim']}",
                       code="index_corrupt")
    return Engine(settings, Generation(index, searcher_for(settings, index, embedder)))
