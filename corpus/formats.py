"""File formats → the text a reader sees, plus the metadata the format itself carries.

Owns one reader per published format: plain text, Markdown (statute databases), HTML pages
(government sites: ``<meta name="ArticleTitle">``, the gov.cn-style metadata box 索引号/发文机关/
发文字号/成文日期/实施日期/失效日期, hidden duplicates, scripts), DOCX (paragraphs and tables in
document order) and PDF (the text layer). Readers are pure ``bytes -> Extracted``; they raise
``UnsupportedFormat`` with a reason a person can act on. What the text *means* (numbering,
dates in sentences, boilerplate lines) is decided later, the same way for every format.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from corpus.encoding import DecodeError, decode


class UnsupportedFormat(ValueError):
    """A file that is not ingested, with the reason (shown to the operator, never hidden)."""


@dataclass(frozen=True)
class Extracted:
    text: str  # lines of visible text, in reading order
    fields: dict[str, str] = field(default_factory=dict)  # metadata the format states
    encoding: str = "utf-8"


# Formats we know and deliberately do not read: say what they are, so the fix is obvious.
_REFUSED = {
    ".doc": "legacy Word binary (.doc) is not supported; save it as .docx",
    ".wps": "WPS document (.wps) is not supported; save it as .docx",
    ".xls": "spreadsheet (.xls) is not supported",
    ".xlsx": "spreadsheet (.xlsx) is not supported",
    ".et": "WPS spreadsheet (.et) is not supported",
    ".ppt": "presentation (.ppt) is not supported",
    ".pptx": "presentation (.pptx) is not supported",
    ".rtf": "rich text (.rtf) is not supported; save it as .docx",
    ".ofd": "OFD document (.ofd) is not supported; export it as PDF",
    ".zip": "archive (.zip) is not supported; unpack it first",
    ".rar": "archive (.rar) is not supported; unpack it first",
    ".jpg": "image (.jpg): OCR not supported",
    ".jpeg": "image (.jpeg): OCR not supported",
    ".png": "image (.png): OCR not supported",
}


# ---------------------------------------------------------------------------------------------
# Plain text and Markdown

def read_text(data: bytes) -> Extracted:
    text, encoding = decode(data)
    return Extracted(text, {}, encoding)


_MD_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d+\))\s+")
_MD_QUOTE = re.compile(r"^\s*>\s?")
_MD_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~|`)(?=\S)(.+?)(?<=\S)\1")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def read_markdown(data: bytes) -> Extracted:
    """Headings become plain lines (``## 第一章 总则`` is a chapter like any other); the first
    ``#`` heading is the title. Comments (``<!-- INFO END -->``) and markup go, text stays."""
    text, encoding = decode(data)
    text = _MD_COMMENT.sub("", text)
    lines: list[str] = []
    fields: dict[str, str] = {}
    table_header: list[str] | None = None
    for line in text.split("\n"):
        if _MD_RULE.match(line) or _MD_TABLE_RULE.match(line):
            continue
        if line.strip().startswith("|") and line.strip().endswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if table_header is None:
                table_header = cells
                lines.append(" ".join(cells))
            else:
                lines.append(table_row(table_header, cells))
            continue
        table_header = None
        if heading := _MD_HEADING.match(line):
            line = heading.group(2)
            if len(heading.group(1)) == 1 and "title" not in fields and line.strip():
                fields["title"] = _inline_markdown(line).strip()
        line = _MD_QUOTE.sub("", line)
        line = _MD_LIST.sub("", line)
        lines.append(_inline_markdown(line))
    return Extracted("\n".join(lines), fields, encoding)


def _inline_markdown(line: str) -> str:
    line = _MD_IMAGE.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    for _ in range(2):  # nested emphasis: **_x_**
        line = _MD_EMPHASIS.sub(r"\2", line)
    return line


def table_row(header: list[str], cells: list[str]) -> str:
    """One table row as a line that carries its column names: ``期数：首期；比例：30%``, so a
    row cut into a clause of its own still says what its numbers are."""
    if len(header) != len(cells) or not any(header):
        return " ".join(c for c in cells if c)
    pairs = [f"{h}：{c}" if h and c and h != c else c for h, c in zip(header, cells, strict=True)]
    return "；".join(p for p in pairs if p)


# ---------------------------------------------------------------------------------------------
# HTML

_META_LABELS = {
    "索引号": "index_no", "统一编号": "unified_no", "发文机关": "issuer", "发布机关": "issuer",
    "制发机关": "issuer", "发文单位": "issuer", "发文字号": "doc_number", "文号": "doc_number",
    "成文日期": "date_issued", "发文日期": "date_issued", "印发日期": "date_issued",
    "发布日期": "date_published", "公布日期": "date_published", "实施日期": "date_effective",
    "生效日期": "date_effective", "施行日期": "date_effective", "失效日期": "date_expires",
    "废止日期": "date_expires", "有效期至": "date_expires", "名称": "title", "标题": "title",
    "有效性": "validity", "文件状态": "validity", "时效性": "validity",
}
# Labels are often spaced out to align them (文　　号): allow spaces between their characters.
_LABEL_RE = re.compile(
    r"^\s*(" + "|".join(r"\s*".join(label) for label in sorted(_META_LABELS, key=len, reverse=True))
    + r")\s*[:：]\s*(.*)$", re.DOTALL)
_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "header", "footer", "nav", "aside", "blockquote", "pre", "dd", "dt",
    "dl", "form", "center", "hr", "tbody", "thead", "main", "figure", "figcaption", "caption",
}
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg", "select",
              "button", "input", "textarea", "head")
