"""Document metadata read from the page itself: title, issuing body, 文号, dates, source, kind.

Owns the header and signature lines: it says which body lines are header (title, issuer, 文号,
date) and which are the signature, so that clause splitting keeps them as clauses of their own
rather than as text of the first or last article. No line is dropped. A field it cannot find is None.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from corpus.clauses import detect_marker as detect_heading
from corpus.clean import to_match, to_simplified
from corpus.models import DocumentMeta
from corpus.validity import iso, read_validity

_ORG_SUFFIX = r"(人民政府|政府|办公室|办公厅|委员会|县委|市委|省委|区委|管委会|局|厅|部|委|院|中心|协会)"
# A 文号 (滨政办字〔2024〕18号, 国务院令第596号): the one pattern, for a document's own number and
# for a question that names a document by it (question.catalogue).
DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔［\[【(（]\s*[12]\d{3}\s*[〕］\]】)）]\s*(?:第\s*)?\d{1,4}\s*[号號]"
    # State Council and ministry decrees: 国务院令第596号, 财政部令第10号
    r"|(?:中华人民共和国|中華人民共和國)?(?:国务院|國務院|[\u4e00-\u9fff]{1,8}[部委局署行总])令\s*第\s*\d{1,4}\s*[号號]"
)
_ISO_DATE = re.compile(r"(?<!\d)([12]\d{3})[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CN_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_DATE_LINE = re.compile(
    r"^[(（]?\s*([12]\d{3}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)\s*[)）]?$"
)
# A statute's legislative history, one step a line: 2020年4月10日…会议通过, …令第722号公布, …《关于
# 修改〈X〉的决定》第三次修正), 2023年1月9日…会议批准. Its latest step dates the text as it stands.
_HISTORY_LINE = re.compile(r"^[(（]?(?:根据)?[12]\d{3}年\d{1,2}月\d{1,2}日.{0,120}?"
                           r"(?:通过|修订|修正|公布|发布|批准)[)）]?(?:根据)?$")
# Who enacted it, from its first step: 上海市第十五届人民代表大会常务委员会第二十次会议通过,
# 第九届全国人民代表大会常务委员会…, 国务院第66次常务会议通过, 中华人民共和国国务院令第512号公布.
_HISTORY_ISSUER = re.compile(r"日(?P<place>[\u4e00-\u9fff]{2,10}?)?第[一二三四五六七八九十百\d]+届"
                             r"(?P<nation>全国)?(?P<body>人民代表大会(?:常务委员会)?)|(?P<council>国务院)")
_SOURCE = re.compile(r"来源\s*[:：]\s*(.+?)(?:\s+(?:日期|发布时间|时间|点击|作者)\s*[:：].*)?$")
_SOURCE_ORIGINAL = re.compile(
    r"^(?:來源|来源)\s*[:：]\s*(.+?)"
    r"(?:\s+(?:日期|發布時間|发布时间|時間|时间|點擊|点击|作者)\s*[:：].*)?$"
)
_PUBLISHED = re.compile(r"(?:日期|发布日期|发布时间|时间)\s*[:：]\s*([12]\d{3}[-/.年]\d{1,2}[-/.月]\d{1,2})")
_TIMESTAMP_LINE = re.compile(r"^([12]\d{3})-(\d{1,2})-(\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ORIGINAL_TITLE = re.compile(r"^[(（]?原标题\s*[:：]\s*(.+?)[)）]?$")
# Words that name a policy text's genre; a header line holding one is the title.
_TITLE_WORD = re.compile(
    r"关于|通知|办法|意见|措施|细则|方案|规定|条例|决定|公告|通告|指南|清单|政策|计划|规划|纲要|问答|解读")
_NOT_TITLE_START = re.compile(r"^(?:根据|为了?|按照|依据|经|现将|各|请|本)")
_BREADCRUMB_PREFIX = re.compile(r"^.*[>›»＞]\s*")
# Q&A pages put the question after a label: 问题案例::企业出国参展的补贴如何申请?
_LABEL_PREFIX = re.compile(r"^(?:问题|标题|题目|主题|咨询|留言)[^:：]{0,4}[:：]{1,2}")
_LIST_PREFIX = re.compile(r"^\d{1,2}[.、]\s*")
_ISSUER_LINE = re.compile(rf"^([\u4e00-\u9fff]{{2,30}}{_ORG_SUFFIX})(\s+[\u4e00-\u9fff]{{2,30}}{_ORG_SUFFIX})*$")
_ISSUER_IN_TITLE = re.compile(rf"^(.{{2,40}}?{_ORG_SUFFIX})(?:关于|印发|转发)")
_CLOSED_NOTE = re.compile(r"^[(（](此件|本件)[^)）]{0,10}[)）]$")


@dataclass(frozen=True)
class MetaResult:
    meta: DocumentMeta
    consumed: frozenset[int]  # indices of body lines that are header or signature lines
    signature: frozenset[int] = frozenset()  # the subset that is the closing signature
    repeals: tuple[str, ...] = ()  # 《titles》 of earlier texts this one repeals


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


def _own_doc_number(body: list[str]) -> str | None:
    """The text's own 文号: in its header (first eight lines) or on a line of its own, never
    one it cites (《…》(国函〔2016〕17号), 依据…(晋财建一〔2018〕113号))."""
    for i, line in enumerate(body):
        m = to_match(line)
        for found in DOC_NUMBER.finditer(m):
            before = m[: found.start()].rstrip("(（ ")
            standalone = not m.replace(found.group(0), "").strip("()（） ")
            cited = before.endswith(("》", "》的通知")) or re.search(r"(根据|依据|按照|依照|贯彻|落实)", before)
            if standalone or (i < 8 and not cited):
                return find_doc_number(line[found.start():]) or find_doc_number(m[found.start():])
    return None


def find_doc_number(text: str) -> str | None:
    found = DOC_NUMBER.search(text)
    if not found:
        return None
    number = re.sub(r"\s+", "", found.group(0))
    return re.sub(r"^(?:中华人民共和国|中華人民共和國)(?=国务院令|國務院令)", "", number)


def _kind(title: str, header: str, is_news: bool) -> str:
    if "征求意见" in title or "征求意见稿" in header or "意见征求稿" in header:
        return "draft"  # also a news report on a draft: what it describes is not in force
    if is_news:
        return "news"
    if re.search(r"实施意见|实施方案|行动方案|工作方案|行动计划|实施细则", title):
        return "implementation_plan"
    return "policy"


def _title_candidate(line: str, m: str) -> str | None:
    """The headline a header line holds, without breadcrumbs, Q&A labels or list numbers."""
    if re.search("[>›»＞]", line):
        line = _BREADCRUMB_PREFIX.sub("", line)
        m = to_match(line)
    if (found := _LABEL_PREFIX.match(m)) and len(m) - found.end() >= 6:
        line, m = line[found.end():], m[found.end():]
    if (found := _LIST_PREFIX.match(m)) and _TITLE_WORD.search(m):
        line, m = line[found.end():], m[found.end():]
    line = line.strip()
    if not 6 <= len(m.strip()) <= 100 or "。" in m or m.rstrip().endswith((":", "：", "，", ",")):
        return None
    if _NOT_TITLE_START.match(m) or detect_heading(m) or "{" in m or "来源" in m:
        return None
    return line


def _pick_title(body: list[str], body_match: list[str], first: int
                ) -> tuple[str, set[int]] | None:
    """A header line naming the text's genre (…的通知, …实施细则, …十条措施) within the first
    ten lines; else a headline among the first three. An issuer line right above a 关于… title
    belongs to it (中共柳河县委 柳河县人民政府 / 关于…的实施意见). None when no line reads as a
    title: a guide that opens with 一、服务对象 has none, and inventing one misleads."""
    candidates = [(i, _title_candidate(body[i], body_match[i]))
                  for i in range(first, min(len(body), first + 10))]
    found = next(((i, t) for i, t in candidates if t and _TITLE_WORD.search(to_match(t))), None)
    if found is None:  # a headline: mostly Chinese, not a label line (主办单位:…)
        found = next(((i, t) for i, t in candidates[:3] if t and not re.search("[:：]", t)
                      and len(re.findall(r"[\u4e00-\u9fff]", t)) >= 8), None)
    if found is None:
        return None
    i, title = found
    lines = {i}
    if i > 0 and to_match(title).startswith("关于") and _ISSUER_LINE.match(body_match[i - 1]):
        title = f"{body[i - 1]} {title}"
        lines.add(i - 1)
    return title, lines


def _title_lines(head: list[str], title: str) -> set[int]:
    """Header lines that repeat the stated title (whole, or cut over two lines)."""
    consumed: set[int] = set()
    for i, m in enumerate(head):
        if len(m) >= 4 and (m == title or (m in title and len(m) >= len(title) // 3)):
            consumed.add(i)
    return consumed


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


def extract_meta(page_lines: list[str], body: list[str], source_url: str | None,
                 fields: dict[str, str] | None = None) -> MetaResult:
    """``page_lines``: every cleaned line of the page; ``body``: the lines left after
    boilerplate removal (the ones clause splitting will see); ``fields``: what the file format
    itself states (an HTML page's ArticleTitle and metadata box, a Markdown ``#`` title). A
    field the format states wins over one read from the lines."""
    fields = fields or {}
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
            # as written, without the bracket that closes a note in brackets: (原标题:…)
            original_title = line.split(":", 1)[-1].split("：", 1)[-1].strip()
            if re.match(r"^\s*[(（]", line):
                original_title = re.sub(r"[)）]$", "", original_title)

    title: str | None = fields.get("title") or original_title
    issuer: str | None = None
    first = 0
    if body_match and _ISSUER_LINE.match(body_match[0]) and len(body) > 1:
        issuer = body[0]
        consumed.add(0)
        first = 1
    if fields.get("title"):
        consumed |= _title_lines(body_match[:10], to_match(fields["title"]))
    elif title is None and (picked := _pick_title(body, body_match, first)):
        title, lines = picked
        consumed |= lines

    header_text = "\n".join(body_match)  # 根据《征求意见稿》 reports on a draft wherever it says so
    doc_number = _own_doc_number(body)
    issued: str | None = None
    early_signature: set[int] = set()
    for i, m in enumerate(body_match):
        if i < 8 and doc_number and to_match(doc_number) == m.strip("()（） "):
            consumed.add(i)
        if i < 8 and _DATE_LINE.match(m):
            issued = issued or parse_date(m)
            consumed.add(i)
            # issuer lines right above a date are a signature (a notice's 落款 before its annex)
            j = i - 1
            while j >= 0 and j not in consumed and _ISSUER_LINE.match(body_match[j]) \
                    and len(body_match[j]) <= 30:
                early_signature |= {j, i}
                j -= 1
    history = [d for m in body_match[:12] if _HISTORY_LINE.match(m) and (d := parse_date(m))]
    if issued is None and history:
        issued = max(history)
    enacted = next((found for m in body_match[:12] if _HISTORY_LINE.match(m)
                    and (found := _HISTORY_ISSUER.search(m))), None)
    if issuer is None and enacted:
        issuer = enacted.group("council") or "".join(
            enacted.group(g) or "" for g in ("place", "nation", "body"))
    signature = _signature(body) | early_signature
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

    stated_number = find_doc_number(fields.get("doc_number", ""))
    doc_number = stated_number or doc_number
    issuer = fields.get("issuer") or issuer
    issued = iso(fields.get("date_issued", "")) or issued
    published = iso(fields.get("date_published", "")) or published
    source = source or fields.get("source")
    validity = read_validity(body_match, issued or published)

    is_news = original_title is not None or any("记者" in m for m in page_match[:12])
    meta = DocumentMeta(
        title=title,
        issuer=issuer,
        doc_number=doc_number,
        date_issued=issued,
        date_published=published,
        source=source,
        kind=_kind(to_match(title or ""), header_text, is_news),
        date_effective=iso(fields.get("date_effective", "")) or validity.date_effective,
        date_expires=iso(fields.get("date_expires", "")) or validity.date_expires,
    )
    return MetaResult(meta=meta, consumed=frozenset(consumed), signature=frozenset(signature),
                      repeals=validity.repealed_titles)
