"""Shared parts of the reliability suite: a real uvicorn on 127.0.0.1 and index copies."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.reliability


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """``app`` under uvicorn in a thread; yields its base URL, shuts it down gracefully."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(),
                                           log_level="warning", timeout_graceful_shutdown=10))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(15)


@pytest.fixture()
def index_copy(seed_index: Path, tmp_path: Path) -> Path:
    """A private copy of the session's e5 seed index (generations + current link)."""
    target = tmp_path / "index"
    shutil.copytree(seed_index, target, symlinks=True)
    return target
