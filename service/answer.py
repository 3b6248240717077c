"""Question → cited answer (extractive by default, deterministic), or an honest refusal.

Owns answerability and the answer text: the first sentence shaped by the intent, the
asked-detail check for near misses, the asker's script. Which clauses are cited is
service.citations. ``compose`` is a pure function of the parsed ``Query``, the hits and the
pinned ``Generation``; ``respond`` runs one request (search, compose, the optional LLM) and
returns a domain ``Answer`` that routes map to their schema. Every statement is a sentence of
a cited clause, so every number, date and office in an answer appears in a cited clause.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from corpus.clauses import states_purpose
from corpus.clean import SENTENCE, to_key, to_match
from corpus.facts import Contact, DateFact, Material, Office, Support
from corpus.injection import instruction_sentences, is_flagged
from corpus.meta import DOC_NUMBER
from corpus.models import Clause
from corpus.records import status_now
from corpus.tokenize import tokenize
from index.search import Filters, Hit, defines
from question.catalogue import BOOK_TITLE
from question.intent import SOFT_DETAILS, Detail, sentence_has_detail
from question.places import covered, gazetteer
from question.query import Query
from service import citations, facts_answer, near_miss, offices_answer, shares, statute_dates
from service.bounds import check_bounds
from service.citations import is_list
from service.eligibility import Eligibility, verdict_sentence

if TYPE_CHECKING:
    from service.engine import Generation
    from service.settings import Settings

NOT_FOUND = "在已收录的文件中没有找到能回答这个问题的规定。"
PERIOD = Detail("period", "期限")
# A validity question that asks how long, or until when (not since when).
_ASKS_END = re.compile(r"有效期|多久|多长|几年|到期|到哪|到什么时候|截止|执行到|执行至|哪年|失效")
# The formulas that hand over to the body ("现将有关事项通知如下", "特制定本方案") answer nothing.
# Only a sentence that ends with one is a formula ("特制定本意见，政策期限为2016年至2018年" is not).
_FORMULA = re.compile(r"(?:(?:通知|规定|明确|意见|要求)如下|制定本(?:意见|方案|办法|措施|细则|通知)|"
                      r"现(?:就|将)[^。]{0,40}(?:通知|印发|公告|公布))[。:：；;]?$")


@dataclass(frozen=True)
class Draft:
    """The composed answer: its text, whether it answers, the clauses it used."""

    answer: str
    answerable: bool
    cited: list[Hit]
    warnings: list[str]
    eligibility: Eligibility | None = None


@dataclass(frozen=True)
class Answer:
    """One request's answer, before any HTTP schema."""

    text: str
    answerable: bool
    query: Query
    cited: list[Hit]
    related: list[Hit]
    confidence: float
    mode: str  # extractive | llm
    generation: str
    warnings: list[str] = field(default_factory=list)
    timing_ms: dict[str, float] = field(default_factory=dict)
    eligibility: Eligibility | None = None

    @property
    def offices(self) -> list[str]:
        if not self.answerable:
            return []
        return list(dict.fromkeys(o for h in self.cited for o in office_names(h)))


@lru_cache(maxsize=1)
def _s2t() -> object:
    import opencc

    return opencc.OpenCC("s2t")


def in_script(text: str, traditional: bool) -> str:
    return _s2t().convert(text) if traditional else text  # type: ignore[attr-defined, no-any-return]


def sentences(text_match: str) -> list[str]:
    return [s.strip() for s in SENTENCE.findall(text_match) if s.strip(" 。；;")]


def _overlap(sentence: str, q_tokens: set[str]) -> float:
    tokens = set(tokenize(sentence))
    return sum(len(t) for t in tokens & q_tokens)


def _quotable(clause: Clause) -> list[str]:
    """Sentences an answer may quote: not addressed to a model (corpus.injection), not a formula."""
    return list(_quotable_of(clause.text_match))


@lru_cache(maxsize=20_000)
def _quotable_of(text_match: str) -> tuple[str, ...]:
    """(cached: the same clauses are read for many questions)"""
    flagged = instruction_sentences(text_match)  # with a payload sentence after one
    return tuple(s for s in sentences(text_match) if not is_flagged(s, flagged) and not _FORMULA.search(s))


# A figure a sentence states: a digit, 百分之…, or Chinese numerals with a unit (三月底, 十五日).
_FIGURE = re.compile(r"\d|百分之|[零〇一二两三四五六七八九十百千万]+(?:%|万|亿|元|年|个月|月|日|天|人|家|个|项|倍|周岁|岁|成)")
# A question that asks for a number (多少, 几, 多久, 比例 …).
_ASKS_NUMBER = re.compile(r"多少|(?<!哪)几(?!乎)|多久|多长|多大|多高|比例|上限|封顶|最高|最多")
AMOUNT = Detail("amount", "金额")
# How far down the hits a clause of the answering document that states the asked detail is
# taken, and how close to the best one's its ranker score must be (without saying the asked thing).
DETAIL_REACH = 5
# Words that end the name of a body that can handle something (经济局, 社会保险经办机构, 专项小组,
# 国务院): a clause without one names nobody, whatever the office extractor found.
_AGENCY = re.compile(r"局|委员会|委|办公室|厅|部门|机构|中心|小组|政府|院|署|银行")
DETAIL_SCORE_RATIO = 0.7
CONTACT_LIMIT = 4  # a clause of contacts: phone, person, e-mail, address each on its own


def _is_heading(sentence: str, heading: str) -> bool:
    """A sentence that only repeats the clause's heading (四、支持政策). An article's heading is its
    first sentence (第十三条 个体工商户应当于每年1月1日至6月30日…): that one says something."""
    if sentence.strip("。 ") != heading:
        return False
    article = re.match(r"第[一二三四五六七八九十百零〇\d]+条", heading)
    return not article or heading.endswith((":", "："))  # 第五条…应当符合下列条件: leads a list


