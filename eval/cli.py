"""The ``policyqa`` console-script entry point: the service CLI plus ``eval`` and ``bench``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from eval import runner
from eval.gold import GoldError, GoldQuestion, load_gold
from service.cli import app, console, err

DEFAULT_GOLD = [Path("eval/gold/dev.jsonl"), Path("eval/gold/extra.jsonl")]


def _in_process(index: Path | None) -> tuple[runner.Asker, dict[str, Any], dict[str, str]]:
    from corpus.clean import to_key
    from service.answer import answer_question, resolve_followup
    from service.engine import open_engine
    from service.generate import prompt_hash
    from service.schemas import hit_out
    from service.settings import Settings

    settings = Settings()
    if index:
        settings.index_dir = index
    engine = open_engine(settings)

    def ask(q: GoldQuestion) -> runner.Outcome:
        def call() -> tuple[dict[str, Any], list[dict[str, Any]]]:
            query = resolve_followup([("user", h) for h in q.history] + [("user", q.question)])
            answer = answer_question(engine, query, intent_text=q.question)
            hits = engine.searcher.search(query, 10).hits
            return answer.model_dump(), [hit_out(h).model_dump() for h in hits]
        return runner.timed(call)

    texts: dict[str, list[str]] = {}
    for clause in engine.generation.index.clauses:
        texts.setdefault(clause.source_file, []).append(clause.text)
    documents = {name: to_key("\n".join(parts)) for name, parts in texts.items()}
    context = {"index": str(engine.generation.index.path), "generation": engine.generation.id,
               "manifest_embedder": engine.generation.index.manifest["embedder"],
               "prompt_hash": prompt_hash(), "versions": engine.generation.index.manifest.get("versions")}
    return ask, context, documents


def _over_http(url: str) -> tuple[runner.Asker, dict[str, Any]]:
    import httpx

    client = httpx.Client(base_url=url.rstrip("/"), timeout=60)

    def ask(q: GoldQuestion) -> runner.Outcome:
        def call() -> tuple[dict[str, Any], list[dict[str, Any]]]:
            if q.history:
                messages = [{"role": "user", "content": h} for h in q.history]
                messages.append({"role": "user", "content": q.question})
                answer = client.post("/v1/chat", json={"messages": messages}).json()
                query = answer["query_used"]
            else:
                answer = client.post("/v1/ask", json={"question": q.question}).json()
                query = q.question
            hits = client.post("/v1/search", json={"query": query, "top_k": 10}).json()["hits"]
            return answer, hits
        return runner.timed(call)

    ready = client.get("/readyz").json()
    return ask, {"url": url, "readyz": ready}


@app.command("eval")
def eval_command(
    gold: Annotated[list[Path] | None, typer.Option("--gold", help="gold JSONL (repeatable)")] = None,
    index: Annotated[Path | None, typer.Option("--index")] = None,
    url: Annotated[str | None, typer.Option("--url", help="evaluate a running service")] = None,
    json_out: Annotated[Path | None, typer.Option("--json")] = None,
    html_out: Annotated[Path | None, typer.Option("--html")] = None,
    baseline: Annotated[Path | None, typer.Option("--baseline")] = None,
    tolerance: Annotated[float, typer.Option("--tolerance")] = 0.01,
) -> None:
    """Score answers on gold sets; with --baseline, exit 1 when a headline metric regresses."""
    from rich.table import Table

    try:
        if url:
            ask, context = _over_http(url)
            documents = None
        else:
            ask, context, documents = _in_process(index)
        questions = [q for path in (gold or DEFAULT_GOLD) for q in load_gold(path, documents)]
    except GoldError as exc:
        err.print(f"[red]invalid gold file:[/red] {exc}")
        raise typer.Exit(2) from exc
    except Exception as exc:  # noqa: BLE001
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(3) from exc
    report = runner.run(questions, ask, context)

    names = ["questions", "recall@1", "recall@3", "recall@5", "mrr@10", "citation_precision",
             "refusal_rate", "false_refusal_rate", "office_accuracy", "fact_accuracy",
             "latency_p50_ms", "latency_p95_ms"]
    table = Table("type", *names)
    for label, metrics in [("overall", report.metrics), *report.by_type.items()]:
        table.add_row(label, *(f"{metrics[n]:.0f}" if n == "questions" else f"{metrics[n]:.3f}"
                               for n in names))
    console.print(table)
    for row in runner.failures(report):
        console.print(f"[yellow]FAIL[/yellow] {row.id} ({row.type}) {row.question}\n"
                      f"     rank={row.rank} refused={row.refused} office_ok={row.office_ok} "
                      f"facts_ok={row.facts_ok}\n     answer: {row.answer[:120]!r}\n"
                      f"     retrieved: {', '.join(row.retrieved[:3])}")
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=1), "utf-8")
    if html_out:
        html_out.parent.mkdir(parents=True, exist_ok=True)
        runner.write_html(report, html_out)
    if baseline:
        lines, regressed = runner.compare(report, json.loads(baseline.read_text("utf-8")), tolerance)
        for line in lines:
            console.print(line)
        if regressed:
            err.print(f"[red]regressed beyond {tolerance}:[/red] {', '.join(regressed)}")
            raise typer.Exit(1)
    sys.stdout.flush()


__all__ = ["app"]
