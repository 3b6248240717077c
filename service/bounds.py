"""Numeric bounds a clause sentence sets (自主化率必须达到70%以上, 45周岁以下, 面积不小于25m2,
缴费12个月以上) against the figures a question states (国产化做到了65%, 今年47岁, 只有20平米).

Owns reading bounds from any subject, not only the typed ones of ``corpus.facts`` (an age, an
area, a share of a price, a count of posts), and pairing each with the asker's figure of the same
kind of quantity, by the words around both when there are several. It decides ``met``,
``not_met`` or ``unknown`` for one sentence; ``service.situations`` calls it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from question.circumstances import parse_circumstances, situation
from question.numbers import (
    Quantity,
    areas,
    format_number,
    money,
    number,
    people,
    percents,
    periods,
)
from service.terms import official, shared, terms, weight

_BEFORE = {"不低于": ">=", "不少于": ">=", "不小于": ">=", "达到": ">=", "达": ">=", "满": ">=",
           "至少": ">=", "超过": ">", "高于": ">", "大于": ">", "多于": ">", "不高于": "<=",
           "不超过": "<=", "不大于": "<=", "不多于": "<=", "未超过": "<=", "未逾": "<=",
           "低于": "<", "少于": "<", "小于": "<", "未满": "<", "不满": "<", "不足": "<",
           "不得低于": ">=", "不得少于": ">=", "不得超过": "<=", "不得高于": "<="}
_BEFORE_RE = re.compile("|".join(sorted(_BEFORE, key=len, reverse=True)))
_AFTER_RE = re.compile(r"^(?:\((?:含|不含)\))?(?:及|或)?(?P<dir>以上|以下|以内|之内|内)(?:\((?P<x>含|不含)\))?")
# A number that is what a measure gives, not a bound on the enterprise.
_GIVEN = re.compile(r"(?:给予|奖励|补贴|补助|资助|贴息|最高|最多|上限|封顶|标准为|每[^,;]{0,6})[^,;、]{0,6}$")
_GIVEN_AFTER = re.compile(r"^(?:的)?(?:比例)?(?:给予|予以|奖励|补贴|补助|资助|贴息|奖补|返还)")
# 30人(含)以下的参保企业: a bound that says which enterprises the rest of the sentence is for.
_GUARD = re.compile(r"^(?:\((?:含|不含)\))?(?:及)?(?:以上|以下)?(?:\((?:含|不含)\))?的[\u4e00-\u9fff]{0,4}"
                    r"(?:企业|单位|公司|个人|人员|项目)")
# 自…之日起, 从…起: a period counted from an event.
_FROM_EVENT = re.compile(r"(?:之日|当日|次日|之月|当月|次月)?起(?:的)?$")
# 最近3年内没有…, 近两年未发生…: the years a record of absence covers.
_LOOK_BACK = re.compile(r"^(?:内|以内|之内)[,，]?(?:[\u4e00-\u9fff]{0,4}?)(?:没有|无|未|不得有|不存在)")
_RANGE = re.compile(r"(?:\(含\))?(?:至|到|-|—|–|~|～)(?:不超过|不足|低于)?")
_COUNT = re.compile(r"(?P<num>\d+|[一二两三四五六七八九十百]+)(?:多|余)?(?:个|家|项|名|位|台|套|件|次)"
                    r"(?!月|人|半|工作日|百分点|点)")


@dataclass(frozen=True)
class Bound:
    q: Quantity
    comparator: str
    context: frozenset[str]
    guard: bool = False
    either: int = -1  # bounds with the same number are alternatives (持股25%以上或员工30%以上)


def _family(unit: str) -> str:
    return "count" if unit in ("人", "个") else unit


def _counts(text: str) -> list[Quantity]:
    return [Quantity(number(m.group("num")) or 0.0, "个", m.start(), m.end())
            for m in _COUNT.finditer(text) if number(m.group("num")) is not None]


_READERS: tuple[Callable[[str], list[Quantity]], ...] = (money, percents, people, periods, areas,
                                                        _counts)


def quantities(text: str) -> list[Quantity]:
    found = sorted((q for read in _READERS for q in read(text)), key=lambda q: (q.start, -q.end))
    kept: list[Quantity] = []
    for q in found:
        if not kept or q.start >= kept[-1].end:
            kept.append(q)
    return kept


def _context(text: str, q: Quantity, asker: bool = False) -> frozenset[str]:
    start = max(text.rfind(c, 0, q.start) for c in ",;、:(") + 1
    if asker and start > 0 and q.start - start <= 4 and re.match(r"了?(?:[,;。?!]|$)", text[q.end:]):
        # 注册了公司,现在刚满8个月: a figure whose own phrase names nothing (not 签了两年合同) is
        # about what the phrase before names
        start = max(text.rfind(c, 0, start - 1) for c in ",;、:(") + 1
    # the words after stop where the phrase does: 女性不超过55周岁、男性不超过60周岁 gives the
    # 55 to 女性 alone
    end = min((at for at in (text.find(c, q.end) for c in ",;、:()。") if at >= 0), default=len(text))
    words = text[max(start, q.start - 12):q.start] + text[q.end:min(end, q.end + 4)]
    return frozenset(terms(official(words) if asker else words))


def bounds(sentence: str) -> list[Bound]:
    """The bounds a sentence sets, in order (a range 超过35周岁不满45周岁 gives two)."""
    found: list[Bound] = []
    qs = quantities(sentence)
    ranged: dict[int, str] = {}  # 18周岁至35周岁(之间): a lower and an upper bound
    for a, b in zip(qs, qs[1:], strict=False):
        if _family(a.unit) == _family(b.unit) and _RANGE.fullmatch(sentence[a.end:b.start]):
            ranged[a.start], ranged[b.start] = ">=", "<="
    for q in qs:
        before, after = sentence[max(0, q.start - 16):q.start], sentence[q.end:q.end + 12]
        if _GIVEN.search(before[-8:]) or _GIVEN_AFTER.match(after):
            continue
        if q.unit == "年" and _LOOK_BACK.match(after):
            continue  # 最近3年内没有重大违法: a window looked back over, not a bound on a figure
        if _FROM_EVENT.search(before) and re.match(r"(?:内|以内|之内)", after):
            continue  # 自签订劳动合同之日起2年内: when to apply, not a length the asker states
        comparator = ranged.get(q.start, "")
        if comparator:
            pass
        elif m := _AFTER_RE.match(after):
            low = m.group("dir") == "以上"
            comparator = (">=" if low else "<=") if m.group("x") != "不含" else (">" if low else "<")
        elif words := [w for w in _BEFORE_RE.finditer(before)
                       if not re.search(r"[,;、]", before[w.end():])]:
            comparator = _BEFORE[words[-1].group(0)]  # the nearest: 超过35周岁不满45周岁
        if comparator:
            found.append(Bound(q, comparator, _context(sentence, q), bool(_GUARD.match(after))))
    # a guard only when something after it is bounded too
    found = [b if not b.guard or any(o.q.start > b.q.start for o in found) else
             Bound(b.q, b.comparator, b.context) for b in found]
    # A或B: alternatives when only 或 (no comma, no 且/并) lies between two bounds
    group = 0
    for i in range(1, len(found)):
        gap = sentence[found[i - 1].q.end:found[i].q.start]
        if "或" in gap and not re.search(r"[,;。]|且|并|同时", gap):
            prev = found[i - 1]
            if prev.either < 0:
                group += 1
                found[i - 1] = Bound(prev.q, prev.comparator, prev.context, prev.guard, group)
            cur = found[i]
            found[i] = Bound(cur.q, cur.comparator, cur.context, cur.guard, found[i - 1].either)
    # an alternative is told apart by the words the others lack (持股 from 员工人数; both say 港澳青年)
    told_apart = []
    ends = [0] + [f.q.end for f in found]
    lead = [frozenset(terms(sentence[max(ends[n], f.q.start - 24):f.q.start])) for n, f in enumerate(found)]
    for n, f in enumerate(found):
        others = frozenset().union(*(lead[m] for m, o in enumerate(found)
                                     if m != n and f.either >= 0 and o.either == f.either))
        told_apart.append(Bound(f.q, f.comparator, (f.context - others) or f.context, f.guard, f.either))
    return told_apart


def holds(value: float, comparator: str, bound: float) -> bool:
    return {">=": value >= bound - 1e-9, ">": value > bound + 1e-9, "<=": value <= bound + 1e-9,
            "<": value < bound - 1e-9}[comparator]


# A relative's age (老婆和10岁的儿子) is not the asker's.
_KIN = re.compile(r"儿子|女儿|孩子|小孩|子女|老婆|妻子|丈夫|老公|爱人|配偶|父亲|母亲|爸|妈|父母|老人")


def _phrase_of(text: str, q: Quantity) -> str:
    """The phrase (between commas and stops) a quantity stands in."""
    start = max(text.rfind(c, 0, q.start) for c in ",，;；。?？!！") + 1
    ends = [at for at in (text.find(c, q.end) for c in ",，;；。?？!！") if at >= 0]
    return text[start:min(ends, default=len(text))]


_BEFORE_END = re.compile(f"(?:{_BEFORE_RE.pattern})$")


# In the asker's words 满 and 达到 state their own figure (刚满8个月, 营收达到8000万).
_OWN_VALUE = frozenset({"满", "达到", "达"})


def _qualified(question: str, q: Quantity) -> bool:
    """A figure written as a bound (超过35岁, 50人以上) rather than as a value."""
    before = _BEFORE_END.search(question, 0, q.start)
    return bool((before and before.group(0) not in _OWN_VALUE)
                or _AFTER_RE.match(question[q.end:q.end + 6]))


def _stated(question: str) -> list[tuple[Quantity, frozenset[str]]]:
    # not a time ahead (三年后想迁走) or a part asked about (每人补多少), nor a relative's age
    found = [q for q in quantities(question)
             if not re.match(r"(?:以后|之后|后|内)", question[q.end:q.end + 2])
             and not (q.unit == "岁" and _KIN.search(_phrase_of(question, q)))]
    # 我42岁…超过35岁了还能适用吗: beside the asker's own figure, one written as a bound quotes
    # the rule asked about, it is not a second figure of theirs
    exact = {_family(q.unit) for q in found if not _qualified(question, q)}
    return [(q, _context(question, q, asker=True)) for q in found
            if not (_qualified(question, q) and _family(q.unit) in exact)]


def _pick(bound: Bound, stated: list[tuple[Quantity, frozenset[str]]], topical: bool,
          every: bool = False) -> list[Quantity]:
    """The asker's figures this bound is about: of the same kind of quantity, those whose words
    best match the bound's. A figure that shares no word with it counts only when it is the
    asker's one figure of that kind and either an age or in a sentence on the asker's topic
    (国产化做到了65% against 系统的自主化率必须达到70%以上 in a sentence on 装备), and the bound is
    no alternative of another (持股25%以上或员工30%以上: 持股只有20% is not the staff's share)."""
    same = [(q, ctx) for q, ctx in stated if _family(q.unit) == _family(bound.q.unit)]
    if not same:
        return []
    scored = [(len(ctx & bound.context), q) for q, ctx in same]
    best = max(s for s, _ in scored)
    if best == 0 and (bound.either >= 0 or not (len(same) == 1 and (bound.q.unit == "岁" or topical))):
        return []
    if every and best > 0:  # 前年接收了55个、去年接收了48个: each year's figure is the bound's
        return [q for s, q in scored if s > 0]
    return [q for s, q in scored if s == best]


def _combine(statuses: list[str]) -> str:
    if statuses and all(s == "met" for s in statuses):
        return "met"
    if statuses and all(s == "not_met" for s in statuses):
        return "not_met"
    return "unknown"


# A bound every period must meet (连续两年每年接收…超过50人, 近三年均…): each of the asker's
# figures for it counts, so one that fails fails it.
_EVERY = re.compile(r"每年|每个?年度|连续[^,;。]{0,3}年|(?<![平人])均|各年")  # not 平均, 人均


def _judge(bound: Bound, stated: list[tuple[Quantity, frozenset[str]]],
           topical: bool, every: bool = False) -> tuple[str, Quantity | None]:
    picked = _pick(bound, stated, topical, every)
    statuses = ["met" if holds(q.value, bound.comparator, bound.q.value) else "not_met" for q in picked]
    if every and "not_met" in statuses:
        failing = picked[statuses.index("not_met")]
        return "not_met", failing
    return _combine(statuses), picked[0] if picked else None


def check_bounds(sentence: str, question: str) -> tuple[str, str, str]:
    """(status, the bound as the sentence writes it, the asker's figure as written)."""
    stated = _stated(question)
    if not stated:
        return "unknown", "", ""
    asked = frozenset(terms(official(question))) | _sex_words(question)
    topical = weight(shared(sentence, situation(question))) >= 1
    results: list[tuple[str, Bound, Quantity]] = []
    skip_until = -1
    for b in bounds(sentence):
        if b.q.start < skip_until:
            continue
        status, q = _judge(b, stated, topical,
                           every=bool(_EVERY.search(sentence[max(0, b.q.start - 16):b.q.start])))
        if q is None:
            if b.either >= 0:  # an alternative the asker's figures do not bear on keeps it open
                results.append(("unknown", b, b.q))
            continue
        if b.guard:
            if status == "not_met":  # the rest of the phrase is for other enterprises
                nxt = sentence.find(";", b.q.end)
                skip_until = nxt if nxt >= 0 else len(sentence)
            continue
        results.append((status, b, q))
    results = _either(results)
    results = _alternatives(results, asked)
    decided = [r for r in results if r[0] != "unknown"]
    if not decided:
        return "unknown", "", ""
    failing = [r for r in decided if r[0] == "not_met"]
    _, b, q = failing[0] if failing else decided[0]
    phrase_start = max(sentence.rfind(c, 0, b.q.start) for c in ",;、:") + 1
    after = _AFTER_RE.match(sentence[b.q.end:b.q.end + 12])
    required = sentence[phrase_start:b.q.end + (after.end() if after else 0)]
    # the asker's figure with the words of its own phrase before it (融资800万美元), not a cut
    # through the phrase before (板上市,融资800万美元)
    told_start = max(question.rfind(c, 0, q.start) for c in ",;、:，；。?？") + 1
    if q.start - told_start > 12:  # a long phrase: its last words
        told_start = q.start - 6
    return ("not_met" if failing else "met"), required, question[told_start:q.end]


def _either(results: list[tuple[str, Bound, Quantity]]) -> list[tuple[str, Bound, Quantity]]:
    """A或B: met when either is met, not met when both fail."""
    out: list[tuple[str, Bound, Quantity]] = []
    groups: dict[int, list[tuple[str, Bound, Quantity]]] = {}
    for r in results:
        if r[1].either < 0:
            out.append(r)
        else:
            groups.setdefault(r[1].either, []).append(r)
    for group in groups.values():
        met = [r for r in group if r[0] == "met"]
        if met:
            out.append(met[0])
        elif all(r[0] == "not_met" for r in group):
            out.append(group[0])
        else:
            out.append(("unknown", group[0][1], group[0][2]))
    return out


# The asker's sex as askers state it (男，58岁; 我是女的; 本人女): bounds set apart for 男性 and 女性
# (女性不超过55周岁、男性不超过60周岁) are alternatives, and the asker's own is the one that holds.
_SEX = re.compile(r"(?<![\u4e00-\u9fff])(男|女)(?![\u4e00-\u9fff])|"
                  r"(?:我|本人)(?:是)?(?:一[名位个])?(男|女)(?:的|性|士)?(?![\u4e00-\u9fff]{0,1}[儿朋友])")
_SEXES = frozenset({"男性", "女性"})


def _sex_words(question: str) -> frozenset[str]:
    said = {m.group(1) or m.group(2) for m in _SEX.finditer(question)}
    return frozenset({f"{said.pop()}性"}) if len(said) == 1 else frozenset()


def _alternatives(results: list[tuple[str, Bound, Quantity]],
                  asked: frozenset[str]) -> list[tuple[str, Bound, Quantity]]:
    """Bounds of one kind in one direction are alternatives for different subjects (单机100万元,
    成套500万元; 男性60周岁, 女性55周岁): keep those whose words the question shares most."""
    out: list[tuple[str, Bound, Quantity]] = []
    groups: dict[tuple[str, bool], list[tuple[str, Bound, Quantity]]] = {}
    for r in results:
        groups.setdefault((_family(r[1].q.unit), r[1].comparator.startswith(">")), []).append(r)
    for group in groups.values():
        # bounds set apart by sex hold by the asker's sex alone; unsaid, they stay open together
        by_sex = any(r[1].context & _SEXES for r in group)
        scores = [len(r[1].context & asked & (_SEXES if by_sex else r[1].context)) for r in group]
        tied = [r for r, score in zip(group, scores, strict=True) if score == max(scores)]
        out.append((_combine([r[0] for r in tied]), tied[0][1], tied[0][2]))
    return out


# 培训人员的比例限定在企业员工总数的15%以内: a share of a whole the asker states as two counts
_SHARE_OF = re.compile(r"(?:比例|率)(?P<cap>不高于|不超过|不得超过|低于|不低于|不少于|达到)?[^,;。]{0,8}?"
                       r"(?P<whole>[\u4e00-\u9fff]{2,4})(?:总数|总人数|人数)的?"
                       r"(?P<n>\d+(?:\.\d+)?)%(?P<dir>以内|之内|以下|以上)?")
_SHARE_FLOOR = ("不低于", "不少于", "达到")


def share_of_total(sentence: str, question: str) -> tuple[str, str, str] | None:
    """(status, the bound, the asker's counts) when the sentence bounds a share of a whole
    (…比例…员工总数的15%以内) and the asker states the whole (100名员工) and one other count
    (送25个人); None otherwise."""
    m = _SHARE_OF.search(sentence)
    if not m or not (m.group("cap") or m.group("dir")):
        return None
    # the whole as the asker names it: 员工 of 企业员工, or 参保 of 参保职工 (参保25个人)
    whole_words = {m.group("whole")[-2:], m.group("whole")[:2]}
    counts = people(question)
    wholes = [q for q in counts
              if any(w in question[max(0, q.start - 3):q.end + 3] for w in whole_words)]
    if not wholes:  # 18人的小企业，裁了5个人: the headcount the asker states is the whole
        staff = parse_circumstances(question).staff
        wholes = [q for q in counts if staff is not None and q.value == staff]
    parts = [q for q in counts if q not in wholes]
    if len(wholes) != 1 or len(parts) != 1 or not wholes[0].value:
        return None
    share = 100 * parts[0].value / wholes[0].value
    comparator = ">=" if m.group("dir") == "以上" or m.group("cap") in _SHARE_FLOOR else "<="
    status = "met" if holds(share, comparator, float(m.group("n"))) else "not_met"
    named = re.search(r"[\u4e00-\u9fff]{0,2}$", sentence[:m.start()])  # 裁员率: the rate's own name
    told = "，".join(_phrase_of(question, q) for q in sorted((wholes[0], parts[0]), key=lambda q: q.start))
    return (status, (named.group(0) if named else "") + m.group(0),
            f"{told}，即{format_number(round(share, 1))}%")
