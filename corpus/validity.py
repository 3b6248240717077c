"""When a policy text is in force: its 施行 date, its end (失效日期, 有效期N年, 执行至…), a later
text in the corpus that repeals it, and the resulting status as of a day.

Owns the genre's validity sentences (本办法自…起施行，有效期5年; 政策执行至…; 《X》同时废止).
It reads matching-form lines (simplified, NFKC) and returns ISO dates; it never guesses a date
the text does not state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_DATE = r"(?:[12]\d{3}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[12]\d{3}-\d{1,2}-\d{1,2}|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)"
_NUM = r"[\d一二三四五六七八九十两]{1,3}"
_SELF = r"本(?:法|条例|办法|规定|细则|意见|通知|措施|方案|政策|决定|规则|实施细则|若干措施|实施意见)"
# 本办法自2024年4月1日起实施 / 自发布之日起施行 / 2018年1月1日起施行
_EFFECTIVE_ON = re.compile(rf"(?:{_SELF})?自?\s*({_DATE})\s*起\s*(?:施行|实施|执行|生效)")
_EFFECTIVE_ON_ISSUE = re.compile(
    rf"(?:{_SELF})?自\s*(?:公布|发布|印发|颁布|下发)之日起\s*(?:施行|实施|执行|生效)")
_PERIOD_YEARS = re.compile(rf"有效期(?:为|限为|暂定为?)?\s*({_NUM})\s*年|(?:暂定)?({_NUM})\s*年有效期")
_UNTIL = re.compile(
    rf"(?:有效期|执行期限?|实施期限?|施行期限?|政策期限|期限)(?:为|至|到)?\s*(?:{_DATE}\s*(?:起\s*)?至\s*)?({_DATE})(?:止|截止)?"
    rf"|(?:政策|本办法|本政策|本通知|本措施)?执行至\s*({_DATE})")
# 政策期限为2016年至2018年: in force to the end of the last year
_YEAR_RANGE = re.compile(
    r"(?:有效期|执行期|实施期|施行期|政策期|期限)[^，。；]{0,4}?(?:为|是)?\s*[12]\d{3}\s*年?\s*(?:至|到|-|—|~)\s*([12]\d{3})\s*年(?![\d一二三四五六七八九十]{1,2}\s*月)")
_REPEALS = re.compile(r"《([^《》]{2,60})》[^。；《]{0,40}?(?:同时|一并)?(?:废止|停止执行|不再执行)")
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class Validity:
    date_effective: str | None
    date_expires: str | None
    repealed_titles: tuple[str, ...]  # 《titles》 this text says it repeals


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(text, 0)


def iso(text: str) -> str | None:
    found = re.search(r"([12]\d{3})\s*[年-]\s*(\d{1,2})\s*[月-]\s*(\d{1,2})", text)
    if found:
        y, m, d = (int(g) for g in found.groups())
    else:
        found = re.search(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日", text)
        if not found:
            return None
        y = int("".join(str(_CN_DIGITS[c]) for c in found.group(1)))
        m, d = _number(found.group(2)), _number(found.group(3))
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def add_years_minus_a_day(start: str, years: int) -> str:
    """有效期5年 from 2024-04-01 runs to 2029-03-31."""
    day = date.fromisoformat(start)
    try:
        end = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        end = day.replace(year=day.year + years, day=28)
    return (end - timedelta(days=1)).isoformat()


def read_validity(lines: list[str], issued: str | None) -> Validity:
    """Validity stated by the text itself. ``lines`` are in matching form; ``issued`` is the
    date the text was issued or published (what 自发布之日起施行 refers to)."""
    effective: str | None = None
    expires: str | None = None
    period: int | None = None
    repealed: list[str] = []
    # The text's own 本办法自…施行 is usually in its last articles; earlier dates are often
    # those of the texts it cites or of its revisions, so the last statement wins.
    for line in lines:
        for sentence in re.split(r"[。；]", line):
            if own := _EFFECTIVE_ON.search(sentence):
                if re.search(_SELF, sentence) or effective is None:
                    effective = iso(own.group(1)) or effective
            elif _EFFECTIVE_ON_ISSUE.search(sentence) and issued:
                effective = issued
            if found := _PERIOD_YEARS.search(sentence):
                period = _number(found.group(1) or found.group(2)) or period
            if found := _UNTIL.search(sentence):
                expires = iso(found.group(1) or found.group(2)) or expires
            elif found := _YEAR_RANGE.search(sentence):
                expires = f"{found.group(1)}-12-31"
            if "废止" in sentence or "停止执行" in sentence or "不再执行" in sentence:
                repealed += [m.group(1) for m in _REPEALS.finditer(sentence)]
    if expires is None and period and effective:
        expires = add_years_minus_a_day(effective, period)
    return Validity(effective, expires, tuple(dict.fromkeys(repealed)))


_ENDS_ON = re.compile(rf"(?:自|于)?\s*({_DATE})\s*(?:起)?\s*(?:失效|废止|停止执行|不再执行)")


def validity_dates(sentence: str) -> list[tuple[str, str | None, str | None, int | None, str]]:
    """The validity statements of one matching-form sentence, as (kind, value, end, years,
    span): ``施行`` with its date (None for 自发布之日起施行), ``有效期`` with its start, end and
    length in years as far as the sentence states them, ``失效`` with its date."""
    out: list[tuple[str, str | None, str | None, int | None, str]] = []
    effective = None
    if own := _EFFECTIVE_ON.search(sentence):
        effective = iso(own.group(1))
        out.append(("施行", effective, None, None, own.group(0)))
    elif own := _EFFECTIVE_ON_ISSUE.search(sentence):
        out.append(("施行", None, None, None, own.group(0)))
    period = _PERIOD_YEARS.search(sentence)
    until = _UNTIL.search(sentence)
    years = _number(period.group(1) or period.group(2)) if period else None
    if until:
        start = re.search(rf"({_DATE})\s*(?:起\s*)?至", until.group(0))
        out.append(("有效期", iso(start.group(1)) if start else effective,
                    iso(until.group(1) or until.group(2)), years, until.group(0)))
    elif found := _YEAR_RANGE.search(sentence):
        out.append(("有效期", effective, f"{found.group(1)}-12-31", years, found.group(0)))
    elif period and years:
        end = add_years_minus_a_day(effective, years) if effective else None
        out.append(("有效期", effective, end, years, period.group(0)))
    if ends := _ENDS_ON.search(sentence):
        out.append(("失效", iso(ends.group(1)), None, None, ends.group(0)))
    return out


STATUSES = ("in_force", "expired", "repealed", "draft", "unknown")


def status(kind: str, effective: str | None, expires: str | None, repealed_by: str | None,
           as_of: date) -> str:
    """A draft is a draft; a repealed text is repealed; a text past its last day has expired;
    one with a stated end still ahead (and already effective) is in force. A text that states
    no end is ``unknown``: nothing in it says it is still in force."""
    if kind == "draft":
        return "draft"
    if repealed_by:
        return "repealed"
    today = as_of.isoformat()
    if expires and expires < today:
        return "expired"
    if expires and (effective is None or effective <= today):
        return "in_force"
    return "unknown"
