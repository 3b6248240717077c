"""Fitted ranking: one logistic model over a candidate clause's evidence signals.

Owns the feature vector of a (question, candidate clause) pair and the versioned weights that
score it (``index/data/rank_weights.json``, written by ``scripts/fit_ranker.py`` from every gold
set with leave-documents-out cross-validation). Candidates are the union of the dense and BM25
top lists; no boost is hand-set here. Without a weights file, ranking falls back to plain
reciprocal-rank fusion (k = 60), the baseline the weights must beat.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

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
)


@dataclass(frozen=True)
class Candidate:
    row: int
    cosine: float
    dense_rank: int | None
    bm25: float
    bm25_rank: int | None


def features(candidates: list[Candidate], named: list[bool], flags: list[tuple[str, ...]],
             numbered: list[bool], lengths: list[int]) -> np.ndarray:
    """One row of ``FEATURES`` per candidate, in the candidates' order. (Document-level
    aggregates — a document's best cosine/BM25, its share of the candidates, title overlap —
    were tried and dropped: cross-validated MRR fell on five of seven sets.)"""
    top_cos = max((c.cosine for c in candidates), default=0.0)
    top_bm25 = max((c.bm25 for c in candidates), default=0.0) or 1.0
    rows = []
    for c, is_named, f, is_numbered, length in zip(candidates, named, flags, numbered, lengths,
                                                  strict=True):
        rows.append((
            c.cosine, c.cosine - top_cos, max(c.bm25, 0.0) / top_bm25,
            PLAIN_RRF_K / (PLAIN_RRF_K + c.dense_rank) if c.dense_rank is not None else 0.0,
            PLAIN_RRF_K / (PLAIN_RRF_K + c.bm25_rank) if c.bm25_rank is not None else 0.0,
            float(c.dense_rank is not None and c.bm25_rank is not None), float(is_named),
            float("header" in f or "signature" in f), float(not is_numbered),
            math.log(max(length, 1)),
        ))
    return np.array(rows, dtype=np.float64).reshape(len(candidates), len(FEATURES))


@dataclass(frozen=True)
class Weights:
    version: str
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def score(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.coef + self.intercept


@lru_cache(maxsize=4)
def load_weights(path: Path = WEIGHTS_PATH) -> Weights | None:
    """The fitted weights, or None (plain RRF) when no file is there or it names other features."""
    if not path.exists():
        return None
    data = json.loads(path.read_text("utf-8"))
    if tuple(data.get("features", ())) != FEATURES:
        return None
    return Weights(str(data["version"]), np.array(data["mean"]), np.array(data["scale"]),
                   np.array(data["coef"]), float(data["intercept"]))


def plain_rrf(candidates: list[Candidate]) -> np.ndarray:
    return np.array([(1 / (PLAIN_RRF_K + c.dense_rank + 1) if c.dense_rank is not None else 0.0)
                     + (1 / (PLAIN_RRF_K + c.bm25_rank + 1) if c.bm25_rank is not None else 0.0)
                     for c in candidates])
