"""Gold question sets (JSONL, format of eval/README.md): loading and validation.

A gold file is refused with the line number when a field is unknown, a required field is
missing, or an evidence quote does not occur in its document (checked when the documents are
given).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from corpus.clean import to_key

ALLOWED = {"id", "question", "type", "answerable", "evidence", "answer", "offices", "facts",
           "history", "note", "verdict"}
REQUIRED = {"id", "question", "type", "answerable"}


class GoldError(ValueError):
    pass


@dataclass(frozen=True)
class Evidence:
    doc: str
    quote: str
    heading: str | None = None


@dataclass(frozen=True)
class GoldQuestion:
    id: str
    question: str
    type: str
    answerable: bool
    evidence: tuple[Evidence, ...] = ()
    offices: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    history: tuple[str, ...] = ()  # earlier user turns, for follow-up questions
    answer: str | None = None
    source: str = field(default="", compare=False)
    verdict: str | None = None  # eligibility: not_eligible | meets_stated | unknown


def load_gold(path: Path, documents: dict[str, str] | None = None) -> list[GoldQuestion]:
    """``documents``: source file name → matching key of its whole text, to check quotes."""
    out: list[GoldQuestion] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise GoldError(f"{where}: not JSON ({exc})") from exc
        if not isinstance(row, dict):
            raise GoldError(f"{where}: expected an object")
        if unknown := set(row) - ALLOWED:
            raise GoldError(f"{where}: unknown field(s) {sorted(unknown)}")
        if missing := REQUIRED - set(row):
            raise GoldError(f"{where}: missing field(s) {sorted(missing)}")
        if row["id"] in seen:
            raise GoldError(f"{where}: duplicate id {row['id']}")
        seen.add(row["id"])
        evidence = []
        for item in row.get("evidence") or []:
            if not item.get("quote") or not item.get("doc"):
                raise GoldError(f"{where}: evidence needs 'doc' and a non-empty 'quote'")
            if documents is not None:
                if item["doc"] not in documents:
                    raise GoldError(f"{where}: evidence document {item['doc']} is not in the corpus")
                if item["quote"] not in documents[item["doc"]]:
                    raise GoldError(f"{where}: quote {item['quote']!r} does not occur in {item['doc']}")
            evidence.append(Evidence(item["doc"], item["quote"], item.get("heading")))
        if row["answerable"] and not evidence:
            raise GoldError(f"{where}: an answerable question needs evidence")
        out.append(GoldQuestion(
            id=row["id"], question=row["question"], type=row["type"],
            answerable=bool(row["answerable"]), evidence=tuple(evidence),
            offices=tuple(row.get("offices") or ()), facts=tuple(row.get("facts") or ()),
            history=tuple(row.get("history") or ()), answer=row.get("answer"), source=path.name,
            verdict=row.get("verdict"),
        ))
    return out


def document_keys(texts: dict[str, str]) -> dict[str, str]:
    return {name: to_key(text) for name, text in texts.items()}
