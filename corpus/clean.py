"""Pure text-cleaning steps: ``str -> str``, no I/O, each idempotent.

Owns character-level noise: invisible and control characters, HTML markup, whitespace, the
pinyin annotations that scrapers insert after characters (``濱(bin)``, ``當(dāng)``), and the
matching form (simplified, NFKC) that retrieval uses. Line-level boilerplate lives in
boilerplate.py, GBK mojibake in mojibake.py.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from html.parser import HTMLParser

# One sentence of a clause in matching form, with its end mark: 。；;！？ or the end of a line
# (a list item ends its sentence without a mark). The answer layer quotes and checks these.
SENTENCE = re.compile(r"[^。；;！？\n]+[。；;！？]?")

# Zero-width, bidi controls, word joiners, BOM, Unicode tag characters, lone surrogates and C0/C1
# controls other than newline and tab: invisible in a browser, but they split words and can smuggle
# instructions into a prompt.
_INVISIBLE = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000e0000-\U000e007f\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
_SPACES = re.compile("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

_TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN_GROUPS = re.compile(rf"(?<=[{_CJK}])((?:[(（][a-z{_TONES}]{{1,7}}[)）])+)")
# Tone-marked groups are pinyin wherever they stand (also after mojibake: ``?(jù)``).
_TONED_GROUPS = re.compile(rf"[(（](?=[a-z{_TONES}]*[{_TONES}])[a-z{_TONES}]{{1,7}}[)）]")
_ONE_GROUP = re.compile(rf"[(（]([a-z{_TONES}]{{1,7}})[)）]")
_SYLLABLE = re.compile(
    r"^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|uan|van|ian|iao|uai|ai|ei|ao|ou|an|en|er|in|un|vn"
    r"|ia|ie|iu|ua|uo|ui|ue|ve|a|o|e|i|u|v)$"
)


def strip_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def normalise_space(text: str) -> str:
    """NBSP, ideographic and other spaces become one ASCII space; lines are stripped."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(lines)


def is_pinyin_syllable(token: str) -> bool:
    plain = "".join(
        c for c in unicodedata.normalize("NFD", token) if unicodedata.category(c) != "Mn"
    )
    return bool(_SYLLABLE.match(plain.replace("ü", "v")))


def _drop_pinyin_groups(match: re.Match[str]) -> str:
    groups = match.group(1)
    kept_from = 0
    for group in _ONE_GROUP.finditer(groups):
        if not is_pinyin_syllable(group.group(1)):
            break
        kept_from = group.end()
    return groups[kept_from:]


def strip_pinyin(text: str) -> str:
    """Remove romanisations a scraper put after characters; real parentheses (``(一)``,
    ``(責任單位:…)``, ``(5G)``, ``(AI)``) stay because they are not valid pinyin syllables."""
    text = _PINYIN_GROUPS.sub(_drop_pinyin_groups, text)
    return _TONED_GROUPS.sub(lambda m: "" if is_pinyin_syllable(m.group(0)[1:-1]) else m.group(0), text)


class _TextExtractor(HTMLParser):
    _BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
               "article", "table", "ul", "ol", "title", "dd", "dt"}
    _HIDDEN = {"script", "style", "noscript", "template", "iframe", "svg", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden_depth += 1
        elif tag in self._BLOCKS:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in self._BLOCKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.out.append(data)


def html_to_text(markup: str) -> str:
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return "".join(parser.out)


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def strip_markup(text: str) -> str:
    """Remove stray tags and scripts that survive in text pages (hostile or sloppy input)."""
    if "<" not in text:
        return text
    return html.unescape(_TAG.sub("", _SCRIPT.sub("", text))) if _TAG.search(text) else text


def clean_text(text: str) -> str:
    """The citation form: original characters with scraping noise removed."""
    text = strip_invisible(text)
    text = strip_markup(text)
    text = strip_invisible(text)  # unescaped entities may have produced invisible characters
    text = normalise_space(text)
    text = strip_pinyin(text)
    return normalise_space(text)


@lru_cache(maxsize=1)
def _t2s() -> object:
    import opencc

    return opencc.OpenCC("t2s")


_INNER_SPACE = re.compile(r"(?<![A-Za-z]) +| +(?![A-Za-z])")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)  # type: ignore[attr-defined, no-any-return]


def to_match(text: str) -> str:
    """The matching form: simplified, NFKC width-folded, spaces kept only between Latin words
    (Chinese pages put stray spaces inside words and numbers: ``200 万元``, ``第 1 0 条``)."""
    text = unicodedata.normalize("NFKC", strip_invisible(text))
    text = to_simplified(text)
    text = normalise_space(text)
    return _INNER_SPACE.sub("", text)


def find_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where matching-form ``terms`` occur in original ``text``, as (start, end) offsets into
    ``text``: a simplified query term found in a traditional clause, for highlighting."""
    haystack, origin = _folded_with_offsets(text)
    spans: list[tuple[int, int]] = []
    for term in sorted(set(terms), key=len, reverse=True):
        start = haystack.find(term)
        while start >= 0 and term:
            span = (origin[start], origin[start + len(term) - 1] + 1)
            if not any(a < span[1] and span[0] < b for a, b in spans):
                spans.append(span)
            start = haystack.find(term, start + len(term))
    return sorted(spans)


@lru_cache(maxsize=20_000)
def _folded_with_offsets(text: str) -> tuple[str, tuple[int, ...]]:
    """``text`` in matching form without spaces, and for each character its offset in ``text``
    (cached: the same clauses are highlighted for many questions)."""
    folded: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        for out in unicodedata.normalize("NFKC", char):
            folded.append(out)
            origin.append(i)
    joined = "".join(folded)
    simplified = to_simplified(joined)
    if len(simplified) != len(joined):  # a phrase conversion changed the length: go char by char
        simplified = "".join(to_simplified(c) if len(to_simplified(c)) == 1 else c for c in joined)
    keep = [n for n, c in enumerate(simplified) if not c.isspace()]
    return "".join(simplified[n] for n in keep), tuple(origin[n] for n in keep)


def to_key(text: str) -> str:
    """Letters and digits only, as the gold sets' evidence quotes are normalised."""
    return "".join(c for c in to_match(text) if c.isalnum())
