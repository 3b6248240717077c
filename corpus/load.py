"""Files → Document: the only file reads of the corpus stage.

Owns which files are read (every file under a directory, hidden ones aside), the per-format
readers' dispatch (formats.py) and skipping what cannot be read, with a reason. A skipped file
never stops the rest of the corpus, and is never dropped silently: it is listed with its reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from corpus.formats import READERS, UnsupportedFormat, extract
from corpus.models import Document, SkippedFile, stable_doc_id

SUFFIXES = set(READERS)
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class LoadResult:
    documents: list[Document]
    skipped: list[SkippedFile]



def iter_files(paths: Iterable[Path]) -> Iterable[Path]:
    """Every file under a directory (sorted); unsupported ones are yielded too, to be reported."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file()
                              and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            yield path


def load_file(path: Path, data: bytes, doc_id: str) -> Document:
    """One file's bytes → Document; raises UnsupportedFormat with the reason."""
    if len(data) > MAX_BYTES:
        raise UnsupportedFormat(f"larger than {MAX_BYTES // (1024 * 1024)} MiB")
    extracted = extract(path.suffix, data)
    return Document(
        doc_id=doc_id, source_file=path.name, path=str(path), encoding=extracted.encoding,
        raw_text=extracted.text, sha1=hashlib.sha1(data).hexdigest(),
        fields=tuple(sorted(extracted.fields.items())),
    )


def load_paths(paths: Iterable[Path | str]) -> LoadResult:
    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    seen_ids: set[str] = set()
    for path in iter_files(Path(p) for p in paths):
        doc_id = stable_doc_id(path.name)
        if doc_id in seen_ids:
            doc_id = f"{doc_id}-{hashlib.sha1(str(path).encode()).hexdigest()[:6]}"
        try:
            if not path.exists():
                raise UnsupportedFormat("no such file")
            document = load_file(path, path.read_bytes(), doc_id)
        except (OSError, UnsupportedFormat) as exc:
            skipped.append(SkippedFile(str(path), str(exc)))
            continue
        seen_ids.add(doc_id)
        documents.append(document)
    return LoadResult(documents, skipped)
