"""Every shared corpus, used in place from ../shared: each file ingested or skipped with a reason,
metadata against the shared gold (dev2-meta.jsonl), and no body text lost."""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path

from corpus.clean import to_key
from corpus.ingest import Corpus, ingest_paths
from corpus.validity import status

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
FOLDERS = {"corpus": SHARED / "corpus", "corpus-extra": SHARED / "corpus-extra",
           "regulations": SHARED / "corpus-dev2" / "regulations",
           "published": SHARED / "corpus-dev2" / "published",
           "guides": SHARED / "corpus-dev2" / "guides"}


@lru_cache(maxsize=1)
def shared_corpus() -> Corpus:
    return ingest_paths(list(FOLDERS.values()))


def test_every_file_is_ingested_or_skipped_with_a_reason() -> None:
    corpus = shared_corpus()
    files = sorted(p.name for folder in FOLDERS.values() for p in folder.iterdir() if p.is_file())
    seen = sorted([d.document.source_file for d in corpus.documents]
                  + [Path(s.path).name for s in corpus.skipped])
    assert seen == files
    assert all(s.reason for s in corpus.skipped)
    assert sum(d.document.source_file.endswith(".docx") for d in corpus.documents) == 6


def test_metadata_matches_the_shared_gold() -> None:
    gold = {json.loads(line)["doc"]: json.loads(line)
            for line in (SHARED / "eval" / "dev2-meta.jsonl").read_text("utf-8").splitlines()}
    docs = {d.document.source_file: d for d in shared_corpus().documents}
    titles = numbers = statuses = 0
    for name, want in gold.items():
        meta = docs[name].meta
        got, title = to_key(meta.title or ""), to_key(want["title"] or "")
        titles += (got == title) if not want.get("title_truncated") or not title else \
            (got.startswith(title) or title.startswith(got)) and bool(got)
        numbers += to_key(meta.doc_number or "") == to_key(want["doc_number"] or "")
        statuses += status(meta.kind, meta.date_effective, meta.date_expires, meta.repealed_by,
                           date(2026, 11, 30)) == want["status"]
    n = len(gold)
    assert (titles / n, numbers / n, statuses / n) >= (0.9, 0.9, 0.8)
    assert min(titles / n, numbers / n) >= 0.9 and statuses / n >= 0.8


def test_no_body_text_is_lost() -> None:
    """Every body line reappears in a clause, and every quote of every shared gold set lies
    within one clause of its document (quotes were taken from the text a reader sees)."""
    corpus = shared_corpus()
    assert [d.document.source_file for d in corpus.documents if d.kept_share < 1.0] == []
    clauses: dict[str, list[str]] = {}
    for doc in corpus.documents:
        clauses[doc.document.source_file] = [to_key(c.text) for c in doc.clauses]
    missing = []
    for gold in sorted((SHARED / "eval").glob("*.jsonl")):
        for line in gold.read_text("utf-8").splitlines():
            question = json.loads(line)
            for item in question.get("evidence", []):
                if not any(item["quote"] in text for text in clauses.get(item["doc"], [])):
                    missing.append((question["id"], item["doc"]))
    assert missing == []


def test_statute_articles_are_whole_clauses() -> None:
    """A statute's articles come out one clause each, in order, with no article merged into
    another (articles past 第一百条 included)."""
    for doc in shared_corpus().documents:
        if not doc.document.source_file.endswith(".md"):
            continue
        numbers = [int(c.number_path.rsplit("第", 1)[1].split("条")[0]) for c in doc.clauses
                   if c.number_path.split(".")[-1].startswith("第") and "条" in c.number_path.split(".")[-1]]
        assert numbers == sorted(numbers) and len(numbers) == len(set(numbers)), doc.document.source_file
        for clause in doc.clauses:
            assert clause.text.count("\n第") == 0 or "条" not in clause.text.split("\n第", 1)[1][:6]
