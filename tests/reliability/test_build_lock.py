"""Issue 17, finding 1: two builds into one index. One writer at a time (flock), staging
directories unique per build and removed only when their owner is dead, and publishing checks
that a generation is complete before switching."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index import store
from index.build import build_index
from index.embed import HashEmbedder
from index.search import load_index

pytestmark = pytest.mark.reliability
ROOT = Path(__file__).resolve().parents[2]


def _build(root: Path, docs: Path, *extra: str, pause: str | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "COLUMNS": "300"}
    env.pop("POLICYQA_PAUSE_AT", None)
    if pause:
        env["POLICYQA_PAUSE_AT"] = pause
    return subprocess.Popen(
        [sys.executable, "-m", "policyqa.cli", "build", "--corpus", str(docs), "--index", str(root),
         "--embedder", "hash", *extra], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)


def _wait_for(process: subprocess.Popen[str], marker: str) -> None:
    assert process.stderr is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if marker in line:
            return
        assert line or process.poll() is None, f"build ended before {marker!r}"
    pytest.fail(f"build never printed {marker!r}")


def test_a_second_build_waits_or_exits_2_and_the_index_stays_servable(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "corpus" / "raw", docs)
    root = tmp_path / "index"
    first = build_index([docs], root, HashEmbedder(), "hash")
    shutil.copy(sorted((ROOT / "corpus" / "extra").iterdir())[0], docs)

    # A holds the lock and pauses with its generation staged, just before publishing.
    a = _build(root, docs, pause="publish:15")
    _wait_for(a, "pause point publish")
    staged = list((root / "generations").glob("*.tmp"))
    assert len(staged) == 1 and str(a.pid) in staged[0].name

    b = _build(root, docs)  # no patience: refused at once, naming the holder
    _, b_err = b.communicate(timeout=120)
    assert b.returncode == 2, b_err
    assert f"index locked by build {a.pid} since" in " ".join(b_err.split())
    assert staged[0].is_dir(), "the refused build touched the other build's staging directory"

    c = _build(root, docs, "--wait", "60")  # patient: builds after A
    c_out, c_err = c.communicate(timeout=180)
    a_out, a_err = a.communicate(timeout=60)
    assert a.returncode == 0, a_err
    assert c.returncode == 0, c_err

    live = store.current_path(root)
    assert live is not None and not live.name.endswith(".tmp")
    assert live.name != first.generation.name
    assert sorted(p.name for p in live.iterdir()) == [
        "bm25", "clauses.jsonl", "dense.faiss", "manifest.json", "passages.json", "vectors.npy"]
    index = load_index(root)  # verified (sizes and checksums) and consistent
    assert len(index.manifest["documents"]) == 5
    assert not list((root / "generations").glob("*.tmp"))


def test_cleanup_spares_staging_of_live_builds_and_removes_dead_ones(tmp_path: Path) -> None:
    root = tmp_path / "index"
    build_index([ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        generations = root / "generations"
        alive = generations / f"20990101T000000-{sleeper.pid}-000001.tmp"
        dead_pid = subprocess.Popen([sys.executable, "-c", "pass"])
        dead_pid.wait()
        dead = generations / f"20990101T000000-{dead_pid.pid}-000002.tmp"
        for path in (alive, dead):
            (path / "bm25").mkdir(parents=True)
            (path / "vectors.npy").write_bytes(b"partial")
        store.cleanup(root)
        assert alive.is_dir() and (alive / "vectors.npy").is_file(), "a running build's staging was removed"
        assert not dead.exists(), "a dead build's staging was left behind"
    finally:
        sleeper.kill()
        sleeper.wait()


@pytest.mark.parametrize("remove", ["dense.faiss", "vectors.npy", "bm25", "clauses.jsonl"])
def test_publish_refuses_an_incomplete_generation(tmp_path: Path, remove: str) -> None:
    root = tmp_path / "index"
    live = build_index([ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash").generation
    staged = root / "generations" / f"{store.new_generation_id()}.tmp"
    shutil.copytree(live, staged)
    manifest = json.loads((staged / "manifest.json").read_text())
    manifest["generation"] = staged.name.removesuffix(".tmp")
    (staged / "manifest.json").write_text(json.dumps(manifest))
    target = staged / remove
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    with pytest.raises(store.IndexCorrupt):
        store.publish(root, staged)
    assert store.current_path(root) == live


def test_publish_refuses_a_generation_without_file_records(tmp_path: Path) -> None:
    root = tmp_path / "index"
    live = build_index([ROOT / "corpus" / "raw"], root, HashEmbedder(), "hash").generation
    staged = root / "generations" / f"{store.new_generation_id()}.tmp"
    shutil.copytree(live, staged)
    manifest = json.loads((staged / "manifest.json").read_text())
    del manifest["files"]
    (staged / "manifest.json").write_text(json.dumps(manifest))
    shutil.rmtree(staged / "bm25")  # what the finding published: bm25 gone, manifest present
    with pytest.raises(store.IndexCorrupt):
        store.publish(root, staged)
    assert store.current_path(root) == live


def test_the_lock_is_released_when_its_holder_is_killed(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "corpus" / "raw", docs)
    root = tmp_path / "index"
    holder = _build(root, docs, pause="start:60")
    _wait_for(holder, "pause point start")
    with pytest.raises(store.IndexLocked, match=f"index locked by build {holder.pid}"):
        build_index([docs], root, HashEmbedder(), "hash")
    holder.kill()
    holder.wait(30)
    report = build_index([docs], root, HashEmbedder(), "hash", wait=5)  # the kernel freed it
    assert store.current_path(root) == report.generation
