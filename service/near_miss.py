"""Near misses decided on the answering document, not the whole corpus: a question the cited
document almost answers but does not, because it is about another place, or about a fee the
document never names.

A corpus-wide check (service.answer.unknown_places) lets through a question about 孝义 that is
answered from a 大连 document because some other indexed text mentions 孝义; these checks look
at the documents the answer would cite.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from corpus.clean import SENTENCE, to_match
from corpus.models import Clause
from index.search import Hit
from question.intent import ASKING_WORDS, PERCENT, PHRASE, SOFT_DETAILS, Detail
from question.numbers import cn_number
from question.places import MUNICIPALITIES, gazetteer, suffixed_counties
from question.query import Query
from service.amounts import word_pairs
from service.situations import TextCheck, check_text

if TYPE_CHECKING:
    from service.engine import Generation

# A fee word whose first part is a verb or a generic head, not the name of a fee (收费, 缴费,
# 免费, 经费, 税费, 费用): it names no particular charge.
_NOT_A_FEE = frozenset("收缴交免消花付经话税")
# A title that speaks for the whole country (a page hosted by a city still names that city).
_NATIONAL = re.compile(r"^(?:中华人民共和国|国务院|全国)")
# The country's own names locate nothing (国务院令 in a national regulation's header).
_COUNTRY = frozenset({"中华人民共和国", "中国", "全国", "国家"})
# When and how long are answered together by a relative period (自受理之日起15日内).
_TEMPORAL = frozenset({"date", "period"})
# How far down the hits a clause of a document that speaks for the asked place is taken.
HIT_REACH = 5
# How far down the ranking a document of an asked place is looked for before the question is
# refused as about a place the answering documents do not speak for.
PLACE_REACH = 10
# The phrase asks about what it names: an interrogative, or the A不A form (给不给, 能不能).
_ASKS = re.compile(rf"{ASKING_WORDS}|谁|能否|([\u4e00-\u9fff])不\1")


# Per generation, held no longer than the generation itself (a reload frees the old one).
_TEXTS: weakref.WeakKeyDictionary[Generation, Mapping[str, str]] = weakref.WeakKeyDictionary()
_LOCATED: weakref.WeakKeyDictionary[Generation, Mapping[str, bool]] = weakref.WeakKeyDictionary()


def _doc_texts(generation: Generation) -> Mapping[str, str]:
    """Each indexed document's text in matching form, its title included."""
    if generation not in _TEXTS:
        parts: dict[str, list[str]] = {}
        for clause in generation.index.clauses:
            doc = parts.setdefault(clause.doc_id, [to_match(clause.title or "")])
            doc.append(clause.text_match)
        _TEXTS[generation] = {doc: "\n".join(texts) for doc, texts in parts.items()}
    return _TEXTS[generation]


def _doc_located(generation: Generation) -> Mapping[str, bool]:
    """Whether each document names a province or city at all: one that names none (a national
    law, regulation or ministry notice) holds everywhere."""
    if generation not in _LOCATED:
        names = (gazetteer().names | suffixed_counties() | generation.index.catalogue.places) - _COUNTRY
        _LOCATED[generation] = {
            doc: not _NATIONAL.search(text.split("\n", 1)[0]) and any(name in text for name in names)
            for doc, text in _doc_texts(generation).items()}
    return _LOCATED[generation]


def place_forms(place: str, doc_places: Iterable[Sequence[str]]) -> tuple[str, ...]:
    """How a document may speak for ``place``: its names and province (question.places), and
    for a district or county the gazetteer does not locate (天河, 孝义), the places an indexed
    document's title names beside it (广州市天河区… puts 天河 in 广州)."""
    forms = gazetteer().forms(place)
    if gazetteer().knows(place):
        return forms
    beside = (p for found in doc_places if place in found for p in found if p != place)
    return tuple(dict.fromkeys([*forms, *beside]))


