"""Numbers as Chinese official documents write them, read into the units facts compare in.

Owns numerals (``3``, ``0.5``, ``三``, ``两千``, ``一亿五千万``, ``百分之五十``, ``三分之一``) and
quantities with their unit: money in 元 (``50万元``, ``一亿元``), shares in percent, staff in 人,
periods in 年 (``6个月`` → 0.5), plus calendar dates (``2024年5月31日``, ``2024年12月底``)
as ISO strings. Text is in matching form (simplified, NFKC). Nothing here knows what a number
is about; ``extract_facts`` decides that from the words around it.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass

CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL = "零〇○一二两俩三四五六七八九十百千万亿"
# An Arabic number (1,000 and 1.5 included) or a run of Chinese numerals, optionally 半 (一年半).
NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{CN_NUMERAL}]+)"


def cn_number(text: str) -> float | None:
    """``两千`` → 2000, ``一亿五千万`` → 150000000, ``十五`` → 15, ``二〇二四`` → 2024."""
    if not text or any(c not in CN_DIGITS and c not in _CN_UNITS and c not in "万亿"
                       for c in text):
        return None
    if all(c in CN_DIGITS for c in text):  # digit by digit: 二〇二四
        return float(int("".join(str(CN_DIGITS[c]) for c in text)))
    total, wan, section, digit = 0, 0, 0, 0
    for char in text:
        if char in CN_DIGITS:
            digit = CN_DIGITS[char]
        elif char in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[char]
            digit = 0
        elif char == "万":
            wan += (section + digit or 1) * 10_000
            section, digit = 0, 0
        else:  # 亿 closes everything before it
            total = (total + wan + section + digit or 1) * 100_000_000
            wan, section, digit = 0, 0, 0
    return float(total + wan + section + digit)


def number(text: str) -> float | None:
    """An Arabic or Chinese numeral as a float."""
    text = text.strip()
    if not text:
        return None
    if text[0].isdigit():
        try:
            return float(text.replace(",", ""))
        except ValueError:
            return None
    return cn_number(text)


_MAGNITUDE = {"": 1, "千": 1000, "万": 10_000, "亿": 100_000_000, "万亿": 10**12,
              "百万": 1_000_000, "千万": 10_000_000}


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str  # 元 | % | 人 | 年 | 美元 | 日 | 个 | 家 | 项 …
    start: int
    end: int
    text: str


# Money: 50万元, 0.5万元, 一亿元, 两千万元, 1000万美元, 10000元, 200元/亩 (per-unit prices are
# marked by the caller from what follows).
_MONEY = re.compile(
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{CN_NUMERAL}]+?)"
    r"(?P<mag>万亿|百万|千万|亿|万|千)?(?P<cur>元人民币|元|美元|港元|港币|欧元)")
_PERCENT = re.compile(rf"(?P<num>\d+(?:\.\d+)?)\s*%|百分之(?P<cn>[{CN_NUMERAL}点]+)"
                      rf"|(?P<den>[一二三四五六七八九十]+)分之(?P<nom>[一二三四五六七八九十]+)")
_PEOPLE = re.compile(rf"(?P<num>{NUM})(?:名|人|位)(?!民|员|才|口|次|均|社|事|大|工|力|脉)")
_PERIOD = re.compile(rf"(?<![\d.])(?P<num>{NUM})(?P<unit>个月|个半月|周年|年半|年|个?会计年度|个?纳税年度|周岁|岁)"
                     r"(?![\d一二三四五六七八九十]{1,2}月)")


def _money_value(num: str, mag: str) -> float | None:
    value = number(num)
    if value is None:
        return None
    return value * _MAGNITUDE.get(mag or "", 1)


def money(text: str, offset: int = 0) -> list[Quantity]:
    found = []
    for m in _MONEY.finditer(text):
        value = _money_value(m.group("num"), m.group("mag") or "")
        if value is None:
            continue
        unit = "元" if m.group("cur").startswith("元") else m.group("cur")
        found.append(Quantity(value, unit, m.start() + offset, m.end() + offset, m.group(0)))
    return found


def percents(text: str, offset: int = 0) -> list[Quantity]:
    found = []
    for m in _PERCENT.finditer(text):
        if m.group("num"):
            value: float | None = float(m.group("num"))
        elif m.group("cn"):
            whole, _, frac = m.group("cn").partition("点")
            value = cn_number(whole)
            if value is not None and frac:
                value += float("0." + "".join(str(CN_DIGITS.get(c, 0)) for c in frac))
        else:
            den, nom = cn_number(m.group("den")), cn_number(m.group("nom"))
            value = round(100 * nom / den, 2) if den and nom is not None else None
        if value is not None:
            found.append(Quantity(value, "%", m.start() + offset, m.end() + offset, m.group(0)))
    return found


def people(text: str, offset: int = 0) -> list[Quantity]:
    found = []
    for m in _PEOPLE.finditer(text):
        value = number(m.group("num"))
        if value is not None and not re.match(r"[\d.]", text[m.end():m.end() + 1]):
            found.append(Quantity(value, "人", m.start() + offset, m.end() + offset, m.group(0)))
    return found


def periods(text: str, offset: int = 0) -> list[Quantity]:
    """Durations in 年 (months are twelfths); ages (周岁) in 年 with unit 岁. A four-digit year
    (2024年) is a date, not a period."""
    found = []
    for m in _PERIOD.finditer(text):
        raw = m.group("num")
        value = number(raw)
        if value is None or value >= 100 or (raw.isdigit() and len(raw) >= 3):
            continue
        unit = m.group("unit")
        if unit.endswith("月"):
            value = round(value / 12, 4)
        if "半" in unit:
            value += 0.5 / 12 if unit.endswith("月") else 0.5
        kind = "岁" if unit.endswith("岁") else "年"
        found.append(Quantity(value, kind, m.start() + offset, m.end() + offset, m.group(0)))
    return found


# Dates: 2024年5月31日, 2024-05-31, 2024.5.31, 2024/5/31, 二〇二四年五月三十一日, 2024年12月底,
# 2024年底, 2024年12月 (a month: its first day as a start, its last day as an end).
_Y = r"(?P<y>[12]\d{3}|[〇○零一二三四五六七八九]{4})"
_MD = r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})"
_D = r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})"
DATE = re.compile(
    rf"{_Y}\s*(?:年\s*{_MD}\s*月\s*(?:{_D}\s*[日号]|(?P<mend>底|末))?"
    r"|[-./]\s*(?P<m2>\d{1,2})\s*[-./]\s*(?P<d2>\d{1,2})(?!\d)"
    r"|年\s*(?P<yend>底|末|年底))")


@dataclass(frozen=True)
class DateSpan:
    first: str  # ISO: the day, or the first day of a month
    last: str  # ISO: the day, or the last day of a month / year
    start: int
    end: int


def _int(text: str) -> int:
    value = number(text)
    return int(value) if value is not None else 0


def dates(text: str) -> list[DateSpan]:
    found = []
    for m in DATE.finditer(text):
        year = _int(m.group("y"))
        if m.group("yend"):
            found.append(DateSpan(f"{year:04d}-12-31", f"{year:04d}-12-31", m.start(), m.end()))
            continue
        month = _int(m.group("m") or m.group("m2") or "")
        if not 1 <= month <= 12:
            continue
        if m.group("d") or m.group("d2"):
            day = _int(m.group("d") or m.group("d2"))
            if not 1 <= day <= monthrange(year, month)[1]:
                continue
            iso = f"{year:04d}-{month:02d}-{day:02d}"
            found.append(DateSpan(iso, iso, m.start(), m.end()))
        else:
            last = monthrange(year, month)[1]
            first = f"{year:04d}-{month:02d}-01"
            end_day = f"{year:04d}-{month:02d}-{last:02d}"
            found.append(DateSpan(end_day if m.group("mend") else first, end_day,
                                  m.start(), m.end()))
    return found
