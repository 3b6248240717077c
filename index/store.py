"""The index on disk: a root directory of generations and a ``current`` link.

Layout::

    <root>/current -> generations/<id>      (a symlink, replaced atomically)
    <root>/generations/<id>/manifest.json   format version, embedder, corpus hashes, counts
                           clauses.jsonl   one clause per line, readable by people
                           passages.json   which clause each vector row belongs to + text hash
                           vectors.npy     the passage vectors (reused by incremental builds)
                           dense.faiss     the FAISS index over vectors.npy
                           bm25/           the BM25 index (bm25s) over clause tokens

A generation is written under ``<id>.tmp``, fsynced, renamed, and only then does ``current``
switch (symlink + ``os.replace``). A crash at any point leaves the previous generation live;
``*.tmp`` leftovers are removed by the next build. Loading checks the manifest against the
files and refuses a mismatch with ``IndexCorrupt``.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from corpus.models import Clause

FORMAT_VERSION = 1
KEEP_GENERATIONS = 3


class IndexError_(RuntimeError):
    code = "index_error"


class IndexMissing(IndexError_):
    code = "index_missing"


class IndexCorrupt(IndexError_):
    code = "index_corrupt"


@dataclass(frozen=True)
class Passage:
    clause: int  # row in clauses.jsonl
    text_hash: str


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(path: Path) -> None:
    for sub in sorted(path.rglob("*"), reverse=True):
        if sub.is_file():
            with open(sub, "rb") as handle:
                os.fsync(handle.fileno())
        elif sub.is_dir():
            fsync_dir(sub)
    fsync_dir(path)


def new_generation_id() -> str:
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{os.getpid()}-{time.time_ns() % 10**6:06d}"


def staging_dir(root: Path, generation: str) -> Path:
    path = root / "generations" / f"{generation}.tmp"
    path.mkdir(parents=True, exist_ok=False)
    return path


def crash_point(name: str) -> None:
    """Hook for the crash-safety tests: with ``POLICYQA_CRASH_AT=<name>`` the build announces
    the point on stderr and waits there to be killed (``embedding``, ``write``, ``switch``)."""
    if os.environ.get("POLICYQA_CRASH_AT") == name:
        sys.stderr.write(f"policyqa: crash point {name}\n")
        sys.stderr.flush()
        time.sleep(3600)


def publish(root: Path, staged: Path) -> Path:
    """Make ``staged`` the live generation: fsync, rename, switch ``current`` atomically."""
    fsync_tree(staged)
    final = staged.with_name(staged.name.removesuffix(".tmp"))
    os.rename(staged, final)
    fsync_dir(final.parent)
    crash_point("switch")
    link_tmp = root / f".current.{os.getpid()}.tmp"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    os.symlink(Path("generations") / final.name, link_tmp)
    os.replace(link_tmp, root / "current")
    fsync_dir(root)
    return final


def cleanup(root: Path, keep: int = KEEP_GENERATIONS) -> None:
    """Remove staging leftovers and all but the newest ``keep`` generations (never the live one)."""
    generations = root / "generations"
    if not generations.is_dir():
        return
    live = current_path(root)
    for leftover in generations.glob("*.tmp"):
        shutil.rmtree(leftover, ignore_errors=True)
    for link in root.glob(".current.*.tmp"):  # a switch interrupted between symlink and replace
        link.unlink(missing_ok=True)
    done = sorted((p for p in generations.iterdir() if p.is_dir()), key=lambda p: p.name)
    for old in done[:-keep]:
        if live is None or old.resolve() != live.resolve():
            shutil.rmtree(old, ignore_errors=True)


def current_path(root: Path) -> Path | None:
    link = root / "current"
    if link.is_symlink() or link.is_dir():
        target = link.resolve()
        return target if target.is_dir() else None
    # A plain index directory (manifest at the top) is accepted too: e.g. a mounted volume.
    return root if (root / "manifest.json").is_file() else None


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def write_clauses(path: Path, clauses: list[Clause]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for clause in clauses:
            handle.write(json.dumps(clause.to_json(), ensure_ascii=False) + "\n")


def read_manifest(generation: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((generation / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"unreadable manifest in {generation.name}: {exc}") from exc
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexCorrupt(
            f"index format {manifest.get('format_version')!r} is not {FORMAT_VERSION}; rebuild it")
    return manifest


def read_clauses(generation: Path) -> list[Clause]:
    try:
        with open(generation / "clauses.jsonl", encoding="utf-8") as handle:
            return [Clause.from_json(json.loads(line)) for line in handle if line.strip()]
    except (OSError, ValueError, TypeError) as exc:
        raise IndexCorrupt(f"unreadable clauses.jsonl in {generation.name}: {exc}") from exc


def read_passages(generation: Path) -> list[Passage]:
    try:
        rows = json.loads((generation / "passages.json").read_text("utf-8"))
        return [Passage(int(r[0]), str(r[1])) for r in rows]
    except (OSError, ValueError, TypeError, IndexError) as exc:
        raise IndexCorrupt(f"unreadable passages.json in {generation.name}: {exc}") from exc


def read_vectors(generation: Path) -> np.ndarray:
    try:
        return np.load(generation / "vectors.npy", allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"unreadable vectors.npy in {generation.name}: {exc}") from exc