def place_scope(query: Query, cited: Sequence[Hit], hits: Sequence[Hit],
                generation: Generation) -> list[Hit]:
    """The clauses to answer from when the question names places: the cited ones whose
    document speaks for an asked place, else the best of the top hits whose document does;
    empty when none does (a 孝义 question that only a 大连 document answers is a near miss).
    All of ``cited`` when no place is asked, or documents are compared (each speaks for its
    own place)."""
    if not query.places or query.compared or query.comparison:
        return list(cited)
    kept = [h for h in cited if speaks_for(query.places, h, generation)]
    if kept:
        return kept
    near = next(([h] for h in hits[:HIT_REACH] if speaks_for(query.places, h, generation)), [])
    # further down, only a document of the asked place itself (北京's own 条例), not one that
    # speaks for it as a national law does for every province
    own = generation.index.catalogue.doc_places
    return near or next(([h] for h in hits[HIT_REACH:PLACE_REACH]
                         if any(related(p, asked) for p in own.get(h.clause.doc_id, ())
                                for asked in query.places)
                         and speaks_for(query.places, h, generation)), [])


def speaks_for(places: Sequence[str], hit: Hit, generation: Generation) -> bool:
    """Whether the hit's document speaks for one of ``places`` and the clause is not about
    another place."""
    doc = hit.clause.doc_id
    return not unspoken_for(places, _doc_texts(generation).get(doc, ""),
                            _doc_located(generation).get(doc, False),
                            generation.index.catalogue.doc_places.values()) \
        and not elsewhere(hit.clause.text_match, places)


def related(a: str, b: str) -> bool:
    """One place lies in the other, or they are one (越秀 and 广州, 厦门 and 福建)."""
    g = gazetteer()
    return a == b or a in g.forms(b) or b in g.forms(a)


@lru_cache(maxsize=1)
def _written_places() -> tuple[tuple[str, str], ...]:
    """(as a text writes it, the place) for every province and prefecture-level city, with its
    level: 福州市, 北京市, 福建省 (not short names such as 呼市). Written with the level, the name
    is the place, never a word that happens to share it (泰山人才, 会同有关部门)."""
    g = gazetteer()
    return tuple((f"{name}{'市' if name in g.province or name in MUNICIPALITIES else '省'}", name)
                 for name in sorted(g.names) if name not in g.full)


@lru_cache(maxsize=1)
def _written_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern over every province, city and county as written with its level, and the
    place each stands for (岫岩满族自治县 → 岫岩, 海城市 → 海城, 福州市 → 福州)."""
    base = dict(_written_places())
    for name in suffixed_counties():
        ethnic = re.match(r"(?P<p>[\u4e00-\u9fff]{2,}?)(?:[\u4e00-\u9fff]{1,3}族)+自治(?:县|旗)$", name)
        base.setdefault(name, ethnic.group("p") if ethnic else re.sub(r"[县区市旗]$", "", name))
    ordered = sorted(base, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))), base


def written_places(text: str) -> list[str]:
    """The places a text names with their level (a scan, no word segmentation)."""
    return list(_written_places_in(text))


@lru_cache(maxsize=20_000)
def _written_places_in(text: str) -> tuple[str, ...]:
    """(cached: a scan for some 3,000 county names costs ~50 µs, and the same clauses' sentences
    are read for many questions)"""
    pattern, base = _written_pattern()
    return tuple(dict.fromkeys(base[m.group(0)] for m in pattern.finditer(text)))


def elsewhere(clause_match: str, asked: Sequence[str]) -> bool:
    """Whether a clause is about another place than the asked ones: it names a province or
    city and none lies in, contains or is an asked one. A provincial text's example of one city
    (如福州市对…给予25万元) does not say what another city (厦门) gives."""
    named = [place for written, place in _written_places() if written in clause_match]
    return bool(named) and not any(related(n, a) for n in named for a in asked)


def unspoken_for(asked: Sequence[str], doc_text: str, located: bool,
                 doc_places: Iterable[Sequence[str]] = ()) -> list[str]:
    """``asked`` when the document speaks for none of them: it names places, and none of the
    asked ones by any form (one is enough: 拿了新乡的奖励，想迁到郑州 is about 新乡)."""
    titled = list(doc_places)
    if not located or any(form in doc_text for place in asked for form in place_forms(place, titled)):
        return []
    return list(asked)


def asked_fees(query: Query) -> list[str]:
    """The fees the question asks about (担保费是谁出, 报销保费吗, 登记费要交多少): a word ending
    in 费 in a phrase that asks. A fee only stated (交了实审费，…给多少) is not asked."""
    found: list[str] = []
    for phrase in PHRASE.findall(query.own_match):
        if not _ASKS.search(phrase):
            continue
        words = [t for t in query.tokens if len(t) >= 2 and t.endswith("费") and t in phrase
                 and t[-2] not in _NOT_A_FEE]
        # the longest word names the fee (担保费 over 保费)
        found += [w for w in words if not any(w != o and w in o for o in words)]
    before = re.compile(r"(?:已经?|交了|缴了|付了|花了)[\u4e00-\u9fff]{0,4}$")
    return [w for w in dict.fromkeys(found)
            if not before.search(query.own_match[:max(0, query.own_match.find(w))])]


def mentions_fee(fee: str, text: str) -> bool:
    """Whether a text names the fee, also in its long form (保费 as 保险费)."""
    stem = re.escape(fee[:-1])
    return re.search(f"{stem}[\u4e00-\u9fff]{{0,2}}费", text) is not None


def unnamed_fee(query: Query, cited: Sequence[Hit], generation: Generation) -> str | None:
    """A fee the question asks about that the answering document never names (登记费 asked,
    a document that only says 不得收取任何费用): its figures are not that fee's."""
    if not cited:
        return None
    text = _doc_texts(generation).get(cited[0].clause.doc_id, "")
    return next((fee for fee in asked_fees(query) if not mentions_fee(fee, text)), None)


