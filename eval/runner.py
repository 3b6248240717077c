"""Runs gold questions through the answer path (in process or over HTTP) and scores them.

Owns the per-question rows, the aggregate report (overall and per type), the comparison with a
baseline (which metrics regressed, which questions got fixed or broken) and the report files.
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from corpus.clean import to_key
from eval.gold import GoldQuestion
from eval.metrics import (
    Retrieved,
    citation_precision,
    contains_all,
    fact_key,
    first_full_support,
    first_support,
    mean,
    mrr,
    percentile,
    recall_at,
)

# Headline metrics and their direction: +1 higher is better, -1 lower is better.
HEADLINE = {"recall@5": 1, "mrr@10": 1, "mrr_full@10": 1, "citation_precision": 1, "refusal_rate": 1,
            "false_refusal_rate": -1, "office_accuracy": 1, "fact_accuracy": 1,
            "verdict_accuracy": 1}


@dataclass
class Row:
    id: str
    type: str
    question: str
    answerable: bool
    refused: bool
    rank: int | None  # where every evidence item is supported (Recall@k, MRR_full)
    first_rank: int | None  # where the first supporting clause is (MRR@10, as the gold README defines it)
    citation_precision: float | None
    office_ok: bool | None
    facts_ok: bool | None
    verdict_ok: bool | None  # the answer's eligibility verdict (meets_stated also takes eligible)
    latency_ms: float
    top_dense: float | None  # best dense similarity among the retrieved clauses
    answer: str
    cited: list[str]
    retrieved: list[str]


@dataclass
class Outcome:
    """What one question produced: the answer response and the retrieval ranking."""

    answer: dict[str, Any]
    ranking: list[dict[str, Any]]
    latency_ms: float


Asker = Callable[[GoldQuestion], Outcome]


def _retrieved(items: list[dict[str, Any]]) -> list[Retrieved]:
    return [Retrieved(i["source_file"], to_key(i["text"])) for i in items]


def score(question: GoldQuestion, outcome: Outcome) -> Row:
    answer = outcome.answer
    refused = not answer["answerable"]
    evidence = [(e.doc, e.quote) for e in question.evidence]
    ranking = _retrieved(outcome.ranking)
    cited = _retrieved(answer["citations"])
    rank = first_full_support(ranking, evidence) if question.answerable else None
    first_rank = first_support(ranking, evidence) if question.answerable else None
    precision = citation_precision(cited, evidence) if question.answerable and not refused else None
    office_ok = contains_all(answer["answer"], question.offices) if question.offices else None
    facts_ok = contains_all(answer["answer"], question.facts, key=fact_key) if question.facts else None
    verdict_ok = None
    if question.verdict:
        given = (answer.get("eligibility") or {}).get("verdict")
        verdict_ok = given == question.verdict or (question.verdict == "meets_stated"
                                                   and given == "eligible")
    return Row(
        id=question.id, type=question.type, question=question.question,
        answerable=question.answerable, refused=refused, rank=rank, first_rank=first_rank,
        citation_precision=precision, office_ok=office_ok, facts_ok=facts_ok, verdict_ok=verdict_ok,
        latency_ms=outcome.latency_ms, answer=answer["answer"],
        top_dense=max((c["dense"] for c in outcome.ranking if c.get("dense") is not None), default=None),
        cited=[c["clause_id"] for c in answer["citations"]],
        retrieved=[c["clause_id"] for c in outcome.ranking[:5]],
    )


def aggregate(rows: list[Row]) -> dict[str, float]:
    answerable = [r for r in rows if r.answerable]
    unanswerable = [r for r in rows if not r.answerable]
    ranks = [r.rank for r in answerable]
    precisions = [r.citation_precision for r in answerable if r.citation_precision is not None]
    # Pooled, as ../shared/eval/README.md defines it: every cited clause of the set's answered
    # answerable questions weighs the same (an answer citing five weighs five times one citing one).
    pooled = [(r.citation_precision * len(r.cited), len(r.cited)) for r in answerable
              if r.citation_precision is not None and r.cited]
    cited_total = sum(n for _, n in pooled)
    offices = [r.office_ok for r in rows if r.office_ok is not None]
    facts = [r.facts_ok for r in rows if r.facts_ok is not None]
    verdicts = [r.verdict_ok for r in rows if r.verdict_ok is not None]
    latencies = [r.latency_ms for r in rows]
    return {
        "questions": len(rows),
        "recall@1": recall_at(ranks, 1), "recall@3": recall_at(ranks, 3),
        "recall@5": recall_at(ranks, 5), "mrr@10": mrr([r.first_rank for r in answerable]),
        "mrr_full@10": mrr(ranks),
        "citation_precision": (sum(s for s, _ in pooled) / cited_total) if cited_total else mean(precisions),
        "citation_precision_per_question": mean(precisions),
        "refusal_rate": mean([1.0 if r.refused else 0.0 for r in unanswerable]) if unanswerable else 1.0,
        "false_refusal_rate": mean([1.0 if r.refused else 0.0 for r in answerable]),
        "office_accuracy": mean([1.0 if ok else 0.0 for ok in offices]) if offices else 1.0,
        "fact_accuracy": mean([1.0 if ok else 0.0 for ok in facts]) if facts else 1.0,
        "verdict_accuracy": mean([1.0 if ok else 0.0 for ok in verdicts]) if verdicts else 1.0,
        "latency_p50_ms": percentile(latencies, 0.5), "latency_p95_ms": percentile(latencies, 0.95),
        **separation([r.top_dense for r in answerable], [r.top_dense for r in unanswerable]),
    }


def separation(answerable: list[float | None], unanswerable: list[float | None]) -> dict[str, float]:
    """How well the top dense similarity alone separates the two kinds of question: the AUC,
    and the share of answerable questions kept by the highest threshold that rejects every
    unanswerable one (the index issue's bar: ≥ 95 %). Empty when either kind is missing."""
    yes = [s for s in answerable if s is not None]
    no = [s for s in unanswerable if s is not None]
    if not yes or not no:
        return {}
    wins = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a in yes for b in no)
    cut = max(no)
    return {"dense_auc": wins / (len(yes) * len(no)),
            "kept_when_all_unanswerable_rejected": sum(a > cut for a in yes) / len(yes),
            "reject_all_threshold": cut}


