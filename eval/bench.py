"""``policyqa bench``: how fast answering is, measured against its floor in the same run.

The floor of one question is what answering cannot avoid: the embedder's time for the query
plus the FAISS and BM25 search. Every figure comes from distinct gold questions (no query cache
exists, so every run is uncached). Sections:

- ask: the floor, /v1/ask in-process and /v1/ask over HTTP (a ``policyqa serve`` subprocess on
  127.0.0.1) timed on the same question back to back, over several rounds after a warm-up,
  medians (see ``interleaved``), the HTTP time split into the server's own answer time and the
  rest; throughput at ``clients`` concurrent clients against the embedder's own queries/s at
  the same concurrency, in alternating windows (``throughput_windows``);
- build: clauses/s of a fresh build (embedding included) and an incremental rebuild after one
  document is added;
- scale: search latency (BM25 + dense, no query embedding) over synthetic indexes of random unit
  vectors and random token lists, built with the same choices as a real build, and their memory;
- memory: resident memory of the serving process;
- eligibility: ``POST /v1/eligibility``'s work per request over 10,000 synthetic support measures
  (``eligibility_section``).
"""

from __future__ import annotations

import gc
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from eval.metrics import percentile


def _stats(ms: Sequence[float]) -> dict[str, float]:
    return {"n": len(ms), "p50": round(percentile(ms, 0.5), 2), "p95": round(percentile(ms, 0.95), 2),
            "p99": round(percentile(ms, 0.99), 2), "mean": round(float(np.mean(ms)) if ms else 0.0, 2)}


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _rss_mb(pid: int | None = None) -> float:
    import psutil

    return round(psutil.Process(pid or os.getpid()).memory_info().rss / 2**20, 1)


def _concurrently(questions: Sequence[str], clients: int, call: Callable[[str], None]) -> tuple[list[float], float]:
    """Each question once, ``clients`` at a time: (latencies ms, requests per second)."""
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        latencies = list(pool.map(lambda q: _timed(lambda: call(q)), questions))
    return latencies, len(questions) / (time.perf_counter() - start)


