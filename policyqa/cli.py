"""The ``policyqa`` command line (the console-script entry point): thin wrappers that parse,
call and print.

Commands of the lower stages (corpus, build, search), the service (ask, serve), and the judge
(eval, bench: policyqa.judge), registered here. Settings come from ``policyqa.wiring``: read once,
with a command's options applied to a copy.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from corpus.models import SkippedFile
from policyqa.console import console, err
from policyqa.wiring import build_checkpoint, configured, serve_with
from service.errors import PolicyQAError, exit_code

app = typer.Typer(help="PolicyQA: cited answers from Chinese policy documents.",
                  no_args_is_help=True, add_completion=False)

IndexOpt = Annotated[Path | None, typer.Option("--index", help="index directory (default: POLICYQA_INDEX_DIR or var/index)")]
StrictOpt = Annotated[bool, typer.Option(
    "--strict", help="exit 2 when any file is skipped (default: off)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON (default: off, a readable listing)")]


class BuildProgress:
    """Build progress on stderr: a bar in a terminal; otherwise (CI, docker build, a pipe) plain
    lines, at most one every ``every_s`` seconds: passages embedded of the total, the rate, the
    time so far."""

    def __init__(self, every_s: float = 2.0) -> None:
        import time

        self.clock = time.monotonic
        self.every_s = every_s
        self.started = self.clock()
        self.last = float("-inf")
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def __enter__(self) -> BuildProgress:
        if err.is_terminal:
            self.bar = Progress(TextColumn("embedding"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), console=err, transient=True)
            self.bar.__enter__()
            self.task = self.bar.add_task("embed", total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)

    def __call__(self, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done, total=total)  # type: ignore[arg-type]
            return
        now = self.clock()
        if done < total and now - self.last < self.every_s:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        err.print(f"embedding: {done}/{total} passages, {done / elapsed:.1f} passages/s, "
                  f"{elapsed:.0f} s", highlight=False, soft_wrap=True)


def _fail(exc: PolicyQAError | Exception) -> None:
    err.print(f"[red]error:[/red] {exc}")
    raise typer.Exit(exit_code(exc))


@app.command()
def corpus(paths: Annotated[list[Path] | None, typer.Argument(
               help="files or directories (default: POLICYQA_CORPUS_DIRS or corpus/raw)")] = None,
           as_json: JsonOpt = False,
           documents: Annotated[bool, typer.Option(
               "--documents", help="one record per input file (metadata, status, skipped "
                                   "reason) instead of clauses (default: off)")] = False,
           as_of: Annotated[str | None, typer.Option(
               "--as-of", metavar="DATE", help="the day a document's status is judged on, "
                                               "YYYY-MM-DD (default: today)")] = None,
           strict: StrictOpt = False) -> None:
    """Ingest documents: metadata, status, clause counts, the share of body text kept in
    clauses, and every skipped file with its reason."""
    from corpus.ingest import ingest_paths
    from corpus.records import document_record, skipped_record

    settings = configured()
    day = _as_of(as_of)
    result = ingest_paths(paths or settings.corpus_dirs)
    records = [document_record(d, day) for d in result.documents]
    if as_json and documents:
        for record in records + [skipped_record(s) for s in result.skipped]:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif as_json:
        for clause in result.clauses:
            sys.stdout.write(json.dumps(clause.to_json(), ensure_ascii=False) + "\n")
    else:
        table = Table("doc_id", "title", "文号", "date", "status", "clauses", "kept")
        for record in records:
            table.add_row(record["doc_id"], record["title"] or "—", record["doc_number"] or "—",
                          record["date_issued"] or record["date_published"] or "—",
                          record["status"], str(record["clauses"]), f"{record['kept_share']:.1%}")
        console.print(table)
    _report_skipped(result.skipped, strict)
    if not result.documents:
        raise typer.Exit(1)


def _as_of(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        err.print(f"[red]error:[/red] --as-of wants YYYY-MM-DD, got {text!r}")
        raise typer.Exit(2) from None


def _report_skipped(skipped: list[SkippedFile], strict: bool) -> None:
    """Every skipped file with its reason, and the count; ``--strict`` makes any skip exit 2."""
    for item in skipped:
        err.print(f"[yellow]skipped[/yellow] {item.path}: {item.reason}")
    err.print(f"{len(skipped)} file(s) skipped")
    if strict and skipped:
        raise typer.Exit(2)


@app.command()
def build(corpus_paths: Annotated[list[Path] | None, typer.Option("--corpus", help="corpus file or directory, repeatable (default: POLICYQA_CORPUS_DIRS or corpus/raw)")] = None,
          index: IndexOpt = None,
          embedder: Annotated[str | None, typer.Option(help="e5-small | st:<model dir> (default: POLICYQA_EMBEDDER or e5-small)")] = None,
          in_place: Annotated[bool, typer.Option(
              "--in-place", help="milvus: upsert changed and delete removed clauses in the live "
                                 "collection instead of building a new one (default: off)")] = False,
          wait: Annotated[float, typer.Option(
              "--wait", metavar="SECONDS", help="when another build holds the index, wait this "
                                                "long for it, then exit 2 (default: 0)")] = 0.0,
          strict: StrictOpt = False) -> None:
    """Build a new index generation and switch to it atomically (POLICYQA_BACKEND picks the engine).

    Not in a terminal, progress comes as plain lines on stderr (documents, passages embedded, rate)."""
    from corpus.ingest import ingest_paths
    from index.build import build_index
    from index.embed import load_embedder
    from service.documents import served_paths

    settings = configured(index)
    corpus_paths = served_paths(settings, corpus_paths)  # + <index>/originals: added documents stay
    spec = embedder or settings.embedder
    try:
        model = load_embedder(spec)
        ingested = None
        if not in_place:
            ingested = ingest_paths(corpus_paths or settings.corpus_dirs)
            err.print(f"ingested {len(ingested.documents)} documents, {len(ingested.clauses)} "
                      f"clauses ({len(ingested.skipped)} files skipped)", highlight=False)
            if strict and ingested.skipped:  # refuse to build a corpus that is not whole
                _report_skipped(ingested.skipped, strict)
        if settings.backend == "milvus":
            from index.milvus import MilvusIndex

            milvus = MilvusIndex(settings.milvus_uri)
            paths = corpus_paths or settings.corpus_dirs
            if in_place:
                counts = milvus.sync(paths, model, spec)
                console.print(f"synced {milvus.live()}: {counts['upserted']} passages upserted "
                              f"({counts['embedded']} embedded), {counts['deleted']} deleted")
                return
            report = milvus.build(paths, model, spec, corpus=ingested)
            console.print(f"built Milvus collection {report.generation.name}: {report.documents} "
                          f"documents, {report.clauses} clauses, {report.passages} passages "
                          f"({report.embedded} embedded), {report.seconds:.1f} s")
            return
        with BuildProgress() as progress:
            report = build_index(corpus_paths or settings.corpus_dirs, index or settings.index_dir,
                                 model, spec, progress=progress, corpus=ingested, wait=wait,
                                 checkpoint=build_checkpoint)
    except Exception as exc:  # noqa: BLE001 - every failure is reported the same way
        _fail(exc)
        return
    for skipped in report.skipped:
        err.print(f"[yellow]skipped[/yellow] {skipped.path}: {skipped.reason}")
    console.print(f"built {report.generation.name}: {report.documents} documents, "
                  f"{report.clauses} clauses, {report.passages} passages "
                  f"({report.embedded} embedded, {report.passages - report.embedded} reused), "
                  f"{len(report.skipped)} skipped, {report.seconds:.1f} s")


@app.command()
def add(files: Annotated[list[Path], typer.Argument(help="documents to add: .txt .md .html .docx .pdf")],
        index: IndexOpt = None,
        wait: Annotated[float, typer.Option(
            "--wait", metavar="SECONDS", help="when another build holds the index, wait this "
                                              "long for it, then exit 2 (default: 30)")] = 30.0,
        as_json: JsonOpt = False) -> None:
    """Add documents to the index: keep the originals beside it (<index>/originals), build
    incrementally and switch atomically; a running service follows. All or nothing: an
    unsupported or unreadable file adds nothing (exit 2)."""
    from index.embed import load_embedder
    from service.documents import RequestRefused, Upload, add_documents, embedder_spec

    settings = configured(index)
    try:
        uploads = []
        for path in files:
            try:
                uploads.append(Upload(path.name, path.read_bytes()))
            except OSError as exc:
                raise PolicyQAError(f"{path}: cannot be read ({exc.strerror})",
                                    code="unreadable") from exc
        result = add_documents(settings, uploads, load_embedder(embedder_spec(settings)),
                               wait=wait)
    except RequestRefused as exc:
        for item in exc.files:
            if item.reason:
                err.print(f"[red]{item.outcome}[/red] {item.file}: {item.reason}")
        _fail(exc)
        return
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return
    if as_json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
        return
    for item in result.files:
        what = f"{item.doc_id}  {item.title or '—'}  [{item.status}]"
        if item.outcome == "ingested":
            console.print(f"[green]ingested[/green] {item.file} → {what}"
                          f"{' (replaced)' if item.replaced else ''}, {item.clauses} clauses")
        else:
            console.print(f"[yellow]skipped[/yellow] {item.file}: {item.reason}")
    console.print(f"generation {result.generation}" + (
        f" ({result.embedded} passages embedded, {result.seconds:.1f} s)" if result.built
        else " (unchanged: nothing to add)"))


@app.command()
def remove(doc_id: Annotated[str, typer.Argument(help="the doc_id of an added document")],
           index: IndexOpt = None,
           wait: Annotated[float, typer.Option(
               "--wait", metavar="SECONDS", help="when another build holds the index, wait "
                                                 "this long for it, then exit 2 (default: 30)")] = 30.0) -> None:
    """Remove an added document: delete its original and switch to a generation without it."""
    from index.embed import load_embedder
    from service.documents import embedder_spec, remove_document

    settings = configured(index)
    try:
        result = remove_document(settings, doc_id, load_embedder(embedder_spec(settings)),
                                 wait=wait)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return
    console.print(f"removed {doc_id} ({result['file']}); generation {result['generation']}")


@app.command()
def search(query: Annotated[str, typer.Argument(help="the query, in any wording")],
           k: Annotated[int, typer.Option("-k", help="results")] = 5,
           index: IndexOpt = None,
           doc: Annotated[list[str] | None, typer.Option(help="only this document id, repeatable (default: all documents)")] = None,
           office: Annotated[list[str] | None, typer.Option(help="only clauses of this office, repeatable (default: any office)")] = None,
           kind: Annotated[list[str] | None, typer.Option(help="only this document kind, repeatable: policy, implementation_plan, draft, news (default: all kinds)")] = None,
           as_json: JsonOpt = False) -> None:
    """Hybrid search (BM25 + dense) for clauses."""
    from index.search import Filters
    from service.engine import open_engine

    settings = configured(index)
    try:
        engine = open_engine(settings)
        generation = engine.generation
        result = generation.searcher.search(
            generation.parse(query), k, Filters(tuple(doc or ()), tuple(office or ()), tuple(kind or ())))
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return
    if as_json:
        from service.schemas import hit_out

        payload = {"query": query, "confidence": result.confidence,
                   "hits": [hit_out(h).model_dump() for h in result.hits]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    console.print(f"confidence {result.confidence:.2f}")
    for hit in result.hits:
        c = hit.clause
        console.print(f"[bold]{hit.rank + 1}. {c.clause_id}[/bold]  fused {hit.score:.4f}  "
                      f"dense {hit.dense:.3f}  bm25 {hit.bm25:.2f}")
        console.print(f"   {c.title} › {' › '.join(c.heading_path)}")
        console.print(f"   {c.text[:160]}")
        if c.offices:
            console.print(f"   责任单位: {'、'.join(c.offices)}")


@app.command()
def ask(question: Annotated[str, typer.Argument(help="the question, in Chinese")],
        index: IndexOpt = None, as_json: JsonOpt = False) -> None:
    """Answer a question with cited clauses."""
    from service.answer import respond
    from service.engine import open_engine
    from service.schemas import ask_out

    settings = configured(index)
    try:
        engine = open_engine(settings)
        generation = engine.generation
        answer = ask_out(respond(generation, settings, generation.parse(question)))
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return
    if as_json:
        sys.stdout.write(answer.model_dump_json(indent=2) + "\n")
        return
    console.print(f"[bold]{answer.answer}[/bold]\n")
    for c in answer.citations:
        meta = " · ".join(x for x in (c.title, c.doc_number, c.date) if x)
        console.print(f"[{c.n}] {meta}\n    {' › '.join(c.heading_path)}\n    {c.text}\n")
    if answer.related:
        console.print("related: " + ", ".join(r.clause_id for r in answer.related))


@app.command()
def serve(index: IndexOpt = None,
          host: Annotated[str | None, typer.Option(help="address to bind (default: POLICYQA_HOST or 127.0.0.1)")] = None,
          port: Annotated[int | None, typer.Option(help="port to bind (default: POLICYQA_PORT or 8000)")] = None,
          workers: Annotated[int | None, typer.Option(help="uvicorn worker processes (default: POLICYQA_WORKERS or 1)")] = None,
          log_format: Annotated[str | None, typer.Option(help="text | json, one object a line with the request id (default: POLICYQA_LOG_FORMAT or text)")] = None,
          check: Annotated[bool, typer.Option("--check", help="only check that host:port can be bound, then exit (default: off)")] = False) -> None:
    """Serve the HTTP API (uvicorn). Host, port, workers and log format come from POLICYQA_*
    unless given here; with several workers, /metrics adds up all of them
    (PROMETHEUS_MULTIPROC_DIR: a fresh temporary directory unless set)."""
    import os
    import socket

    import uvicorn

    from service.logs import log_config

    settings = configured(index)
    host = host or settings.host
    port = port if port is not None else settings.port
    workers = workers or settings.workers
    fmt = log_format or settings.log_format
    if fmt not in ("text", "json"):
        err.print(f"[red]error:[/red] --log-format must be text or json, not {fmt!r}")
        raise typer.Exit(2)
    # Fail before loading anything when the address is taken (make serve checks it before building).
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            err.print(f"[red]error:[/red] cannot listen on {host}:{port}: {exc.strerror}. "
                      "Choose another with POLICYQA_PORT / POLICYQA_HOST (or --port / --host).")
            raise typer.Exit(1) from exc
    if check:
        console.print(f"{host}:{port} is free")
        return
    # The app factory reads POLICYQA_* again in each worker; pass overrides through it.
    os.environ["POLICYQA_INDEX_DIR"] = str(settings.index_dir)
    os.environ["POLICYQA_LOG_FORMAT"] = fmt
    serve_with(settings.model_copy(update={"log_format": fmt}))
    if workers > 1 or os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        import tempfile

        from service.metrics import MULTIPROC_ENV, prepare_multiprocess_dir

        directory = os.environ.get(MULTIPROC_ENV) or tempfile.mkdtemp(prefix="policyqa-metrics-")
        os.environ[MULTIPROC_ENV] = str(prepare_multiprocess_dir(directory))
    uvicorn.run("policyqa.wiring:create_app", factory=True, host=host, port=port, workers=workers,
                timeout_graceful_shutdown=30, log_config=log_config(fmt, settings.log_level))  # type: ignore[arg-type]


def _register_judge() -> None:
    """``eval`` and ``bench`` (the judge sits above the service; only this root sees both).
    An image without the eval package (the production one) has no judge commands."""
    try:
        from policyqa import judge
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] == "eval":
            return
        raise

    app.command("eval")(judge.eval_command)
    app.command("bench")(judge.bench_command)


_register_judge()

if __name__ == "__main__":
    app()
