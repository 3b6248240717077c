"""GBK mojibake at the start of a line: text whose GBK bytes were decoded one byte off.

Scraped pages sometimes carry lines such as ``?。ǘ┡嘤萍夹…。支持科技型中小企業…``: the heading
``（二）培育科技型中小企业`` was GBK text read from the wrong byte offset, so its characters came
out as rare characters, box-drawing and bopomofo symbols, and only later the text falls back in
step. We find where the garble ends (the first run of ordinary characters), re-decode the
garbled bytes one byte over to recover what survives (usually the ``（`` and the lead byte of the
heading numeral), and hand back the clean body. The heading number is recovered where its lead
byte survived; otherwise the caller infers it from the neighbours.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

from corpus.clean import to_simplified

_NUMERALS = "一二三四五六七八九十"
_START = re.compile(r"^[?？][。．]")
_PINYIN_ANY = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")
_PUNCT = set("，,。；;：:、“”\"'（）()《》〈〉！!？?—…·%0123456789")
_WINDOW = 5


@dataclass(frozen=True)
class MojibakeRepair:
    body: str  # the line without its garbled prefix (the whole line when ``restored``)
    numeral: str | None  # the heading numeral recovered from the bytes, if any
    garbled: str  # what was dropped
    restored: bool = False  # every garbled character was recovered: ``body`` is the whole line


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    """The ~3,500 most frequent characters by jieba's word-frequency dictionary."""
    import jieba

    counts: dict[str, int] = {}
    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    with open(path, encoding="utf-8") as handle:
        for row in handle:
            parts = row.split()
            if len(parts) < 2:
                continue
            for char in parts[0]:
                counts[char] = counts.get(char, 0) + int(parts[1])
    ranked = sorted(counts, key=counts.__getitem__, reverse=True)
    return frozenset(ranked[:3500])


def common_char_ratio(text: str) -> float:
    """Share of CJK characters in ``text`` that are common; used to rank candidate decodings."""
    cjk = [c for c in to_simplified(text) if "\u3400" <= c <= "\u9fff"]
    if not cjk:
        return 0.0
    common = _common_chars()
    return sum(c in common for c in cjk) / len(cjk)


def looks_garbled(line: str) -> bool:
    return bool(_START.match(line))


def _is_ordinary(char: str) -> bool:
    return char in _common_chars() or char in _PUNCT


def _garble_end(text: str) -> int:
    """Index where ordinary text resumes: the first run of ``_WINDOW`` ordinary characters."""
    simple = to_simplified(text)
    for start in range(1, len(simple) - _WINDOW + 1):
        window = simple[start : start + _WINDOW]
        if all(_is_ordinary(c) for c in window) and window[0] not in _PUNCT:
            return start
    return len(simple)


def _recover_numeral(garbled: str) -> str | None:
    try:
        raw = garbled.encode("gbk", errors="ignore")
    except (UnicodeError, LookupError):
        return None
    for shift in (1, 2, 0):
        data = raw[shift:]
        if data[:2] == "（".encode("gbk") and len(data) > 2:
            lead = data[2]
            hits = [n for n in _NUMERALS if n.encode("gbk")[0] == lead]
            if len(hits) == 1:
                return hits[0]
    return None


_HEADING = re.compile(r"^（[一二三四五六七八九十]{1,3}）")


def _restore(garbled: str, body: str) -> str | None:
    """The garbled prefix decoded one byte over, when that yields the whole heading: it must
    decode cleanly, start with a ``（N）`` heading, and read as dictionary words into the body
    (``（一）加強組`` + ``織保障`` → 加强/组织/保障). Anything doubtful stays dropped: a wrong
    character in a citation is worse than a missing one."""
    import jieba

    raw = garbled.encode("gbk", errors="replace")
    for shift in (2, 1):
        try:
            decoded = raw[shift:].decode("gbk")
        except UnicodeDecodeError:
            continue
        heading = _HEADING.match(decoded)
        if not heading or "?" in decoded:
            continue
        words = decoded[heading.end():]
        joined = to_simplified(words + body[:8])
        position, plausible = 0, bool(words)
        for token in jieba.cut(joined, HMM=False):
            if position < len(words) and len(token) < 2 and token not in _PUNCT:
                plausible = False
                break
            position += len(token)
        if plausible:
            return decoded + body
    return None


def repair_line(line: str) -> MojibakeRepair | None:
    """Split a garbled line into what is lost and the body that survives; None if not garbled."""
    if not looks_garbled(line):
        return None
    text = _PINYIN_ANY.sub("", line)  # pinyin the scraper attached to garbled characters
    end = _garble_end(text)
    garbled, body = text[:end], text[end:]
    restored = _restore(garbled, body)
    if restored is not None:
        return MojibakeRepair(body=restored, numeral=None, garbled=garbled, restored=True)
    return MojibakeRepair(body=body.lstrip("。，,;；"), numeral=_recover_numeral(garbled),
                          garbled=garbled)
