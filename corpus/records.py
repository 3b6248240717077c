"""Documents as records: the one JSON shape of a document's metadata that the CLI
(``policyqa corpus --documents --json``), the index manifest and ``/v1/documents`` share.

Owns the field names and the status as of a day; owns no parsing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from corpus.ingest import ParsedDocument
from corpus.models import SkippedFile
from corpus.validity import status


def document_record(parsed: ParsedDocument, as_of: date) -> dict[str, Any]:
    meta = parsed.meta
    return {
        "source_file": parsed.document.source_file,
        "doc_id": parsed.document.doc_id,
        "title": meta.title,
        "doc_number": meta.doc_number,
        "issuer": meta.issuer,
        "date_issued": meta.date_issued,
        "date_published": meta.date_published,
        "date_effective": meta.date_effective,
        "date_expires": meta.date_expires,
        "repealed_by": meta.repealed_by,
        "superseded_by": meta.superseded_by,
        "status": status(meta.kind, meta.date_effective, meta.date_expires, meta.repealed_by,
                         as_of),
        "kind": meta.kind,
        "source": meta.source,
        "clauses": len(parsed.clauses),
        "kept_share": round(parsed.kept_share, 4),
        "skipped": None,
    }


def skipped_record(skipped: SkippedFile) -> dict[str, Any]:
    name = skipped.path.replace("\\", "/").rsplit("/", 1)[-1]
    return {
        "source_file": name, "doc_id": None, "title": None, "doc_number": None, "issuer": None,
        "date_issued": None, "date_published": None, "date_effective": None,
        "date_expires": None, "repealed_by": None, "superseded_by": None, "status": None, "kind": None, "source": None,
        "clauses": 0, "kept_share": None, "skipped": skipped.reason,
    }


def status_now(record: dict[str, Any], as_of: date) -> str:
    """A stored record's status recomputed for ``as_of`` (a manifest outlives its build day)."""
    return status(record.get("kind") or "policy", record.get("date_effective"),
                  record.get("date_expires"), record.get("repealed_by"), as_of)
