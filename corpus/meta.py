"""Document metadata read from the page itself: title, issuing body, 文号, dates, source, kind.

Owns the header and signature lines: it says which body lines it consumed so that clause
splitting does not cite a title or a signature as a clause. A field it cannot find is None.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from corpus.clean import to_match, to_simplified
from corpus.models import DocumentMeta

_ORG_SUFFIX = r"(人民政府|政府|办公室|办公厅|委员会|县委|市委|省委|区委|管委会|局|厅|部|委|院|中心|协会)"
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔\[【(（]\s*[12]\d{3}\s*[〕\]】)）]\s*\d{1,4}\s*[号號]"
)
_ISO_DATE = re.compile(r"(?<!\d)([12]\d{3})[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CN_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_DATE_LINE = re.compile(
    r"^[(（]?\s*([12]\d{3}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)\s*[)）]?$"
)
_SOURCE = re.compile(r"来源\s*[:：]\s*(.+?)(?:\s+(?:日期|发布时间|时间|点击|作者)\s*[:：].*)?$")
_SOURCE_ORIGINAL = re.compile(
    r"^(?:來源|来源)\s*[:：]\s*(.+?)"
    r"(?:\s+(?:日期|發布時間|发布时间|時間|时间|點擊|点击|作者)\s*[:：].*)?$"
)
_PUBLISHED = re.compile(r"(?:日期|发布日期|发布时间|时间)\s*[:：]\s*([12]\d{3}[-/.年]\d{1,2}[-/.月]\d{1,2})")
_TIMESTAMP_LINE = re.compile(r"^([12]\d{3})-(\d{1,2})-(\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ORIGINAL_TITLE = re.compile(r"^原标题\s*[:：]\s*(.+)$")
_ISSUER_LINE = re.compile(rf"^([\u4e00-\u9fff]{{2,30}}{_ORG_SUFFIX})(\s+[\u4e00-\u9fff]{{2,30}}{_ORG_SUFFIX})*$")
_ISSUER_IN_TITLE = re.compile(rf"^(.{{2,40}}?{_ORG_SUFFIX})(?:关于|印发|转发)")
_CLOSED_NOTE = re.compile(r"^[(（](此件|本件)[^)）]{0,10}[)）]$")


@dataclass(frozen=True)
class MetaResult:
    meta: DocumentMeta
    consumed: frozenset[int]  # indices of body lines that are header or signature, not text


def _iso(year: int, month: int, day: int) -> str | None:
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _cn_number(text: str) -> int:
    if text.startswith("十"):
        return 10 + (_CN_DIGITS[text[1]] if len(text) > 1 else 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS[tens] * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


def parse_date(text: str) -> str | None:
    """First date in ``text`` as ISO 8601 (``2024年5月31日``, ``2024-06-06``, ``二〇二四年五月三十一日``)."""
    m = unicodedata.normalize("NFKC", to_simplified(text))
    found = _ISO_DATE.search(m)
    if found:
        return _iso(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    found = _CN_DATE.search(m)
    if found:
        year = int("".join(str(_CN_DIGITS[c]) for c in found.group(1)))
        return _iso(year, _cn_number(found.group(2)), _cn_number(found.group(3)))
    return None


def find_doc_number(text: str) -> str | None:
    found = _DOC_NUMBER.search(text)
    return re.sub(r"\s+", "", found.group(0)) if found else None


def _kind(title: str, header: str, is_news: bool) -> str:
    if is_news:
        return "news"
    if "征求意见" in title or "征求意见稿" in header:
        return "draft"
    if re.search(r"实施意见|实施方案|行动方案|工作方案|行动计划|实施细则", title):
        return "implementation_plan"
    return "policy"


def _signature(body: list[str]) -> set[int]:
    """Trailing issuer / date / 此件公开发布 lines after the last clause."""
    consumed: set[int] = set()
    for i in range(len(body) - 1, max(-1, len(body) - 5), -1):
        m = to_match(body[i])
        if _DATE_LINE.match(m) or _CLOSED_NOTE.match(m) or (
            _ISSUER_LINE.match(m) and len(m) <= 30
        ):
            consumed.add(i)
        else:
            break
    return consumed


def extract_meta(page_lines: list[str], body: list[str], source_url: str | None) -> MetaResult:
    """``page_lines``: every cleaned line of the page; ``body``: the lines left after
    boilerplate removal (the ones clause splitting will see)."""
    page_match = [to_match(line) for line in page_lines]
    body_match = [to_match(line) for line in body]
    consumed: set[int] = set()

    source = source_url
    published: str | None = None
    original_title: str | None = None
    for line, m in zip(page_lines, page_match, strict=True):
        if source is None and _SOURCE.match(m) and (found := _SOURCE_ORIGINAL.match(line)):
            value = found.group(1).strip()
            if to_match(value) not in {"未知", "本站", "网络"}:
                source = value
        if published is None:
            folded = unicodedata.normalize("NFKC", to_simplified(line))  # keeps its spaces
            found = _PUBLISHED.search(folded) or _TIMESTAMP_LINE.match(folded)
            if found:
                published = parse_date(found.group(0))
        if original_title is None and (found := _ORIGINAL_TITLE.match(m)):
            original_title = line.split(":", 1)[-1].split("：", 1)[-1].strip()

    title: str | None = original_title
    issuer: str | None = None
    first = 0
    if body_match and _ISSUER_LINE.match(body_match[0]) and len(body) > 1:
        issuer = body[0]
        consumed.add(0)
        first = 1
    if title is None and len(body) > first and len(body_match[first]) <= 80 \
            and "。" not in body_match[first]:
        title = body[first]
        consumed.add(first)

    header_text = "\n".join(body_match[:8])
    doc_number = find_doc_number("\n".join(body[:8])) or find_doc_number("\n".join(body))
    issued: str | None = None
    for i, m in enumerate(body_match):
        if i < 8 and doc_number and to_match(doc_number) == m.strip("()（） "):
            consumed.add(i)
        if i < 8 and _DATE_LINE.match(m):
            issued = issued or parse_date(m)
            consumed.add(i)
    signature = _signature(body)
    consumed |= signature
    for i in sorted(signature):
        m = body_match[i]
        if _DATE_LINE.match(m):
            issued = parse_date(m)
        elif _ISSUER_LINE.match(m) and issuer is None:
            issuer = body[i]
    if issuer is None and title and (found := _ISSUER_IN_TITLE.match(to_match(title))):
        # t2s maps character for character here, so the prefix length carries over.
        issuer = title[: len(found.group(1))]

    is_news = original_title is not None or any("记者" in m for m in page_match[:12])
    meta = DocumentMeta(
        title=title,
        issuer=issuer,
        doc_number=doc_number,
        date_issued=issued,
        date_published=published,
        source=source,
        kind=_kind(to_match(title or ""), header_text, is_news),
    )
    return MetaResult(meta=meta, consumed=frozenset(consumed))
