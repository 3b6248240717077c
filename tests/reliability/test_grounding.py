"""Issue 17, finding 8: an LLM answer is accepted only if every figure it states is supported by
the clauses it cites: quantities with their magnitude, office names, dates and polarity words.
A loopback fake LLM lies in each of these ways; every lie falls back to the extractive answer
with a warning, and the truth is served."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from fastapi.testclient import TestClient

from index.build import build_index
from service.app import create_app
from service.settings import Settings

pytestmark = pytest.mark.reliability
POLICY = (
    "关于支持企业研发创新的若干措施\n"
    "一、研发奖励。对年度研发投入超过200万元的企业给予奖励，最高不超过50万元，由市科技局负责兑现。"
    "本措施自2024年1月1日起施行，有效期至2026年12月31日。\n"
    "二、人才公寓。对引进的博士研究生提供人才公寓，租金按市场价的70%收取。\n"
)
QUESTION = "企业研发投入奖励最高多少？"


class _LyingLLM(BaseHTTPRequestHandler):
    reply: ClassVar[str] = ""

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        body = json.dumps({"choices": [{"message": {"role": "assistant", "content": self.reply}}]})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def policy_index(tmp_path_factory: pytest.TempPathFactory, engine) -> Path:  # type: ignore[no-untyped-def]
    docs = tmp_path_factory.mktemp("grounding-docs")
    (docs / "policy.txt").write_text(POLICY, encoding="utf-8")
    root = tmp_path_factory.mktemp("grounding-index")
    build_index([docs], root, engine.searcher.embedder, "e5-small")
    return root


@pytest.fixture(scope="module")
def llm() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _LyingLLM)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


@pytest.fixture(scope="module")
def client(policy_index: Path, llm: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(index_dir=policy_index, llm_base_url=llm))) as test_client:
        yield test_client


def _ask(client: TestClient, reply: str) -> dict:  # type: ignore[type-arg]
    _LyingLLM.reply = reply
    body = client.post("/v1/ask", json={"question": QUESTION}).json()
    assert body["citations"] and "研发奖励" in body["citations"][0]["text"], body
    return body  # type: ignore[no-any-return]


@pytest.mark.parametrize(("reply", "kind"), [
    ("对年度研发投入超过200万元的企业给予奖励，最高不超过五百万元[1]。", "quantity"),
    ("对研发投入超过200万元的企业，最高奖励500万元[1]。", "quantity"),
    ("对年度研发投入超过200万元的企业给予奖励，由市财政局负责兑现[1]。", "office"),
    ("本措施自2024年1月1日起施行，有效期至2024年12月31日[1]。", "date"),
    ("该措施已经废止[1]。", "polarity"),
    ("该措施已经失效，不再执行[1]。", "polarity"),
    ("所有企业无需申报即可自动获得奖励[1]。", "polarity"),
    ("研发奖励一律免费发放，不得拒绝[1]。", "polarity"),
])
def test_each_kind_of_lie_falls_back_to_the_extractive_answer(client: TestClient, reply: str,
                                                              kind: str) -> None:
    body = _ask(client, reply)
    assert body["mode"] == "extractive", body["answer"]
    assert body["answer"] != reply
    assert any(w.startswith("llm_check_failed") for w in body["warnings"]), body["warnings"]
    assert any(w.startswith("llm_unsupported") and kind in w for w in body["warnings"]), body["warnings"]


@pytest.mark.parametrize("reply", [
    "对年度研发投入超过200万元的企业给予奖励，最高不超过50万元[1]。",
    "最高奖励五十万元，由市科技局负责兑现[1]。",
    "本措施自2024年1月1日起施行，有效期至2026年12月31日[1]。",
    "研发投入超过两百万元的企业可获奖励，上限50万元[1]。",
])
def test_a_truthful_answer_is_served(client: TestClient, reply: str) -> None:
    body = _ask(client, reply)
    assert body["mode"] == "llm", body["warnings"]
    assert body["answer"] == reply
