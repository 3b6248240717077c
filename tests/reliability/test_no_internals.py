"""Issue 17, finding 5: no file or library paths and no tracebacks in response bodies; the
server log keeps the detail, with the request id."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import httpx
import pytest

from index.build import build_index
from index.embed import HashEmbedder
from service.app import create_app
from service.settings import Settings
from tests.servers import served

pytestmark = pytest.mark.reliability
ROOT = Path(__file__).resolve().parents[2]
TOKEN = "internals-token-17"
ABSOLUTE = re.compile(r"(?<![\w.])/(?:[\w.+@-]+/)+")


def _assert_clean(response: httpx.Response, *secrets: str) -> None:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    text = response.text
    assert not ABSOLUTE.search(text), text
    assert "Traceback" not in text and ".py" not in text and "site-packages" not in text, text
    for secret in secrets:
        assert secret not in text, text


def _truncate_faiss(generation: Path) -> None:
    data = (generation / "dense.faiss").read_bytes()
    (generation / "dense.faiss").write_bytes(data[: len(data) // 3])


def test_readyz_and_503_bodies_hold_no_paths(tmp_path: Path) -> None:
    missing = tmp_path / "no-index-here"
    with served(create_app(Settings(index_dir=missing))) as base:
        for response in (httpx.get(base + "/readyz"),
                         httpx.post(base + "/v1/ask", json={"question": "滨州的奖励标准？"}),
                         httpx.get(base + "/v1/documents")):
            assert response.status_code == 503
            assert response.json()["error"]["code"] == "index_missing"
            _assert_clean(response, str(missing), str(tmp_path))

    root = tmp_path / "index"
    _truncate_faiss(build_index([ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash").generation)
    with served(create_app(Settings(index_dir=root))) as base:
        response = httpx.get(base + "/readyz")
        assert response.status_code == 503 and response.json()["error"]["code"] == "index_corrupt"
        _assert_clean(response, str(root), "faiss/", "io.cpp")


def test_a_failed_reload_answers_without_paths_and_logs_the_detail_with_the_request_id(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from service.logs import RequestIdFilter

    root = tmp_path / "index"
    build_index([ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash")
    caplog.set_level(logging.INFO, logger="policyqa")
    caplog.handler.addFilter(RequestIdFilter())
    with served(create_app(Settings(index_dir=root, admin_token=TOKEN))) as base:
        shutil.rmtree(root / "generations")  # the live generation vanishes under the server
        response = httpx.post(base + "/v1/admin/reload", headers={
            "Authorization": f"Bearer {TOKEN}", "X-Request-ID": "req17internals"})
        assert response.status_code == 503
        assert "still serving the previous index" in response.json()["error"]["message"]
        _assert_clean(response, str(root), TOKEN)
        assert httpx.get(base + "/readyz").status_code == 200  # still serving from memory
    logged = [r for r in caplog.records if str(root) in r.getMessage()]
    assert logged, "the server log keeps the detail"
    assert any(getattr(r, "request_id", None) == "req17internals" for r in logged)


@pytest.mark.parametrize("request_kwargs", [
    {"method": "POST", "url": "/v1/ask", "content": b'{"question": '},
    {"method": "POST", "url": "/v1/ask", "json": {"question": ""}},
    {"method": "GET", "url": "/v1/documents/%2Fetc%2Fpasswd"},
    {"method": "GET", "url": "/v1/clauses/..%2F..%2Fetc%2Fpasswd"},
    {"method": "POST", "url": "/v1/admin/reload"},
])
def test_client_errors_hold_no_internals(tmp_path: Path, request_kwargs: dict) -> None:  # type: ignore[type-arg]
    root = tmp_path / "index"
    build_index([ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash")
    with served(create_app(Settings(index_dir=root, admin_token=TOKEN))) as base, \
            httpx.Client(base_url=base) as client:
        kwargs = dict(request_kwargs)
        response = client.request(kwargs.pop("method"), kwargs.pop("url"),
                                  headers={"Content-Type": "application/json"}, **kwargs)
        assert 400 <= response.status_code < 500
        body = response.json()["error"]
        assert body["code"] and body["message"]
        assert str(root) not in response.text and "Traceback" not in response.text
        assert str(ROOT) not in response.text
