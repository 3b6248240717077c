"""Corrupt indexes are never served; a failed reload keeps the previous generation; a reload
under load answers every request wholly from one generation and releases the old one."""

from __future__ import annotations

import gc
import json
import logging
import shutil
import threading
import weakref
from pathlib import Path

import faiss
import httpx
import numpy as np
import pytest
from fastapi.testclient import TestClient

from index import store
from index.build import build_index
from index.embed import HashEmbedder, load_embedder
from service.app import create_app
from service.settings import Settings
from tests.servers import served

pytestmark = pytest.mark.reliability
ROOT = Path(__file__).resolve().parents[2]
TOKEN = "reload-token-123"


def _truncate(gen: Path) -> None:
    data = (gen / "dense.faiss").read_bytes()
    (gen / "dense.faiss").write_bytes(data[: len(data) // 2])


def _zero(gen: Path) -> None:
    (gen / "dense.faiss").write_bytes(b"")


def _wrong_dimension(gen: Path) -> None:
    count = json.loads((gen / "manifest.json").read_text())["vector_count"]
    other = faiss.IndexFlatIP(8)
    other.add(np.ones((count, 8), dtype=np.float32))
    faiss.write_index(other, str(gen / "dense.faiss"))


def _clause_count(gen: Path) -> None:
    lines = (gen / "clauses.jsonl").read_text(encoding="utf-8").splitlines()
    (gen / "clauses.jsonl").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")


def _other_embedder(gen: Path) -> None:
    manifest = json.loads((gen / "manifest.json").read_text())
    manifest["embedder"] = {"name": "e5-small", "spec": "e5-small", "dim": 384}
    (gen / "manifest.json").write_text(json.dumps(manifest))


DAMAGE = {"truncated": _truncate, "zero_byte": _zero, "wrong_dimension": _wrong_dimension,
          "clause_count": _clause_count, "other_embedder": _other_embedder}


def _hash_index(tmp_path: Path) -> Path:
    root = tmp_path / "index"
    build_index([ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash")
    return root


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_corrupt_index_is_never_served(tmp_path: Path, damage: str, caplog) -> None:  # type: ignore[no-untyped-def]
    root = _hash_index(tmp_path)
    live = store.current_path(root)
    assert live is not None
    DAMAGE[damage](live)
    caplog.set_level(logging.ERROR, logger="policyqa")
    with TestClient(create_app(Settings(index_dir=root))) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["error"]["code"] == "index_corrupt", ready.json()
        asked = client.post("/v1/ask", json={"question": "滨州高新技术企业目标是多少？"})
        assert asked.status_code == 503 and asked.headers.get("Retry-After")
    assert any("index not loaded" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_failed_reload_keeps_the_previous_generation(tmp_path: Path, damage: str) -> None:
    root = _hash_index(tmp_path)
    settings = Settings(index_dir=root, admin_token=TOKEN)
    with TestClient(create_app(settings)) as client:
        first = client.get("/readyz").json()["generation"]
        before = client.post("/v1/search", json={"query": "专精特新"}).json()
        report = build_index([ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash")
        DAMAGE[damage](report.generation)
        reload = client.post("/v1/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"})
        assert reload.status_code == 503 and reload.json()["error"]["code"] == "index_corrupt"
        assert "still serving the previous index" in reload.json()["error"]["message"]
        assert client.get("/readyz").json()["generation"] == first
        assert client.post("/v1/search", json={"query": "专精特新"}).json() == before


def test_reload_under_load_mixes_no_generations(index_copy: Path) -> None:
    questions = [json.loads(line)["question"]
                 for line in (ROOT / "eval" / "gold" / "dev.jsonl").read_text("utf-8").splitlines()
                 if line.strip()]
    app = create_app(Settings(index_dir=index_copy, admin_token=TOKEN))
    results: list[tuple[int, dict]] = []  # type: ignore[type-arg]
    stop = threading.Event()

    def hammer(offset: int) -> None:
        with httpx.Client(timeout=60) as client:
            n = offset
            while not stop.is_set():
                response = client.post(base + "/v1/ask", json={"question": questions[n % len(questions)]})
                results.append((response.status_code, response.json()))
                n += 1

    with served(app) as base:
        old = app.state.engine.generation
        old_id, old_ref = old.id, weakref.ref(old)
        del old
        threads = [threading.Thread(target=hammer, args=(i * 7,)) for i in range(4)]
        for thread in threads:
            thread.start()
        docs = index_copy.parent / "docs"
        shutil.copytree(ROOT / "corpus" / "raw", docs)
        shutil.copy(sorted((ROOT / "corpus" / "extra").iterdir())[0], docs)
        build_index([docs], index_copy, load_embedder("e5-small"), "e5-small")
        reload = httpx.post(base + "/v1/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"},
                            timeout=60)
        assert reload.status_code == 200
        new_id = reload.json()["generation"]
        seen_new = threading.Event()
        while not seen_new.is_set():
            seen_new.wait(0.5)
            if sum(1 for _, body in results if body.get("generation") == new_id) >= 8:
                seen_new.set()
        stop.set()
        for thread in threads:
            thread.join(60)
        clause_ids = {
            gen: {json.loads(line)["clause_id"] for line in
                  (index_copy / "generations" / gen / "clauses.jsonl").read_text("utf-8").splitlines()}
            for gen in (old_id, new_id)}
        assert [s for s, _ in results if s != 200] == [], "no request failed during the reload"
        assert {body["generation"] for _, body in results} == {old_id, new_id}
        for _, body in results:
            cited = {c["clause_id"] for c in body["citations"] + body["related"]}
            assert cited <= clause_ids[body["generation"]], "an answer mixed two generations"
        gc.collect()
        assert old_ref() is None, "the old generation is still held after the reload"
