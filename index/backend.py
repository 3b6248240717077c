"""The seam between ranking and the engines that hold vectors and BM25: ``Backend``.

Shaped like txtai's ``ANN``: an engine answers ``candidates`` (its dense and BM25 top lists
for one query, within the allowed clauses) and ``cosines`` (the dense similarity of given
clauses). Fusion, ranking, confidence and filters are written once above it, in
``index.search``. Two engines implement it: ``FaissBackend`` (files of one generation on this
machine) and ``index.milvus.MilvusBackend`` (a Milvus collection).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from index import bm25, dense


@dataclass(frozen=True)
class Filters:
    doc_ids: tuple[str, ...] = ()
    offices: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    in_force: bool = False  # only documents in force today (resolved to doc_ids by the searcher)

    def empty(self) -> bool:
        return not (self.doc_ids or self.offices or self.kinds or self.in_force)


@dataclass
class Candidates:
    """One query's candidates, as clause rows: the BM25 ranking with its scores, and the best
    passage cosine of each dense candidate."""

    bm25_rank: list[int] = field(default_factory=list)
    lexical: dict[int, float] = field(default_factory=dict)
    dense: dict[int, float] = field(default_factory=dict)


class Backend(Protocol):
    def candidates(self, vector: np.ndarray, tokens: tuple[str, ...], filters: Filters,
                   allowed: np.ndarray | None, n: int) -> Candidates:
        """Top ``n`` clauses by BM25 over ``tokens`` and up to ``2n`` passages by cosine with
        ``vector``; ``allowed`` (sorted clause rows) and ``filters`` say the same thing, each
        engine reads the form it can use."""
        ...

    def cosines(self, rows: list[int], vector: np.ndarray) -> dict[int, float]:
        """The best passage cosine of each clause row."""
        ...


@dataclass
class FaissBackend:
    passage_clause: np.ndarray  # vector row -> clause row
    vectors: np.ndarray
    faiss_index: Any
    bm25_index: Any
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def candidates(self, vector: np.ndarray, tokens: tuple[str, ...], filters: Filters,
                   allowed: np.ndarray | None, n: int) -> Candidates:
        with self._lock:  # bm25s get_scores keeps per-call state on the object
            lexical = bm25.scores(self.bm25_index, list(tokens))
        if allowed is not None:
            mask = np.full(len(lexical), -1.0, dtype=np.float32)
            mask[allowed] = lexical[allowed]
            lexical = mask
        n_lexical = min(n, len(lexical))
        top = np.argpartition(-lexical, n_lexical - 1)[:n_lexical]
        bm25_rank = [int(i) for i in top[np.argsort(-lexical[top])] if lexical[i] > 0]

        # dense over passages, max-pooled to clauses
        allowed_rows = None
        if allowed is not None:
            allowed_rows = np.flatnonzero(np.isin(self.passage_clause, allowed))
        if allowed_rows is not None and len(allowed_rows) <= dense.EXACT_LIMIT:
            scores, rows = dense.exact(self.vectors, allowed_rows, vector, n * 2)
        else:
            scores, rows = dense.search(self.faiss_index, vector, n * 2, allowed_rows)
        best: dict[int, float] = {}
        for score, row in zip(scores, rows, strict=True):
            clause = int(self.passage_clause[row])
            best[clause] = max(best.get(clause, -1.0), float(score))
        return Candidates(bm25_rank, {i: float(lexical[i]) for i in bm25_rank}, best)

    def cosines(self, rows: list[int], vector: np.ndarray) -> dict[int, float]:
        return {i: float(np.max(self.vectors[np.flatnonzero(self.passage_clause == i)] @ vector))
                for i in rows}
