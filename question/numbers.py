"""Numbers as askers write them: ``8000万``, ``1.2个亿``, ``三千万``, ``两千多万``, ``5%左右``,
``百分之五``, ``5个点``, ``两成``, ``一半``, ``两年半``, ``8个月``, ``120人``.

Owns reading numerals and quantities in matching-form text (simplified, NFKC) into the units facts
compare in (money 元, shares percent, staff 人, periods 年, ages 岁). It does not know what a
number is about: ``question.circumstances`` decides that from the words around it. Approximate
words (左右, 大概, 约, 多, 余) are read as the number itself.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date

# The numerals are read as documents write them (corpus.quantities), 俩 included.
from corpus.quantities import CN_NUMERAL, cn_number

# An Arabic number (1,000 and 1.5 included) or a run of Chinese numerals.
NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{CN_NUMERAL}]+)"
_MORE = r"(?:多|余|来)?"


def number(text: str) -> float | None:
    """An Arabic or Chinese numeral as written (``1,200`` → 1200.0, ``三`` → 3.0)."""
    text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return cn_number(text)


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str  # 元 | % | 人 | 年 | 岁 | 月 | 平方米 | 个
    start: int
    end: int


_MONEY = re.compile(
    rf"(?P<num>{NUM})(?P<scale>[十百千])?{_MORE}(?:个)?(?P<big>万亿|千万|百万|万|亿)?{_MORE}"
    r"(?:(?P<foreign>美元|港元|港币|澳门元|澳门币|澳元|欧元|日元|英镑)|(?P<yuan>元|块钱|块)?(?:人民币)?)")
# A sum in another currency keeps it as its unit: 1000万美元 is no bound on a sum in 元.
_CURRENCY = {"港币": "港元", "澳门币": "澳门元"}
_SCALE = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "百万": 1_000_000, "千万": 10_000_000,
          "亿": 100_000_000, "万亿": 1e12}
_PERCENT = re.compile(rf"百分之(?P<cn>{NUM})|(?P<num>{NUM})(?:%|个百分点|个点)|(?P<tenth>{NUM})成(?!员|立|交|果|本|功|为|都)")
_HALF = re.compile(r"(?<![一二两三四五六七八九十\d])(?:一半|半数)")
_PEOPLE = re.compile(rf"(?P<num>{NUM}){_MORE}(?:个|名|位)?(?:人(?!员|才|民|事|口|均)|(?=员工|职工|工人|雇员))")
_PERIOD = re.compile(rf"(?P<num>{NUM})(?P<half>个半|年半)?{_MORE}(?P<unit>周年|年|个月|月|周岁|岁)(?P<half2>半)?")
_AREA = re.compile(rf"(?P<num>{NUM}){_MORE}(?:平方米|平米|平方|㎡|m2|亩)")


def _valid(text: str) -> bool:
    return number(text) is not None


def _counted(raw: str) -> bool:
    """A numeral that counts something: it has a digit (``三千万``, ``8000``) or starts with 十
    (``十万``), unlike the idiom ``千万`` (by all means)."""
    return bool(re.search(r"[\d零〇○一二两俩三四五六七八九]", raw)) or raw.startswith("十")


def money(text: str) -> list[Quantity]:
    """Sums of money in 元; a bare number is money only with 万/亿/元/块 (``8000万``, ``三千万``,
    ``1.2个亿``, ``两千多万``, ``40万元``). A sum in another currency (800万美元) has that
    currency as its unit."""
    out: list[Quantity] = []
    for m in _MONEY.finditer(text):
        raw = m.group("num")
        foreign = m.group("foreign")
        if not _valid(raw) or not (m.group("big") or m.group("yuan") or foreign or re.search("[万亿]", raw)):
            continue
        if not (_counted(raw) or m.group("yuan") or foreign):
            continue
        if re.match(r"(?:年|月|日|号|%|个月|人|岁)", text[m.end():m.end() + 2]):
            continue
        value = number(raw) or 0.0
        for scale in (m.group("scale"), m.group("big")):
            if scale:
                value *= _SCALE[scale]
        unit = _CURRENCY.get(foreign, foreign) if foreign else "元"
        out.append(Quantity(value, unit, m.start(), m.end()))
    return out


def percents(text: str) -> list[Quantity]:
    """Shares in percent: ``5%``, ``百分之五``, ``5个点``, ``两成`` (20), ``一半`` (50)."""
    out: list[Quantity] = []
    for m in _PERCENT.finditer(text):
        raw = m.group("cn") or m.group("num") or m.group("tenth")
        value = number(raw)
        if value is None:
            continue
        out.append(Quantity(value * 10 if m.group("tenth") else value, "%", m.start(), m.end()))
    out += [Quantity(50.0, "%", m.start(), m.end()) for m in _HALF.finditer(text)]
    return sorted(out, key=lambda q: q.start)


def people(text: str) -> list[Quantity]:
    return [Quantity(number(m.group("num")) or 0.0, "人", m.start(), m.end())
            for m in _PEOPLE.finditer(text) if _valid(m.group("num"))]


def periods(text: str) -> list[Quantity]:
    """Lengths of time in 年 (``两年半`` → 2.5, ``8个月`` → 0.667) and ages in 岁 (``47岁``)."""
    out: list[Quantity] = []
    for m in _PERIOD.finditer(text):
        value = number(m.group("num"))
        if value is None:
            continue
        unit = m.group("unit")
        half = 0.5 if (m.group("half") or m.group("half2")) else 0.0
        if unit in ("岁", "周岁"):
            out.append(Quantity(value + half, "岁", m.start(), m.end()))
        elif unit in ("个月", "月") and (m.group("half") == "个半" or unit == "个月"):
            out.append(Quantity((value + half) / 12, "年", m.start(), m.end()))
        elif unit in ("年", "周年"):
            if value >= 1900 and not half:  # a calendar year (2024年), not a length
                continue
            out.append(Quantity(value + half, "年", m.start(), m.end()))
    return out


def areas(text: str) -> list[Quantity]:
    return [Quantity(number(m.group("num")) or 0.0, "平方米", m.start(), m.end())
            for m in _AREA.finditer(text) if _valid(m.group("num"))]


def format_number(value: float, digits: int = 2) -> str:
    """``5.0`` → ``5``, ``1.25`` → ``1.25``, ``0.3333`` → ``0.33``."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text or "0"