def _most_specific(places: Sequence[str]) -> list[str]:
    """The asked places without those another asked place lies in (鞍山 beside 海城)."""
    g = gazetteer()
    return [a for a in places if not any(o != a and a in g.forms(o) for o in places)]


def _asked_place_own(offices: list[str], places: Sequence[str]) -> list[str]:
    """From a table of each place's office (海城市…中心, 台安县…中心, …), the asked place's own;
    offices that do not name different places are all kept."""
    specific = _most_specific(places)
    if len({p for o in offices for p in near_miss.written_places(o)}) < 2:
        return offices
    return [o for o in offices if any(a in o for a in specific)] or offices


# 根据《…若干意见》(闽中小企业办〔2022〕1号): a text a clause names, with its 文号 when it gives one.
_NAMED_TEXT = re.compile(rf"《(?P<t>[^》]{{4,80}})》\s*(?:[(（](?P<n>{DOC_NUMBER.pattern})[)）])?")


def _named_texts(text: str, led: bool) -> list[str]:
    """《X》（文号） for each text a clause names; ``led``: only those a 根据/依据 leads
    (根据《A》(…号)和《B》(…号))."""
    return [f"《{m.group('t')}》" + (f"（{m.group('n')}）" if m.group("n") else "")
            for m in _NAMED_TEXT.finditer(text)
            # 根据《A》(…号)和《B》: the texts one 根据 leads, joined by connectives only
            if not led or re.search(r"(?:根据|依据|按照|依照)(?:[^。;《》]{0,6}|(?:《[^》]*》(?:\([^)]*\))?"
                                    r"[和及与、,]?)+)$", text[:m.start()])]


def _basis_line(hits: Sequence[Hit], document: Callable[[str], Sequence[Clause]]
                ) -> tuple[str, list[Hit]] | None:
    """「依据《X》（文号）[1]、《Y》（文号）[2]。」 from the best of the top hits that names the texts
    it rests on: those a 根据/依据 leads in its sentence, or every text listed under a heading
    that says so (二、设定依据 (一)《…》 (二)《…》), each item cited."""
    for hit in hits[:3]:
        under = hit.clause.heading_path[:-1]
        if under and re.search(r"依据|根据", to_match("".join(under))):
            items = [c for c in document(hit.clause.doc_id) if c.heading_path[:-1] == under]
            found = [(c, named) for c in items if (named := _named_texts(c.text_match, led=False))]
        else:
            found = [(hit.clause, named)] if (named := _named_texts(hit.clause.text_match, led=True)) else []
        if found:
            said = "、".join(f"{'、'.join(named)}[{i}]" for i, (_, named) in enumerate(found, start=1))
            return f"依据{said}。", [h if (h := next((x for x in hits if x.clause is c), None)) else
                                     Hit(c, 0.0, 0.0, 0.0, 99) for c, _ in found]
    return None


def _best_sentences(hit: Hit, q_tokens: set[str], intent: str, detail: Detail | None,
                    q_match: str, limit: int = 2, query: Query | None = None) -> list[str]:
    found = _quotable(hit.clause)
    # The heading on a line of its own ("四、支持政策") says nothing the sentences below do not.
    heading = to_match(hit.clause.heading_path[-1]).strip("。 ").replace(" ", "") \
        if hit.clause.numbered else ""
    found = [s for s in found if not _is_heading(s.replace(" ", ""), heading)] or found
    if not found:
        return []
    asks_number = bool(_ASKS_NUMBER.search(q_match))
    if detail is None and query is not None and facts_answer.asks_sum(query):
        detail = AMOUNT  # 能返多少, 一年最多多少: the sentence that states the sum
    own = query.own_match if query is not None else q_match
    # the asker's figures pick the sentence of their band (干了6年 → 满5年不足10年的…18个月)
    banded = asks_number and query is not None and not query.asks_eligibility
    if detail is not None and detail.name == "contact":
        limit = max(limit, CONTACT_LIMIT)
    several = "分别" in q_match or len(re.findall(r"多少|几", own)) >= 2
    if several and not (detail is not None and detail.name == "contact"):
        limit = max(limit, 2)  # two figures asked: 单位和个人分别…, 至少…多少？其中…多少？
    # The heading-only first sentence ("1.建设高水平创新载体。") says little on its own.
    scored = []
    local: set[str] = set()
    elsewhere: set[str] = set()
    specific = _most_specific(query.places) if query is not None else []
    for i, s in enumerate(found):
        score = _overlap(s, q_tokens)
        if detail and sentence_has_detail(s, detail, q_match):
            score += 20
        elif intent == "target_number" and _FIGURE.search(s):
            score += 6
        elif intent == "support_measure" and re.search(r"支持|补贴|奖励|给予|扶持", s):
            score += 4
        elif intent == "responsible_office" and any(name in s for name in office_names(hit)):
            score += 6  # the sentence that names who does it
        if asks_number and not _FIGURE.search(s):
            score -= 12  # asked how much: a sentence without a figure does not answer it
        if banded:
            status = check_bounds(s, own)[0]
            score += 12 if status == "met" else -6 if status == "not_met" else 0
        if len(s) < 14:
            score -= 3
        if query is not None and query.places:
            # a line per place (each district's 受理窗口 and 电话): the asked place's line
            named = near_miss.written_places(s)
            if any(a in s for a in specific):
                score += 8
                local.add(s)
            elif named and not any(near_miss.related(p, a) for p in named for a in specific):
                score -= 10
                elsewhere.add(s)
        if query is not None and any(defines(s, t) for t in query.defined):
            score += 15  # “量产”是怎么认定的: the sentence that says what it is
        if detail is not None and detail.name == "contact" and query is not None and query.asks_address \
                and "地址" in s:
            score += 6  # 寄到哪, 地址在哪: the line that gives the address
        scored.append((score, -i, s))
    top = sorted(scored, reverse=True)[:limit]
    chosen = {s for score, _, s in top if score > 0} or {top[0][2]}
    if chosen & local:
        chosen -= elsewhere  # the asked place's line stands for it; the others' are not asked
    if detail is not None and detail.name == "contact":
        chosen = {s for s in chosen if sentence_has_detail(s, detail, q_match)} or chosen
        # a list of offices, each with its phone on the line below (4.铁东区…服务中心\n联系电话:…):
        # the office a chosen line is for goes with it
        names = office_names(hit)
        chosen |= {found[i - 1] for i, s in enumerate(found)
                   if s in chosen and i > 0 and found[i - 1] not in chosen
                   and any(n in found[i - 1] for n in names)
                   and not sentence_has_detail(found[i - 1], detail, q_match)}
    if several or (detail is not None and detail.name == "contact"):
        ordered = [s for s in found if s in chosen]  # each answers its own part: as the text orders them
        if query is not None and query.asks_address:  # 寄到哪: the address first, then whom to ask
            ordered.sort(key=lambda s: "地址" not in s)
        return ordered
    # the best sentence first (an answer's first sentence is the answer), the others as written
    best = next((s for _, _, s in top if s in chosen), top[0][2])
    return [best] + [s for s in found if s in chosen and s != best]


