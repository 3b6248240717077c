"""Bytes → text: encoding detection for Chinese text files and pages.

Owns which encodings are tried (UTF-8/UTF-16 with or without BOM, GB18030/GBK, Big5) and the
reason given when none fits. No file I/O.
"""

from __future__ import annotations

import codecs

from corpus.mojibake import common_char_ratio


class DecodeError(ValueError):
    pass


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding). Raises DecodeError with a reason a person can act on."""
    if not data.strip():
        raise DecodeError("empty file")
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name), name
    if b"\x00" in data[:4096]:
        raise DecodeError("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # GB18030 and Big5 byte ranges overlap: decode with both and keep the one whose characters
    # are ordinary Chinese rather than rare-character garbage.
    candidates: list[tuple[float, str, str]] = []
    for name in ("gb18030", "big5"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        candidates.append((common_char_ratio(text), name, text))
    if not candidates:
        raise DecodeError("not valid UTF-8, GB18030 or Big5 text")
    score, name, text = max(candidates)
    if score < 0.5:
        raise DecodeError(f"undecodable: best guess {name} gives mostly rare characters")
    return text, name