# What an asker is charged, not given: a loan's rate (年利率是百分之几) or a price (定价多少钱一份).
# Each with the figure that states it: a rate (利率为4.35%, 利率上限不超过LPR+50BP; not 利率的50%,
# a share of the rate that a subsidy pays), a price in yuan beside a price word. A rate asked in
# percent (百分之几) is stated only in percent.
_RATE_ASKED = re.compile(r"利率[^,，。？?；;]{0,6}(?:多少|几)|百分之几[^,，。？?；;]{0,4}利")
_IN_PERCENT = re.compile(r"百分之几|几个点|多少%")
_RATE_STATED = re.compile(r"利率(?!的)[^,;。%]{0,8}?\d+(?:\.\d+)?%|\d+(?:\.\d+)?%[^,;。]{0,4}(?:的)?(?:年)?利率")
_RATE_REFERENCED = re.compile(r"利率(?!的)[^,;。]{0,12}?(?:LPR|BP|基点|基准利率)")
_PRICE_ASKED = re.compile(r"(?:定价|价格|售价|收费)(?!的)[^,，。？?；;]{0,4}(?:多少|几)|多少钱一(?:份|餐|次|个|位)")
_PRICE_STATED = re.compile(r"(?:定价|价格|售价|收费)[^,;。]{0,10}?\d+(?:\.\d+)?元|\d+(?:\.\d+)?元/(?:份|餐|次)")


def unstated_charge(query: Query, cited: Sequence[Hit]) -> str | None:
    """A rate or price the asker would pay (年利率是百分之几, 午餐定价多少钱一份) that no cited
    clause states: the figures they do state are what a measure gives (按实际利率的50%贴息,
    每人每次3元的补贴), not the charge. Returns what is missing, else None."""
    asked, texts = query.own_match, [h.clause.text_match for h in cited]
    if _RATE_ASKED.search(asked):
        stated = [_RATE_STATED] if _IN_PERCENT.search(asked) else [_RATE_STATED, _RATE_REFERENCED]
        if not any(p.search(t) for p in stated for t in texts):
            return "具体利率"
    if _PRICE_ASKED.search(asked) and not any(_PRICE_STATED.search(t) for t in texts):
        return "具体价格"
    return None


