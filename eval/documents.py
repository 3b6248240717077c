"""Document metadata against the shared gold (``dev2-meta.jsonl``): title, 文号 and status (a
miss is listed), and issuer and dates (each field's accuracy, a null gold counting only when
none was read).

A title the page cut short (``title_truncated``) counts when either title starts with the other;
a gold title of null (the text states none) counts only when none was read.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from corpus.clean import to_key
from corpus.records import status_now

AS_OF = date(2026, 11, 30)  # the day the shared gold's statuses were judged


def score_documents(records: list[dict[str, Any]], gold_path: Path,
                    as_of: date = AS_OF) -> dict[str, Any]:
    gold = {}
    for line in gold_path.read_text("utf-8").splitlines():
        row = json.loads(line)
        gold[row["doc"]] = row
    titles = numbers = statuses = 0
    misses: list[str] = []
    scored = [r for r in records if r.get("source_file") in gold]
    for rec in scored:
        want = gold[rec["source_file"]]
        got, title = to_key(rec.get("title") or ""), to_key(want["title"] or "")
        if want.get("title_truncated") and title:
            title_ok = bool(got) and (got.startswith(title) or title.startswith(got))
        else:
            title_ok = got == title
        number_ok = to_key(rec.get("doc_number") or "") == to_key(want["doc_number"] or "")
        status_ok = status_now(rec, as_of) == want["status"]
        titles, numbers, statuses = titles + title_ok, numbers + number_ok, statuses + status_ok
        if not (title_ok and number_ok and status_ok):
            misses.append(rec["source_file"])
    n = len(scored) or 1
    def same(key: str, got: Any, want: Any) -> bool:
        return (to_key(got or "") == to_key(want or "")) if key == "issuer" else (got or "") == (want or "")

    field_accuracy = {f"{key}_accuracy": sum(same(key, rec.get(key), gold[rec["source_file"]][key])
                                             for rec in scored) / n
                      for key in ("issuer", "date_issued", "date_effective", "date_expires")}
    return {"documents": len(scored), "title_accuracy": titles / n,
            "doc_number_accuracy": numbers / n, "status_accuracy": statuses / n, **field_accuracy,
            "misses": misses}
