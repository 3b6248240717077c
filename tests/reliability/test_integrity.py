"""Issue 17, findings 3 and 4: corruption of the same size is detected (sizes and sha256 in the
manifest, verified at load), a failed generation is never served (the newest verified one
stands in, /readyz says ``degraded``; with none, 503), zero-byte and garbage files never crash a
process, and incremental builds reuse vectors only from a verified generation."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import pytest

from index import store
from index.build import build_index
from index.embed import HashEmbedder
from index.search import load_index
from service.app import create_app
from service.settings import Settings
from tests.servers import free_port, served

pytestmark = pytest.mark.reliability
ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ["滨州高新技术企业目标是多少？", "申报材料有哪些？", "专精特新企业培育", "责任单位是谁？",
             "研发投入奖励标准", "人才引进补贴"]


def _scramble(path: Path, skip: int = 128, seed: int = 7) -> None:
    """Random bytes over the file's body, same size (the header is kept so it still parses)."""
    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    start = min(skip, len(data) // 2)
    for i in range(start, len(data)):
        data[i] = rng.randrange(256)
    path.write_bytes(bytes(data))
    assert path.stat().st_size == len(data)


def _hash_index(root: Path, docs: Path | None = None) -> Path:
    return build_index([docs or ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash").generation


@pytest.mark.parametrize("target", ["dense.faiss", "bm25/indices.csc.index.npy",
                                    "bm25/data.csc.index.npy", "vectors.npy"])
def test_same_size_corruption_is_never_served(tmp_path: Path, target: str) -> None:
    root = tmp_path / "index"
    live = _hash_index(root)
    _scramble(live / target)
    with served(create_app(Settings(index_dir=root))) as base, httpx.Client(base_url=base) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 503, ready.text
        assert ready.json()["error"]["code"] == "index_corrupt"
        for question in QUESTIONS:
            asked = client.post("/v1/ask", json={"question": question})
            assert asked.status_code == 503 and asked.json()["error"]["code"] == "index_corrupt"


@pytest.mark.parametrize("target", ["dense.faiss", "bm25/indices.csc.index.npy"])
def test_a_corrupt_live_generation_falls_back_to_the_newest_verified(tmp_path: Path,
                                                                     target: str) -> None:
    root = tmp_path / "index"
    older = _hash_index(root)
    with served(create_app(Settings(index_dir=root))) as base:
        expected = {q: httpx.post(base + "/v1/ask", json={"question": q}).json()["answer"]
                    for q in QUESTIONS}
    newer = _hash_index(root)
    _scramble(newer / target)
    assert store.current_path(root) == newer
    with served(create_app(Settings(index_dir=root))) as base, httpx.Client(base_url=base) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text
        body = ready.json()
        assert body["status"] == "degraded" and body["generation"] == older.name
        assert newer.name in body["reason"] and "verification" in body["reason"]
        for question in QUESTIONS:
            asked = client.post("/v1/ask", json={"question": question})
            assert asked.status_code == 200
            assert asked.json()["generation"] == older.name
            assert asked.headers["X-Index-Generation"] == older.name
            assert asked.json()["answer"] == expected[question]


def test_random_bm25_indices_give_no_server_errors(tmp_path: Path) -> None:
    root = tmp_path / "index"
    live = _hash_index(root)
    path = live / "bm25" / "indices.csc.index.npy"
    indices = np.load(path)
    np.save(path, np.random.default_rng(3).integers(10**6, 10**7, size=indices.shape,
                                                    dtype=indices.dtype))
    with served(create_app(Settings(index_dir=root))) as base:
        statuses = {httpx.post(base + "/v1/ask", json={"question": q}).status_code for q in QUESTIONS}
        statuses.add(httpx.post(base + "/v1/search", json={"query": "专精特新"}).status_code)
    assert statuses == {503}, statuses


def test_a_zero_byte_vectors_file_does_not_crash_serve_and_the_next_build_works(
        tmp_path: Path) -> None:
    root = tmp_path / "index"
    live = _hash_index(root)
    (live / "vectors.npy").write_bytes(b"")
    (live / "bm25" / "data.csc.index.npy").write_bytes(b"")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "policyqa.cli", "serve", "--index", str(root), "--host", "127.0.0.1",
         "--port", str(port)], cwd=ROOT, env={**os.environ}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        ready = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                ready = httpx.get(base + "/readyz", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        assert process.poll() is None, f"serve died: {process.communicate()[1][-2000:]}"
        assert ready is not None and ready.status_code == 503
        assert ready.json()["error"]["code"] == "index_corrupt"
        message = ready.json()["error"]["message"]
        assert str(tmp_path) not in message and not re.search(r"(?<![\w.])/(?:[\w.-]+/)+", message)
        # the next build repairs it, and the running server picks it up by itself
        report = build_index([ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash")
        assert report.embedded == report.passages, "vectors were reused from a corrupt generation"
        ready = httpx.get(base + "/readyz", timeout=30)
        assert ready.status_code == 200 and ready.json()["generation"] == report.generation.name
    finally:
        process.terminate()
        try:
            _, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            _, err = process.communicate()
    assert "Traceback" not in err, err[-3000:]


def test_incremental_builds_reuse_vectors_only_from_a_verified_generation(tmp_path: Path) -> None:
    fresh = build_index([ROOT / "corpus" / "raw"], tmp_path / "fresh", HashEmbedder(), "hash")
    root = tmp_path / "index"
    live = _hash_index(root)
    vectors = np.load(live / "vectors.npy")
    vectors[:, :] = 0.5  # plausible floats of the same size: only the checksum tells
    np.save(live / "vectors.npy", vectors)
    report = build_index([ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash")
    assert report.embedded == report.passages
    assert np.array_equal(np.load(report.generation / "vectors.npy"),
                          np.load(fresh.generation / "vectors.npy"))
    again = build_index([ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash")
    assert again.embedded == 0, "a verified generation's vectors are reused"


def test_the_manifest_records_size_and_sha256_of_every_file(tmp_path: Path) -> None:
    live = _hash_index(tmp_path / "index")
    manifest = json.loads((live / "manifest.json").read_text())
    on_disk = sorted(p.relative_to(live).as_posix() for p in live.rglob("*")
                     if p.is_file() and p.name != "manifest.json")
    assert sorted(manifest["files"]) == on_disk
    for rel, record in manifest["files"].items():
        assert record["size"] == (live / rel).stat().st_size
        assert record["sha256"] == store.sha256_file(live / rel)
    assert load_index(tmp_path / "index").generation == live.name


def test_a_worker_does_not_follow_current_onto_a_corrupt_generation(tmp_path: Path) -> None:
    root = tmp_path / "index"
    older = _hash_index(root)
    with served(create_app(Settings(index_dir=root))) as base, httpx.Client(base_url=base) as client:
        assert client.get("/readyz").json()["generation"] == older.name
        newer = build_index([ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash").generation
        assert client.get("/readyz").json() == {**client.get("/readyz").json(),
                                                "generation": newer.name, "status": "ready"}
        newest = build_index([ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash").generation
        _scramble(newest / "dense.faiss")  # corrupted after the switch, before any worker loads it
        body = client.get("/readyz").json()
        assert body["status"] == "degraded" and body["generation"] == newer.name
        assert newest.name in body["reason"]
        asked = client.post("/v1/ask", json={"question": QUESTIONS[0]})
        assert asked.status_code == 200 and asked.json()["generation"] == newer.name
        shutil.rmtree(newest)  # a repair: the next build is served again
        repaired = build_index([ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash").generation
        body = client.get("/readyz").json()
        assert body["status"] == "ready" and body["generation"] == repaired.name