def unstated_detail(query: Query, cited: Sequence[Hit],
                    states: Callable[[Hit, Detail], bool]) -> Detail | None:
    """A further detail the question asks (the first is checked where the answer is composed)
    that no cited clause states: one ask of two unanswered is a near miss."""
    if "还是" in query.own_match:  # an alternative (一次给还是分几年给) is answered by either
        return None
    first = query.detail.name if query.detail else ""
    return next((d for d in query.details[1:] if d != query.detail and d.name not in SOFT_DETAILS
                 and not {d.name, first} <= _TEMPORAL
                 and not any(states(hit, d) for hit in cited)), None)


def has_documents_of(place: str, generation: Generation) -> bool:
    """Whether some indexed document is that place's own: its title or issuer names the place,
    or, for a document that carries no title, its text names it twice (a passing mention, 天津
    等地, is once)."""
    catalogue = generation.index.catalogue
    if any(place in found for found in catalogue.doc_places.values()):
        return True
    return any(text.count(place) >= 2 for doc, text in _doc_texts(generation).items()
               if not catalogue.doc_keys.get(doc, ("", ""))[1])


def unindexed_titles(query: Query, generation: Generation) -> list[str]:
    """The texts the question names by place (天津市的促进中小企业发展条例) when no indexed
    document is that place's: the text asked for is not in the corpus, whatever another
    place's (or the nation's) text of the same name says."""
    return [named for place, named in query.place_titles if not has_documents_of(place, generation)]


def sentences_about_asked(query: Query, sentences: Sequence[str]) -> list[str]:
    """The sentences sharing most of the question's words (the word pairs the asker's sums are
    matched by), all of them on a tie; none when no sentence shares a word."""
    asked = word_pairs(query.own_match)
    shared = [(len(word_pairs(s) & asked), s) for s in sentences if s.strip()]
    best = max((n for n, _ in shared), default=0)
    return [s for n, s in shared if n == best] if best else []


def _sentences(hits: Sequence[Hit]) -> list[str]:
    return [s for h in hits for s in re.split(r"[。;；]", h.clause.text_match) if s.strip()]


# 具体标准另行制定: the text leaves the figure to a later one.
_DEFERRED = re.compile(r"另行(?:制定|规定|发文|明确|公布|确定|研究)|另文(?:规定|明确)")
_SUM = re.compile(r"\d+(?:\.\d+)?\s*(?:万|亿)?元|[一二三四五六七八九十百千]+(?:万|亿)?元")


# 如福州市对…给予25万元: one place's figure given as an example.
_EXAMPLE = re.compile(r"(?:例如|比如|譬如|如)(?=[\u4e00-\u9fff]{2,8}(?:省|市|区|县))")


def unstated_sum(query: Query, cited: Sequence[Hit]) -> str | None:
    """Why the answering clause states no sum for what is asked, when its sentence about the
    asked subject (the one sharing most of the question's words; a tie with a sentence that
    states a sum for it decides nothing) leaves the sum to a later text (市级试点…给予一定的资金
    扶持(具体标准另行制定)) or states it only as another place's example (各地可给予配套，如福州市
    对…给予25万元, asked about 厦门). The sums the clause does state are others' (国家级、省级
    试点再给予50万元; the province's own 50万元)."""
    top = sentences_about_asked(query, _sentences(cited[:1]))
    if not top:
        return None
    if all(_DEFERRED.search(s) and not _SUM.search(s) for s in top):
        return "具体标准另行制定"
    examples = [(s, m) for s in top if (m := _EXAMPLE.search(s))]
    if query.places and len(examples) == len(top) and all(
            not _SUM.search(s[:m.start()]) and elsewhere(s[m.start():], query.places) for s, m in examples):
        named = [written for written, _ in _written_places() if written in examples[0][0][examples[0][1].start():]]
        return f"只举了{'、'.join(named[:2]) or '其他地方'}的例子"
    return None