def format_money(yuan: float) -> str:
    """Money the way documents write it: ``500000`` → ``50万元``, ``120000000`` → ``1.2亿元``,
    ``15000000`` → ``1500万元``, ``2000`` → ``2000元``."""
    if abs(yuan) >= 100_000_000:
        return f"{format_number(yuan / 100_000_000, 4)}亿元"
    if abs(yuan) >= 10_000:
        return f"{format_number(yuan / 10_000)}万元"
    return f"{format_number(yuan)}元"


@dataclass(frozen=True)
class DateSpan:
    """A calendar date as written, as the days it may mean: ``2024年10月18日`` is one day,
    ``2024年9月底`` the last ten days of September, ``2019年6月`` the month, ``2016年`` the year."""

    lo: date
    hi: date
    start: int
    end: int


_DATE = re.compile(r"(?:(?P<y>(?:19|20)\d\d)年)?(?:(?P<m>1[0-2]|0?[1-9])月(?:份)?"
                   r"(?:(?P<d>3[01]|[12]\d|0?[1-9])(?:日|号)|(?P<part>底|末|初|中旬|上旬|下旬|中))?)?")


def dates(text: str) -> list[DateSpan]:
    """Dates in ``text``; a month without its year (至5月31日) takes the year before it. A bare
    year counts only when it is not a number's scope (2014年主营业务收入 is kept: the caller
    decides from the words around it)."""
    out: list[DateSpan] = []
    year: int | None = None
    for m in _DATE.finditer(text):
        if not m.group(0) or not (m.group("y") or m.group("m")):
            continue
        if m.group("y"):
            year = int(m.group("y"))
        elif year is None or re.match(r"\d", text[max(0, m.start() - 1):m.start()] or "x"):
            continue
        if m.group("m") is None:
            out.append(DateSpan(date(year, 1, 1), date(year, 12, 31), m.start(), m.end()))
            continue
        month = int(m.group("m"))
        last = monthrange(year, month)[1]
        if m.group("d"):
            day = min(int(m.group("d")), last)
            lo = hi = date(year, month, day)
        else:
            lo_day, hi_day = {"底": (21, last), "末": (21, last), "下旬": (21, last),
                              "初": (1, 10), "上旬": (1, 10), "中旬": (11, 20),
                              "中": (11, 20)}.get(m.group("part") or "", (1, last))
            lo, hi = date(year, month, lo_day), date(year, month, hi_day)
        out.append(DateSpan(lo, hi, m.start(), m.end()))
    return out
