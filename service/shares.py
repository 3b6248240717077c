"""Figures worked out from a clause's shares of a base the asker states, with the formula shown.

A clause often gives a rule rather than a sum: 按照发生额的60%扣除，但最高不得超过当年销售(营业)
收入的5‰; 按照其投资额的70%抵扣; 不超过500万元的部分，免征…；超过500万元的部分，减半征收; 比例
限定在企业员工总数的15%以内. When the asker states the base (业务招待费花了30万元, 营业收入2000万元,
100名员工), the figure is the share of it, a limit taken as the lower bound, each input from the
cited clause or the question:

「发生额30万元的60%为18万元；当年销售(营业)收入2000万元的5‰为10万元，按其中较低者为10万元[1]。」

Pure functions of text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from question.intent import PHRASE
from question.numbers import NUM, Quantity, format_money, format_number, money, number, people
from service.amounts import ASKS_TOTAL, total_said, word_pairs

# A share as clauses write it: 60%, 5‰, 百分之四十; or a multiple (月平均工资的三倍).
_SHARE = re.compile(rf"百分之(?P<cn>{NUM})|(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>%|‰)|"
                    rf"的(?P<times>{NUM})倍")
_SEGMENT = re.compile(r"[^,，。;；:：\n]+")
# Where the words naming a share's base start: after the verb or preposition that leads them.
_LEADS = re.compile(r"按照其|按照|按其|按|不得超过|不超过|超过|不高于|达到|占|限定在|限于|给予|为")
_LIMIT_BEFORE = re.compile(r"(?:不得超过|不超过|不高于|最高|最多|限定在|限于)[^,，]{0,20}$")
_LIMIT_AFTER = re.compile(r"^(?:\(含\))?(?:以内|以下)")
# 不超过500万元的部分…；超过500万元的部分…: a sum split at a threshold.
_SPLIT = re.compile(r"不超过(?P<t>[\d.]+万?元)的部分[,，]?(?P<low>[^;；。]+)[;；,，]\s*超过(?P=t)的部分[,，]?(?P<high>[^;；。]+)")


@dataclass(frozen=True)
class Share:
    """A share of a base: the base's words, the share in percent, whether it limits."""

    base: str
    percent: float
    written: str  # as the clause writes it (5‰, 60%)
    limit: bool
    context: str  # the words before it in its sentence (what the share is of: 业务招待费支出)


def shares(sentence: str) -> list[Share]:
    """The shares a sentence states, each with the words naming its base."""
    found: list[Share] = []
    for seg in _SEGMENT.finditer(sentence):
        text = seg.group()
        for m in _SHARE.finditer(text):
            value = number(m.group("cn") or m.group("num") or m.group("times") or "")
            if value is None:
                continue
            percent = value / 10 if m.group("unit") == "‰" else value * 100 if m.group("times") else value
            before = text[:m.start()] + ("的" if m.group("times") else "")
            base = _LEADS.split(before)[-1].removesuffix("的").strip()
            if not re.search(r"[\u4e00-\u9fff]{2}", base):
                continue
            limit = bool(_LIMIT_BEFORE.search(before) or _LIMIT_AFTER.match(text[m.end():]))
            context = sentence[:seg.start() + m.start()]
            # what the share is of is said in its own sentence: a clause read whole (for its
            # limits) must not lend an earlier sentence's words (改建费用) to a later share
            context = re.split(r"[。;；!！?？]", context)[-1]
            written = m.group().replace(" ", "").removeprefix("的")
            found.append(Share(base, percent, written, limit, context))
    return found


def _named(share: Share) -> str:
    """What a multiple is paid as (丧葬补助金按照…工资的三倍计发 → 丧葬补助金：), so that several
    read apart; a share says nothing before its base."""
    if share.percent <= 100:
        return ""
    name = _LEADS.split(re.split(r"[,，]", share.context)[-1])[0].strip()
    return f"{name}：" if 2 <= len(name) <= 12 else ""


# 其中…的比例不低于百分之六十: a share of the sum the share before it gives.
_WITHIN = re.compile(r"^\s*其中[,，]?")


def _asker_sums(asker: str) -> list[tuple[str, Quantity]]:
    """Each phrase of the asker's that states exactly one sum or one count of people."""
    out = []
    for phrase in PHRASE.finditer(asker):
        text = phrase.group()
        found = money(text) or people(text)
        if len(found) == 1:
            out.append((text, found[0]))
    return out


# A base that counts people (在职职工总人数, 员工总数), and one that is itself a rate (实际利率): a
# count of people is a base only of the first, a sum of money never of either.
_PEOPLE_BASE = re.compile(r"(?:人数|职工|员工|人员)(?:总数|总人数)?$")  # not 职工月平均工资
_RATE_BASE = re.compile(r"率|比例")


def _matched(words: str, sums: list[tuple[str, Quantity]]) -> Quantity | None:
    """The asker's one quantity of the base's kind whose phrase shares most words with
    ``words``; none on a tie."""
    if _RATE_BASE.search(words):
        return None
    unit = "人" if _PEOPLE_BASE.search(words) else "元"
    scored = sorted(((len(word_pairs(text) & word_pairs(words)), q) for text, q in sums if q.unit == unit),
                    key=lambda item: -item[0])
    if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def _say(value: float, unit: str) -> str:
    return format_money(value) if unit == "元" else f"{format_number(value)}{unit}"


