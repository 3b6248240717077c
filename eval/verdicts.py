"""Eligibility verdicts by the rules alone, given the clause each question is judged against.

Owns two measurements of ``service.eligibility.verdict`` without retrieval:

- the project's own set ``eval/gold/eligibility.jsonl`` (question, the clause written for it,
  expected verdict), written before the rules;
- the shared ``dev2-*.jsonl`` questions that carry a ``verdict``: each is judged against the
  clauses of its document whose letters-and-digits text contains a gold evidence quote (the
  clause as the corpus stage splits it), a development figure.

Circumstances come from ``question.circumstances.parse_circumstances``; typed conditions from
the fact extractor (``corpus.extract_facts``), and the clause sentences by the rules of
``service.situations``: each figure is printed for facts alone, sentences alone and both.
Scoring follows ``../shared/eval/README.md``: ``eligible`` counts for ``meets_stated``.

    python -m eval.verdicts          # both figures, one line per miss
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from corpus.clean import to_key, to_match
from corpus.facts import Condition
from question.circumstances import parse_circumstances
from service.eligibility import Eligibility, verdict

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
OWN = ROOT / "eval" / "gold" / "eligibility.jsonl"
Conditions = Callable[[str], Sequence[Condition]]


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    clauses: tuple[tuple[str, str], ...]  # (clause_id, text)
    expected: str


@dataclass(frozen=True)
class Outcome:
    case: Case
    eligibility: Eligibility

    @property
    def correct(self) -> bool:
        got = "meets_stated" if self.eligibility.verdict == "eligible" else self.eligibility.verdict
        return got == self.case.expected


def own_cases(path: Path = OWN, part: str | None = None) -> list[Case]:
    """The own set (``part``: "a", written before any rule; "b", written after the first fixes
    and before the work on the shared questions; None: both)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [Case(r["id"], r["question"], ((r["id"], r["clause"]),), r["verdict"]) for r in rows
            if part is None or r.get("set") == part]


def shared_cases(eval_dir: Path = SHARED / "eval",
                 corpus_dir: Path = SHARED / "corpus-dev2") -> list[Case]:
    """The shared questions with a verdict, each with the clauses that hold its evidence."""
    from corpus.ingest import parse_document
    from corpus.load import load_paths

    rows = [json.loads(line) for f in sorted(eval_dir.glob("dev2-*.jsonl")) if "meta" not in f.name
            for line in f.read_text(encoding="utf-8").splitlines() if line]
    rows = [r for r in rows if "verdict" in r]
    files = {p.name: p for p in corpus_dir.rglob("*") if p.is_file()}
    wanted = sorted({e["doc"] for r in rows for e in r.get("evidence", []) if e["doc"] in files})
    loaded = load_paths([files[name] for name in wanted])
    clauses = {doc.source_file: parse_document(doc).clauses for doc in loaded.documents}
    cases = []
    for r in rows:
        found: list[tuple[str, str]] = []
        for e in r.get("evidence", []):
            for c in clauses.get(e["doc"], []):
                if e["quote"] in to_key(c.text) and (c.clause_id, c.text) not in found:
                    found.append((c.clause_id, c.text))
                    break
        cases.append(Case(r["id"], r["question"], tuple(found), r["verdict"]))
    return cases


def judge(case: Case, conditions: Conditions | None = None, sentences: bool = True) -> Outcome:
    """The verdict over the case's clauses: their typed conditions (when ``conditions`` reads
    them) and, with ``sentences``, the clause sentences themselves."""
    question = to_match(case.question)
    pairs = [(c, clause_id) for clause_id, text in case.clauses
             for c in (conditions(to_match(text)) if conditions else ())]
    found = verdict(pairs, parse_circumstances(question),
                    clauses=case.clauses if sentences else (), question=question)
    return Outcome(case, found)


def score(cases: Sequence[Case], conditions: Conditions | None = None,
          sentences: bool = True) -> tuple[float, list[Outcome]]:
    outcomes = [judge(c, conditions, sentences) for c in cases]
    return (sum(o.correct for o in outcomes) / len(outcomes) if outcomes else 0.0), outcomes


def _extractor() -> Conditions | None:
    try:
        from corpus.extract_facts import extract_facts  # the contract: text -> tuple[Fact, ...]
    except ImportError:
        return None
    return lambda text: [f for f in extract_facts(text) if isinstance(f, Condition)]


def main() -> None:
    extractor = _extractor()
    sets = (("own a", own_cases(part="a")), ("own b", own_cases(part="b")),
            ("shared dev2 verdicts", shared_cases()))
    for name, cases in sets:
        for label, conditions, sentences in (("facts", extractor, False), ("sentences", None, True),
                                             ("sentences+facts", extractor, True)):
            if label != "sentences" and conditions is None:
                continue
            accuracy, outcomes = score(cases, conditions, sentences)
            print(f"{name} [{label}]: {sum(o.correct for o in outcomes)}/{len(outcomes)} = {accuracy:.2f}")
            for o in outcomes:
                if not o.correct and sentences:
                    print(f"  {o.case.id} expected {o.case.expected}, got {o.eligibility.verdict}")


if __name__ == "__main__":
    main()
