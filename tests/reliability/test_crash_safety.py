"""kill -9 of `policyqa build` at its crash points leaves the previous index live and intact."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index import store
from index.build import build_index
from index.embed import HashEmbedder
from index.search import Searcher, load_index
from question.query import parse

pytestmark = pytest.mark.reliability
ROOT = Path(__file__).resolve().parents[2]
QUERIES = ["滨州高新技术企业目标", "申报材料", "专精特新企业培育", "责任单位 市科技局"]


def _fingerprint(root: Path) -> tuple[str, list[list[str]]]:
    live = store.current_path(root)
    assert live is not None and not live.name.endswith(".tmp")
    checksum = hashlib.sha256((live / "manifest.json").read_bytes()).hexdigest()
    searcher = Searcher(load_index(root), HashEmbedder())
    return checksum, [[h.clause.clause_id for h in searcher.search(parse(q, searcher.index.catalogue), 5).hits] for q in QUERIES]


def _kill_build_at(point: str, docs: Path, root: Path) -> None:
    env = {**os.environ, "POLICYQA_CRASH_AT": point}
    process = subprocess.Popen(
        [sys.executable, "-m", "policyqa.cli", "build", "--corpus", str(docs), "--index", str(root),
         "--embedder", "hash"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True)
    deadline = time.monotonic() + 120
    assert process.stderr is not None
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if f"crash point {point}" in line:
            break
        assert line or process.poll() is None, f"build ended before reaching {point}"
    else:
        process.kill()
        pytest.fail(f"build never reached {point}")
    process.send_signal(signal.SIGKILL)
    assert process.wait(30) == -signal.SIGKILL


@pytest.mark.parametrize("point", ["embedding", "write", "switch"])
def test_kill_minus_nine_keeps_the_previous_index(tmp_path: Path, point: str) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "corpus" / "raw", docs)
    root = tmp_path / "index"
    build_index([docs], root, HashEmbedder(), "hash")
    before = _fingerprint(root)
    shutil.copy(sorted((ROOT / "corpus" / "extra").iterdir())[0], docs)  # work for the build

    _kill_build_at(point, docs, root)

    assert _fingerprint(root) == before, "the live index changed or no longer answers the same"
    live = store.current_path(root)
    assert live is not None
    assert sorted(p.name for p in live.iterdir()) == [
        "bm25", "clauses.jsonl", "dense.faiss", "manifest.json", "passages.json", "vectors.npy"]

    report = build_index([docs], root, HashEmbedder(), "hash")  # the next build recovers
    assert report.documents == 5 and store.current_path(root) == report.generation
    generations = root / "generations"
    assert not list(generations.glob("*.tmp")) and not list(root.glob(".current.*.tmp"))
