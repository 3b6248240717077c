"""The index on disk: a root directory of generations and a ``current`` link.

Layout::

    <root>/current -> generations/<id>      (a symlink, replaced atomically)
    <root>/generations/<id>/manifest.json   format version, embedder, corpus hashes, counts
                           clauses.jsonl   one clause per line, readable by people
                           passages.json   which clause each vector row belongs to + text hash
                           vectors.npy     the passage vectors (reused by incremental builds)
                           dense.faiss     the FAISS index over vectors.npy
                           bm25/           the BM25 index (bm25s) over clause tokens

One writer at a time: a build holds ``<root>/.build.lock`` (``fcntl.flock``, released by the
kernel when the process dies, however it dies) from its first write to its switch; the file
names the holder's pid and start time for the message a second build prints.

A generation is written under ``<id>.tmp`` (the id carries the builder's pid, so staging
directories are unique per build), fsynced, verified against its manifest, renamed, and only
then does ``current`` switch (symlink + ``os.replace``). A crash at any point leaves the previous
generation live; a ``*.tmp`` leftover is removed by a later build only once its owner is dead.

Integrity: the manifest records the size and sha256 of every other file of the generation
(``files``). Publishing verifies them (a generation missing a file is never switched to), and
so does every load (``verify_files``: sizes first, 0.06 ms, then hashes, 0.4 ms for the 0.5 MB
seed index; sha256 reads ≈ 800 MB/s on the 2-core dev machine, ≈ 1.3 s per GB) before a
generation is served; a mismatch is
``IndexCorrupt``. Unreadable or garbage files raise ``IndexCorrupt``, never anything else.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from corpus.errors import PolicyQAError
from corpus.models import Clause

FORMAT_VERSION = 1
KEEP_GENERATIONS = 3


class IndexError_(PolicyQAError):
    status = 503
    code = "index_error"
    exit_code = 3


class IndexMissing(IndexError_):
    code = "index_missing"


class IndexCorrupt(IndexError_):
    code = "index_corrupt"


class IndexLocked(IndexError_):
    """Another build holds the index: ``policyqa build`` exits 2 with this message."""

    status = 409
    code = "index_locked"
    exit_code = 2


# What a complete generation holds besides bm25/ (whose files the manifest lists too).
REQUIRED_FILES = ("clauses.jsonl", "passages.json", "vectors.npy", "dense.faiss")
LOCK_NAME = ".build.lock"
_OWNER = re.compile(r"-(\d+)-\d{6}\.tmp$")  # <time>-<pid>-<ns>.tmp (see new_generation_id)


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


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    try:  # a zombie (dead, not yet reaped) owns nothing any more
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True


def staging_owner(path: Path) -> int | None:
    """The pid of the build that writes ``path`` (a ``*.tmp`` staging dir or switch link)."""
    found = _OWNER.search(path.name)
    if found:
        return int(found.group(1))
    legacy = re.search(r"^\.current\.(\d+)\.tmp$", path.name)
    return int(legacy.group(1)) if legacy else None


class BuildLock:
    """Exclusive lock on an index directory for one build (``fcntl.flock`` on
    ``<root>/.build.lock``). ``wait`` seconds of patience, then ``IndexLocked`` naming the
    holder. The kernel drops the lock when the holder exits, kill -9 included."""

    def __init__(self, root: Path, wait: float = 0.0) -> None:
        self.root = root
        self.wait = wait
        self._fd: int | None = None

    def holder(self) -> str:
        try:
            info = json.loads((self.root / LOCK_NAME).read_text("utf-8") or "{}")
            return f"index locked by build {info['pid']} since {info['since']}"
        except (OSError, ValueError, KeyError, TypeError):
            return "index locked by another build"

    def acquire(self) -> BuildLock:
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + max(self.wait, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    os.close(fd)
                    raise
                if time.monotonic() >= deadline:
                    message = self.holder()
                    os.close(fd)
                    raise IndexLocked(message) from None
                time.sleep(min(0.2, max(deadline - time.monotonic(), 0.01)))
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "since": since}).encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            try:
                os.ftruncate(self._fd, 0)
            finally:
                os.close(self._fd)  # closing drops the flock
                self._fd = None

    def __enter__(self) -> BuildLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


@contextmanager
def build_lock(root: Path, wait: float = 0.0) -> Iterator[BuildLock]:
    with BuildLock(root, wait) as lock:
        yield lock


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def file_records(generation: Path) -> dict[str, dict[str, Any]]:
    """{relative path: {"size", "sha256"}} for every file of ``generation`` but the manifest."""
    records = {}
    for path in sorted(p for p in generation.rglob("*") if p.is_file()):
        name = path.relative_to(generation).as_posix()
        if name == "manifest.json":
            continue
        records[name] = {"size": path.stat().st_size, "sha256": sha256_file(path)}
    return records


def verify_files(generation: Path, manifest: dict[str, Any], hashes: bool = True) -> bool:
    """Check the generation's files against the manifest's records: every required file present,
    sizes equal (a stat each), then sha256 equal (reads every byte). ``False`` for a generation
    that predates the records (nothing to check against); ``IndexCorrupt`` on any mismatch."""
    records = manifest.get("files")
    if records is None:
        return False
    name = generation.name
    if not isinstance(records, dict):
        raise IndexCorrupt(f"generation {name}: the manifest's file records are unreadable")
    missing = [f for f in REQUIRED_FILES if f not in records]
    if not any(f.startswith("bm25/") for f in records):
        missing.append("bm25/")
    if missing:
        raise IndexCorrupt(f"generation {name} is incomplete: no {', '.join(missing)}")
    try:
        for rel, record in records.items():
            path = generation / rel
            if not path.is_file():
                raise IndexCorrupt(f"generation {name}: {rel} is missing")
            size = path.stat().st_size
            if size != record["size"]:
                raise IndexCorrupt(f"generation {name}: {rel} has {size} bytes, "
                                   f"the manifest records {record['size']}")
        if hashes:
            for rel, record in records.items():
                if sha256_file(generation / rel) != record["sha256"]:
                    raise IndexCorrupt(f"generation {name}: {rel} does not match its checksum")
    except (OSError, KeyError, TypeError) as exc:
        raise IndexCorrupt(f"generation {name}: its files cannot be checked "
                           f"({exc.__class__.__name__})") from exc
    return True


def staging_dir(root: Path, generation: str) -> Path:
    path = root / "generations" / f"{generation}.tmp"
    path.mkdir(parents=True, exist_ok=False)
    return path


Checkpoint = Callable[[str], None]


def no_checkpoint(point: str) -> None:
    """A build's named points (start, embedding, write, publish, switch) call a checkpoint;
    the composition root passes test hooks there (policyqa.wiring), library code none."""


def publish(root: Path, staged: Path, checkpoint: Checkpoint = no_checkpoint) -> Path:
    """Make ``staged`` the live generation: fsync, verify it is complete and matches its
    manifest, rename, switch ``current`` atomically."""
    if not staged.is_dir():
        raise IndexCorrupt(f"staging directory {staged.name} vanished before publishing")
    fsync_tree(staged)
    if not verify_files(staged, read_manifest(staged)):
        raise IndexCorrupt(f"staging directory {staged.name} has no file records")
    final = staged.with_name(staged.name.removesuffix(".tmp"))
    os.rename(staged, final)
    fsync_dir(final.parent)
    checkpoint("switch")
    link_tmp = root / f".current.{os.getpid()}.tmp"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    os.symlink(Path("generations") / final.name, link_tmp)
    os.replace(link_tmp, root / "current")
    fsync_dir(root)
    return final


def cleanup(root: Path, keep: int = KEEP_GENERATIONS) -> None:
    """Remove staging leftovers of dead builds and all but the newest ``keep`` generations
    (never the live one). A staging directory whose owner still runs is left alone."""
    generations = root / "generations"
    if not generations.is_dir():
        return
    live = current_path(root)
    for leftover in generations.glob("*.tmp"):
        owner = staging_owner(leftover)
        if owner is not None and (owner == os.getpid() or pid_alive(owner)):
            continue
        shutil.rmtree(leftover, ignore_errors=True)
    for link in root.glob(".current.*.tmp"):  # a switch interrupted between symlink and replace
        owner = staging_owner(link)
        if owner is not None and (owner == os.getpid() or pid_alive(owner)):
            continue
        link.unlink(missing_ok=True)
    done = sorted((p for p in generations.iterdir() if p.is_dir() and not p.name.endswith(".tmp")),
                  key=lambda p: p.name)
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
        raise IndexCorrupt(f"unreadable manifest in {generation.name}: "
                           f"{exc.__class__.__name__}") from exc
    if not isinstance(manifest, dict):
        raise IndexCorrupt(f"unreadable manifest in {generation.name}")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexCorrupt(
            f"index format {manifest.get('format_version')!r} is not {FORMAT_VERSION}; rebuild it")
    return manifest


def read_clauses(generation: Path) -> list[Clause]:
    try:
        with open(generation / "clauses.jsonl", encoding="utf-8") as handle:
            return [Clause.from_json(json.loads(line)) for line in handle if line.strip()]
    except Exception as exc:  # noqa: BLE001 - garbage of any kind is a corrupt index
        raise IndexCorrupt(f"unreadable clauses.jsonl in {generation.name}: "
                           f"{exc.__class__.__name__}") from exc


def read_passages(generation: Path) -> list[Passage]:
    try:
        rows = json.loads((generation / "passages.json").read_text("utf-8"))
        return [Passage(int(r[0]), str(r[1])) for r in rows]
    except Exception as exc:  # noqa: BLE001
        raise IndexCorrupt(f"unreadable passages.json in {generation.name}: "
                           f"{exc.__class__.__name__}") from exc


def read_vectors(generation: Path) -> np.ndarray:
    try:  # a zero-byte file raises EOFError, garbage ValueError or others: all are corrupt
        vectors = np.load(generation / "vectors.npy", allow_pickle=False)
    except Exception as exc:  # noqa: BLE001
        raise IndexCorrupt(f"unreadable vectors.npy in {generation.name}: "
                           f"{exc.__class__.__name__}") from exc
    if not isinstance(vectors, np.ndarray) or vectors.ndim != 2 or vectors.dtype != np.float32:
        raise IndexCorrupt(f"vectors.npy in {generation.name} is not a float32 matrix")
    return vectors


def generations_newest_first(root: Path) -> list[Path]:
    """Published generations under ``root``, newest first (ids sort by time)."""
    generations = root / "generations"
    if not generations.is_dir():
        return []
    return sorted((p for p in generations.iterdir() if p.is_dir() and not p.name.endswith(".tmp")),
                  key=lambda p: p.name, reverse=True)


def live_marker(root: Path) -> str | None:
    """A cheap token that changes whenever ``current`` is switched: the link's target (one
    readlink), or the manifest's mtime for a plain directory. ``None`` when there is no index."""
    link = root / "current"
    try:
        return os.readlink(link)
    except FileNotFoundError:
        pass
    except OSError:  # not a symlink: a plain directory
        pass
    try:
        return f"plain:{(root / 'manifest.json').stat().st_mtime_ns}"
    except OSError:
        return None
