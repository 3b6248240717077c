"""Fitted ranking: a LightGBM lambdarank model over a candidate clause's evidence signals.

Owns the feature vector of a (question, candidate clause) pair and the versioned model that
scores it (``index/data/rank_weights.json`` with its trees in ``rank_model.txt``, written by
``scripts/fit_ranker.py`` from every gold set with leave-documents-out cross-validation).
Candidates are the union of the dense and BM25 top lists; no boost is hand-set here. Without a
model file, ranking falls back to plain reciprocal-rank fusion (k = 60), the baseline the model
must beat.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from corpus.facts import Condition, Contact, DateFact, Fact, Material, Office, Support
from question.query import Query

WEIGHTS_PATH = Path(__file__).resolve().parent / "data" / "rank_weights.json"
PLAIN_RRF_K = 60

FEATURES = (
    "cosine",          # best cosine of the clause's passages
    "cosine_gap",      # cosine minus the best cosine of any candidate (how far from the top)
    "bm25_share",      # BM25 score over the best BM25 score of the query
    "dense_rrf",       # 60 / (60 + dense rank): reciprocal rank, scaled to (0, 1]
    "bm25_rrf",        # 60 / (60 + BM25 rank)
    "in_both",         # in both top lists
    "named_document",  # its document is the one the question names (文号, title, place)
    "header",          # the document's header or signature lines
    "unnumbered",      # a paragraph outside any numbering
    "log_length",      # log of the clause's length in characters
    "asked_fact",      # the clause states a fact of the kind the question asks (an amount, an office…)
    "log_facts",       # log(1 + the number of facts the clause states)
)

# The fact kinds that answer each asked detail, else each intent (question.intent): a clause
# that states one is likelier to answer than one that only shares the question's words.
_DETAIL_KINDS: dict[str, tuple[type[Fact], ...]] = {
    "amount": (Support,), "rate": (Support,), "date": (DateFact,), "period": (DateFact,),
    "contact": (Contact,), "materials": (Material,)}
_INTENT_KINDS: dict[str, tuple[type[Fact], ...]] = {
    "responsible_office": (Office,), "support_measure": (Support,), "eligibility": (Condition,),
    "process": (Material,)}


def asked_kinds(query: Query) -> tuple[type[Fact], ...]:
    if query.detail is not None and query.detail.name in _DETAIL_KINDS:
        return _DETAIL_KINDS[query.detail.name]
    return _INTENT_KINDS.get(query.intent, ())


@dataclass(frozen=True)
class Candidate:
    row: int
    cosine: float
    dense_rank: int | None
    bm25: float
    bm25_rank: int | None


@dataclass(frozen=True)
class ClauseSignals:
    """What ranking reads of each clause that no question changes, one entry per clause row,
    worked out once per generation (the ranker reads about a hundred rows per question)."""

    doc_ids: np.ndarray  # str
    header: np.ndarray  # bool: the document's header or signature lines
    unnumbered: np.ndarray  # bool: a paragraph outside any numbering
    log_length: np.ndarray
    log_facts: np.ndarray
    has_offices: np.ndarray  # bool
    fact_kinds: dict[type[Fact], np.ndarray]  # bool per fact type: the clause states one

    @classmethod
    def of(cls, clauses: list[Any]) -> ClauseSignals:
        kinds = (Condition, Contact, DateFact, Material, Office, Support)
        return cls(
            np.array([c.doc_id for c in clauses], dtype=object),
            np.array([("header" in c.flags or "signature" in c.flags) for c in clauses], dtype=bool),
            np.array([not c.numbered for c in clauses], dtype=bool),
            np.array([math.log(max(len(c.text), 1)) for c in clauses], dtype=np.float64),
            np.array([math.log1p(len(c.facts)) for c in clauses], dtype=np.float64),
            np.array([bool(c.offices) for c in clauses], dtype=bool),
            {kind: np.array([any(isinstance(f, kind) for f in c.facts) for c in clauses], dtype=bool)
             for kind in kinds})

    def asked(self, rows: np.ndarray, kinds: tuple[type[Fact], ...]) -> np.ndarray:
        """Whether each of ``rows`` states a fact of one of ``kinds`` (an office named counts
        for an asked office)."""
        out = np.zeros(len(rows), dtype=bool)
        for kind in kinds:
            out |= self.fact_kinds[kind][rows]
        if Office in kinds:
            out |= self.has_offices[rows]
        return out


@dataclass(frozen=True)
class Signals:
    """One question's candidate rows (both top lists, dense first) and their signals; a rank
    of -1 when the row is not in that list."""

    rows: np.ndarray  # int64
    cosine: np.ndarray
    dense_rank: np.ndarray  # int64
    bm25: np.ndarray
    bm25_rank: np.ndarray  # int64

    def candidates(self) -> list[Candidate]:
        return [Candidate(int(r), float(c), int(d) if d >= 0 else None, float(b), int(k) if k >= 0 else None)
                for r, c, d, b, k in zip(self.rows, self.cosine, self.dense_rank, self.bm25,
                                         self.bm25_rank, strict=True)]


def features(signals: Signals, named: np.ndarray, clauses: ClauseSignals,
             kinds: tuple[type[Fact], ...]) -> np.ndarray:
    """One row of ``FEATURES`` per candidate, in the candidates' order; ``named``: whether each
    candidate's document is one the question names. (Document-level aggregates — a document's
    best cosine/BM25, its share of the candidates, title overlap — were tried and dropped:
    cross-validated MRR fell on five of seven sets. The question's IDF-weighted token coverage
    of the clause and of its headings added about 0.01 MRR and a jieba pass over every
    candidate per query, so they are not used.)"""
    rows = signals.rows
    x = np.zeros((len(rows), len(FEATURES)), dtype=np.float64)
    if not len(rows):
        return x
    in_dense, in_bm25 = signals.dense_rank >= 0, signals.bm25_rank >= 0
    top_bm25 = float(signals.bm25.max()) or 1.0
    x[:, 0] = signals.cosine
    x[:, 1] = signals.cosine - signals.cosine.max()
    x[:, 2] = np.maximum(signals.bm25, 0.0) / top_bm25
    x[:, 3] = np.where(in_dense, PLAIN_RRF_K / (PLAIN_RRF_K + np.maximum(signals.dense_rank, 0)), 0.0)
    x[:, 4] = np.where(in_bm25, PLAIN_RRF_K / (PLAIN_RRF_K + np.maximum(signals.bm25_rank, 0)), 0.0)
    x[:, 5] = in_dense & in_bm25
    x[:, 6] = named
    x[:, 7] = clauses.header[rows]
    x[:, 8] = clauses.unnumbered[rows]
    x[:, 9] = clauses.log_length[rows]
    x[:, 10] = clauses.asked(rows, kinds)
    x[:, 11] = clauses.log_facts[rows]
    return x


MODEL_FILE = "rank_model.txt"


@dataclass(frozen=True)
class Weights:
    """The fitted ranker: a LightGBM booster (its trees in ``rank_model.txt``) and its version."""

    version: str
    booster: Any

    def score(self, x: np.ndarray) -> np.ndarray:
        # one thread: a query scores a hundred rows, and OpenMP's spin-up costs more than that
        return np.asarray(self.booster.predict(x, num_threads=1), dtype=np.float64)


@lru_cache(maxsize=4)
def load_weights(path: Path = WEIGHTS_PATH) -> Weights | None:
    """The fitted model, or None (plain RRF) when no file is there or it names other features."""
    if not path.exists():
        return None
    data = json.loads(path.read_text("utf-8"))
    model = path.parent / str(data.get("model_file", MODEL_FILE))
    if tuple(data.get("features", ())) != FEATURES or not model.exists():
        return None
    import lightgbm

    booster = lightgbm.Booster(model_str=model.read_text("utf-8"))
    if booster.num_feature() != len(FEATURES):
        return None
    return Weights(str(data["version"]), booster)


def plain_rrf(signals: Signals) -> np.ndarray:
    return (np.where(signals.dense_rank >= 0, 1 / (PLAIN_RRF_K + signals.dense_rank + 1), 0.0)
            + np.where(signals.bm25_rank >= 0, 1 / (PLAIN_RRF_K + signals.bm25_rank + 1), 0.0))
