"""The ``policyqa`` command line: thin wrappers that parse, call and print.

Commands of the lower stages (corpus, build, search) and the service (ask, serve). ``eval`` and
``bench`` are added by eval/cli.py, the console-script entry point, since eval sits above
service in the layering.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from service.errors import PolicyQAError, exit_code
from service.settings import Settings

app = typer.Typer(help="PolicyQA: cited answers from Chinese policy documents.",
                  no_args_is_help=True, add_completion=False)
console = Console()
err = Console(stderr=True)

IndexOpt = Annotated[Path | None, typer.Option("--index", help="index directory (default: POLICYQA_INDEX_DIR or var/index)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]


def _fail(exc: PolicyQAError | Exception) -> None:
    err.print(f"[red]error:[/red] {exc}")
    raise typer.Exit(exit_code(exc))


@app.command()
def corpus(paths: Annotated[list[Path] | None, typer.Argument(help="files or directories")] = None,
           as_json: JsonOpt = False) -> None:
    """Ingest documents and show their metadata, clause counts and skipped files."""
    from corpus.ingest import ingest_paths

    settings = Settings()
    result = ingest_paths(paths or settings.corpus_dirs)
    if as_json:
        for clause in result.clauses:
            sys.stdout.write(json.dumps(clause.to_json(), ensure_ascii=False) + "\n")
    else:
        table = Table("doc_id", "title", "文号", "date", "kind", "clauses")
        for doc in result.documents:
            table.add_row(doc.document.doc_id, doc.meta.title or "—", doc.meta.doc_number or "—",
                          doc.meta.date or "—", doc.meta.kind, str(len(doc.clauses)))
        console.print(table)
    for skipped in result.skipped:
        err.print(f"[yellow]skipped[/yellow] {skipped.path}: {skipped.reason}")
    if not result.documents:
        raise typer.Exit(1)


@app.command()
def build(corpus_paths: Annotated[list[Path] | None, typer.Option("--corpus", help="corpus file or directory (repeatable)")] = None,
          index: IndexOpt = None,
          embedder: Annotated[str | None, typer.Option(help="e5-small | st:<model dir>")] = None,
          in_place: Annotated[bool, typer.Option(
              "--in-place", help="milvus: upsert changed and delete removed clauses in the live "
                                 "collection instead of building a new one")] = False) -> None:
    """Build a new index generation and switch to it atomically (POLICYQA_BACKEND picks the engine)."""
    from index.build import build_index
    from index.embed import load_embedder
    from service.documents import served_paths

    settings = Settings()
    if index:
        settings.index_dir = index
    corpus_paths = served_paths(settings, corpus_paths)  # + <index>/originals: added documents stay
    spec = embedder or settings.embedder
    try:
        model = load_embedder(spec)
        if settings.backend == "milvus":
            from index.milvus import MilvusIndex

            milvus = MilvusIndex(settings.milvus_uri)
            paths = corpus_paths or settings.corpus_dirs
            if in_place:
                counts = milvus.sync(paths, model, spec)
                console.print(f"synced {milvus.live()}: {counts['upserted']} passages upserted "
                              f"({counts['embedded']} embedded), {counts['deleted']} deleted")
                return
            report = milvus.build(paths, model, spec)
            console.print(f"built Milvus collection {report.generation.name}: {report.documents} "
                          f"documents, {report.clauses} clauses, {report.passages} passages "
                          f"({report.embedded} embedded), {report.seconds:.1f} s")
            return
        with Progress(TextColumn("embedding"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=True) as bar:
            task = bar.add_task("embed", total=None)
            report = build_index(corpus_paths or settings.corpus_dirs, index or settings.index_dir,
                                 model, spec, progress=lambda done, total: bar.update(
                                     task, completed=done, total=total))
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

    settings = Settings()
    if index:
        settings.index_dir = index
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

    settings = Settings()
    if index:
        settings.index_dir = index
    try:
        result = remove_document(settings, doc_id, load_embedder(embedder_spec(settings)),
                                 wait=wait)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return
    console.print(f"removed {doc_id} ({result['file']}); generation {result['generation']}")


@app.command()
def search(query: str, k: Annotated[int, typer.Option("-k", help="results")] = 5,
           index: IndexOpt = None,
           doc: Annotated[list[str] | None, typer.Option(help="only this document (repeatable)")] = None,
           office: Annotated[list[str] | None, typer.Option(help="only clauses of this office")] = None,
           kind: Annotated[list[str] | None, typer.Option(help="only this document kind")] = None,
           as_json: JsonOpt = False) -> None:
    """Hybrid search (BM25 + dense) for clauses."""
    from index.search import Filters
    from service.engine import open_engine

    settings = Settings()
    if index:
        settings.index_dir = index
    try:
        engine = open_engine(settings)
        result = engine.searcher.search(query, k, Filters(tuple(doc or ()), tuple(office or ()),
                                                           tuple(kind or ())))
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
def ask(question: str, index: IndexOpt = None, as_json: JsonOpt = False) -> None:
    """Answer a question with cited clauses."""
    from service.engine import open_engine

    settings = Settings()
    if index:
        settings.index_dir = index
    try:
        engine = open_engine(settings)
        answer = engine.ask(question)
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
def serve(index: IndexOpt = None, host: Annotated[str | None, typer.Option()] = None,
          port: Annotated[int | None, typer.Option()] = None,
          workers: Annotated[int | None, typer.Option()] = None) -> None:
    """Serve the HTTP API (uvicorn)."""
    import uvicorn

    settings = Settings()
    if index:
        settings.index_dir = index
    # The app factory reads POLICYQA_* again in each worker; pass overrides through it.
    import os

    os.environ["POLICYQA_INDEX_DIR"] = str(settings.index_dir)
    uvicorn.run("service.app:create_app", factory=True, host=host or settings.host,
                port=port or settings.port, workers=workers or settings.workers,
                timeout_graceful_shutdown=30)