def _split_line(sentence: str, sums: list[tuple[str, Quantity]]) -> str | None:
    found = _SPLIT.search(sentence)
    if not found:
        return None
    threshold = money(found.group("t"))
    stated = _matched(sentence[:found.start()], [(t, q) for t, q in sums if q.unit == "元"])
    if not threshold or stated is None:
        return None
    cut = threshold[0].value
    low, high = min(stated.value, cut), max(stated.value - cut, 0.0)
    line = f"您的{format_money(stated.value)}中，不超过{found.group('t')}的部分{format_money(low)}" \
           f"{found.group('low').strip()}"
    if high:
        line += f"，超过{found.group('t')}的部分{format_money(high)}{found.group('high').strip()}"
    return line


# 比照其…增量部分,分别按50%、40%、30%的比例给予扶持: shares of an increase, year by year.
_OF_INCREASE = re.compile(r"增量|增加额|新增部分|增长部分|增加部分")
_YEARLY_SHARES = re.compile(r"分别按(?:照)?(?P<list>\d+(?:\.\d+)?%(?:[、,，和及]\d+(?:\.\d+)?%)+)")
# How an asker states an increase: 比去年多了40万, 多交了30万, 增加了40万, 从60万涨到100万.
_ROSE_BY = re.compile(r"(?:多(?:交|缴|纳|赚|卖|收|挣)?了|增加了|增长了|涨了|多出|增加|增量(?:是|为|有)?)"
                      r"(?P<by>[^,，。;；?？]{1,8})")
_ROSE_FROM = re.compile(r"从[^,，。;；?？]{0,16}?(?:涨|增加|增长|提高|升)到[^,，。;；?？]{0,12}")


def _increase(asker: str) -> float | None:
    """The increase the asker states, in 元: 多了40万, or 从60万涨到100万 (their difference)."""
    if m := _ROSE_FROM.search(asker):
        found = money(m.group(0))
        if len(found) == 2 and found[1].value > found[0].value:
            return found[1].value - found[0].value
    found = [q for m in _ROSE_BY.finditer(asker) for q in money(m.group("by"))]
    return found[0].value if len(found) == 1 else None


def _increase_line(sentence: str, asker: str) -> str | None:
    """「增量40万元按第一年50%为20万元（第二年40%为16万元，第三年30%为12万元）」 when the sentence gives
    shares of an increase year by year and the asker states their increase."""
    listed = _YEARLY_SHARES.search(sentence)
    if not listed or not _OF_INCREASE.search(sentence[:listed.start()]):
        return None
    rose = _increase(asker)
    if rose is None:
        return None
    rates = [float(r) for r in re.findall(r"\d+(?:\.\d+)?(?=%)", listed.group("list"))]
    ordinals = "一二三四五六七八九十"
    years = [f"第{ordinals[i]}年{format_number(r)}%为{format_money(rose * r / 100)}" for i, r in enumerate(rates[:10])]
    return f"增量{format_money(rose)}按{years[0]}（{'，'.join(years[1:])}）"


def computed_line(sentences: list[str], asker: str) -> str | None:
    """The figure the asker's stated base gives under the first sentence whose shares (or split
    at a threshold) apply to it, with the formula; None when none does."""
    sums = _asker_sums(asker)
    for sentence in sentences:
        if rose := _increase_line(sentence, asker):
            return rose
        if not sums:
            continue
        if split := _split_line(sentence, sums):
            return split
        worked: list[tuple[Share, Quantity, float]] = []
        within: list[str] = []
        for share in shares(sentence):
            stated = _matched(share.base, sums) or (
                None if _RATE_BASE.search(share.base) or _PEOPLE_BASE.search(share.base)
                else _matched(share.context + share.base, [(t, q) for t, q in sums if q.unit == "元"]))
            if stated is not None:
                worked.append((share, stated, stated.value * share.percent / 100))
            elif worked and (lead := _WITHIN.match(share.context)) and worked[-1][1].unit == "元":
                # 其中,预留给小型微型企业的比例不低于百分之六十: of the sum just worked out
                words = share.context[lead.end():].strip()
                within.append(f"其中{words}{share.written}，即{total_said(worked[-1][2] * share.percent / 100)}")
        if not worked:
            continue
        parts = [f"{_named(s)}{s.base}{_say(q.value, q.unit)}的{s.written}为"
                 f"{total_said(v) if s.percent > 100 else _say(v, q.unit)}" for s, q, v in worked]
        line = "；".join(parts)
        units = {q.unit for _, q, _ in worked}
        if len(worked) > 1 and any(s.limit for s, _, _ in worked) and len(units) == 1:
            line += f"，按其中较低者为{_say(min(v for _, _, v in worked), units.pop())}"
        elif len(worked) > 1 and all(s.percent > 100 for s, _, _ in worked) and ASKS_TOTAL.search(asker):
            line += f"，共{total_said(sum(v for _, _, v in worked))}"  # 丧葬补助金和抚恤金一共
        return "；".join([line, *within])
    return None

