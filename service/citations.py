"""Which retrieved clauses an answer cites: the best one; a further one nearly as strong only
when it answers an asked part of the question that the ones already cited do not; the whole
list a 申报条件/申报材料 item belongs to; and each compared document's best clause.

The weights are named here; the answer text is composed in service.answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.clean import to_match
from corpus.facts import Office
from corpus.models import Clause
from corpus.tokenize import tokenize
from index.search import Hit, LoadedIndex, calibrate
from question.intent import ASKING_WORDS, PHRASE_END, Detail, asked_detail, sentence_has_detail
from question.query import Query

# A further clause is cited when its strength is this close to the best one's.
CITE_RATIO = 0.9
MAX_CITED = 3
# How far down the hits the other side of a comparison is looked for.
COMPARED_REACH = 4
# Strength mixes the calibrated cosine and the BM25 score relative to the best one: fused
# ranks are too compressed to compare clauses with.
DENSE_SHARE = 0.5
# A list of siblings longer than this is a chapter, not one list (申报条件 1.–6.).
MAX_LIST_ITEMS = 10
LIST_HEADING = re.compile(r"条件|材料|资格|要求|程序|流程|标准")
# An article (第五条) is a unit of its own, never an item of a list: a chapter's articles are
# not cited together as one list.
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条")

# Where a question's phrases end, and what makes a phrase ask something (多少, 几, 哪, 吗 …).
_ASKING = re.compile(rf"{ASKING_WORDS}|谁")
# A modal verb the asker joins to a verb (能补, 能贷, 可领) asks; it names nothing to find.
_MODAL = re.compile(r"^[能可会要][\u4e00-\u9fff]$")
# A yes/no question (…吗, 能不能, 是否, 有没有): an eligibility verdict answers it.
_YES_NO = re.compile(r"吗$|([\u4e00-\u9fff])不\1|是否|有没有|有无")
# A part is answered by a clause that holds most (more than this share) of its words, by
# characters, and, when the part asks a detail (金额, 期限 …), states it.
ANSWERED_SHARE = 0.5


@dataclass(frozen=True)
class Part:
    """One thing the question asks: its content words, and the detail it asks for."""

    words: frozenset[str]
    detail: Detail | None
    yes_no: bool = False


def _words(phrase: str) -> frozenset[str]:
    return frozenset(t for t in tokenize(phrase) if len(t) >= 2 and not _ASKING.search(t)
                     and not t.isdigit() and not _MODAL.match(t))


def asked_parts(query: Query) -> list[Part]:
    """The question's asked phrases ("租金补贴能拿多少", "能补几年", "个人的呢"); the asker's
    circumstances around them ("一年房租16万") ask nothing."""
    own = query.own_match
    phrases = [p for p in PHRASE_END.split(own) if p.strip()]
    asked = [p for p in phrases if _ASKING.search(p)] or [own]
    parts: list[Part] = []
    for phrase in asked:
        # an elliptic phrase ("能补几年") asks about what the phrase before it names
        words = _words(phrase) or (parts[-1].words if parts else _words(own))
        parts.append(Part(words, asked_detail(phrase), bool(_YES_NO.search(phrase.strip()))))
    return parts


def _states(clause: Clause, detail: Detail, q_match: str) -> bool:
    return any(sentence_has_detail(s, detail, q_match) for s in re.split(r"[。；;\n]", clause.text_match))


def _context(clause: Clause) -> str:
    """What a clause says, read under its document's title and its headings."""
    return to_match(" ".join([clause.title or "", *clause.heading_path])) + clause.text_match


def answers(clause: Clause, part: Part, q_match: str) -> bool:
    """Whether the clause answers the part: most of its words (its document's title and its
    headings read with it), and its detail when it asks one."""
    total = sum(len(w) for w in part.words)
    context = _context(clause)
    held = sum(len(w) for w in part.words if w in context)
    if total and held / total <= ANSWERED_SHARE:
        return False
    return part.detail is None or _states(clause, part.detail, q_match)


def _names_place(word: str, places: Sequence[str]) -> bool:
    """Whether a word is (part of) an asked place's name: 甘井子, 甘井子区 and 子区 for 甘井子."""
    return any(place in word or word in f"{place}区市县省" for place in places)


def says_asked(clause: Clause, query: Query) -> bool:
    """Whether one sentence of the clause says what a part of the question asks: it states the
    part's detail and holds most of the part's words («多少天内去办变更登记» and «…之日起30日内
    向登记机关申请变更登记»). The question's places are not words of what it asks."""
    for part in asked_parts(query):
        words = [w for w in part.words if not _names_place(w, query.places)]
        total = sum(len(w) for w in words)
        if part.detail is None or not total:
            continue
        for sentence in re.split(r"[。；;\n]", clause.text_match):
            held = sum(len(w) for w in words if w in sentence)
            if held / total > ANSWERED_SHARE and sentence_has_detail(sentence, part.detail, query.match):
                return True
    return False


