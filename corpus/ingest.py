"""Document → metadata and clauses: the corpus stage end to end, without file I/O.

Order matters and is fixed here: the optional ``SOURCE:`` line, mojibake repair (on raw lines,
before cleaning touches them), cleaning, metadata (from every line and the format's own fields),
boilerplate removal, clause splitting, then each clause's facts. Across documents: a text that
repeats one already ingested is skipped (with the reason), and a text that repeals another marks
it repealed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from corpus.boilerplate import strip_boilerplate
from corpus.clauses import BodyLine, split_clauses
from corpus.clean import clean_text, to_key, to_match
from corpus.extract_facts import extract_facts
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
    repeals: tuple[str, ...] = ()
    body_chars: int = 0  # letters and digits of the body (after page chrome is removed)
    kept_chars: int = 0  # of those, the ones found in a clause's text or heading path

    @property
    def kept_share(self) -> float:
        return self.kept_chars / self.body_chars if self.body_chars else 1.0


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
    result = extract_meta(page, [line.text for line in lines], source_url, dict(document.fields))
    body = [replace(line, role="signature" if i in result.signature else "header")
            if i in result.consumed else line for i, line in enumerate(lines)]
    clauses = [replace(c, facts=extract_facts(c.text_match))
               for c in split_clauses(document.doc_id, document.source_file, result.meta, body)]
    body_hash = content_hash("\n".join(to_match(line.text) for line in body))
    body_chars, kept_chars = _kept(body, clauses)
    return ParsedDocument(document, result.meta, clauses, body_hash, result.repeals,
                          body_chars, kept_chars)


def _kept(body: list[BodyLine], clauses: list[Clause]) -> tuple[int, int]:
    """(body characters, those kept): every body line must reappear in a clause, whole."""
    kept_text = "\n".join(to_key(c.text) + "\n" + "\n".join(to_key(h) for h in c.heading_path)
                          for c in clauses)
    total = kept = 0
    for line in body:
        key = to_key(line.text)
        total += len(key)
        if key in kept_text:
            kept += len(key)
    return total, kept


def _title_key(title: str) -> str:
    """A title without the notice wrapper: 关于印发《X》的通知 and X name the same text."""
    m = re.sub(r"[^\w]", "", to_match(title))
    m = re.sub(r"^.*?关于印发", "", m)
    return re.sub(r"的通知$", "", m)


def mark_repealed(documents: list[ParsedDocument]) -> list[ParsedDocument]:
    """A text stating 《X》同时废止 repeals the corpus document titled X. Same-title pairs are
    revisions of one text, not repeals, and a text never repeals itself."""
    by_title: dict[str, list[int]] = {}
    for i, doc in enumerate(documents):
        if doc.meta.title:
            by_title.setdefault(_title_key(doc.meta.title), []).append(i)
    marked = list(documents)
    for doc in documents:
        own = _title_key(doc.meta.title or "")
        for repealed in doc.repeals:
            key = _title_key(repealed)
            if not key or key == own:
                continue
            for i in by_title.get(key, []):
                target = marked[i]
                if target.document.doc_id != doc.document.doc_id and not target.meta.repealed_by:
                    by = doc.meta.title or doc.document.source_file
                    marked[i] = replace(target, meta=replace(target.meta, repealed_by=by))
    return marked


def mark_superseded(documents: list[ParsedDocument]) -> list[ParsedDocument]:
    """Versions of one text (a statute as passed and as amended: the same title from the same
    issuer, each dated) are not repeals: each older one is marked superseded by the latest,
    whose words stand for the words the versions share (``index.search``)."""
    versions: dict[tuple[str, str], list[int]] = {}
    for i, doc in enumerate(documents):
        if doc.meta.title and doc.meta.date_issued and doc.meta.issuer:  # same-named notices of
            # different places (若干措施) are no versions of one another: the issuer says whose
            key = (_title_key(doc.meta.title), to_match(doc.meta.issuer))
            versions.setdefault(key, []).append(i)
    marked = list(documents)
    for rows in versions.values():
        dates = {documents[i].meta.date_issued for i in rows}
        if len(rows) < 2 or len(dates) < len(rows):
            continue  # one version, or two of one date: nothing says which stands
        latest = max(rows, key=lambda i: documents[i].meta.date_issued or "")
        for i in rows:
            if i != latest:
                marked[i] = replace(marked[i], meta=replace(
                    marked[i].meta, superseded_by=documents[latest].document.doc_id))
    return marked


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
    corpus.documents = mark_superseded(mark_repealed(corpus.documents))
    return corpus


def ingest_paths(paths: Iterable[Path | str]) -> Corpus:
    loaded = load_paths(paths)
    return ingest(loaded.documents, loaded.skipped)