def floor(engine: Any, questions: Sequence[str]) -> dict[str, Any]:
    """Embedding + FAISS + BM25 per question, the same calls the searcher makes."""
    from corpus.clean import to_match
    from corpus.tokenize import tokenize
    from index import bm25, dense

    searcher = engine.searcher
    backend = searcher.index.backend
    embed_ms, search_ms, total, query_ms, budget = [], [], [], [], []
    for q in questions:
        t0 = time.perf_counter()
        vector = searcher.embedder.embed_queries([to_match(q)])[0]
        t1 = time.perf_counter()
        bm25.scores(backend.bm25_index, tokenize(to_match(q)))
        dense.search(backend.faiss_index, vector, 100)
        t2 = time.perf_counter()
        # the whole search: parsing, fusion, ranking, diversity
        searcher.search(engine.generation.parse(q), 5, query_vector=vector)
        t3 = time.perf_counter()
        embed_ms.append((t1 - t0) * 1000)
        search_ms.append((t2 - t1) * 1000)
        total.append((t2 - t0) * 1000)
        query_ms.append((t1 - t0 + t3 - t2) * 1000)
        # The index issue's bar: a query costs at most 1.2 × its embedding time + 2 ms.
        budget.append(query_ms[-1] / (1.2 * embed_ms[-1] + 2))
    return {"embed": _stats(embed_ms), "search": _stats(search_ms), "floor": _stats(total),
            "query": _stats(query_ms), "query_over_budget_p50": round(sorted(budget)[len(budget) // 2], 3),
            "query_over_budget_max": round(max(budget), 3)}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(index: Path) -> tuple[subprocess.Popen[bytes], str]:
    import httpx

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    # The server's stderr goes to a file, read when it fails to start (a pipe nobody reads
    # would fill with access-log lines and stall it).
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "policyqa.cli", "serve", "--index", str(index), "--host",
             "127.0.0.1", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                log.seek(0)
                last = log.read().decode("utf-8", "replace").strip().splitlines()[-3:]
                raise RuntimeError(f"policyqa serve exited with {process.returncode}: "
                                   + " | ".join(last))
            try:
                if httpx.get(url + "/readyz", timeout=1).status_code == 200:
                    return process, url
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        process.kill()
    raise RuntimeError("policyqa serve did not become ready in 120 s")


def _discard(_: object) -> None:
    """A timed call's result is not needed."""


def _median(values: Sequence[float]) -> float:
    return float(np.median(values)) if len(values) else 0.0


def _floor_once(searcher: Any, q: str) -> tuple[float, float]:
    """One question's floor, standalone: (embed ms, BM25 + dense ms), the searcher's own calls."""
    from corpus.clean import to_match
    from corpus.tokenize import tokenize
    from index import bm25, dense

    t0 = time.perf_counter()
    vector = searcher.embedder.embed_queries([to_match(q)])[0]
    t1 = time.perf_counter()
    bm25.scores(searcher.index.backend.bm25_index, tokenize(to_match(q)))
    dense.search(searcher.index.backend.faiss_index, vector, 100)
    t2 = time.perf_counter()
    return (t1 - t0) * 1000, (t2 - t1) * 1000


def _server_ms(reply: Any) -> float | None:
    """The answer's own time inside the server (``timing_ms.total`` of an /v1/ask reply), if
    ``reply`` is such a reply."""
    try:
        return float(reply.json()["timing_ms"]["total"])
    except (AttributeError, KeyError, TypeError, ValueError):
        return None


# How long a path waits before it starts: the embedder's OpenMP team spins about 10 ms after
# its last parallel region (measured with time.process_time), so on 2 cores a path started at
# once would share a core with the previous path's spinning thread, in this process or in the
# server's, and be timed slower than it runs alone.
SETTLE_S = 0.015


def interleaved(engine: Any, questions: Sequence[str], rounds: int = 5,
                http: Callable[[str], Any] | None = None, settle_s: float = SETTLE_S) -> dict[str, Any]:
    """The floor and the whole answer timed on the same question, back to back, over
    ``rounds`` rounds after a warm-up round (discarded); the order of the paths rotates from
    round to round so that none always runs first, and each starts after a pause of ``settle_s``
    (see SETTLE_S). Figures are medians: per question over the
    rounds, then p50/p95 over the questions.

    A question's floor in a round is the lower of two measurements of the same work: the
    standalone floor (embed + BM25 + dense) and the embed + search stages timed inside that
    round's answer (the searcher's own timers). The answer contains the second, so it can never
    come out below its floor: ``in_process_over_floor_p50 >= 1`` by construction, and the
    other ratios use the same floor.

    When ``http`` returns the reply, its ``timing_ms.total`` (read after the clock stops)
    splits the HTTP time in two: ``http_server_answer``, ``respond`` inside the server as it
    times itself, and ``http_outside_answer``, the rest (client, HTTP, middleware, the
    question's parse, thread hand-offs, validation and serialisation)."""
    from service.answer import respond

    searcher = engine.searcher
    per_q: dict[str, dict[str, list[float]]] = {
        q: {"embed": [], "search": [], "standalone": [], "in_answer": [], "floor": [],
            "in_process": [], "http": [], "http_server": [], "http_outside": []} for q in questions}

    def run_floor(q: str, row: dict[str, list[float]]) -> None:
        embed_ms, search_ms = _floor_once(searcher, q)
        row["embed"].append(embed_ms)
        row["search"].append(search_ms)
        row["standalone"].append(embed_ms + search_ms)

    def run_answer(q: str, row: dict[str, list[float]]) -> None:
        start = time.perf_counter()
        generation = engine.generation
        answer = respond(generation, engine.settings, generation.parse(q))
        row["in_process"].append((time.perf_counter() - start) * 1000)
        row["in_answer"].append(answer.timing_ms.get("embed", 0.0) + answer.timing_ms.get("search", 0.0))

    def run_http(q: str, row: dict[str, list[float]]) -> None:
        if http is not None:
            start = time.perf_counter()
            reply = http(q)
            row["http"].append((time.perf_counter() - start) * 1000)
            server = _server_ms(reply)
            if server is not None:
                row["http_server"].append(server)
                row["http_outside"].append(row["http"][-1] - server)

    paths = [run_floor, run_answer, run_http]
    for r in range(rounds + 1):  # round 0 warms every path up and is thrown away
        order = paths[r % 3:] + paths[: r % 3]
        for q in questions:
            row = per_q[q]
            for path in order:
                time.sleep(settle_s)
                path(q, row)
            if r == 0:
                for values in row.values():
                    values.clear()
            else:
                row["floor"].append(min(row["standalone"][-1], row["in_answer"][-1]))
    med = {key: [_median(per_q[q][key]) for q in questions] for key in next(iter(per_q.values()))}
    result: dict[str, Any] = {
        "questions": len(questions), "rounds": rounds,
        "floor": {key: _stats(med[key]) for key in ("embed", "search", "standalone", "in_answer", "floor")},
        "in_process": _stats(med["in_process"]),
        "in_process_over_floor_p50": round(_median(
            [a / f for a, f in zip(med["in_process"], med["floor"], strict=True)]), 3),
    }
    if http is not None:
        result["http_single"] = _stats(med["http"])
        result["ask_over_floor_p50"] = round(_median(
            [h / f for h, f in zip(med["http"], med["floor"], strict=True)]), 3)
        if all(per_q[q]["http_server"] for q in questions):
            result["http_server_answer"] = _stats(med["http_server"])
            result["http_outside_answer"] = _stats(med["http_outside"])
    return result


def throughput_windows(questions: Sequence[str], clients: int, windows: int,
                       embed: Callable[[str], None], post: Callable[[str], None]) -> dict[str, Any]:
    """Throughput at ``clients`` concurrent clients against the embedder alone at the same
    concurrency, measured in alternating windows (each question once per window; which of the
    two runs first alternates), after one discarded warm-up window of each. The ratio is taken
    per window pair, then its median: both sides saw the same machine at the same time."""
    _concurrently(questions[: clients * 2], clients, embed)
    _concurrently(questions[: clients * 2], clients, post)
    latencies: list[float] = []
    rps, qps, ratios = [], [], []
    for w in range(windows):
        def run_embed() -> float:
            return _concurrently(questions, clients, embed)[1]

        def run_post() -> float:
            ms, rate = _concurrently(questions, clients, post)
            latencies.extend(ms)
            return rate

        if w % 2 == 0:
            e, h = run_embed(), run_post()
        else:
            h, e = run_post(), run_embed()
        qps.append(e)
        rps.append(h)
        ratios.append(h / e)
    return {"windows": windows, "http_concurrent": _stats(latencies),
            "throughput_rps": round(_median(rps), 2), "embedder_qps_at_clients": round(_median(qps), 2),
            "throughput_rps_by_window": [round(x, 2) for x in rps],
            "embedder_qps_by_window": [round(x, 2) for x in qps],
            "throughput_over_floor": round(_median(ratios), 3)}


class _Post:
    """POST JSON over one keep-alive connection per calling thread (the standard library's
    http.client): the client's own cost stays out of the server's figures as far as a Python
    client allows (httpx added about 0.7 ms a request here). Returns the reply as bytes;
    a non-2xx status raises."""

    def __init__(self, url: str) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.host, self.port = host, int(port)
        self.local = threading.local()

    def __call__(self, path: str, body: dict[str, Any]) -> _Reply:
        import http.client
        import json

        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        for attempt in (1, 2):  # a keep-alive connection the server closed is reopened once
            connection = getattr(self.local, "connection", None)
            if connection is None:
                connection = self.local.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                connection.request("POST", path, body=data, headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                content = response.read()
            except (http.client.HTTPException, OSError):
                connection.close()
                self.local.connection = None
                if attempt == 2:
                    raise
                continue
            if not 200 <= response.status < 300:
                raise RuntimeError(f"POST {path}: HTTP {response.status}: {content[:200]!r}")
            return _Reply(content)
        raise AssertionError("unreachable")


class _Reply:
    def __init__(self, content: bytes) -> None:
        self.content = content

    def json(self) -> Any:
        import json

        return json.loads(self.content)


def ask_section(settings: Any, questions: Sequence[str], clients: int, rounds: int = 5) -> dict[str, Any]:
    """``settings``: the service's (service.settings.Settings), for the index it serves."""
    from service.engine import open_engine

    index = settings.index_dir
    engine = open_engine(settings)
    result: dict[str, Any] = {"questions": len(questions), "clients": clients}
    embedder = engine.searcher.embedder
    process, url = _serve(index)
    try:
        post = _Post(url)
        timed = interleaved(engine, questions, rounds, lambda q: post("/v1/ask", {"question": q}))
        # whole search query against the index issue's budget (warm by now)
        timed["floor"]["query_budget"] = floor(engine, questions)
        result.update(timed)
        result["server_rss_mb_idle"] = _rss_mb(process.pid)
        result.update(throughput_windows(questions, clients, rounds,
                                         lambda q: _discard(embedder.embed_queries([q])),
                                         lambda q: _discard(post("/v1/ask", {"question": q}))))
        result["server_rss_mb"] = _rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(30)
    return result


def build_section(corpus: Sequence[Path], added: Path | None) -> dict[str, Any]:
    from index.build import build_index
    from index.embed import DEFAULT_EMBEDDER, load_embedder

    embedder = load_embedder(DEFAULT_EMBEDDER)
    with tempfile.TemporaryDirectory(prefix="policyqa-bench-") as tmp:
        root = Path(tmp) / "index"
        docs = Path(tmp) / "docs"
        docs.mkdir()
        for path in corpus:
            for file in sorted(path.iterdir()) if path.is_dir() else [path]:
                if file.is_file():
                    shutil.copy(file, docs / file.name)
        start = time.perf_counter()
        first = build_index([docs], root, embedder, DEFAULT_EMBEDDER)
        fresh_s = time.perf_counter() - start
        result: dict[str, Any] = {
            "clauses": first.clauses, "passages": first.passages, "fresh_s": round(fresh_s, 2),
            "clauses_per_s": round(first.clauses / fresh_s, 2)}
        start = time.perf_counter()
        again = build_index([docs], root, embedder, DEFAULT_EMBEDDER)
        result["unchanged_rebuild_s"] = round(time.perf_counter() - start, 2)
        result["unchanged_embedded"] = again.embedded
        if added is not None:
            shutil.copy(added, docs / added.name)
            start = time.perf_counter()
            grown = build_index([docs], root, embedder, DEFAULT_EMBEDDER)
            result["add_one_document_s"] = round(time.perf_counter() - start, 2)
            result["add_one_document_embedded"] = grown.embedded
    return result


def scale_section(sizes: Sequence[int], queries: int = 50, dim: int = 384,
                  seed: int = 7) -> list[dict[str, Any]]:
    """Synthetic: random unit vectors and random token lists (Zipf-like vocabulary), not real
    text; it measures search cost and memory at size, not quality."""
    from index import bm25, dense

    rng = np.random.default_rng(seed)
    rows = []
    for n in sizes:
        gc.collect()
        before = _rss_mb()
        vectors = rng.standard_normal((n, dim), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        start = time.perf_counter()
        index = dense.build(vectors)
        dense_build_s = time.perf_counter() - start
        del vectors
        vocab = [f"w{i}" for i in range(50_000)]
        weights = 1.0 / np.arange(1, len(vocab) + 1)
        weights /= weights.sum()
        token_ids = rng.choice(len(vocab), size=(n, 40), p=weights)
        start = time.perf_counter()
        retriever = bm25.build([[vocab[t] for t in row] for row in token_ids])
        bm25_build_s = time.perf_counter() - start
        del token_ids
        gc.collect()
        after = _rss_mb()
        probe = rng.standard_normal((queries, dim), dtype=np.float32)
        probe /= np.linalg.norm(probe, axis=1, keepdims=True)
        query_tokens = [[vocab[t] for t in rng.choice(2000, size=6)] for _ in range(queries)]
        dense_ms, bm25_ms, both_ms = [], [], []
        for vector, tokens in zip(probe, query_tokens, strict=True):
            t0 = time.perf_counter()
            dense.search(index, vector, 100)
            t1 = time.perf_counter()
            lexical = bm25.scores(retriever, tokens)
            np.argpartition(-lexical, 50)[:50]
            t2 = time.perf_counter()
            dense_ms.append((t1 - t0) * 1000)
            bm25_ms.append((t2 - t1) * 1000)
            both_ms.append((t2 - t0) * 1000)
        import faiss

        dense_mb = faiss.serialize_index(index).nbytes / 2**20
        bm25_mb = sum(getattr(a, "nbytes", 0) for a in retriever.scores.values()) / 2**20
        rows.append({"clauses": n, "index_type": dense.index_type(n),
                     "dense_mb": round(dense_mb, 1), "bm25_mb": round(bm25_mb, 1),
                     "dense_build_s": round(dense_build_s, 1), "bm25_build_s": round(bm25_build_s, 1),
                     "rss_growth_mb": round(after - before, 1), "dense": _stats(dense_ms),
                     "bm25": _stats(bm25_ms), "search": _stats(both_ms)})
        del index, retriever
    return rows


def eligibility_section(measures: int = 10_000, profiles: int = 60, rounds: int = 3) -> dict[str, Any]:
    """``POST /v1/eligibility``'s work over a synthetic corpus of ``measures`` support measures
    (eval.synthetic_measures), in process: the body's validation, the profile's parse, every
    condition checked and the JSON written, per request, after the per-generation catalogue
    (timed apart, once). Distinct profiles, each asked ``rounds`` times after a warm-up."""
    from datetime import date

    from eval import synthetic_measures
    from service.eligibility_api import circumstances_of, report
    from service.eligibility_schemas import EligibilityIn
    from service.measures import catalogue_of

    clauses, documents = synthetic_measures.corpus(measures)
    today = date.today()
    start = time.perf_counter()
    catalogue = catalogue_of("synthetic", clauses, documents, today)
    catalogue_s = time.perf_counter() - start
    bodies = synthetic_measures.profiles(profiles)
    sizes: list[int] = []

    def request(body: dict[str, Any]) -> None:
        parsed = EligibilityIn.model_validate(body)
        sizes.append(len(report(catalogue, circumstances_of(parsed.profile, today), parsed.filters)))

    for body in bodies[:5]:
        request(body)  # warm-up
    ms = [_timed(lambda b=body: request(b)) for _ in range(rounds) for body in bodies]  # type: ignore[misc]
    return {"measures": len(catalogue.measures), "documents": len(documents),
            "catalogue_s": round(catalogue_s, 2), "request": _stats(ms),
            "response_kb_p50": round(percentile(sizes, 0.5) / 1024, 1)}


def machine() -> dict[str, Any]:
    import platform

    import psutil

    return {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "processor": platform.processor() or platform.machine(), "python": platform.python_version()}




def milvus_scale_section(sizes: Sequence[int], queries: int = 30, dim: int = 384,
                         seed: int = 7) -> list[dict[str, Any]]:
    """The same synthetic rows in Milvus Lite (the collection schema of a real build: IVF_FLAT
    past 50k vectors, BM25 over the chinese analyzer): search = dense + BM25 requests, the two
    calls the Milvus searcher makes per question."""
    from index.milvus import client_for, create_collection

    rng = np.random.default_rng(seed)
    rows_out = []
    with tempfile.TemporaryDirectory(prefix="policyqa-milvus-bench-") as tmp:
        client = client_for(str(Path(tmp) / "bench.db"))
        for n in sizes:
            name = f"policyqa_bench_{n}"
            vectors = rng.standard_normal((n, dim), dtype=np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            words = [f"词{i}" for i in range(5000)]
            start = time.perf_counter()
            create_collection(client, name, dim, n)
            for lo in range(0, n, 2000):
                client.insert(name, [{
                    "pk": f"c{i}#0", "clause_id": f"c{i}", "part": 0, "doc_id": f"d{i % 1000}",
                    "source_file": f"d{i % 1000}.txt", "kind": "policy", "offices": "",
                    "searchable": True, "text_hash": "", "clause_json": "{}",
                    "text": " ".join(words[t] for t in rng.integers(0, 5000, 30)),
                    "dense": vectors[i].tolist()} for i in range(lo, min(n, lo + 2000))])
            client.flush(name)
            client.load_collection(name)
            load_s = time.perf_counter() - start
            dense_ms, bm25_ms = [], []
            for q in range(queries):
                t0 = time.perf_counter()
                client.search(name, data=[vectors[q].tolist()], anns_field="dense", limit=100,
                              filter="searchable == true", output_fields=["clause_id"],
                              search_params={"metric_type": "IP", "params": {"nprobe": 32}})
                t1 = time.perf_counter()
                client.search(name, data=[" ".join(words[t] for t in rng.integers(0, 2000, 6))],
                              anns_field="sparse", limit=50, filter="searchable == true",
                              output_fields=["clause_id"], search_params={"metric_type": "BM25"})
                t2 = time.perf_counter()
                dense_ms.append((t1 - t0) * 1000)
                bm25_ms.append((t2 - t1) * 1000)
            both = [a + b for a, b in zip(dense_ms, bm25_ms, strict=True)]
            rows_out.append({"clauses": n, "backend": "milvus-lite", "load_s": round(load_s, 1),
                             "dense": _stats(dense_ms), "bm25": _stats(bm25_ms), "search": _stats(both)})
            client.drop_collection(name)
    return rows_out


__all__ = ["ask_section", "build_section", "eligibility_section", "floor", "interleaved", "throughput_windows", "machine", "milvus_scale_section", "scale_section"]
