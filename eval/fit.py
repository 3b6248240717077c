"""Fit the ranking weights on every gold set, with leave-documents-out cross-validation.

``python scripts/fit_ranker.py`` runs :func:`main`: it builds (or reuses) the index of each gold
set, records what ranking sees for every question (eval/ranking.py), fits a logistic model on
the candidates' features (label: the clause supports an evidence item), and reports, per set,
the cross-validated figures beside the plain baselines. A question's own documents are never in
its training fold: documents are dealt into folds, a question goes with its evidence's first
document, and training drops every question that shares a document with the test fold.
Then it fits on everything and writes ``index/data/rank_weights.json`` (versioned).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from eval.gold import load_gold
from eval.ranking import GoldSet, RankRecord, all_sets, record, summarise
from index import rank

FOLDS = 5
C = 1.0  # inverse L2 strength: mild, the features are few and standardised


def open_searcher(gold_set: GoldSet, embedder_spec: str = "e5-small", refresh: bool = False) -> Any:
    """The index of a gold set, built on first use; ``refresh`` rebuilds it from the corpus as
    the code reads it now."""
    from index.build import build_index
    from index.embed import load_embedder
    from index.search import Searcher, load_index
    from index.store import current_path

    embedder = load_embedder(embedder_spec)
    if current_path(gold_set.index) is None or refresh:
        # incremental: unchanged passages reuse their vectors, so a refresh costs the ingest
        # (and what the code now reads from the documents: clauses, facts, metadata)
        build_index(gold_set.corpus, gold_set.index, embedder, embedder_spec)
    return Searcher(load_index(gold_set.index, embedder.name), embedder)


def collect(sets: list[GoldSet]) -> dict[str, tuple[list[RankRecord], Any]]:
    from question.query import resolve_followup

    searchers: dict[Path, Any] = {}
    out: dict[str, tuple[list[RankRecord], Any]] = {}
    for gold_set in sets:
        if gold_set.index not in searchers:
            searchers[gold_set.index] = open_searcher(gold_set)
        searcher = searchers[gold_set.index]
        records = []
        for q in load_gold(gold_set.gold):
            query = resolve_followup([("user", h) for h in q.history] + [("user", q.question)])
            records.append(record(searcher, q, query))
        out[gold_set.name] = (records, searcher)
    return out


def _fold(key: str) -> int:
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % FOLDS


def _fit(x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
    model.fit((x - mean) / scale, y)
    return {"mean": mean, "scale": scale, "coef": model.coef_[0], "intercept": float(model.intercept_[0])}


def _score(params: dict[str, Any], x: np.ndarray) -> np.ndarray:
    return ((x - params["mean"]) / params["scale"]) @ params["coef"] + params["intercept"]


def _stack(records: list[RankRecord]) -> tuple[np.ndarray, np.ndarray]:
    xs = [r.features for r in records if r.question.answerable and len(r.pool)]
    ys = [r.labels for r in records if r.question.answerable and len(r.pool)]
    return np.vstack(xs), np.concatenate(ys)


def cross_validate(collected: dict[str, tuple[list[RankRecord], Any]]
                   ) -> dict[str, dict[str, dict[str, float | None]]]:
    everything = [(name, n, rec) for name, (records, _) in collected.items()
                  for n, rec in enumerate(records)]
    # The same document may be cited by several sets (shared and project seed sets): fold by
    # the file name so that it is held out of training everywhere at once.
    fold_of = {id(rec): _fold(sorted(rec.docs)[0] if rec.docs else rec.question.id)
               for _, _, rec in everything}
    predicted: dict[str, dict[int, list[int]]] = {name: {} for name in collected}
    tops: dict[str, dict[int, float]] = {name: {} for name in collected}
    for fold in range(FOLDS):
        held_docs = {d for _, _, rec in everything if fold_of[id(rec)] == fold for d in rec.docs}
        train = [rec for _, _, rec in everything
                 if fold_of[id(rec)] != fold and not (rec.docs & held_docs)]
        params = _fit(*_stack(train))
        for name, n, rec in everything:
            if fold_of[id(rec)] != fold:
                continue
            if not len(rec.pool):
                predicted[name][n], tops[name][n] = [], 0.0
                continue
            scores = _score(params, rec.features)
            order = np.argsort(-scores, kind="stable")
            predicted[name][n] = [rec.pool[i] for i in order[:10]]
            tops[name][n] = float(1 / (1 + np.exp(-scores[order[0]])))
    return {name: summarise(records, searcher.index.clauses, {"fitted_cv": predicted[name]},
                            {"fitted_cv": tops[name]})
            for name, (records, searcher) in collected.items()}


def main(write: Path = rank.WEIGHTS_PATH) -> dict[str, Any]:
    sets = all_sets()
    collected = collect(sets)
    cv = cross_validate(collected)
    x, y = _stack([r for records, _ in collected.values() for r in records])
    params = _fit(x, y)
    digest = hashlib.sha1(x.tobytes() + y.tobytes()).hexdigest()[:10]
    weights = {
        "version": f"{date.today().isoformat()}-{digest}",
        "features": list(rank.FEATURES),
        "mean": params["mean"].tolist(), "scale": params["scale"].tolist(),
        "coef": params["coef"].tolist(), "intercept": params["intercept"],
        "trained_on": {name: len(records) for name, (records, _) in collected.items()},
        "candidates": int(len(y)), "positives": int(y.sum()),
        "cross_validated": cv,
        "method": f"logistic regression (C={C}, balanced classes) on standardised features; "
                  f"{FOLDS}-fold leave-documents-out cross-validation",
    }
    write.parent.mkdir(parents=True, exist_ok=True)
    write.write_text(json.dumps(weights, ensure_ascii=False, indent=1) + "\n", "utf-8")
    rank.load_weights.cache_clear()
    return weights


def print_report(weights: dict[str, Any]) -> None:
    print(f"weights {weights['version']}: {weights['candidates']} candidates, "
          f"{weights['positives']} positive")
    for name, table in weights["cross_validated"].items():
        print(f"\n{name}")
        for ranker, m in table.items():
            auc = "  —  " if m["auc"] is None else f"{m['auc']:.3f}"
            print(f"  {ranker:10s} R@1 {m['recall@1']:.3f}  R@5 {m['recall@5']:.3f}  "
                  f"MRR@10 {m['mrr@10']:.3f}  AUC {auc}")
    print("\ncoefficients (standardised):")
    for name, coef in zip(rank.FEATURES, weights["coef"], strict=True):
        print(f"  {name:15s} {coef:+.3f}")