# The facts that state each kind of detail a question asks for.
_DETAIL_FACTS = {
    "amount": lambda f: isinstance(f, Support) and (f.amount is not None or f.cap is not None
                                                    or bool(f.tiers)),
    "rate": lambda f: isinstance(f, Support) and f.ratio is not None,
    "date": lambda f: isinstance(f, DateFact) and f.value is not None,
    "period": lambda f: isinstance(f, DateFact) and (f.end is not None or f.years is not None),
    # whom to ask: a site named in words (在"上海中小企业网"上发布) says where, not whom
    "contact": lambda f: isinstance(f, Contact) and f.kind != "site",
    "website": lambda f: isinstance(f, Contact) and f.kind in ("url", "site"),
    "materials": lambda f: isinstance(f, Material),
    "tiers": lambda f: isinstance(f, Support) and len(f.tiers) >= 2,
}


_ASKS_APPLICATION = re.compile(r"申报|申请|截止|报名|受理|提交")


def _is_application_date(fact: object) -> bool:
    return isinstance(fact, DateFact) and fact.kind in ("申报时间窗", "截止")


def states_detail(hit: Hit, detail: Detail, q_match: str) -> bool:
    """Whether a clause states the asked detail: a fact of its kind, or a sentence that does."""
    has_fact = _DETAIL_FACTS.get(detail.name)
    if detail.name == "date" and _ASKS_APPLICATION.search(q_match):
        # when to apply is a 申报 window or deadline, not the date the text was issued
        has_fact = _is_application_date
    if has_fact is not None and any(has_fact(f) for f in facts_answer.trusted_facts(hit.clause)):
        return True
    return any(sentence_has_detail(s, detail, q_match) for s in _quotable(hit.clause))


def office_names(hit: Hit, roles: bool = False) -> list[str]:
    """The offices a clause names: its 责任单位 and the offices its facts read (由X受理, X牵头),
    with the role when it is not plain responsibility (市发改委（牵头）)."""
    found = list(hit.clause.offices)
    trusted = facts_answer.trusted_facts(hit.clause)
    for fact in trusted:
        if isinstance(fact, Office) and fact.name not in found:
            found.append(fact.name)
    if not roles:
        return found
    role = {f.name: f.role for f in trusted if isinstance(f, Office)}
    return [f"{name}（{role[name]}）" if role.get(name, "责任") not in ("责任",) else name
            for name in found]


def _at_asked_level(query: Query, cited: list[Hit], hits: list[Hit], generation: Generation) -> list[Hit]:
    """For 大连市…哪个部门, a city's offices (市外经贸局), not a district's (区商务局) that the
    district's document names, when a top hit speaking for the place names offices of the asked
    level and the cited clauses name offices of another level only."""
    level = offices_answer.asked_level(query.match, query.places)
    levels = {offices_answer.office_level(o) for h in cited for o in office_names(h)} - {None}
    if level is None or not levels or level in levels:  # a statute's 主管部门 has no level
        return cited
    if cited and cited[0].clause.doc_id in query.named:
        # the asked place's own text sends the asker to a district's office (上海's 条例:
        # 向所在地的区开业指导服务部门申请): that is the answer
        return cited
    return next(([h] for h in hits[:near_miss.HIT_REACH]
                 if any(offices_answer.office_level(o) == level for o in office_names(h))
                 and near_miss.speaks_for(query.places, h, generation)), cited)


def _list_lines(clause: Clause) -> list[str]:
    heading, *items = [line.strip() for line in clause.text_match.splitlines() if line.strip()]
    return [f"{heading.rstrip('：:')}：", *items]


_GENERIC = {"需要", "准备", "具体", "哪些", "什么", "多少", "企业", "政府", "我们", "公司", "今年",
            "能够", "可以", "要求", "规定", "文件", "办理", "申请"}


def _topic(q_match: str, hit: Hit) -> str:
    """The longest stretch of the question that the clause also contains: what the document
    does mention (e.g. 泰山产业领军人才)."""
    text = hit.clause.text_match
    best = ""
    for start in range(len(q_match)):
        for end in range(len(q_match), start + len(best), -1):
            piece = q_match[start:end]
            if piece in text:
                if len(piece) > len(best) and piece not in _GENERIC and re.search(r"[\u4e00-\u9fff]{2}", piece):
                    best = piece
                break
    return best.strip("，,。？?的了") or "相关内容"