def adds_part(hit: Hit, cited: list[Hit], parts: list[Part], query: Query) -> bool:
    """Whether the hit answers an asked part that no cited clause answers, or, in a question
    that compares documents, is the first clause of another document."""
    if query.comparison and all(h.clause.doc_id != hit.clause.doc_id for h in cited):
        return True
    q_match = query.match
    return any(answers(hit.clause, part, q_match)
               and not any(answers(h.clause, part, q_match) for h in cited) for part in parts)


def complete(query: Query, base: list[Hit], candidates: list[Hit],
             limit: int = MAX_CITED, verdict: bool = False) -> list[Hit]:
    """``base`` and, in order, the candidates that each answer a part of the question the
    clauses before them do not. ``verdict``: the base decides an eligibility verdict, which
    answers the yes/no parts ("能申请吗"); a candidate may add another part (能拿多少)."""
    parts = [p for p in asked_parts(query) if not (verdict and p.yes_no and p.detail is None)]
    cited = list(base)
    for hit in candidates:
        if len(cited) >= limit:
            break
        if hit not in cited and adds_part(hit, cited, parts, query):
            cited.append(hit)
    return cited


def is_list(clause: Clause) -> bool:
    """A whole short list (申报条件, 申报材料 …) kept as one clause under its heading."""
    return "list" in clause.flags and bool(LIST_HEADING.search(to_match(clause.heading_path[-1])))


def siblings(clauses: Sequence[Clause], hit: Hit, hits: list[Hit]) -> list[Hit]:
    """Items of the same list (1., 2., …) under a heading such as 申报条件 / 申报材料, among
    the index's ``clauses``; a chapter's articles (第五条, 第六条) are no such list."""
    clause = hit.clause
    parent = clause.heading_path[:-1]
    if not parent or not LIST_HEADING.search(to_match(parent[-1])) \
            or _ARTICLE.match(to_match(clause.heading_path[-1])):
        return [hit]
    by_id = {h.clause.clause_id: h for h in hits}
    items = [c for c in clauses
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


def leads_only(clause: Clause) -> bool:
    """A clause that only leads what follows it (补贴条件：, 申请材料如下:), under its heading
    line: it says nothing alone."""
    lines = [line.strip() for line in clause.text_match.splitlines() if line.strip()]
    return bool(lines) and len(lines) <= 2 and lines[-1].endswith((":", "：")) \
        and all(len(line) <= 20 for line in lines)


# The words by which an asker names a side of a comparison that is not a place: a level of
# government said plainly (区里, 省里, 国务院, 国家 but not 国家级, which is a title's level), or a
# version of a text (征求意见稿 and 正式印发的).
_SIDE = re.compile(r"[区市省县]里|国务院|中央|全国|国家(?!级)|征求意见稿|草案|正式(?:印发|发布|出台)?的?(?:版本|稿|文件)?")


def sides(query: Query) -> set[str]:
    """The sides a question names: its places and its plain words for a level of government or
    a version of a text (广东和国务院条例, 市里和省里, 征求意见稿和正式印发的版本)."""
    return set(query.places) | {m.group() for m in _SIDE.finditer(query.own_match)}


def choose(query: Query, hits: list[Hit], index: LoadedIndex,
           lapsed: frozenset[str] = frozenset(), gate: bool = True) -> list[Hit]:
    """The clauses to cite, best first. ``lapsed``: documents no longer (or not yet) in force;
    when one would lead and a document in force answers nearly as well, that one leads.
    ``gate=False``: every clause nearly as strong as the best, whatever part it answers (the
    pool an eligibility verdict reads; ``complete`` then keeps the ones it cites)."""
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
    limit = 1 if intent == "responsible_office" else MAX_CITED
    # a clause nearly as strong is cited when it answers a part the best one does not
    strong = [h for h in ranked[1:] if strength(h) >= bar]
    cited = complete(query, ranked[:1], strong, limit) if gate else (ranked[:1] + strong)[:limit]
    # "滨州和山东分别…": each compared document's best clause is cited, however it scores.
    for doc in query.compared:
        if not any(h.clause.doc_id == doc for h in cited):
            cited += [h for h in ranked if h.clause.doc_id == doc and not leads_only(h.clause)][:1]
    if query.comparison and len(sides(query)) >= 2 and len(cited) < MAX_CITED \
            and len({h.clause.doc_id for h in cited}) == 1:
        # 区里和市里分别…, 广东和国务院条例一样吗: the other side is another document's clause that
        # states what is asked, however weaker it matches. Where every side is a place and the
        # places name documents, it is one of those documents: 分别 between two things one
        # document covers (新建的和技改项目分别…) compares no documents.
        by_place = query.named if query.named and not sides(query) - set(query.places) else None
        other = next((h for h in ranked[1:COMPARED_REACH] if h.clause.doc_id != cited[0].clause.doc_id
                      and (by_place is None or h.clause.doc_id in by_place)
                      and (query.detail is None or _states(h.clause, query.detail, query.match))), None)
        if other is not None:
            cited.append(other)
    if intent in ("eligibility", "process") and not query.defined and cited[0].clause.heading_path[:-1]:
        items = siblings(index.clauses, cited[0], hits)
        if len(items) > 1:
            cited = items + [h for h in cited[1:] if h not in items]
    return cited