# Page chrome by element role or class/id word: menus, footers, breadcrumbs, share widgets.
_CHROME_TAGS = {"nav", "footer", "aside"}
_CHROME_WORDS = {
    "nav", "navbar", "menu", "footer", "foot", "breadcrumb", "crumb", "crumbs", "share",
    "sidebar", "copyright", "toolbar", "topbar", "login", "skip", "wza", "bdsharebuttonbox",
    "position", "location", "banner", "friendlink", "links", "search",
}
_HOTLINE = re.compile(r"(咨询|投诉|举报|服务|热线|监督)[^。]{0,12}电话\s*[:：]?\s*\d{3,}")
_WORD_SPLIT = re.compile(r"[-_\s]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_SENTENCE = re.compile(r"[。；;！？]")
_TITLE_SUFFIX = re.compile(r"\s*[-_|—–]\s*[^-_|—–]{2,40}$")


def read_html(data: bytes) -> Extracted:
    from lxml import html as lxml_html

    text, encoding = decode(data)
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses str input with a declaration
    try:
        root = lxml_html.document_fromstring(text)
    except Exception as exc:  # noqa: BLE001 - lxml raises several types for broken markup
        raise UnsupportedFormat(f"HTML could not be parsed: {type(exc).__name__}") from exc
    fields = _html_head_fields(root)
    for element in root.iter(*_DROP_TAGS):
        _drop(element)
    # Hidden copies (a display:none div repeating the body as one line) are not what a reader
    # sees. visibility:hidden on <body> is a script's reveal trick, not hidden text.
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if _HIDDEN_STYLE.search(element.get("style") or "") or element.get("hidden") is not None:
            _drop(element)
    fields.update(_html_meta_box(root))
    hotlines: list[str] = []
    for element in list(root.iter()):
        if isinstance(element.tag, str) and element.getparent() is not None and _is_chrome(element):
            hotlines += [line for line in _html_lines(element) if _HOTLINE.search(line)]
            _drop(element)
    body = root.find("body")
    main = _main_content(body if body is not None else root)
    # A site's service hotline in its footer answers 「打哪个电话」: keep it, ahead of the
    # text so that it never joins the last article.
    lines = list(dict.fromkeys(hotlines)) + _html_lines(main)
    if "title" not in fields:
        fields.update(_html_title(root, lines))
    return Extracted("\n".join(lines), fields, encoding)


def _drop(element: object) -> None:
    element.drop_tree()  # type: ignore[attr-defined]


def _html_head_fields(root: object) -> dict[str, str]:
    fields: dict[str, str] = {}
    for meta in root.iter("meta"):  # type: ignore[attr-defined]
        name = (meta.get("name") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if not content:
            continue
        if name == "articletitle":
            fields["title"] = content
        elif name in {"pubdate", "publishdate"}:
            fields.setdefault("date_published", content)
        elif name == "contentsource" and content not in {"本网", "本站"}:
            fields.setdefault("source", content)
    return fields


def _html_meta_box(root: object) -> dict[str, str]:
    """The metadata box of government pages: a label cell/span (``发文字号：``) followed by
    its value, either in the same element or in the next one."""
    found: dict[str, str] = {}
    for element in root.iter("td", "th", "span", "li", "p", "div", "dt", "dd", "label", "b", "strong"):  # type: ignore[attr-defined]
        own = " ".join(element.text_content().split())
        if not own or len(own) > 120:
            continue
        match = _LABEL_RE.match(own)
        if not match:
            continue
        key = _META_LABELS[re.sub(r"\s+", "", match.group(1))]
        value = match.group(2).strip()
        if not value:
            sibling = element.getnext()
            while sibling is not None and not sibling.text_content().strip() \
                    and sibling.getnext() is not None:
                sibling = sibling.getnext()
            value = " ".join(sibling.text_content().split()) if sibling is not None else ""
            if value and _LABEL_RE.match(value):  # the next cell is another label: empty value
                value = ""
        if value and key not in found:
            found[key] = value
    return found


def _is_chrome(element: object) -> bool:
    tag = element.tag  # type: ignore[attr-defined]
    if tag in _CHROME_TAGS:
        return True
    words = set()
    for attr in ("class", "id", "role"):
        words |= {w.lower() for w in _WORD_SPLIT.split(element.get(attr) or "") if w}  # type: ignore[attr-defined]
    return bool(words & _CHROME_WORDS)


def _sentence_chars(element: object) -> int:
    """How much running prose an element holds: text in lines that read as sentences."""
    total = 0
    for chunk in element.itertext():  # type: ignore[attr-defined]
        chunk = chunk.strip()
        if len(chunk) >= 20 or _SENTENCE.search(chunk):
            total += len(chunk)
    return total


def _main_content(body: object) -> object:
    """The deepest element that still holds nine tenths of the page's prose: the article,
    without the menus and link lists around it. A page without such a block keeps everything."""
    total = _sentence_chars(body)
    if total == 0:
        return body
    node = body
    while True:
        children = [c for c in node if isinstance(c.tag, str)]  # type: ignore[attr-defined]
        best = max(children, key=_sentence_chars, default=None)
        if best is None or _sentence_chars(best) < 0.9 * total:
            return node
        node = best


def _html_lines(root: object) -> list[str]:
    """Visible text with a line break at every block element; table rows keep their header."""
    out: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = "".join(current).strip()
        if line:
            out.append(" ".join(line.split()) if "\n" in line else line)
        current.clear()

    def walk(element: object) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""  # type: ignore[attr-defined]
        if tag == "table":
            flush()
            out.extend(_html_table(element))
        else:
            block = tag in _BLOCK_TAGS
            if block:
                flush()
            if element.text and tag:  # type: ignore[attr-defined]
                current.append(element.text.replace("\n", " "))  # type: ignore[attr-defined]
            for child in element:  # type: ignore[attr-defined]
                walk(child)
            if block:
                flush()
        if element.tail:  # type: ignore[attr-defined]
            current.append(element.tail.replace("\n", " "))  # type: ignore[attr-defined]

    walk(root)
    flush()
    return out


def _html_table(table: object) -> list[str]:
    rows: list[list[str]] = []
    for tr in table.iter("tr"):  # type: ignore[attr-defined]
        cells = [" ".join(td.text_content().split()) for td in tr if td.tag in {"td", "th"}]
        if any(cells):
            rows.append(cells)
    return _table_lines(rows)


def _table_lines(rows: list[list[str]]) -> list[str]:
    """A grid with a header row and several rows of the same width keeps the header with each
    row; anything else (layout tables, forms) is read row by row."""
    if len(rows) >= 3 and len({len(r) for r in rows}) == 1 and len(rows[0]) >= 2:
        header = rows[0]
        return [" ".join(header)] + [table_row(header, r) for r in rows[1:]]
    return [" ".join(c for c in r if c) for r in rows]


def _html_title(root: object, lines: list[str]) -> dict[str, str]:
    """No ArticleTitle: an ``<h1>`` that the ``<title>`` repeats, else the ``<title>`` without
    its site-name suffix."""
    page_title = ""
    title = root.find(".//title")  # type: ignore[attr-defined]
    if title is not None:
        page_title = " ".join(title.text_content().split())
    for h1 in root.iter("h1", "h2"):  # type: ignore[attr-defined]
        text = " ".join(h1.text_content().split())
        if 4 <= len(text) <= 80 and page_title and (text in page_title or page_title in text):
            return {"title": text}
    if page_title:
        return {"title": _TITLE_SUFFIX.sub("", page_title)}
    return {}


# ---------------------------------------------------------------------------------------------
# DOCX and PDF

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes) -> Extracted:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises zip, xml and key errors
        raise UnsupportedFormat(f"DOCX could not be opened: {type(exc).__name__}") from exc
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            lines.append(Paragraph(child, document).text)
        elif child.tag == f"{_W}tbl":
            table = Table(child, document)
            rows = [[cell.text.strip() for cell in _unique_cells(row)] for row in table.rows]
            lines.extend(_table_lines([r for r in rows if any(r)]))
    fields: dict[str, str] = {}
    title = (document.core_properties.title or "").strip()
    if re.search(r"[\u4e00-\u9fff]{4,}", title):
        fields["title"] = title
    return Extracted("\n".join(lines), fields)


def _unique_cells(row: Any) -> list[Any]:
    """Merged cells appear once per grid column in python-docx; read each once."""
    seen: list[Any] = []
    for cell in row.cells:  # type: ignore[attr-defined]
        if not any(cell._tc is s._tc for s in seen):  # type: ignore[attr-defined]
            seen.append(cell)
    return seen


def read_pdf(data: bytes) -> Extracted:
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types for damaged files
        raise UnsupportedFormat(f"PDF could not be read: {type(exc).__name__}") from exc
    text = "\n".join(pages)
    if len(re.sub(r"\s", "", text)) < 20 * max(1, len(pages)) // 2:
        raise UnsupportedFormat("no text layer (scanned); OCR not supported")
    fields: dict[str, str] = {}
    metadata: Any = reader.metadata or {}
    title = str(metadata.get("/Title") or "").strip()
    if re.search(r"[\u4e00-\u9fff]{4,}", title):
        fields["title"] = title
    return Extracted(text, fields)


READERS: dict[str, Callable[[bytes], Extracted]] = {
    ".txt": read_text, ".text": read_text, ".md": read_markdown, ".markdown": read_markdown,
    ".html": read_html, ".htm": read_html, ".shtml": read_html, ".xhtml": read_html,
    ".docx": read_docx, ".pdf": read_pdf,
}


def extract(suffix: str, data: bytes) -> Extracted:
    """Read ``data`` as a file with this suffix; ``UnsupportedFormat`` says why not."""
    suffix = suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise UnsupportedFormat(_REFUSED.get(suffix, f"unsupported file type {suffix or '(none)'}"))
    try:
        return reader(data)
    except DecodeError as exc:
        raise UnsupportedFormat(str(exc)) from exc
