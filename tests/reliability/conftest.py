"""Shared parts of the reliability suite: index copies (servers come from tests.servers)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture()
def index_copy(seed_index: Path, tmp_path: Path) -> Path:
    """A private copy of the session's e5 seed index (generations + current link)."""
    target = tmp_path / "index"
    shutil.copytree(seed_index, target, symlinks=True)
    return target