# 按照区人才引进奖励办法给予扶持, 按国家有关规定执行: the sum is another text's.
# Not this text itself (参照本办法执行), nor a bare 按规定享受; the sentence states no sum or rate.
_REFERRED = re.compile(r"(?:按照|依照|参照|按)(?![^,;。]{0,4}本)[^,;。]{2,16}?(?:办法|规定|政策|细则|标准)"
                       r"(?:给予|予以|执行|享受|落实|办理)[\u4e00-\u9fff]{0,4}")


def referred_sum(query: Query, cited: Sequence[Hit], hits: Sequence[Hit]) -> tuple[Hit, str] | None:
    """The answering document's sentence about the asked subject (of the cited clause and the
    best retrieved clauses of the same document), when it refers the sum to another text
    (跨境电子商务企业人才引进按照区人才引进奖励办法给予扶持) and states none: (its clause, the
    referral), else None. The sums the document states elsewhere are other measures'."""
    if not cited or query.comparison:
        return None
    doc = cited[0].clause.doc_id
    pool = list({h.clause.clause_id: h for h in [cited[0], *hits[:3]] if h.clause.doc_id == doc}.values())
    sentences = [(h, s) for h in pool for s in _sentences([h])]
    top = set(sentences_about_asked(query, [s for _, s in sentences]))
    about = [(h, _REFERRED.search(s), s) for h, s in sentences if s in top]
    if not about or not all(referral and not _SUM.search(s) and not PERCENT.search(s)
                            for _, referral, s in about):
        return None
    hit, referral, _ = about[0]
    return (hit, referral.group(0)) if referral else None


# 申报指南待发布通知后进行申报, 具体时间另行通知: the text leaves the date to a later notice.
_LATER_NOTICE = re.compile(r"待[^,;。]{0,8}通知|另行(?:通知|公布|发布|确定)|届时(?:另行)?(?:通知|公布)")
_FULL_DATE = re.compile(r"\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}日")


def date_left_to_notice(query: Query, cited: Sequence[Hit]) -> bool:
    """Whether one of the answering clauses has, as its sentence about what is asked (the one
    sharing most of the question's words), one that leaves the date to a later notice and
    states none: 2020年…项目的申报指南待发布通知后进行申报, asked 什么时候开始申报."""
    sentences = _sentences(cited)
    years = set(_ASKED_YEAR.findall(query.own_match))
    if years:  # 2020年…什么时候申报: the sentences about that year (not 2019年下半年's notice)
        sentences = [s for s in sentences if years & set(_ASKED_YEAR.findall(s))] or sentences
    top = sentences_about_asked(query, sentences)
    return bool(top) and all(_LATER_NOTICE.search(s) and not _FULL_DATE.search(s) for s in top)


def successor_asked(query: Query, cited: Sequence[Hit], lapsed: frozenset[str]) -> bool:
    """Whether the question asks about the text that replaced a lapsed one (办法2025年7月到期以后，
    新办法…) and every answering text is the lapsed one itself: what replaced it is not indexed."""
    return bool(cited) and query.asks_successor \
        and all(h.clause.doc_id in lapsed for h in cited)


# A development zone sits below its city (新乡高新区, 大连经开区).
_ZONE = re.compile(r"高新区|开发区|经开区|新区|园区|片区|示范区|试验区|合作区|综改区|保税区|自贸区")
_RANK = {"县": 0, "市": 1, "省": 2}
# How a text names its own jurisdiction (我区企业, 本市行政区域内).
_OWN_TIER = {"县": re.compile(r"[我本](?:区|县|旗)"), "市": re.compile(r"[我本]市"),
             "省": re.compile(r"[我本]省")}


def document_tier(title: str, doc_places: Sequence[str], text: str = "") -> str | None:
    """The tier of government a document speaks as: a district, county or development zone
    (县), a city (市) or a province (省), from the places its title and issuer name (the
    lowest), else from how its text names its own jurisdiction (我区, 本市); None for a
    national text or one that says neither."""
    if _ZONE.search(title):
        return "县"
    g = gazetteer()
    tiers = ["县" if p in g.counties or p in suffixed_counties() else "市" if p in g.province
             or p in MUNICIPALITIES else "省" if p in g.names else "" for p in doc_places]
    known = [t for t in tiers if t]
    if known:
        return min(known, key=_RANK.__getitem__)
    said = {tier: len(own.findall(text)) for tier, own in _OWN_TIER.items()}
    most = max(said.values())
    return next((t for t, n in said.items() if n == most), None) if most else None