def unknown_places(query: Query, corpus_text: str) -> list[str]:
    """The places of a question none of whose places the indexed texts mention, by name, short
    name or province (深圳 when only 滨州 and 山东 are indexed): a question about another
    jurisdiction is not answered by these documents. One covered place is enough (拿了新乡的
    奖励，想迁到郑州 is about 新乡)."""
    if any(covered(name, corpus_text) for name in query.places):
        return []
    return list(query.places)




# A support the question names by its kind (安家补贴, 临港津贴): the two characters before the
# support word say which one. A generic pair (多少补贴, 相关奖励) names none.
_NAMED_SUPPORT = re.compile(r"([\u4e00-\u9fff]{2})(补贴|补助|津贴|奖励|资助|奖补|奖金|贴息)")
_GENERIC_PAIRS = frozenset({"相关", "有关", "申请", "享受", "给予", "获得", "发放", "一次", "最高",
                            "具体", "政策", "企业", "人才", "项目", "资金", "专项", "财政"})
# characters of asking and of grammar, never of a support's name (怎么奖励, 多少补贴, 能拿奖励),
# and 里 of who pays in the asker's words (区里奖励, 市里补贴: the district's, the city's)
_FUNCTION_CHARS = set("多少么怎如何哪什些的个能可给发拿要有是否吗呢还再也都里")


def unstated_support(query: Query, corpus_text: str) -> str | None:
    """A support the question names that no indexed text mentions (安家补贴 where the
    documents never say 安家): the documents cannot state its amount."""
    for found in _NAMED_SUPPORT.finditer(query.match):
        pair = found.group(1)
        if pair in _GENERIC_PAIRS or set(pair) & _FUNCTION_CHARS or pair in corpus_text:
            continue
        return found.group(0)
    return None


# A question about a document that asks who issued it (哪个单位印发的, 哪几个部门联合印发).
_ASKS_ISSUER = re.compile(r"谁|单位|部门|机关|机构|落款")


def _document(generation: Generation, doc_id: str) -> list[Clause]:
    """All clauses of one document, in the index's order."""
    index = generation.index
    return [index.clauses[int(i)] for i in index.rows.get(f"doc:{doc_id}", [])]


def _record(generation: Generation, doc_id: str) -> dict[str, Any]:
    return next((d for d in generation.index.manifest.get("documents", [])
                 if d["doc_id"] == doc_id), {})


def _naming_quoted(query: Query, cited: list[Hit], hits: list[Hit], corpus_text: str) -> list[Hit]:
    """The cited clauses, or, when the asker quotes a term (省级“单项冠军”) that the corpus uses
    and none of them names, the best retrieved clause that does: the quoted term is what is
    asked about, and a clause about another title (小巨人) does not answer it."""
    terms = [t for t in query.quoted if to_match(t) in corpus_text]
    if not terms or any(to_match(t) in h.clause.text_match for h in cited for t in terms):
        return cited
    naming = next((h for h in hits[:DETAIL_REACH] if any(to_match(t) in h.clause.text_match for t in terms)), None)
    return [naming] if naming is not None else cited


