"""Issue 17, finding 2: after one reload, every worker serves the new generation. Each worker
compares the ``current`` link's target per request (one readlink) and loads a new generation
itself; the reload response reports the outcome and every response carries its generation."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from index.build import build_index
from index.embed import HashEmbedder
from service.app import create_app
from service.settings import Settings
from tests.servers import free_port, served

pytestmark = pytest.mark.reliability
ROOT = Path(__file__).resolve().parents[2]
TOKEN = "workers-token-17"


def test_two_apps_on_one_index_follow_one_reload(tmp_path: Path) -> None:
    root = tmp_path / "index"
    old = build_index([ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash").generation.name
    settings = Settings(index_dir=root, admin_token=TOKEN)
    a_app, b_app = create_app(settings), create_app(settings)
    with served(a_app) as a, served(b_app) as b:
        assert httpx.get(a + "/readyz").json()["generation"] == old
        assert httpx.get(b + "/readyz").json()["generation"] == old
        new = build_index([ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash").generation.name
        reload = httpx.post(a + "/v1/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"})
        assert reload.status_code == 200, reload.text
        body = reload.json()
        assert body["generation"] == new and body["previous"] in (old, new)
        assert body["status"] in ("reloaded", "unchanged") and body["degraded"] is None
        assert reload.headers["X-Index-Generation"] == new
        # the worker that did not take the reload serves the new generation on its next request
        for base in (a, b):
            ready = httpx.get(base + "/readyz")
            assert ready.json()["generation"] == new and ready.json()["status"] == "ready"
            asked = httpx.post(base + "/v1/ask", json={"question": "专精特新企业培育"})
            assert asked.json()["generation"] == new
            assert asked.headers["X-Index-Generation"] == new
            search = httpx.post(base + "/v1/search", json={"query": "专精特新"})
            assert search.json()["generation"] == new
            assert httpx.get(base + "/v1/documents").headers["X-Index-Generation"] == new


def test_every_worker_of_a_two_worker_server_shows_the_new_generation(tmp_path: Path) -> None:
    root = tmp_path / "index"
    old = build_index([ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash").generation.name
    port = free_port()
    env = {**os.environ, "POLICYQA_ADMIN_TOKEN": TOKEN}
    process = subprocess.Popen(
        [sys.executable, "-m", "policyqa.cli", "serve", "--index", str(root), "--host", "127.0.0.1",
         "--port", str(port), "--workers", "2"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    def readyz() -> str:
        # a new connection each time, so the kernel spreads them over both workers
        with httpx.Client(timeout=30, headers={"Connection": "close"}) as client:
            return str(client.get(base + "/readyz").json()["generation"])

    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        seen = {readyz() for _ in range(20)}
        assert seen == {old}
        new = build_index([ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash").generation.name
        reload = httpx.post(base + "/v1/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"},
                            timeout=60)
        assert reload.status_code == 200 and reload.json()["generation"] == new
        started = time.monotonic()
        answers = [readyz() for _ in range(30)]
        elapsed = time.monotonic() - started
        assert answers == [new] * 30, f"old generation still served: {answers.count(old)} of 30"
        print(f"\n30 /readyz after one reload, 2 workers: all on {new} ({elapsed:.2f} s)")
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