def below_asked_tier(query: Query, cited: Sequence[Hit], generation: Generation,
                     titles: Mapping[str, str]) -> tuple[str, str, str, bool] | None:
    """(place, asked tier, the answering text's tier, whether the whole document speaks at that
    tier rather than a section of it) when the question asks what a tier of government gives
    (大连市级) and every answering text speaks for a lower tier (甘井子区, 新乡高新区, a roundup's
    二、山西综改区): a district's award is not the city's."""
    if not cited or (asked := query.asked_tier) is None:
        return None
    texts, places = _doc_texts(generation), generation.index.catalogue.doc_places
    # a section of a roundup headed by a zone (二、山西综改区) speaks as that zone
    sections = [bool(_ZONE.search(to_match("".join(h.clause.heading_path)))) for h in cited]
    tiers = ["县" if section else
             document_tier(to_match(titles.get(h.clause.doc_id, "")), places.get(h.clause.doc_id, ()),
                           texts.get(h.clause.doc_id, "")) for h, section in zip(cited, sections, strict=True)]
    if all(t is not None and _RANK[t] < _RANK[asked[1]] for t in tiers):
        return asked[0], asked[1], str(tiers[0]), not sections[0]
    return None


# A year the question sets the policy in (2024年的技改奖补, 2026年还延续吗): not a date (2024年9月),
# not the asker's own figures (2014年主营业务收入…, 2020年成立).
_ASKED_YEAR = re.compile(r"(?<!\d)(20\d\d)年(?!\s*[\d一二三四五六七八九十]+月|底|初|末)"
                         r"(?!度?(?:的)?(?:营|主营|收入|产值|销售|纳税|利润|研发|成立|注册|新招|招用|签))"
                         # the asker's own founding (2019年按外资企业法设立的公司) dates them, not the policy
                         r"(?![^，,。；;？?]{0,12}?(?:设立|成立|注册|登记|开业|创办|创立|落户|入驻)的)")
# A span of years a text runs over (2021—2025年, 2023年至2027年).
_YEAR_SPAN = re.compile(r"(20\d\d)年?\s*(?:[至到—–\-~－]|年至)\s*(20\d\d)年")


def unstated_year(query: Query, cited: Sequence[Hit], generation: Generation) -> str | None:
    """A year the question asks the policy for that the answering documents never name nor
    run over (a 2016 notice asked about 2024, a scheme that ran to 2022 asked about 2026): their
    figures are those years', not the asked one's."""
    if not cited:
        return None
    texts = _doc_texts(generation)
    return year_not_covered(query.own_match, "\n".join(
        texts.get(doc, "") for doc in dict.fromkeys(h.clause.doc_id for h in cited)))


# The asker telling the date (现在2026年了还能按它申请吗) asks whether the policy still applies
# now, which its validity answers; it does not set the policy in that year.
_NOW_YEAR = re.compile(r"(?:现在|如今|目前|已经|今年)?(?:都|已)?(?:是)?20\d\d年了|(?:现在|如今|目前)(?:都|已)?(?:是)?20\d\d年")


def year_not_covered(question: str, text: str) -> str | None:
    """The one year ``question`` sets the policy in when ``text`` neither names it nor runs
    over it; None for no year or several (years compared, 2022年和2025年, are other texts'). Of
    years in several phrases, the one the asking phrase names is asked (2022年最高返90%，2023年
    还是这个比例吗: 2023). The present year as the asker dates their question is not asked."""
    question = _NOW_YEAR.sub("", question)
    years = list(dict.fromkeys(_ASKED_YEAR.findall(question)))
    if len(years) > 1:
        asking = [_ASKED_YEAR.findall(phrase) for phrase in PHRASE.findall(question)
                  if _ASKS.search(phrase)]
        years = list(dict.fromkeys(y for found in asking for y in found))
    if len(years) != 1 or years[0] in text:
        return None
    if any(int(a) <= int(years[0]) <= int(b) for a, b in _YEAR_SPAN.findall(text)):
        return None
    return years[0]