def _near_miss(query: Query, cited: list[Hit], hits: list[Hit], generation: Generation,
               records: dict[str, Any], lapsed: frozenset[str] = frozenset(),
               reach: Sequence[Hit] = ()) -> tuple[list[Hit], Draft | None]:
    """The clauses of documents that speak for the asked places (service.near_miss), or a
    refusal when none does or the answering document never names the fee asked about; a
    refusal cites the related clause."""
    scoped = near_miss.place_scope(query, cited, reach or hits, generation)
    if not scoped:
        title = records.get(cited[0].clause.doc_id, {}).get("title")
        named = f"《{to_match(title)}》" if title else "相关文件"
        return cited, Draft(f"{named}不涉及{'、'.join(query.places)}，已收录的文件中没有找到能回答这个问题的规定。[1]",
                            False, cited[:1], ["unknown_place"])
    titles = {doc: record.get("title") or "" for doc, record in records.items()}
    if tier := near_miss.below_asked_tier(query, scoped, generation, titles):
        place, level, own, whole = tier
        title = titles.get(scoped[0].clause.doc_id)
        named = "所引条文" if not whole else f"《{to_match(title)}》" if title else "该文件"
        own_words = {"县": "区县一级", "市": "市一级"}.get(own, own)
        return scoped, Draft(f"{named}是{own_words}的规定，已收录的文件中没有找到{place}{level}级"
                             f"对此的规定。[1]", False, scoped[:1], ["asked_detail_missing"])
    if district := near_miss.other_district(query, scoped[0], generation):
        asked, own = district
        return scoped, Draft(f"所引文件是{own}的规定，已收录的文件中没有{asked}的规定。[1]", False,
                             scoped[:1], ["unknown_place"])
    if unlisted := near_miss.unlisted_level(query, scoped) or (
            facts_answer.asks_amount(query) and near_miss.unstated_title_level(query, scoped)):
        asked, stated = unlisted
        return scoped, Draft(f"文件只规定了{'、'.join(stated)}的标准，未规定{asked}的。[1]", False,
                             scoped[:1], ["asked_detail_missing"])
    if market := near_miss.unlisted_market(query, scoped, generation):
        asked, listed = market
        return scoped, Draft(f"文件只规定了{'、'.join(listed)}的情形，未涉及{asked}。[1]", False,
                             scoped[:1], ["asked_detail_missing"])
    if later := near_miss.unstated_batch(query, scoped):
        asked, stated = later
        return scoped, Draft(f"文件只提到{'、'.join(stated)}的情况，未涉及{asked}。[1]", False,
                             scoped[:1], ["asked_detail_missing"])
    if near_miss.successor_asked(query, scoped, lapsed):
        title = titles.get(scoped[0].clause.doc_id)
        named = f"《{to_match(title)}》" if title else "该文件"
        return scoped, Draft(f"{named}已不再有效，已收录的文件中没有其后的新规定。[1]", False,
                             scoped[:1], ["asked_detail_missing"])
    if facts_answer.asks_amount(query) and (why := near_miss.unstated_sum(query, scoped)):
        said = f"文件{why}，未规定{'、'.join(query.places)}的具体金额" if why.startswith("只举了") \
            else f"文件提到{_topic(query.match, scoped[0])}，但{why}，未规定具体金额"
        return scoped, Draft(f"{said}。[1]", False, scoped[:1], ["asked_detail_missing"])
    if facts_answer.asks_amount(query) and (referred := near_miss.referred_sum(query, scoped, hits)):
        hit, referral = referred
        return scoped, Draft(f"文件提到{_topic(query.match, hit)}，但只规定{referral}，未规定具体金额。[1]",
                             False, [hit], ["asked_detail_missing"])
    if query.detail is not None and query.detail.name == "date" and near_miss.date_left_to_notice(query, scoped):
        return scoped, Draft(f"文件提到{_topic(query.match, scoped[0])}，但具体时间待另行通知，未规定具体日期。[1]",
                             False, scoped[:1], ["asked_detail_missing"])
    if charge := near_miss.unstated_charge(query, scoped):
        return scoped, Draft(f"文件提到{_topic(query.match, scoped[0])}，但未规定{charge}。[1]", False,
                             scoped[:1], ["asked_detail_missing"])
    if fee := near_miss.unnamed_fee(query, scoped, generation):
        return scoped, Draft(f"文件提到{_topic(query.match, scoped[0])}，但未规定{fee}。[1]", False,
                             scoped[:1], ["asked_detail_missing"])
    if year := near_miss.unstated_year(query, scoped, generation):
        return scoped, Draft(f"文件提到{_topic(query.match, scoped[0])}，但未涉及{year}年的安排。[1]", False,
                             scoped[:1], ["asked_detail_missing"])
    asks_support = facts_answer.asks_amount(query) or query.intent == "support_measure"
    if asks_support and not query.asks_eligibility and (outside := near_miss.outside_definition(
            query, _document(generation, scoped[0].clause.doc_id))):
        # asked what it gives, by an asker its definition leaves out (a verdict answers 能不能,
        # the definition itself 算不算)
        clause, check = outside
        return scoped, Draft(f"文件所称的对象不包括{check.required}，您所述的「{check.stated}」不在其列，"
                             f"文件没有对此的规定。[1]", False, [Hit(clause, 0.0, 0.0, 0.0, 99)], ["outside_scope"])
    return scoped, None


def _statute_dates(query: Query, events: list[str], cited: list[Hit], hits: list[Hit],
                   generation: Generation, records: dict[str, Any], today: date) -> Draft | None:
    """When the answering statute was passed, promulgated, put in force or amended, each asked
    event from the line that states it (service.statute_dates). An amendment asked of a text
    that lists none is read from a retrieved text of the same title that does (the 2020 text
    and its amended 2024 text)."""
    doc = next(iter(query.documents)) if len(query.documents) == 1 else cited[0].clause.doc_id
    stated = statute_dates.statements(_document(generation, doc))
    title = records.get(doc, {}).get("title") or cited[0].clause.title or doc
    if "修改" in events and not any(s.event == "修改" for s in stated):
        same = [h.clause.doc_id for h in hits[:5] if h.clause.doc_id != doc
                and to_match(records.get(h.clause.doc_id, {}).get("title") or "") == to_match(title)]
        for other in dict.fromkeys(same):
            amended = [s for s in statute_dates.statements(_document(generation, other)) if s.event == "修改"]
            if amended:
                stated += amended
                break
    found = statute_dates.answer_lines(events, stated, title)
    if found is None:
        return None
    line, clauses = found
    retrieved = {h.clause.clause_id: h for h in hits}
    used = [retrieved.get(c.clause_id) or Hit(c, 0.0, 0.0, 0.0, 99) for c in clauses]
    note = facts_answer.status_note(records.get(clauses[0].doc_id), today, records.values())
    if note:
        line = f"{line.rstrip('。')}（{note}）。"
    return Draft(line, True, used, [])


def _worked_figure(query: Query, cited: list[Hit], support: str | None) -> str | None:
    """The asker's figure under a cited clause's share of a base they state (service.shares),
    when the question asks a figure or how a measure applies and the support line has not
    worked one out already."""
    own = query.own_match
    if support and "您的" in support:
        return None
    if not (_ASKS_NUMBER.search(own) or facts_answer.asks_amount(query) or re.search(r"怎么|如何", own)):
        return None
    for number, hit in enumerate(cited, start=1):
        # the clause read whole: a rule and its limit may be sentences apart (…；超过…的部分…)
        if line := shares.computed_line(["".join(_quotable(hit.clause))], own):
            return f"{line}[{number}]。"
    return None


_ASKS_DOC_NUMBER = re.compile(r"文号|发文字号|第几号|几号令|几号文|字号")
_ASKS_DOC_DATE = re.compile(r"哪天|哪一天|什么时候|何时|日期|几月几[号日]")


