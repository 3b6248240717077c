"""The judge's commands, ``eval`` and ``bench`` (registered by policyqa.cli)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from eval import runner
from eval.gold import GoldError, GoldQuestion, load_gold
from policyqa.console import console, err
from policyqa.wiring import configured

DEFAULT_GOLD = [Path("eval/gold/dev.jsonl"), Path("eval/gold/extra.jsonl")]


def _in_process(index: Path | None) -> tuple[runner.Asker, dict[str, Any], dict[str, str]]:
    ask, context, documents, _ = _in_process_engine(index)
    return ask, context, documents


def _in_process_engine(index: Path | None) -> tuple[runner.Asker, dict[str, Any], dict[str, str], Any]:
    from corpus.clean import to_key
    from question.query import resolve_followup
    from service.answer import respond
    from service.engine import open_engine
    from service.generate import prompt_hash
    from service.schemas import ask_out, hit_out

    settings = configured(index)
    engine = open_engine(settings)

    def ask(q: GoldQuestion) -> runner.Outcome:
        def call() -> tuple[dict[str, Any], list[dict[str, Any]]]:
            generation = engine.generation
            text = resolve_followup([("user", h) for h in q.history] + [("user", q.question)])
            query = generation.parse(text, own=q.question)
            answer = ask_out(respond(generation, settings, query))
            hits = generation.searcher.search(query, 10).hits
            return answer.model_dump(), [hit_out(h).model_dump() for h in hits]
        return runner.timed(call)

    texts: dict[str, list[str]] = {}
    for clause in engine.generation.index.clauses:
        texts.setdefault(clause.source_file, []).append(clause.text)
    documents = {name: to_key("\n".join(parts)) for name, parts in texts.items()}
    context = {"index": str(engine.generation.index.path), "generation": engine.generation.id,
               "manifest_embedder": engine.generation.index.manifest["embedder"],
               "prompt_hash": prompt_hash(), "versions": engine.generation.index.manifest.get("versions")}
    return ask, context, documents, engine


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


def eval_command(
    gold: Annotated[list[Path] | None, typer.Option("--gold", help="gold JSONL, repeatable (default: eval/gold/dev.jsonl and eval/gold/extra.jsonl)")] = None,
    index: Annotated[Path | None, typer.Option("--index", help="index directory (default: POLICYQA_INDEX_DIR or var/index)")] = None,
    url: Annotated[str | None, typer.Option("--url", help="evaluate a running service at this base URL instead of in-process (default: in-process)")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the full report as JSON here (default: none)")] = None,
    html_out: Annotated[Path | None, typer.Option("--html", help="write an HTML report here (default: none)")] = None,
    baseline: Annotated[Path | None, typer.Option("--baseline", help="a previous JSON report; exit 1 when a headline metric falls below it (default: no comparison)")] = None,
    tolerance: Annotated[float, typer.Option("--tolerance", help="how far below the baseline a metric may fall")] = 0.01,
    every_set: Annotated[bool, typer.Option("--all", help="every gold set over its own index (built under var/ when missing), with the plain rankings beside the product (default: off)")] = False,
) -> None:
    """Score answers on gold sets; with --baseline, exit 1 when a headline metric regresses."""
    from rich.table import Table

    if every_set:
        _eval_all(json_out, baseline, tolerance)
        return

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

    names = ["questions", "recall@1", "recall@3", "recall@5", "mrr@10", "mrr_full@10", "citation_precision",
             "refusal_rate", "false_refusal_rate", "office_accuracy", "fact_accuracy",
             "verdict_accuracy", "latency_p50_ms", "latency_p95_ms"]
    table = Table("type", *names)
    for label, metrics in [("overall", report.metrics), *report.by_type.items()]:
        table.add_row(label, *(f"{metrics[n]:.0f}" if n == "questions" else f"{metrics[n]:.3f}"
                               for n in names))
    console.print(table)
    if "dense_auc" in report.metrics:
        m = report.metrics
        console.print(f"top dense similarity alone: AUC {m['dense_auc']:.3f}; a threshold at "
                      f"{m['reject_all_threshold']:.4f} rejects every unanswerable question and keeps "
                      f"{m['kept_when_all_unanswerable_rejected']:.1%} of the answerable ones")
    for row in runner.failures(report):
        console.print(f"[yellow]FAIL[/yellow] {row.id} ({row.type}) {row.question}\n"
                      f"     rank={row.rank} refused={row.refused} office_ok={row.office_ok} "
                      f"facts_ok={row.facts_ok} verdict_ok={row.verdict_ok}\n     answer: {row.answer[:120]!r}\n"
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


def _eval_all(json_out: Path | None, baseline: Path | None, tolerance: float) -> None:
    """Every gold set over its index: answers (the headline metrics), ranking beside dense only,
    BM25 only and RRF k=60 over the same clauses, and document metadata against dev2-meta."""
    from rich.table import Table

    from eval.documents import score_documents
    from eval.fit import open_searcher
    from eval.ranking import SHARED, all_sets, record, summarise
    from index import rank

    weights = rank.load_weights()
    out: dict[str, Any] = {"weights": weights.version if weights else "none (plain RRF k=60)",
                           "sets": {}, "documents": {}}
    console.print(f"ranking weights: {out['weights']}")
    engines: dict[Path, Any] = {}
    old = json.loads(baseline.read_text("utf-8")) if baseline else {}
    regressed: list[str] = []
    for gold_set in all_sets():
        if gold_set.index not in engines:
            open_searcher(gold_set, refresh=True)  # built anew (incrementally) from the corpus
            engines[gold_set.index] = _in_process_engine(gold_set.index)
        ask, context, documents, engine = engines[gold_set.index]
        try:
            questions = load_gold(gold_set.gold, documents)
        except GoldError as exc:
            err.print(f"[red]invalid gold file:[/red] {exc}")
            raise typer.Exit(2) from exc
        report = runner.run(questions, ask, context)
        from question.query import resolve_followup

        records = [record(engine.searcher, q, resolve_followup(
            [("user", h) for h in q.history] + [("user", q.question)])) for q in questions]
        ranking = summarise(records, engine.searcher.index.clauses)
        out["sets"][gold_set.name] = {"metrics": report.metrics, "ranking": ranking,
                                      "failures": [r.id for r in runner.failures(report)]}
        m = report.metrics
        console.print(f"\n[bold]{gold_set.name}[/bold] ({m['questions']:.0f} q) answers: "
                      f"R@5 {m['recall@5']:.3f} MRR@10 {m['mrr@10']:.3f} citation precision "
                      f"{m['citation_precision']:.3f} refusal {m['refusal_rate']:.3f} false refusal "
                      f"{m['false_refusal_rate']:.3f} office {m['office_accuracy']:.3f} facts "
                      f"{m['fact_accuracy']:.3f} verdicts {m['verdict_accuracy']:.3f}")
        table = Table("ranking", "R@1", "R@5", "MRR@10", "top-score AUC")
        for name, row in ranking.items():
            table.add_row(name, *(f"{row[k]:.3f}" for k in ("recall@1", "recall@5", "mrr@10")),
                          "—" if row["auc"] is None else f"{row['auc']:.3f}")
        console.print(table)
        if gold_set.name in old.get("sets", {}):
            lines, worse = runner.compare(report, old["sets"][gold_set.name], tolerance)
            for line in lines:
                console.print(f"  {line}")
            regressed += [f"{gold_set.name}:{name}" for name in worse]
    meta_gold = SHARED / "eval" / "dev2-meta.jsonl"
    for index_dir, (_, _, _, engine) in engines.items():
        docs = score_documents(engine.generation.index.manifest.get("documents", []), meta_gold)
        if docs["documents"]:
            out["documents"][index_dir.name] = docs
            console.print(f"\ndocuments of {index_dir.name} vs dev2-meta ({docs['documents']}): "
                          f"title {docs['title_accuracy']:.3f}, 文号 {docs['doc_number_accuracy']:.3f}, "
                          f"status {docs['status_accuracy']:.3f}; misses: {', '.join(docs['misses']) or 'none'}; "
                          f"issuer {docs['issuer_accuracy']:.3f}, issued {docs['date_issued_accuracy']:.3f}, "
                          f"effective {docs['date_effective_accuracy']:.3f}, "
                          f"expires {docs['date_expires_accuracy']:.3f}")
    from eval import facts as fact_eval

    # the fact extractor against the blind labelled clauses (eval/gold/facts.jsonl)
    extraction = fact_eval.score(shared_root=SHARED)
    out["facts"] = {key: extraction[key] for key in ("overall", "per_type", "by_folder", "errors")}
    console.print("\nfacts extracted vs eval/gold/facts.jsonl:\n" + fact_eval.format_table(extraction))
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(out, ensure_ascii=False, indent=1), "utf-8")
    if regressed:
        err.print(f"[red]regressed beyond {tolerance}:[/red] {', '.join(regressed)}")
        raise typer.Exit(1)


def _sizes(text: str) -> list[int]:
    """'10000,100000' → [10000, 100000]; '' or '0' → [] (skip that section)."""
    return [n for part in text.split(",") if part.strip() and (n := int(part)) > 0]


def bench_command(
    index: Annotated[Path | None, typer.Option("--index", help="index directory (default: POLICYQA_INDEX_DIR or var/index)")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the report as JSON here (default: none)")] = None,
    gold: Annotated[list[Path] | None, typer.Option("--gold", help="questions to time, repeatable (default: eval/gold/dev.jsonl and eval/gold/extra.jsonl)")] = None,
    clients: Annotated[int, typer.Option(help="concurrent HTTP clients")] = 8,
    rounds: Annotated[int, typer.Option(min=1, help="timed rounds over the questions after the warm-up (and throughput windows)")] = 5,
    scale: Annotated[str, typer.Option(help="synthetic index sizes, comma-separated; '' skips")] = "10000,100000,1000000",
    build: Annotated[bool, typer.Option(help="time a fresh and an incremental build")] = True,
    milvus_scale: Annotated[str, typer.Option(help="synthetic sizes for Milvus Lite, comma-separated (default: '', skipped)")] = "",
    eligibility: Annotated[int, typer.Option(min=0, help="synthetic support measures for the POST /v1/eligibility section; 0 skips")] = 10_000,
) -> None:
    """Latency and throughput against the floor (embedder + search), build speed, scale, memory,
    POST /v1/eligibility over synthetic support measures."""
    from eval import bench

    index = index or configured().index_dir
    questions = list(dict.fromkeys(q.question for path in (gold or DEFAULT_GOLD) for q in load_gold(path)))
    report: dict[str, Any] = {"machine": bench.machine(), "index": str(index)}
    console.print(f"machine: {report['machine']}")
    ask = report["ask"] = bench.ask_section(configured(index), questions, clients, rounds)
    floor = ask["floor"]
    budget = floor["query_budget"]
    console.print(
        f"{len(questions)} questions × {rounds} rounds after a warm-up, medians · floor p50 "
        f"{floor['floor']['p50']} ms (embed {floor['embed']['p50']}, search {floor['search']['p50']};"
        f" standalone {floor['standalone']['p50']}, inside the answer {floor['in_answer']['p50']})"
        f" · whole search query p50 {budget['query']['p50']} ms, ÷ (1.2 × embed + 2 ms) p50 "
        f"{budget['query_over_budget_p50']} max {budget['query_over_budget_max']}\n"
        f"in-process /v1/ask p50 {ask['in_process']['p50']} ms · HTTP /v1/ask p50/p95/p99 "
        f"{ask['http_single']['p50']}/{ask['http_single']['p95']}/{ask['http_single']['p99']} ms\n"
        f"{clients} clients: p50/p95 {ask['http_concurrent']['p50']}/{ask['http_concurrent']['p95']}"
        f" ms, {ask['throughput_rps']} req/s; embedder alone in the same windows "
        f"{ask['embedder_qps_at_clients']} q/s\nin_process_over_floor_p50 "
        f"{ask['in_process_over_floor_p50']} · ask_over_floor_p50 {ask['ask_over_floor_p50']} · "
        f"throughput_over_floor {ask['throughput_over_floor']} · server RSS {ask['server_rss_mb']} MB")
    if build:
        extra = sorted(Path("corpus/extra").glob("*"))
        report["build"] = bench.build_section([Path("corpus/raw")], extra[0] if extra else None)
        console.print(f"build: {report['build']}")
    sizes = _sizes(scale)
    if sizes:
        report["scale"] = bench.scale_section(sizes)
        for row in report["scale"]:
            console.print(f"scale {row['clauses']:>9,} ({row['index_type']}): search p50/p95 "
                          f"{row['search']['p50']}/{row['search']['p95']} ms (dense p95 "
                          f"{row['dense']['p95']}, bm25 p95 {row['bm25']['p95']}), memory "
                          f"{row['dense_mb']}+{row['bm25_mb']} MB (RSS +{row['rss_growth_mb']}), built in {row['dense_build_s']}+{row['bm25_build_s']} s")
    milvus_sizes = _sizes(milvus_scale)
    if milvus_sizes:
        report["milvus_scale"] = bench.milvus_scale_section(milvus_sizes)
        for row in report["milvus_scale"]:
            console.print(f"milvus-lite {row['clauses']:>9,}: search p50/p95 {row['search']['p50']}/"
                          f"{row['search']['p95']} ms (dense p95 {row['dense']['p95']}, bm25 p95 "
                          f"{row['bm25']['p95']}), loaded in {row['load_s']} s")
    if eligibility:
        listed = report["eligibility"] = bench.eligibility_section(eligibility)
        console.print(f"eligibility over {listed['measures']:,} synthetic measures ({listed['documents']:,}"
                      f" documents): request p50/p95 {listed['request']['p50']}/"
                      f"{listed['request']['p95']} ms, response {listed['response_kb_p50']} KB, "
                      f"catalogue once per generation {listed['catalogue_s']} s")
    report["in_process_over_floor_p50"] = ask["in_process_over_floor_p50"]
    report["ask_over_floor_p50"] = ask["ask_over_floor_p50"]
    report["throughput_over_floor"] = ask["throughput_over_floor"]
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")


__all__ = ["bench_command", "eval_command"]
