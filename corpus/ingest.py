"""Document → metadata and clauses: the corpus stage end to end, without file I/O.

Order matters and is fixed here: the optional ``SOURCE:`` line, HTML to text, mojibake repair
(on raw lines, before cleaning touches them), cleaning, metadata (from every line), boilerplate
removal, then clause splitting. Also drops documents whose text repeats one already ingested.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from corpus.boilerplate import strip_boilerplate
from corpus.clauses import BodyLine, split_clauses
from corpus.clean import clean_text, html_to_text, to_match
from corpus.load import load_paths
from corpus.meta import extract_meta
from corpus.models import Clause, Document, DocumentMeta, SkippedFile, content_hash
from corpus.mojibake import repair_line

_SOURCE_LINE = re.compile(r"^\ufeff?SOURCE:\s*(\S+)\s*$")


@dataclass(frozen=True)
class ParsedDocument:
    document: Document
    meta: DocumentMeta
    clauses: list[Clause]
    body_hash: str


@dataclass
class Corpus:
    documents: list[ParsedDocument] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)

    @property
    def clauses(self) -> list[Clause]:
        return [c for d in self.documents for c in d.clauses]


def body_lines(document: Document) -> tuple[list[str], list[BodyLine], str | None]:
    """(every cleaned page line, body lines for clause splitting, SOURCE url)."""
    text = document.raw_text
    source_url = None
    first, _, rest = text.partition("\n")
    if found := _SOURCE_LINE.match(first):
        source_url, text = found.group(1), rest
    if document.source_file.lower().endswith((".html", ".htm")):
        text = html_to_text(text)
    page: list[str] = []
    garbled: dict[int, str | None] = {}
    for raw in text.split("\n"):
        repair = repair_line(raw.strip())
        if repair is not None:
            if not repair.restored:  # a restored line is whole again and parses like any other
                garbled[len(page)] = repair.numeral
            raw = repair.body
        page.append(clean_text(raw))
    kept = strip_boilerplate(page)
    lines = [BodyLine(text, i in garbled, garbled.get(i)) for i, text in kept]
    return page, lines, source_url


def parse_document(document: Document) -> ParsedDocument:
    page, lines, source_url = body_lines(document)
    result = extract_meta(page, [line.text for line in lines], source_url)
    body = [line for i, line in enumerate(lines) if i not in result.consumed]
    clauses = split_clauses(document.doc_id, document.source_file, result.meta, body)
    body_hash = content_hash("\n".join(to_match(line.text) for line in body))
    return ParsedDocument(document, result.meta, clauses, body_hash)


def ingest(documents: Iterable[Document], skipped: list[SkippedFile] | None = None) -> Corpus:
    corpus = Corpus(skipped=list(skipped or []))
    seen: dict[str, str] = {}
    for document in documents:
        parsed = parse_document(document)
        if parsed.body_hash in seen:
            corpus.skipped.append(SkippedFile(
                document.path, f"duplicate of {seen[parsed.body_hash]}"))
            continue
        if not parsed.clauses:
            corpus.skipped.append(SkippedFile(document.path, "no text left after cleaning"))
            continue
        seen[parsed.body_hash] = document.source_file
        corpus.documents.append(parsed)
    return corpus


def ingest_paths(paths: Iterable[Path | str]) -> Corpus:
    loaded = load_paths(paths)
    return ingest(loaded.documents, loaded.skipped)
