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


def states_asked(facts: tuple[Fact, ...], offices: tuple[str, ...], kinds: tuple[type[Fact], ...]) -> bool:
    if not kinds:
        return False
    return any(isinstance(f, kinds) for f in facts) or (Office in kinds and bool(offices))


@dataclass(frozen=True)
class Candidate:
    row: int
    cosine: float
    dense_rank: int | None
    bm25: float
    bm25_rank: int | None


def features(candidates: list[Candidate], named: list[bool], flags: list[tuple[str, ...]],
             numbered: list[bool], lengths: list[int], asked: list[bool],
             fact_counts: list[int]) -> np.ndarray:
    """One row of ``FEATURES`` per candidate, in the candidates' order. (Document-level
    aggregates — a document's best cosine/BM25, its share of the candidates, title overlap —
    were tried and dropped: cross-validated MRR fell on five of seven sets. The question's
    IDF-weighted token coverage of the clause and of its headings added about 0.01 MRR and a
    jieba pass over every candidate per query, so they are not used.)"""
    top_cos = max((c.cosine for c in candidates), default=0.0)
    top_bm25 = max((c.bm25 for c in candidates), default=0.0) or 1.0
    rows = []
    for c, is_named, f, is_numbered, length, is_asked, n_facts in zip(
            candidates, named, flags, numbered, lengths, asked, fact_counts, strict=True):
        rows.append((
            c.cosine, c.cosine - top_cos, max(c.bm25, 0.0) / top_bm25,
            PLAIN_RRF_K / (PLAIN_RRF_K + c.dense_rank) if c.dense_rank is not None else 0.0,
            PLAIN_RRF_K / (PLAIN_RRF_K + c.bm25_rank) if c.bm25_rank is not None else 0.0,
            float(c.dense_rank is not None and c.bm25_rank is not None), float(is_named),
            float("header" in f or "signature" in f), float(not is_numbered),
            math.log(max(length, 1)), float(is_asked), math.log1p(n_facts),
        ))
    return np.array(rows, dtype=np.float64).reshape(len(candidates), len(FEATURES))


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


def plain_rrf(candidates: list[Candidate]) -> np.ndarray:
    return np.array([(1 / (PLAIN_RRF_K + c.dense_rank + 1) if c.dense_rank is not None else 0.0)
                     + (1 / (PLAIN_RRF_K + c.bm25_rank + 1) if c.bm25_rank is not None else 0.0)
                     for c in candidates])