def _document_line(generation: Generation, doc_id: str) -> str | None:
    doc = _record(generation, doc_id)
    if not doc:
        return None
    parts = [facts_answer.document_name(doc)]
    for label, key in (("文号", "doc_number"), ("发文单位", "issuer")):
        if doc.get(key):
            parts.append(f"{label}：{to_match(doc[key])}")
    # the one date a citation carries: when it was issued, else when it was published
    if doc.get("date_issued") or doc.get("date_published"):
        label = "成文日期" if doc.get("date_issued") else "发布日期"
        iso = doc.get("date_issued") or doc.get("date_published")
        parts.append(f"{label}：{facts_answer.chinese_date(iso) or iso}")  # 2025年5月27日, as documents say
    return "，".join(parts)


def compose(query: Query, hits: list[Hit], confidence: float, generation: Generation,
            min_confidence: float, today: date | None = None, reach: Sequence[Hit] = ()) -> Draft:
    """The answer to ``query`` from ``hits`` (best first) of one pinned ``generation``, with
    documents' status judged as of ``today``. ``reach``: the ranking past ``hits``, where a
    document of an asked place is looked for when none of ``hits`` is one."""
    today = today or date.today()
    q_match = query.match
    if query.unknown_numbers and not query.documents and not any(
            number in generation.corpus_text for number in query.unknown_numbers):
        # only a 文号 that no indexed document has, nor mentions (a text that repeals it does)
        return Draft(f"已收录的文件中没有文号为{'、'.join(query.unknown_numbers)}的文件。", False, [],
                     ["unknown_document_number"])
    if unindexed := near_miss.unindexed_titles(query, generation):
        return Draft(f"已收录的文件中没有{'、'.join(unindexed)}，无法据此回答。", False, [],
                     ["unknown_document"])
    if query.asks_basis and (
            based := _basis_line(hits, lambda doc: _document(generation, doc))):
        # 依据的是哪个文件、文号多少: the texts a clause says it rests on, not the clause's own
        return Draft(based[0], True, based[1], [])
    if query.about_document and (len(query.documents) == 1 or (not query.documents and hits)):
        # the document it names, or the one the question's words find
        doc_id = next(iter(query.documents)) if query.documents else hits[0].clause.doc_id
        line = _document_line(generation, doc_id)
        first = next((h for h in hits if h.clause.doc_id == doc_id), None)
        doc_record = _record(generation, doc_id)
        number = to_key(doc_record.get("doc_number") or "")
        iso = doc_record.get("date_issued") or doc_record.get("date_published") or ""
        dated = facts_answer.chinese_date(iso)
        # the date as a page's table writes it (成文日期：2024-03-14) or as a text does (2024年3月14日)
        asked = (number,) if number and _ASKS_DOC_NUMBER.search(query.own_match) else \
            (iso.replace("-", ""), to_key(dated)) if dated and _ASKS_DOC_DATE.search(query.own_match) else ()
        if asked:
            # the 文号 or date asked is cited from the clause that writes it (a header, the
            # 落款, or a notice forwarding the text it numbers), when the document has one
            writes = next((c for c in _document(generation, doc_id)
                           if any(form in to_key(c.text) for form in asked)), None)
            if writes is not None:
                first = next((h for h in hits if h.clause.clause_id == writes.clause_id),
                             Hit(writes, 0.0, 0.0, 0.0, 99))
        if line and first is not None:
            if _ASKS_ISSUER.search(query.own_match) and (
                    issuers := offices_answer.issuer_clause(_document(generation, doc_id))):
                # the document's own issuer line (header or 落款) states who issued it: cited;
                # the record's issuer when that line holds it, else the line's names
                clause, names = issuers
                issuer = to_match(doc_record["issuer"]) if doc_record.get("issuer") else ""
                if not issuer or issuer in "".join(names):
                    if not issuer:
                        line = f"{line}，发文单位：{'、'.join(names)}"
                    return Draft(f"{line}[1]。", True, [Hit(clause, 0.0, 0.0, 0.0, 99)], [])
            return Draft(f"{line}[1]。", True, [first], [])
    if not hits or confidence < min_confidence:
        return Draft(NOT_FOUND, False, [], [])
    if places := unknown_places(query, generation.corpus_text):
        return Draft(f"已收录的文件不涉及{'、'.join(places)}，没有找到能回答这个问题的规定。", False,
                     [], ["unknown_place"])
    if named := unstated_support(query, generation.corpus_text):
        return Draft(f"已收录的文件没有关于{named}的规定。", False, [], ["unstated_support"])
    intent, detail = query.intent, query.detail
    q_tokens = set(query.tokens)
    index = generation.index
    records = {d["doc_id"]: d for d in index.manifest.get("documents", [])}
    # asked whether a text still holds, the text asked about leads however it stands
    lapsed = frozenset(doc for doc, record in records.items()
                       if status_now(record, today) in ("expired", "repealed", "draft")) \
        if not query.asks_validity else frozenset()
    # an eligibility verdict reads every strong clause; facts_answer.decide keeps those it cites
    cited = citations.choose(query, hits, index, lapsed, gate=not query.asks_eligibility)
    cited = _naming_quoted(query, cited, hits, generation.corpus_text)
    cited, refused = _near_miss(query, cited, hits, generation, records, lapsed, reach or hits)
    if refused is not None:
        return refused
    events = statute_dates.asked_events(query.own_match)
    if events and not (events == ["施行"] and query.asks_validity) and not query.asks_eligibility \
            and (drawn := _statute_dates(query, events, cited, hits, generation, records, today)):
        return drawn
    if query.asks_validity and not query.asks_eligibility:
        doc = next(iter(query.documents)) if len(query.documents) == 1 else cited[0].clause.doc_id
        if doc in records and (found := facts_answer.validity_line(records[doc], hits, index.clauses,
                                                                   today)):
            line, stating = found
            if _ASKS_END.search(query.own_match) and not records[doc].get("date_expires"):
                # asked how long or until when; the document states only its start
                return Draft(f"{line.removesuffix('[1]。')}，但未规定有效期或截止时间[1]。", False,
                             [stating], ["asked_detail_missing"])
            # and the sentence that states the period, as the document words it
            quotable = _quotable(stating.clause)
            said = [s for s in quotable if facts_answer.states_validity(s)] \
                or [s for s in quotable if sentence_has_detail(s, PERIOD, q_match)]
            shown = [line] + [f"{said[0].rstrip('。；;')}[1]。"] if said else [line]
            used = [stating]
            if repealing := facts_answer.repealing_clause(records[doc], records, index.clauses):
                # the repealing text's own words: from when the repeal holds
                told = [s for s in _quotable(repealing) if "废止" in s or "施行" in s]
                if told:
                    shown.insert(1, f"{''.join(told).rstrip('。；;')}[2]。")
                    used.append(Hit(repealing, 0.0, 0.0, 0.0, 99))
            return Draft("\n".join(shown), True, used, [])
        if doc in records and facts_answer.undated(records[doc], _document(generation, doc)):
            # asked when or whether it holds; nothing the document carries says either
            named = f"《{to_match(title)}》" if (title := records[doc].get("title")) else "该文件"
            first = next((h for h in cited if h.clause.doc_id == doc), cited[0])
            return Draft(f"{named}没有写明发布、施行日期或有效期，无法据此判断其是否仍然有效。[1]", False,
                         [first], ["asked_detail_missing"])
    eligibility = None
    if query.asks_eligibility:
        eligibility, cited = facts_answer.decide(query, cited, hits,
                                                 _document(generation, cited[0].clause.doc_id))

    # an asked limit (年龄上限) is answered by the clause that sets it, whatever the verdict on
    # the other conditions
    if detail is not None and (eligibility is None or detail.name == "age"):
        has = [h for h in cited if states_detail(h, detail, q_match)]
        if has and has[0] is not cited[0]:
            # the clause that states what is asked leads (the first sentence is the answer); one
            # that states none of a single ask is not cited at all
            single = len(citations.asked_parts(query)) <= 1
            cited = [*has, *([] if single else [h for h in cited if h not in has])]
        if not has and states_purpose(cited[0].clause.text) and not query.asks_basis and not any(
                title in cited[0].clause.text_match for title in BOOK_TITLE.findall(q_match)):
            # a text's opening purpose clause (为…，特制定本办法) shares its words and the titles
            # of what it rests on, but states no measure: the next hit that states the asked
            # detail, of a document that speaks for the asked place, answers instead (unless the
            # asker names one of the texts it rests on: that text is what is asked about)
            following = next((h for h in hits[:DETAIL_REACH] if h is not cited[0]
                              and not states_purpose(h.clause.text) and states_detail(h, detail, q_match)
                              and (not query.places or near_miss.speaks_for(query.places, h, generation))),
                             None)
            if following is not None:
                cited, has = [following], [following]
        if not has and detail.name not in SOFT_DETAILS:
            # another clause of the same document may state it (一、申报条件 … 五、联系方式)
            # when it matches nearly as well, the ranker (which weighs the asked fact) rates it
            # close, or one of its sentences says the asked thing with its figure; another
            # document's would answer a question about a different policy
            # …and names what the asker quotes, as the cited one does (省级“单项冠军”: not the
            # 小巨人 clause that states a sum)
            quoted = [t for t in map(to_match, query.quoted) if t in cited[0].clause.text_match]
            extra = [h for h in hits[:DETAIL_REACH] if h not in cited
                     and h.clause.doc_id == cited[0].clause.doc_id and states_detail(h, detail, q_match)
                     and all(t in h.clause.text_match for t in quoted)]
            strength = citations.Strength(hits, index.manifest["embedder"]["name"])
            # whom to ask is said once, often at the end of the text (联系电话, 咨询请致电): the
            # answering document's clause that says it, wherever it is
            contact = [] if detail.name != "contact" else extra[:1] or [
                hit for c in _document(generation, cited[0].clause.doc_id)
                if c.clause_id != cited[0].clause.clause_id
                and states_detail(hit := Hit(c, 0.0, 0.0, 0.0, 99), detail, q_match)][:1]
            if contact:
                cited = contact
            elif extra and (strength(extra[0]) >= citations.CITE_RATIO * strength(cited[0])
                          or extra[0].score >= DETAIL_SCORE_RATIO * cited[0].score
                          or citations.says_asked(extra[0].clause, query)):
                cited = [extra[0]]
            else:
                topic = _topic(q_match, cited[0])
                return Draft(f"文件提到{topic}，但未规定具体{detail.label}。[1]", False,
                             cited[:1], ["asked_detail_missing"])

    if eligibility is None and (unstated := near_miss.unstated_detail(
            query, cited, lambda hit, asked: states_detail(hit, asked, q_match))):
        # a second ask ("贴几年？") the clauses that answer the first do not state
        return Draft(f"文件提到{_topic(q_match, cited[0])}，但未规定具体{unstated.label}。[1]", False,
                     cited[:1], ["asked_detail_missing"])
    cited = [h for h in cited if _quotable(h.clause)] or cited[:1]  # nothing to quote, nothing to cite
    lines: list[str] = []
    roles = None
    if intent == "responsible_office":
        cited = _at_asked_level(query, cited, hits, generation)
    # the answering document's clauses, for who-questions (its role sentences, its short names)
    document = _document(generation, cited[0].clause.doc_id) if intent == "responsible_office" else []
    if intent == "responsible_office":
        # 由谁初审、谁复审？: one cited statement per role asked, from the answering document
        roles = offices_answer.answer_roles(q_match, hits, document, cited, query.roles)
    if roles is not None:
        lines, cited = roles
    elif intent == "responsible_office":
        offices = list(dict.fromkeys(o for h in cited for o in office_names(h, roles=True)))
        offices = _asked_place_own(offices, query.places)
        if offices:
            marks = "".join(f"[{i + 1}]" for i, h in enumerate(cited) if office_names(h))
            lines.append(f"责任单位：{'、'.join(offices)}{marks}。")
        elif detail is None and not query.asks_eligibility and not any(
                office_names(h) or _AGENCY.search(h.clause.text_match)
                for h in hits[:DETAIL_REACH] if h.clause.doc_id == cited[0].clause.doc_id):
            # who handles it, asked of a document that names no agency near the measure (a
            # roundup page listing a district's awards and their basis): not stated
            return Draft(f"文件提到{_topic(q_match, cited[0])}，但未规定负责或受理的部门。[1]", False,
                         cited[:1], ["asked_detail_missing"])
    if intent in ("eligibility", "process") and not query.defined and len(cited) > 1 \
            and cited[0].clause.heading_path[:-1] \
            and not is_list(cited[0].clause) \
            and all(h.clause.heading_path[:-1] == cited[0].clause.heading_path[:-1]
                    for h in cited[: len(citations.siblings(index.clauses, cited[0], hits))]):
        heading = to_match(cited[0].clause.heading_path[-2])
        lines.append(f"{heading}：")
    for i, hit in enumerate(cited if roles is None else [], start=1):
        if i == 1 and intent in ("eligibility", "process") and not query.defined and is_list(hit.clause):
            heading, *items = _list_lines(hit.clause)
            lines += [heading] + [f"{item.rstrip('。；;')}[{i}]。" for item in items]
            continue
        chosen = _best_sentences(hit, q_tokens, intent, detail, q_match,
                                 limit=2 if len(cited) <= 2 else 1, query=query)
        for sentence in chosen:
            lines.append(f"{sentence.rstrip('。；;')}[{i}]。")
    support = facts_answer.support_line(query, cited, records) if facts_answer.asks_amount(query) else None
    if worked := _worked_figure(query, cited, support):
        lines.insert(0, worked)  # the asker's figure first, then the clause it is worked from
    if eligibility is not None and eligibility.verdict == "unknown" and (support or worked):
        # nothing stated bears on a condition, and a sum was asked: the sum answers, and what
        # the asker would still have to check follows it
        lines[:0] = support.split("\n") if support else []
        if eligibility.conditions:
            lines.append(verdict_sentence(eligibility, facts_answer.citation_numbers(cited)))
    elif eligibility is not None:
        lines.insert(0, verdict_sentence(eligibility, facts_answer.citation_numbers(cited)))
        if support and facts_answer.asks_sum(query):
            lines.insert(1, support)  # 能不能申请, 能拿多少: the verdict, then the sum
    elif support:
        # one line per compared document; after the asker's own figure when only that works one out
        at = 1 if worked else 0
        lines[at:at] = support.split("\n")
    if intent == "responsible_office" and lines:
        lines, cited = offices_answer.with_full_names(lines, cited, document)
    record = records.get(cited[0].clause.doc_id)
    note = facts_answer.status_note(record, today, records.values())
    if note and lines:  # said in the first sentence, not after it
        repealing = facts_answer.repealing_clause(record, records, index.clauses) if record else None
        if repealing is not None and len(cited) < citations.MAX_CITED \
                and all(h.clause.clause_id != repealing.clause_id for h in cited):
            # the repeal is the repealing text's statement: cited beside the note
            cited = [*cited, Hit(repealing, 0.0, 0.0, 0.0, 99)]
            note = f"{note}[{len(cited)}]"
        lines[0] = f"{lines[0].rstrip('。')}（{note}）。"
    answer = "\n".join(lines) if lines else NOT_FOUND
    return Draft(answer, bool(lines), cited, [], eligibility)