_NUMBERED_LEVEL = re.compile(r"(?<![第\d一二三四五六七八九十])([\d一二三四五六七八九十]{1,3})(?:级|星级?)(?!(?:政府|财政|部门|单位|行政|以上|及以上|以下|及以下))")
_OPEN_LEVEL = re.compile(r"([\d一二三四五六七八九十]{1,3})(?:级|星级?)(?:及)?(以上|以下)")


def _level_numbers(text: str) -> set[float]:
    return {n for m in _NUMBERED_LEVEL.finditer(text) if (n := cn_number(m.group(1))) is not None}


def unlisted_level(query: Query, scoped: Sequence[Hit]) -> tuple[str, list[str]] | None:
    """A numbered level the asker names (评估达到了五级) when the answering clause grades by
    numbered levels (二级、三级、四级…分别) and names neither it nor an open end that covers it
    (三级及以上): (the asked level, the levels stated), else None."""
    asked = _level_numbers(query.own_match)
    if len(asked) != 1 or not scoped:
        return None
    text = scoped[0].clause.text_match
    stated = _level_numbers(text)
    level = next(iter(asked))
    if len(stated) < 2 or level in stated:
        return None
    for m in _OPEN_LEVEL.finditer(text):
        bound = cn_number(m.group(1))
        if bound is not None and (level >= bound if m.group(2) == "以上" else level <= bound):
            return None
    written = [m.group(0) for m in _NUMBERED_LEVEL.finditer(text)]
    asked_word = next(m.group(0) for m in _NUMBERED_LEVEL.finditer(query.own_match))
    return asked_word, list(dict.fromkeys(written))


# A recognition level written before what it recognises (国家级专精特新, 省级“小巨人”, 国家级、
# 省级企业技术中心): the levels, and the title's first characters after them.
_LEVEL = r"(?:国家级|国家|省级|市级|区级|县级)"
_ASKED_TITLE_LEVEL = re.compile(r"(国家级|省级|市级|区级|县级)[“\"]?([\u4e00-\u9fff]{2,4})")
_LEVEL_RUN = re.compile(rf"((?:{_LEVEL}[、和及与]?)+)[“\"]?$")
_LEVEL_KEY = {"国家级": "国家", "国家": "国家", "省级": "省", "市级": "市", "区级": "区", "县级": "县"}


def _levels_before(text: str, head: str) -> list[str]:
    """The levels written right before each place ``text`` names ``head`` (国家级、省级专精特新
    gives both), as first written."""
    found: list[str] = []
    for m in re.finditer(re.escape(head), text):
        run = _LEVEL_RUN.search(text[max(0, m.start() - 12):m.start()])
        if run:
            found += re.findall(_LEVEL, run.group(1))
    return list(dict.fromkeys(found))


def unstated_title_level(query: Query, scoped: Sequence[Hit]) -> tuple[str, list[str]] | None:
    """A title asked at one level (省级专精特新) when the answering clauses give it only at
    others (新认定的国家专精特新“小巨人”企业，由省级财政给予…: 省级 is who pays): (the asked
    title, those stated), else None."""
    asked = _ASKED_TITLE_LEVEL.findall(query.own_match)
    if len(asked) != 1 or not scoped:
        return None
    level, head = asked[0]
    texts = [h.clause.text_match for h in scoped]
    stated = [lv for text in texts for lv in _levels_before(text, head)]
    if not stated or _LEVEL_KEY[level] in {_LEVEL_KEY[lv] for lv in stated}:
        return None
    return f"{level}{head}", [f"{lv}{head}" for lv in dict.fromkeys(stated)]


