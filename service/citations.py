"""Which retrieved clauses an answer cites: the best one, the ones nearly as strong, the whole
list a 申报条件/申报材料 item belongs to, and each compared document's best clause.

The weights are named here; the answer text is composed in service.answer.
"""

from __future__ import annotations

import re

from corpus.clean import to_match
from corpus.facts import Office
from corpus.models import Clause
from index.search import Hit, LoadedIndex, calibrate
from question.query import Query

# A further clause is cited when its strength is this close to the best one's.
CITE_RATIO = 0.9
MAX_CITED = 3
# Strength mixes the calibrated cosine and the BM25 score relative to the best one: fused
# ranks are too compressed to compare clauses with.
DENSE_SHARE = 0.5
# A list of siblings longer than this is a chapter, not one list (申报条件 1.–6.).
MAX_LIST_ITEMS = 10
LIST_HEADING = re.compile(r"条件|材料|资格|要求|程序|流程|标准")


def is_list(clause: Clause) -> bool:
    """A whole short list (申报条件, 申报材料 …) kept as one clause under its heading."""
    return "list" in clause.flags and bool(LIST_HEADING.search(to_match(clause.heading_path[-1])))


def siblings(index: LoadedIndex, hit: Hit, hits: list[Hit]) -> list[Hit]:
    """Items of the same list (1., 2., …) under a heading such as 申报条件 / 申报材料."""
    clause = hit.clause
    parent = clause.heading_path[:-1]
    if not parent or not LIST_HEADING.search(to_match(parent[-1])):
        return [hit]
    by_id = {h.clause.clause_id: h for h in hits}
    items = [c for c in index.clauses
             if c.doc_id == clause.doc_id and c.heading_path[:-1] == parent]
    if len(items) > MAX_LIST_ITEMS:
        return [hit]
    return [by_id.get(c.clause_id) or Hit(c, 0.0, hit.dense, 0.0, 99) for c in items]


def names_offices(hit: Hit) -> bool:
    return bool(hit.clause.offices) or any(isinstance(f, Office) for f in hit.clause.facts)


class Strength:
    """How strongly a hit matches, comparable between the hits of one question."""

    def __init__(self, hits: list[Hit], embedder_name: str) -> None:
        self.top_bm25 = max((h.bm25 for h in hits), default=0.0) or 1.0
        self.embedder_name = embedder_name

    def __call__(self, hit: Hit) -> float:
        return (DENSE_SHARE * calibrate(hit.dense, self.embedder_name)
                + (1 - DENSE_SHARE) * hit.bm25 / self.top_bm25)


def choose(query: Query, hits: list[Hit], index: LoadedIndex,
           lapsed: frozenset[str] = frozenset()) -> list[Hit]:
    """The clauses to cite, best first. ``lapsed``: documents no longer (or not yet) in force;
    when one would lead and a document in force answers nearly as well, that one leads."""
    intent = query.intent
    # A document's header (title, 文号, date) answers what the document is, nothing it says.
    ranked = [h for h in hits if query.about_document or "header" not in h.clause.flags] \
        or list(hits)
    strength = Strength(ranked, index.manifest["embedder"]["name"])
    preferred = None
    if intent == "responsible_office":
        # A clause that names its 责任单位 answers "who" best, unless it is clearly a weaker
        # match than the top one (which may name the office in its text: "办公室设在市发改委").
        bar = CITE_RATIO * strength(ranked[0])
        preferred = next((h for h in ranked[:3] if names_offices(h) and strength(h) >= bar), None)
        if preferred is None and not names_offices(ranked[0]):
            # a clause that names no office cannot say who: the best one of the same document
            # that does, however it scores
            preferred = next((h for h in ranked[:5] if names_offices(h)
                              and h.clause.doc_id == ranked[0].clause.doc_id), None)
    elif intent in ("eligibility", "process"):
        preferred = next((h for h in ranked[:3] if is_list(h.clause)), None) or next(
            (h for h in ranked[:3] if len(h.clause.heading_path) > 1
             and LIST_HEADING.search(to_match(h.clause.heading_path[-2]))), None)
    if preferred is None and ranked[0].clause.doc_id in lapsed:
        bar = CITE_RATIO * strength(ranked[0])
        preferred = next((h for h in ranked[:3] if h.clause.doc_id not in lapsed
                          and strength(h) >= bar), None)
    if preferred is not None and preferred is not ranked[0]:
        ranked.remove(preferred)
        ranked.insert(0, preferred)
    bar = CITE_RATIO * strength(ranked[0])
    cited = [ranked[0]]
    limit = 1 if intent == "responsible_office" else MAX_CITED
    for hit in ranked[1:]:
        if len(cited) >= limit:
            break
        if strength(hit) >= bar:
            cited.append(hit)
    # "滨州和山东分别…": each compared document's best clause is cited, however it scores.
    for doc in query.compared:
        if not any(h.clause.doc_id == doc for h in cited):
            cited += [h for h in ranked if h.clause.doc_id == doc][:1]
    if intent in ("eligibility", "process") and cited[0].clause.heading_path[:-1]:
        items = siblings(index, cited[0], hits)
        if len(items) > 1:
            cited = items + [h for h in cited[1:] if h not in items]
    return cited