def respond(generation: Generation, settings: Settings, query: Query, top_k: int | None = None,
            filters: Filters | None = None, llm: bool = True) -> Answer:
    """One request over one pinned generation: search, compose, and (when configured and
    ``llm``) the LLM's wording of the cited clauses. ``llm=False``: the extractive answer even
    when an LLM is configured (a stream asks the LLM itself, after sending the citations)."""
    started = time.perf_counter()
    top_k = top_k or settings.top_k
    result = generation.searcher.search(query, max(top_k, near_miss.PLACE_REACH), filters)
    hits = result.hits[:top_k]
    draft = compose(query, hits, result.confidence, generation, settings.min_confidence,
                    reach=result.hits)
    mode = "extractive"
    warnings = list(draft.warnings)
    if query.unknown_numbers and "unknown_document_number" not in warnings:
        warnings.append("unknown_document_number")  # another document it names was answered from
    text = draft.answer
    if llm and settings.llm_base_url and draft.cited:
        from service.generate import generate_llm_answer

        llm_answer, llm_warnings = generate_llm_answer(settings, query.text, draft.cited)
        warnings += llm_warnings
        if llm_answer is not None:
            text, mode = llm_answer, "llm"
    cited_ids = {h.clause.clause_id for h in draft.cited}
    timing = dict(result.timing_ms)
    timing["total"] = (time.perf_counter() - started) * 1000
    return Answer(
        text=in_script(text, query.traditional), answerable=draft.answerable, query=query,
        cited=draft.cited, related=[h for h in result.hits if h.clause.clause_id not in cited_ids][:5],
        confidence=result.confidence, mode=mode, generation=generation.id, warnings=warnings,
        timing_ms=timing, eligibility=draft.eligibility)
