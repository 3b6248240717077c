"""Domain objects of the corpus stage: a loaded document, its metadata and its clauses.

Owns the shapes and the stable ids; owns no parsing (see clean.py, meta.py, clauses.py).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from corpus.facts import Fact, fact_from_json, fact_to_json


def stable_doc_id(file_name: str) -> str:
    """A document id derived from the file name only, so it survives re-runs and machines."""
    stem = re.sub(r"\.(txt|text|md|markdown|s?html?|xhtml|docx|pdf)$", "", file_name,
                  flags=re.IGNORECASE)
    slug = re.sub(r"[^0-9A-Za-z_\-]+", "-", stem).strip("-")
    if slug and slug == stem:
        return slug
    # Non-ASCII names: keep what is readable and add a short hash so ids stay unique.
    digest = hashlib.sha1(file_name.encode("utf-8")).hexdigest()[:8]
    return f"{slug[:40] or 'doc'}-{digest}"


def content_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class DocumentMeta:
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    date_issued: str | None = None  # ISO 8601
    date_published: str | None = None  # ISO 8601
    source: str | None = None
    kind: str = "policy"  # policy | implementation_plan | draft | news
    date_effective: str | None = None  # ISO 8601: 施行/实施 date
    date_expires: str | None = None  # ISO 8601: last day in force (失效日期, or 有效期N年)
    repealed_by: str | None = None  # title or file of a later text that repeals this one
    superseded_by: str | None = None  # doc_id of a later version of the same text (a revision)

    @property
    def date(self) -> str | None:
        return self.date_issued or self.date_published


@dataclass(frozen=True)
class Document:
    doc_id: str
    source_file: str
    path: str
    encoding: str
    raw_text: str  # the text a reader sees (decoded; markup of HTML/DOCX/PDF read away)
    sha1: str  # of the raw bytes
    fields: tuple[tuple[str, str], ...] = ()  # metadata the file format states (formats.py)


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str


@dataclass(frozen=True)
class Clause:
    """One citable unit: a numbered clause (or a paragraph where a document has no numbering).

    ``text`` is the clause as written (original characters, scraping noise removed);
    ``text_match`` is its matching form (simplified, width-folded) that retrieval uses;
    ``parts`` are matching-form windows short enough for the embedder (one when it fits);
    ``facts`` are what the clause states, typed (``corpus/facts.py``, read by
    ``corpus/extract_facts.py``); an index written before facts existed loads with none.
    """

    clause_id: str
    doc_id: str
    source_file: str
    title: str | None
    doc_number: str | None
    date: str | None
    kind: str
    heading_path: tuple[str, ...]
    number_path: str
    text: str
    text_match: str
    offices: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    parts: tuple[str, ...] = field(default=())
    ordinal: int = 0  # position in its document, for neighbours; never part of the id
    facts: tuple[Fact, ...] = ()

    @property
    def numbered(self) -> bool:
        """Under a heading of its own (一、 (一) 1.), not an unnumbered paragraph (¶n)."""
        return bool(self.heading_path) and not self.number_path.startswith("¶")

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("heading_path", "offices", "flags", "parts"):
            data[key] = list(data[key])
        data["facts"] = [fact_to_json(f) for f in self.facts]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Clause:
        values = dict(data)
        for key in ("heading_path", "offices", "flags", "parts"):
            values[key] = tuple(values.get(key) or ())
        values["facts"] = tuple(fact_from_json(f) for f in values.get("facts") or ())
        return cls(**values)
