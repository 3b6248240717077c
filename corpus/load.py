"""Files → Document: the only file reads of the corpus stage.

Owns which files are read (.txt, .md, .html/.htm, from directories or single paths), encoding
detection (UTF-8/UTF-16 with or without BOM, GB18030/GBK, Big5) and skipping what cannot be read,
with a reason. A skipped file never stops the rest of the corpus.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from corpus.models import Document, SkippedFile, stable_doc_id
from corpus.mojibake import common_char_ratio

SUFFIXES = {".txt", ".md", ".html", ".htm"}
MAX_BYTES = 20 * 1024 * 1024


class DecodeError(ValueError):
    pass


@dataclass(frozen=True)
class LoadResult:
    documents: list[Document]
    skipped: list[SkippedFile]


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


def iter_files(paths: Iterable[Path]) -> Iterable[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*")
                              if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            yield path


def load_paths(paths: Iterable[Path | str]) -> LoadResult:
    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    seen_ids: set[str] = set()
    for path in iter_files(Path(p) for p in paths):
        try:
            if not path.exists():
                raise DecodeError("no such file")
            if path.suffix.lower() not in SUFFIXES:
                raise DecodeError(f"unsupported file type {path.suffix or '(none)'}")
            data = path.read_bytes()
            if len(data) > MAX_BYTES:
                raise DecodeError(f"larger than {MAX_BYTES // (1024 * 1024)} MiB")
            text, encoding = decode(data)
        except (OSError, DecodeError) as exc:
            skipped.append(SkippedFile(str(path), str(exc)))
            continue
        doc_id = stable_doc_id(path.name)
        if doc_id in seen_ids:
            doc_id = f"{doc_id}-{hashlib.sha1(str(path).encode()).hexdigest()[:6]}"
        seen_ids.add(doc_id)
        documents.append(Document(
            doc_id=doc_id, source_file=path.name, path=str(path), encoding=encoding,
            raw_text=text, sha1=hashlib.sha1(data).hexdigest(),
        ))
    return LoadResult(documents, skipped)
