"""Fit the ranking weights on every gold set, with leave-documents-out cross-validation.

``python scripts/fit_ranker.py`` runs :func:`main`: it builds (or reuses) the index of each gold
set, records what ranking sees for every question (eval/ranking.py), fits a LightGBM lambdarank
model on the candidates' features, one group per question (label: the clause supports an
evidence item), and reports, per set, the cross-validated figures beside the plain baselines
and beside a pointwise logistic model over the same features (the ranker it replaced). A question's own documents are never in
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
C = 1.0  # the logistic comparison's inverse L2 strength: mild, the features are few and standardised
# Small trees, shrunk: about 4,000 questions' worth of candidates at most. Cross-validated on
# every set (2026-11-30): 100-300 trees and 4-7 leaves all lie within 0.02 MRR of each other.
LAMBDARANK: dict[str, Any] = {"objective": "lambdarank", "n_estimators": 200, "learning_rate": 0.05,
              "num_leaves": 7, "min_child_samples": 20, "subsample": 0.8, "subsample_freq": 1,
              "colsample_bytree": 0.8, "lambdarank_truncation_level": 10, "random_state": 0,
              "n_jobs": 1, "verbose": -1}


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


def _answerable(records: list[RankRecord]) -> list[RankRecord]:
    return [r for r in records if r.question.answerable and len(r.pool)]


def _fit_lambdarank(records: list[RankRecord]) -> Any:
    from lightgbm import LGBMRanker

    groups = [r for r in _answerable(records) if r.labels.sum() > 0]  # a group needs a positive
    model = LGBMRanker(**LAMBDARANK)
    model.fit(np.vstack([r.features for r in groups]), np.concatenate([r.labels for r in groups]),
              group=[len(r.pool) for r in groups])
    return model.booster_


def _fit_logistic(records: list[RankRecord]) -> Any:
    from sklearn.linear_model import LogisticRegression

    kept = _answerable(records)
    x, y = np.vstack([r.features for r in kept]), np.concatenate([r.labels for r in kept])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced").fit((x - mean) / scale, y)
    return lambda z: ((z - mean) / scale) @ model.coef_[0] + model.intercept_[0]


def _score(model: Any, x: np.ndarray) -> np.ndarray:
    if callable(model):
        return np.asarray(model(x))
    return np.asarray(model.predict(x, num_threads=1))


TRAINERS = {"fitted_cv": _fit_lambdarank, "logistic_cv": _fit_logistic}


def cross_validate(collected: dict[str, tuple[list[RankRecord], Any]]
                   ) -> dict[str, dict[str, dict[str, float | None]]]:
    everything = [(name, n, rec) for name, (records, _) in collected.items()
                  for n, rec in enumerate(records)]
    # The same document may be cited by several sets (shared and project seed sets): fold by
    # the file name so that it is held out of training everywhere at once.
    fold_of = {id(rec): _fold(sorted(rec.docs)[0] if rec.docs else rec.question.id)
               for _, _, rec in everything}
    predicted: dict[str, dict[str, dict[int, list[int]]]] = {
        ranker: {name: {} for name in collected} for ranker in TRAINERS}
    tops: dict[str, dict[str, dict[int, float]]] = {
        ranker: {name: {} for name in collected} for ranker in TRAINERS}
    for fold in range(FOLDS):
        held_docs = {d for _, _, rec in everything if fold_of[id(rec)] == fold for d in rec.docs}
        train = [rec for _, _, rec in everything
                 if fold_of[id(rec)] != fold and not (rec.docs & held_docs)]
        for ranker, trainer in TRAINERS.items():
            model = trainer(train)
            for name, n, rec in everything:
                if fold_of[id(rec)] != fold:
                    continue
                if not len(rec.pool):
                    predicted[ranker][name][n], tops[ranker][name][n] = [], 0.0
                    continue
                scores = _score(model, rec.features)
                order = np.argsort(-scores, kind="stable")
                predicted[ranker][name][n] = [rec.pool[i] for i in order[:10]]
                tops[ranker][name][n] = float(1 / (1 + np.exp(-scores[order[0]])))
    return {name: summarise(records, searcher.index.clauses,
                            {ranker: predicted[ranker][name] for ranker in TRAINERS},
                            {ranker: tops[ranker][name] for ranker in TRAINERS})
            for name, (records, searcher) in collected.items()}


def main(write: Path = rank.WEIGHTS_PATH) -> dict[str, Any]:
    sets = [s for s in all_sets() if not s.held_out]
    collected = collect(sets)
    cv = cross_validate(collected)
    everything = [r for records, _ in collected.values() for r in records]
    booster = _fit_lambdarank(everything)
    model_text = booster.model_to_string()
    kept = _answerable(everything)
    digest = hashlib.sha1(np.vstack([r.features for r in kept]).tobytes()
                          + np.concatenate([r.labels for r in kept]).tobytes()
                          + model_text.encode()).hexdigest()[:10]
    weights = {
        "version": f"{date.today().isoformat()}-{digest}",
        "features": list(rank.FEATURES),
        "model_file": rank.MODEL_FILE,
        "trained_on": {name: len(records) for name, (records, _) in collected.items()},
        "candidates": int(sum(len(r.pool) for r in kept)),
        "positives": int(sum(r.labels.sum() for r in kept)),
        "feature_importance_gain": dict(zip(rank.FEATURES, (round(float(g), 2) for g in
                                            booster.feature_importance("gain")), strict=True)),
        "cross_validated": cv,
        "method": f"LightGBM lambdarank ({', '.join(f'{k}={v}' for k, v in LAMBDARANK.items() if k not in ('objective', 'verbose', 'n_jobs'))}), "
                  f"one group per question; {FOLDS}-fold leave-documents-out cross-validation "
                  f"(fitted_cv), beside a pointwise logistic model (C={C}) over the same features "
                  f"(logistic_cv)",
    }
    write.parent.mkdir(parents=True, exist_ok=True)
    (write.parent / rank.MODEL_FILE).write_text(model_text, "utf-8")
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
            print(f"  {ranker:11s} R@1 {m['recall@1']:.3f}  R@5 {m['recall@5']:.3f}  "
                  f"MRR@10 {m['mrr@10']:.3f}  AUC {auc}")
    print("\nfeature importance (total gain):")
    for name, gain in weights["feature_importance_gain"].items():
        print(f"  {name:15s} {gain:10.1f}")
