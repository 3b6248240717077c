"""For the people who run it: offline API docs, /metrics, the request id in logs, `policyqa
serve` configured from POLICYQA_* with several workers. Real HTTP throughout."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.servers import free_port, served


@pytest.fixture(scope="module")
def url(settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from service.app import create_app

    with served(create_app(settings)) as base:
        yield base


def _sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text (0 when absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_docs_and_redoc_work_with_no_external_reference(url: str) -> None:
    for page in ("/docs", "/redoc"):
        html = httpx.get(url + page).text
        assert "http://" not in html and "https://" not in html and "//" not in html.replace("://", "")
        assets = re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r"url: '([^']+)'", html)
        assets += re.findall(r'spec-url="([^"]+)"', html)
        assert assets and all(a.startswith("/") for a in assets), assets
        for asset in assets:
            response = httpx.get(url + asset)
            assert response.status_code == 200 and response.content, asset
    assert "SwaggerUIBundle" in httpx.get(url + "/docs-assets/swagger-ui-bundle.js").text
    assert httpx.get(url + "/openapi.json").json()["info"]["title"] == "PolicyQA"


def test_metrics_count_requests_answers_refusals_and_the_index(url: str) -> None:
    before = httpx.get(url + "/metrics").text
    with httpx.Client(base_url=url) as client:
        assert client.post("/v1/ask", json={"question": "滨州到2027年集群内高新技术企业要达到多少家？"}).status_code == 200
        refused = client.post("/v1/ask", json={"question": "深圳对新能源汽车购置有什么补贴？"}).json()
        assert refused["answerable"] is False
        assert client.get("/v1/documents/nope").status_code == 404
        assert client.get("/no/such/path").status_code == 404
    response = httpx.get(url + "/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    after = response.text

    def delta(name: str, **labels: str) -> float:
        return _sample(after, name, **labels) - _sample(before, name, **labels)

    assert delta("policyqa_http_requests_total", method="POST", route="/v1/ask", status="200") == 2
    assert delta("policyqa_http_request_duration_seconds_count", route="/v1/ask", status="200") == 2
    assert delta("policyqa_http_requests_total", route="/v1/documents/{doc_id}", status="404") == 1
    assert delta("policyqa_http_requests_total", route="unmatched", status="404") == 1
    assert "/no/such/path" not in after  # raw paths never become labels
    assert delta("policyqa_answers_total", endpoint="ask", mode="extractive", answerable="true") == 1
    assert delta("policyqa_answers_total", endpoint="ask", mode="extractive", answerable="false") == 1
    reason = "unknown_place" if "unknown_place" in refused["warnings"] else "low_confidence"
    assert delta("policyqa_refusals_total", reason=reason) == 1
    assert delta("policyqa_embedder_seconds_count") == 2 and delta("policyqa_embedder_seconds_sum") > 0
    generation = httpx.get(url + "/readyz").json()["generation"]
    assert _sample(after, "policyqa_index_info", generation=generation) == 1
    assert _sample(after, "policyqa_index_documents") == 4 and _sample(after, "policyqa_index_clauses") > 50
    assert 'le="0.05"' in after  # histogram buckets


def test_request_id_is_on_the_error_log_and_the_500_body_is_clean(settings) -> None:  # type: ignore[no-untyped-def]
    from service.app import create_app
    from service.logs import JsonFormatter, RequestIdFilter

    app = create_app(settings)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret detail in /etc/policyqa")

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("policyqa")
    logger.addHandler(handler)
    try:
        with served(app) as base:
            response = httpx.get(base + "/boom", headers={"X-Request-ID": "req-0f3a.77"})
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 500 and response.headers["x-request-id"] == "req-0f3a.77"
    assert response.json() == {"error": {"code": "internal_error", "message": "internal error"}}
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    error = next(line for line in lines if line["level"] == "ERROR")
    assert error["request_id"] == "req-0f3a.77" and error["exc_type"] == "RuntimeError"


def _wait_ready(base: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "policyqa serve exited"
        try:
            if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError("policyqa serve did not become ready")


def _wait_workers(base: str, process: subprocess.Popen[bytes], count: int,
                  seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "policyqa serve exited"
        if _sample(httpx.get(base + "/metrics", timeout=5).text, "policyqa_workers") == count:
            return
        time.sleep(0.3)
    raise AssertionError(f"policyqa serve did not report {count} live workers")


def test_serve_from_environment_two_workers_json_logs_and_summed_metrics(
        seed_index: Path, tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("POLICYQA_") and k != "PROMETHEUS_MULTIPROC_DIR"}
    env.update(POLICYQA_HOST="127.0.0.1", POLICYQA_PORT=str(port), POLICYQA_WORKERS="2",
               POLICYQA_LOG_FORMAT="json", POLICYQA_INDEX_DIR=str(seed_index))
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "policyqa.cli", "serve"], env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process)
        # /readyz answers once the first worker is up; the second may still be loading the index
        _wait_workers(base, process, 2)
        n = 12
        for i in range(n):  # a new connection each: the kernel spreads them over the workers
            assert httpx.get(base + "/healthz", headers={"X-Request-ID": f"probe-{i}"}).status_code == 200
        # whichever worker answers, /metrics adds up both
        for _ in range(4):
            text = httpx.get(base + "/metrics").text
            assert _sample(text, "policyqa_http_requests_total", route="/healthz", status="200") == n
            assert _sample(text, "policyqa_workers") == 2
    finally:
        process.terminate()
        process.wait(30)
    lines = [json.loads(line) for line in log_path.read_text("utf-8").splitlines()
             if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "uvicorn.access"]
    ids = {line["request_id"] for line in access if line["path"] == "/healthz"}
    assert {f"probe-{i}" for i in range(n)} <= ids
    assert all(line["request_id"] != "-" for line in access)
    assert any(line.get("status") == 200 and line.get("method") == "GET" for line in access)


def test_serve_fails_at_once_when_the_port_is_taken() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "POLICYQA_PORT": str(port), "POLICYQA_HOST": "127.0.0.1"}
        result = subprocess.run([sys.executable, "-m", "policyqa.cli", "serve", "--check"], env=env,
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"127.0.0.1:{port}" in result.stderr and "POLICYQA_PORT" in result.stderr



def test_a_request_answered_on_the_models_thread_keeps_its_request_id(engine) -> None:  # type: ignore[no-untyped-def]
    """/v1/ask runs on the embedder's own thread (service.engine.on_model_thread): what it logs
    there must still carry the request's id; an engine with an LLM configured stays off that
    thread (an LLM call would hold every embedding behind it)."""
    import asyncio
    import copy
    import threading

    from service.engine import on_model_thread
    from service.logs import request_id_var

    def seen() -> tuple[str, str]:
        return threading.current_thread().name, request_id_var.get()

    async def ask(on) -> tuple[str, str]:  # type: ignore[no-untyped-def]
        request_id_var.set("req-model-thread")
        return await on_model_thread(on, seen)

    thread, request_id = asyncio.run(ask(engine))
    assert thread.startswith("e5-embed") and request_id == "req-model-thread"
    with_llm = copy.copy(engine)
    with_llm.settings = engine.settings.model_copy(update={"llm_base_url": "http://127.0.0.1:9"})
    thread, request_id = asyncio.run(ask(with_llm))
    assert not thread.startswith("e5-embed") and request_id == "req-model-thread"