@dataclass
class Report:
    metrics: dict[str, float]
    by_type: dict[str, dict[str, float]]
    rows: list[Row]
    context: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"metrics": self.metrics, "by_type": self.by_type,
                "rows": [asdict(r) for r in self.rows], "context": self.context}


def run(questions: list[GoldQuestion], ask: Asker, context: dict[str, Any] | None = None) -> Report:
    rows = [score(q, ask(q)) for q in questions]
    types = sorted({r.type for r in rows})
    return Report(aggregate(rows), {t: aggregate([r for r in rows if r.type == t]) for t in types},
                  rows, context or {})


def failures(report: Report) -> list[Row]:
    return [r for r in report.rows if (r.answerable and (r.refused or not r.rank or r.rank > 5
                                                         or r.office_ok is False or r.facts_ok is False
                                                         or r.verdict_ok is False))
            or (not r.answerable and not r.refused)]


def compare(report: Report, baseline: dict[str, Any], tolerance: float) -> tuple[list[str], list[str]]:
    """(lines describing the changes, names of headline metrics that regressed)."""
    lines, regressed = [], []
    old = baseline.get("metrics", {})
    for name, direction in HEADLINE.items():
        if name not in old:
            continue
        delta = report.metrics[name] - old[name]
        lines.append(f"{name}: {old[name]:.3f} → {report.metrics[name]:.3f} ({delta:+.3f})")
        if direction * delta < -tolerance:
            regressed.append(name)
    before = {r["id"]: r for r in baseline.get("rows", [])}
    failing_now = {r.id for r in failures(report)}
    failing_before = {i for i, r in before.items() if _row_failed(r)}
    for qid in sorted(failing_before - failing_now):
        if qid in {r.id for r in report.rows}:
            lines.append(f"fixed: {qid}")
    for qid in sorted(failing_now - failing_before):
        if qid in before:
            lines.append(f"broken: {qid}")
    return lines, regressed


def _row_failed(row: dict[str, Any]) -> bool:
    if not row["answerable"]:
        return not row["refused"]
    rank = row.get("rank")
    return bool(row["refused"] or not rank or rank > 5 or row.get("office_ok") is False
                or row.get("facts_ok") is False)


def write_html(report: Report, path: Path) -> None:
    def bar(value: float) -> str:
        return (f'<div class="bar"><span style="width:{value * 100:.0f}%"></span></div>'
                f"{value:.2f}")

    metric_names = ["recall@5", "mrr@10", "mrr_full@10", "citation_precision", "refusal_rate", "office_accuracy",
                    "fact_accuracy", "verdict_accuracy"]
    rows = "".join(
        f"<tr><td>{html.escape(t)}</td>" + "".join(f"<td>{bar(m[n])}</td>" for n in metric_names) + "</tr>"
        for t, m in [("overall", report.metrics), *report.by_type.items()])
    fails = "".join(
        f"<tr><td>{html.escape(r.id)}</td><td>{html.escape(r.question)}</td>"
        f"<td>{html.escape(r.answer[:200])}</td><td>{html.escape(', '.join(r.retrieved[:3]))}</td></tr>"
        for r in failures(report))
    path.write_text(f"""<!doctype html><html lang="zh"><meta charset="utf-8"><title>PolicyQA eval</title>
<style>body{{font-family:sans-serif;margin:2em}}td,th{{border-bottom:1px solid #ddd;padding:4px;vertical-align:top}}
.bar{{display:inline-block;width:80px;height:10px;background:#eee;margin-right:6px}}.bar span{{display:block;height:100%;background:#2a7}}</style>
<h1>PolicyQA eval</h1><p>{html.escape(json.dumps(report.context, ensure_ascii=False))}</p>
<table><tr><th>type</th>{"".join(f"<th>{n}</th>" for n in metric_names)}</tr>{rows}</table>
<h2>Failing questions</h2><table><tr><th>id</th><th>question</th><th>answer</th><th>retrieved</th></tr>{fails}</table>
</html>""", encoding="utf-8")


def timed(fn: Callable[[], tuple[dict[str, Any], list[dict[str, Any]]]]) -> Outcome:
    started = time.perf_counter()
    answer, ranking = fn()
    return Outcome(answer, ranking, (time.perf_counter() - started) * 1000)
