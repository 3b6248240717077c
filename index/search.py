"""Loading a generation and searching it: BM25 + dense candidates from a backend, ranked,
filtered, with a confidence.

Owns retrieval above the ``index.backend.Backend`` seam: a parsed ``question.query.Query`` in,
ranked clauses out. It never parses questions. "Not found" is decided on the dense
similarity, not the fused rank: ``confidence`` maps the best dense cosine through the
embedder's calibration to 0..1.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from corpus.clean import to_match
from corpus.models import Clause
from corpus.records import status_now
from index import bm25, dense, rank, store
from index.backend import Backend, Candidates, FaissBackend, Filters
from index.embed import Embedder
from question.catalogue import Catalogue
from question.query import Query
from question.roles import RoleAsk, asks_offices, states

# Ranking is fitted (index/rank.py, weights from scripts/fit_ranker.py). The hand-set weights
# it replaced (BM25 vote x2, RRF k=20, place boost x1.2, per-document decay) were tuned on the
# seed set and cost recall on unseen documents; cross-validation supported none of them.
# A question that compares documents it names ("滨州和山东分别…", "国家层面和滨州各…") needs
# each document's best clause near the top: further clauses from one document count this much
# less. Without a named document ("几个文件里对链主企业…") nothing is spread: spreading over
# every document would put clauses without the asked term above ones that have it.
COMPARE_DECAY = 0.6
CANDIDATES = 50
# The clauses an answer reads by default (its top_k): a role asked of offices is stated within them.
ROLE_VIEW = 5
NO_DOCUMENT = "\u0000"  # a document id no document has: a filter that nothing passes
# Cosine range of e5-small between clearly off-topic (lo: weather, films ≈ 0.79–0.84) and
# typical on-topic questions (hi: the dev answerables' median ≈ 0.92), measured on the dev set
# with passages in the title｜headings｜text form; with min_confidence 0.35 the cut is at cosine
# ≈ 0.868, below every dev and extra answerable (min 0.885). Other embedders get a neutral range.
CALIBRATION = {"e5-small": (0.84, 0.92)}
DEFAULT_CALIBRATION = (0.2, 0.7)

__all__ = ["Filters", "Hit", "LoadedIndex", "SearchResult", "Searcher", "load_index"]


@dataclass(frozen=True)
class Hit:
    clause: Clause
    score: float  # fused
    dense: float  # best cosine of the clause's passages
    bm25: float
    rank: int


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    confidence: float
    generation: str
    timing_ms: dict[str, float] = field(default_factory=dict)


def is_searchable(clause: Clause) -> bool:
    return "addressees" not in clause.flags


@dataclass
class LoadedIndex:
    """One generation: its manifest and clauses, what is derived from them (the same for every
    backend), and the backend that holds its vectors and BM25."""

    path: Path
    manifest: dict[str, Any]
    clauses: list[Clause]
    backend: Backend
    by_id: dict[str, int] = field(init=False)
    searchable: np.ndarray = field(init=False)  # False for a document's 主送 line, which answers nothing
    catalogue: Catalogue = field(init=False)  # what a question can name (文号, titles, places)
    rows: dict[str, np.ndarray] = field(init=False)  # "doc:…"/"kind:…"/"office:…" -> clause rows, for filters
    current_of: dict[int, int] = field(init=False)  # a superseded version's row -> the latest's same clause
    clause_signals: rank.ClauseSignals = field(init=False)  # what ranking reads of each clause

    def __post_init__(self) -> None:
        self.by_id = {c.clause_id: i for i, c in enumerate(self.clauses)}
        self.searchable = np.array([is_searchable(c) for c in self.clauses], dtype=bool)
        rows: dict[str, list[int]] = {}
        for i, c in enumerate(self.clauses):
            keys = {f"doc:{c.doc_id}", f"doc:{c.source_file}", f"kind:{c.kind}",
                    *(f"office:{o}" for o in c.offices)}
            for key in keys:
                rows.setdefault(key, []).append(i)
        self.rows = {key: np.array(found, dtype=np.int64) for key, found in rows.items()}
        self.catalogue = Catalogue.of(self.manifest.get("documents", []))
        self.current_of = current_versions(self.clauses, self.manifest.get("documents", []))
        self.clause_signals = rank.ClauseSignals.of(self.clauses)

    @property
    def generation(self) -> str:
        return str(self.manifest.get("generation", self.path.name))


def load_index(root: Path, expect_embedder: str | None = None) -> LoadedIndex:
    """Load the live generation under ``root`` and check it is whole and consistent."""
    generation = store.current_path(root)
    if generation is None:
        raise store.IndexMissing(f"no index at {root}: run 'policyqa build' first")
    manifest = store.read_manifest(generation)
    embedder = manifest.get("embedder", {})
    if expect_embedder and embedder.get("name") != expect_embedder:
        raise store.IndexCorrupt(
            f"index was built with embedder {embedder.get('name')!r}, not {expect_embedder!r}")
    store.verify_files(generation, manifest)  # sizes and sha256 against the manifest's records
    clauses = store.read_clauses(generation)
    passages = store.read_passages(generation)
    vectors = store.read_vectors(generation)
    try:
        faiss_index = dense.load(generation / "dense.faiss")
    except Exception as exc:  # noqa: BLE001 - faiss's message names its own source paths
        raise store.IndexCorrupt(f"unreadable dense.faiss in {generation.name}") from exc
    try:
        bm25_index = bm25.load(generation / "bm25")
    except Exception as exc:  # noqa: BLE001 - zero-byte or garbage arrays: corrupt, never a crash
        raise store.IndexCorrupt(f"unreadable bm25 index in {generation.name}: "
                                 f"{exc.__class__.__name__}") from exc
    problems = []
    if len(clauses) != manifest.get("clause_count"):
        problems.append(f"{len(clauses)} clauses but the manifest says {manifest.get('clause_count')}")
    if not (len(passages) == len(vectors) == faiss_index.ntotal == manifest.get("vector_count")):
        problems.append(f"vector counts disagree (passages {len(passages)}, vectors {len(vectors)}, "
                        f"faiss {faiss_index.ntotal}, manifest {manifest.get('vector_count')})")
    if faiss_index.d != embedder.get("dim") or vectors.ndim != 2 or vectors.shape[1] != faiss_index.d:
        problems.append(f"dimension mismatch (faiss {faiss_index.d}, manifest {embedder.get('dim')})")
    if getattr(bm25_index, "scores", {}).get("num_docs") != len(clauses):
        problems.append("BM25 document count differs from the clause count")
    if passages and max(p.clause for p in passages) >= len(clauses):
        problems.append("a passage points past the last clause")
    if problems:
        raise store.IndexCorrupt(f"index {generation.name} is inconsistent: " + "; ".join(problems))
    backend = FaissBackend(np.array([p.clause for p in passages], dtype=np.int64), vectors,
                           faiss_index, bm25_index)
    return LoadedIndex(path=generation, manifest=manifest, clauses=clauses, backend=backend)


def rrf(rankings: Sequence[Sequence[int]], k: int = rank.PLAIN_RRF_K,
        weights: Sequence[float] | None = None) -> dict[int, float]:
    """Weighted reciprocal-rank fusion of several rankings of the same ids."""
    fused: dict[int, float] = {}
    for n, ranking in enumerate(rankings):
        weight = weights[n] if weights else 1.0
        for position, item in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + weight / (k + position + 1)
    return fused


_ARTICLE_NUMBER = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条")


def _words(clause: Clause) -> str:
    return _ARTICLE_NUMBER.sub("", "".join(clause.text.split()))


def _pairs(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


# How much of an older clause's wording the latest version's clause must keep to be the same
# article: one that adds a sentence keeps it all, one that changes a figure nearly all; one
# that rewrites the rule (七个工作日内 → 同步) much less.
SAME_RULE = 0.9


def current_versions(clauses: Sequence[Clause], records: Sequence[Mapping[str, Any]]) -> dict[int, int]:
    """Each clause of a superseded version (``superseded_by`` in its record) whose wording the
    latest version keeps (``SAME_RULE`` of its character pairs, article number aside, as
    amendments renumber and add sentences) mapped to that clause of the latest version: the
    same article is read and cited as it stands now."""
    latest = {r["doc_id"]: r["superseded_by"] for r in records if r.get("superseded_by")}
    if not latest:
        return {}
    by_doc: dict[str, list[tuple[int, set[str]]]] = {}
    for i, c in enumerate(clauses):
        if c.doc_id in latest.values():
            by_doc.setdefault(c.doc_id, []).append((i, _pairs(_words(c))))
    out: dict[int, int] = {}
    for i, c in enumerate(clauses):
        if c.doc_id not in latest:
            continue
        old = _pairs(_words(c))
        if len(old) < 10:
            continue  # a heading or a stub: too short to tell one rule from another
        kept = sorted(((len(old & new) / len(old), j) for j, new in by_doc.get(latest[c.doc_id], [])),
                      reverse=True)
        if kept and kept[0][0] >= SAME_RULE and (len(kept) == 1 or kept[1][0] < kept[0][0]):
            out[i] = kept[0][1]
    return out


def _as_it_stands(fused: dict[int, float], current_of: Mapping[int, int],
                  allowed: np.ndarray | None) -> dict[int, float]:
    """A rule both versions of a text state is ranked once, as the latest version's clause,
    with the better of the two scores (unless a filter keeps the latest version out)."""
    moved = [i for i in fused if i in current_of]
    if not moved:
        return fused
    allowed_rows = None if allowed is None else set(allowed.tolist())
    for old in moved:
        now = current_of[old]
        if allowed_rows is None or now in allowed_rows:
            fused[now] = max(fused.get(now, 0.0), fused.pop(old))
    return fused


def defines(clause_match: str, term: str) -> bool:
    """Whether a clause (matching form) states what ``term`` means: 量产是指…, 本办法所称
    就业见习人员…, 所指…, 数创企业(即…); not a word that begins with 指 or 即 (量产指标, 量产即可)."""
    t = re.escape(to_match(term))
    return re.search(rf"{t}[,，]?(?:是指|系指|指的是|即指)|{t}[,，]即|所(?:称|指)的?{t}|{t}[(（](?:以下简称|即)",
                     clause_match) is not None


def defining_first(ranked: list[int], clauses: Sequence[Clause], terms: Sequence[str]) -> list[int]:
    """The ranking with the clauses that define an asked term first (in their order): a
    question that quotes a term and asks what it means is answered by its definition, which
    may share fewer words with it than a clause that only uses the term."""
    first = [i for i in ranked if any(defines(clauses[i].text_match, t) for t in terms)]
    return first + [i for i in ranked if i not in first] if first else ranked


def distinct(ranked: list[int], clauses: Sequence[Clause], limit: int) -> list[int]:
    """The first ``limit`` of ``ranked`` without a clause whose document already has one of
    the same words ranked above it: published pages often repeat a paragraph (a page printed
    twice, a summary box restating the text), and a repeat adds nothing to read or cite."""
    seen: set[tuple[str, str]] = set()
    kept: list[int] = []
    for i in ranked:
        key = (clauses[i].doc_id, "".join(clauses[i].text.split()))
        if key not in seen:
            seen.add(key)
            kept.append(i)
            if len(kept) == limit:
                break
    return kept


def diversify(ranked: list[int], scores: dict[int, float], doc_of: Mapping[int, str], k: int,
              decay: float = 0.6) -> list[int]:
    """Greedy top-k where each further clause of an already-chosen document counts ``decay``
    times less: questions that compare documents need each document's best clause near the
    top, and single-document questions lose little (their clauses still dominate)."""
    chosen: list[int] = []
    per_doc: dict[str, int] = {}
    position = {item: n for n, item in enumerate(ranked)}
    pool = list(ranked[: max(k * 4, 20)])
    while pool and len(chosen) < k:
        best = max(pool, key=lambda i: (scores[i] * decay ** per_doc.get(doc_of[i], 0), -position[i]))
        pool.remove(best)
        chosen.append(best)
        per_doc[doc_of[best]] = per_doc.get(doc_of[best], 0) + 1
    return chosen


def stating_roles(order: list[int], ranked: list[int], clauses: Sequence[Clause],
                  document_rows: Sequence[int], asks: Sequence[RoleAsk], k: int) -> list[int]:
    """The top ``k`` with, for each office role the question asks that none of the top
    document's clauses among them states, that document's first clause stating it (among the
    ranked candidates, else in the document's order) placed after the top clause: a question of
    several roles (哪个部门认定？钱又是谁拨的？) needs each statement in view, and the one for the
    second role often shares few words with the question."""
    if not order or not asks_offices(asks):
        return order
    doc = clauses[order[0]].doc_id
    out = list(order)
    view = min(k, ROLE_VIEW)
    for role in dict.fromkeys(a.role for a in asks):
        if any(clauses[i].doc_id == doc and states(clauses[i], role) for i in out[:view]):
            continue
        found = next((i for i in (*ranked, *document_rows) if clauses[i].doc_id == doc
                      and i not in out[:view] and states(clauses[i], role)), None)
        if found is not None:
            out = [out[0], found, *(i for i in out[1:] if i != found)]
    return out[:k]


def in_force_only(index: LoadedIndex, filters: Filters, today: date) -> Filters:
    """``filters`` with its in-force condition spelled out as the documents in force on
    ``today`` (each document's status recomputed from its dates: a manifest outlives its day),
    within the documents it already names (by id or by source file)."""
    documents = index.manifest.get("documents", [])
    named = set(filters.doc_ids)
    live = tuple(d["doc_id"] for d in documents if status_now(d, today) == "in_force"
                 and (not named or d["doc_id"] in named or d.get("source_file") in named))
    return replace(filters, doc_ids=live or (NO_DOCUMENT,), in_force=False)


def calibrate(similarity: float, embedder_name: str) -> float:
    lo, hi = CALIBRATION.get(embedder_name, DEFAULT_CALIBRATION)
    return float(np.clip((similarity - lo) / (hi - lo), 0.0, 1.0))


def _allowed_clauses(index: LoadedIndex, filters: Filters) -> np.ndarray | None:
    """Sorted clause rows that pass every filter, from the per-value row lists (no clause scan:
    an office filter looks at the distinct office names, a few hundred, not at the clauses)."""
    if filters.empty():
        return None
    rows = index.rows

    def union(keys: list[str]) -> np.ndarray:
        found = [rows[k] for k in keys if k in rows]
        return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)

    parts = []
    if filters.doc_ids:
        parts.append(union([f"doc:{d}" for d in filters.doc_ids]))
    if filters.kinds:
        parts.append(union([f"kind:{k}" for k in filters.kinds]))
    if filters.offices:
        wanted = [to_match(o) for o in filters.offices]
        parts.append(union([key for key in rows if key.startswith("office:")
                            and any(o in key[7:] for o in wanted)]))
    allowed = parts[0]
    for part in parts[1:]:
        allowed = np.intersect1d(allowed, part)
    return allowed


class Searcher:
    """Thread-safe search over one loaded generation, whatever its backend."""

    def __init__(self, index: LoadedIndex, embedder: Embedder) -> None:
        self.index = index
        self.embedder = embedder

    def embed_query(self, query: Query) -> np.ndarray:
        return self.embedder.embed_queries([query.match])[0]

    def search(self, query: Query, k: int = 5, filters: Filters | None = None,
               query_vector: np.ndarray | None = None) -> SearchResult:
        filters = filters or Filters()
        idx = self.index
        timing: dict[str, float] = {}
        t0 = time.perf_counter()
        vector = query_vector if query_vector is not None else self.embed_query(query)
        t1 = time.perf_counter()
        timing["embed"] = (t1 - t0) * 1000

        if query.scope and not filters.doc_ids:
            filters = replace(filters, doc_ids=query.scope)  # about that document alone
        if filters.in_force:
            filters = in_force_only(idx, filters, date.today())
        allowed = _allowed_clauses(idx, filters)
        if allowed is not None and len(allowed) == 0:
            return SearchResult([], 0.0, idx.generation, timing)

        found = self._candidates(query, vector, filters, allowed)
        best = found.dense
        dense_rank = sorted(best, key=best.__getitem__, reverse=True)[:CANDIDATES]
        t2 = time.perf_counter()
        timing["search"] = (t2 - t1) * 1000

        fused = self._rank(dense_rank, found.bm25_rank, found.lexical, best, vector, query)
        fused = _as_it_stands(fused, idx.current_of, allowed)
        # No place preference beyond the fitted named_document feature: putting the documents
        # of a named place first cost dev2-published 0.06 and dev2-guides 0.03 MRR@10 (a
        # question says 广州 and the answer is in the 广东省 list). A comparison needs each
        # named document's clause in view.
        ranked = distinct(sorted(fused, key=lambda i: (-fused[i], i)), idx.clauses,
                          max(k * 4, 20))
        if query.defined:
            ranked = defining_first(ranked, idx.clauses, query.defined)
        order = diversify(ranked, fused, {i: idx.clauses[i].doc_id for i in ranked}, k,
                          COMPARE_DECAY) if query.compared else ranked[:k]
        if query.roles and order:
            rows = idx.rows.get(f"doc:{idx.clauses[order[0]].doc_id}", np.empty(0, dtype=np.int64))
            if allowed is not None:
                rows = np.intersect1d(rows, allowed)
            shown = min(fused[i] for i in order)
            order = stating_roles(order, ranked, idx.clauses,
                                  [i for i in rows.tolist() if idx.searchable[i]], query.roles, k)
            for i in order:
                fused.setdefault(i, shown)  # a clause brought from outside the candidates
        missing = [i for i in order if i not in best]  # lexical-only candidates
        best.update(idx.backend.cosines(missing, vector))
        hits = [Hit(idx.clauses[i], fused[i], best.get(i, 0.0),
                    float(max(found.lexical.get(i, 0.0), 0.0)), position)
                for position, i in enumerate(order)]
        top_dense = max(best.values()) if best else 0.0
        confidence = calibrate(top_dense, idx.manifest["embedder"]["name"])
        return SearchResult(hits, confidence, idx.generation, timing)

    def _rank(self, dense_rank: list[int], bm25_rank: list[int], lexical: dict[int, float],
              best: dict[int, float], vector: np.ndarray, query: Query) -> dict[int, float]:
        """Score the union of both top lists with the fitted ranker (plain RRF without it),
        squashed into (0, 1): they order one question's candidates (the comparison spreading
        multiplies them); what the answer layer compares across clauses is ``citations.Strength``."""
        pool, signals, x = self.pool(dense_rank, bm25_rank, lexical, best, vector, query)
        if not pool:
            return {}
        weights = rank.load_weights()
        if weights is None:
            scores = rank.plain_rrf(signals)
        else:
            scores = 1.0 / (1.0 + np.exp(-weights.score(x)))
        return dict(zip(pool, scores.tolist(), strict=True))

    def pool(self, dense_rank: list[int], bm25_rank: list[int], lexical: dict[int, float],
             best: dict[int, float], vector: np.ndarray, query: Query
             ) -> tuple[list[int], rank.Signals, np.ndarray]:
        """The candidate rows (both top lists), their signals and their feature matrix."""
        idx = self.index
        pool = list(dict.fromkeys([*dense_rank, *bm25_rank]))
        best.update(idx.backend.cosines([i for i in pool if i not in best], vector))
        d_rank = {i: r for r, i in enumerate(dense_rank)}
        b_rank = {i: r for r, i in enumerate(bm25_rank)}
        rows = np.array(pool, dtype=np.int64)
        signals = rank.Signals(rows, np.array([best[i] for i in pool], dtype=np.float64),
                               np.array([d_rank.get(i, -1) for i in pool], dtype=np.int64),
                               np.array([lexical.get(i, 0.0) for i in pool], dtype=np.float64),
                               np.array([b_rank.get(i, -1) for i in pool], dtype=np.int64))
        clause_signals = idx.clause_signals
        named = np.isin(clause_signals.doc_ids[rows], list(query.named)) if query.named \
            else np.zeros(len(rows), dtype=bool)
        x = rank.features(signals, named, clause_signals, rank.asked_kinds(query))
        return pool, signals, x

    def explain(self, query: Query) -> tuple[list[int], rank.Signals, np.ndarray]:
        """What ranking sees for ``query`` (no filters): candidate rows, signals, features.
        Used to fit the weights and to score the plain baselines over the same clauses."""
        idx = self.index
        vector = self.embed_query(query)
        filters = Filters(doc_ids=query.scope)
        allowed = _allowed_clauses(idx, filters)
        if allowed is not None and len(allowed) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return [], rank.Signals(empty, np.zeros(0), empty, np.zeros(0), empty), \
                np.zeros((0, len(rank.FEATURES)))
        found = self._candidates(query, vector, filters, allowed)
        best = found.dense
        dense_rank = sorted(best, key=best.__getitem__, reverse=True)[:CANDIDATES]
        return self.pool(dense_rank, found.bm25_rank, found.lexical, best, vector, query)

    def _candidates(self, query: Query, vector: np.ndarray, filters: Filters,
                    allowed: np.ndarray | None) -> Candidates:
        """The backend's candidates without the clauses that answer nothing (主送 lines)."""
        searchable = self.index.searchable
        found = self.index.backend.candidates(vector, query.search_tokens, filters, allowed,
                                              CANDIDATES)
        bm25_rank = [i for i in found.bm25_rank if searchable[i]]
        return Candidates(bm25_rank, {i: found.lexical[i] for i in bm25_rank},
                          {i: s for i, s in found.dense.items() if searchable[i]})

    def neighbours(self, clause_id: str) -> tuple[str | None, str | None]:
        i = self.index.by_id[clause_id]
        clauses = self.index.clauses
        prev = clauses[i - 1].clause_id if i > 0 and clauses[i - 1].doc_id == clauses[i].doc_id else None
        nxt = (clauses[i + 1].clause_id
               if i + 1 < len(clauses) and clauses[i + 1].doc_id == clauses[i].doc_id else None)
        return prev, nxt