# Closed sets a measure lists its cases from, as the genre names them: the boards and markets a
# listing award (上市挂牌奖励) pays for, each with the ways texts write it.
_LISTING_MARKETS: dict[str, tuple[str, ...]] = {
    "北交所": ("北交所", "北京证券交易所"), "科创板": ("科创板",), "创业板": ("创业板",),
    "中小板": ("中小板", "中小企业板"), "主板": ("主板",),
    "新三板": ("新三板", "全国中小企业股份转让系统", "全国股转系统"),
    "四板": ("四板", "区域性股权交易市场", "区域性股权市场", "股权交易中心"),
    "港股": ("港股", "港交所", "香港联交所", "香港交易所"),
}


def _markets(text: str) -> list[str]:
    return [name for name, forms in _LISTING_MARKETS.items() if any(f in text for f in forms)]


def unlisted_market(query: Query, scoped: Sequence[Hit], generation: Generation
                    ) -> tuple[str, list[str]] | None:
    """A board or market the asker names (在北交所上市奖多少) when the answering clause lists
    the ones its award pays for (主板、中小板、创业板…) and its document never names the asked
    one: (the asked one, those listed), else None."""
    if not scoped:
        return None
    return market_not_listed(query.own_match, scoped[0].clause.text_match,
                             _doc_texts(generation).get(scoped[0].clause.doc_id, ""))


def market_not_listed(question: str, clause: str, document: str) -> tuple[str, list[str]] | None:
    """``unlisted_market`` on texts (matching form)."""
    asked = _markets(question)
    listed = _markets(clause)
    if len(asked) != 1 or len(listed) < 2 or asked[0] in listed \
            or any(f in document for f in _LISTING_MARKETS[asked[0]]):
        return None
    return asked[0], listed


_BATCH = re.compile(r"(首|第[\d一二三四五六七八九十]{1,3})(批|期)")


def unstated_batch(query: Query, scoped: Sequence[Hit]) -> tuple[str, list[str]] | None:
    """A later batch or phase asked (第二批批了多少) when the answering clause reports other
    batches only (首批…已批出): (the asked one, those stated), else None."""
    asked = [m.group(0) for m in _BATCH.finditer(query.own_match) if m.group(1) not in ("首", "第一")]
    if len(asked) != 1 or not scoped:
        return None
    stated = list(dict.fromkeys(m.group(0) for m in _BATCH.finditer(scoped[0].clause.text_match)))
    if not stated or asked[0] in stated:
        return None
    return asked[0], stated


def other_district(query: Query, hit: Hit, generation: Generation) -> tuple[str, str] | None:
    """A county-level place asked (沙坪坝区奖多少) when the answering document is another
    county's own text (its title or issuer names 九龙坡 of the same city): (asked, the
    document's), else None. A city's or province's text may hold for its districts; another
    district's does not."""
    counties = gazetteer().counties
    asked = [p for p in query.places if p in counties]
    own = [p for p in generation.index.catalogue.doc_places.get(hit.clause.doc_id, ()) if p in counties]
    if not asked or not own or any(related(a, o) for a in asked for o in own):
        return None
    return asked[0], own[0]


# A text's definition of whom it is about (本条例所称民营经济，是指除国有独资、国有控股和外商投资之外
# 的各类经济形式): an asker of a kind it leaves out is not among those its measures are for.
_DEFINES_SCOPE = re.compile(r"本(?:条例|办法|规定|细则|法|措施|意见|实施办法|实施细则)所称")


def outside_definition(query: Query, document: Sequence[Clause]) -> tuple[Clause, TextCheck] | None:
    """The document's definition sentence that leaves out what the asker says they are (我们是
    外资企业 against …除外商投资之外…), with its check; None when none does."""
    for clause in document:
        if not _DEFINES_SCOPE.search(clause.text_match):
            continue
        for sentence in SENTENCE.findall(clause.text_match):
            if _DEFINES_SCOPE.search(sentence):
                check = check_text(sentence, query.own_match)
                if check.status == "not_met" and check.rule == "exclusion":
                    return clause, check
    return None
