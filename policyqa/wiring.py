"""Settings for this process, built once, and the application factory uvicorn's workers call."""

from __future__ import annotations

import os
import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from service.settings import Settings


@lru_cache(maxsize=1)
def settings() -> Settings:
    """``POLICYQA_*`` read once per process; never mutated (``configured`` copies it)."""
    return Settings()


def configured(index: Path | None = None, **overrides: Any) -> Settings:
    """This process's settings with a command's options applied (a copy)."""
    update = {k: v for k, v in {"index_dir": index, **overrides}.items() if v is not None}
    return settings().model_copy(update=update) if update else settings()


_serving: Settings | None = None  # what `policyqa serve` resolved, for a worker in its process


def serve_with(chosen: Settings) -> None:
    """``policyqa serve`` hands its resolved settings to the factory: a worker in this
    process takes them as they are; worker processes read the same values from the
    environment, where serve has written its overrides."""
    global _serving
    _serving = chosen


def create_app() -> FastAPI:
    """The factory ``policyqa serve`` hands uvicorn."""
    from service.app import create_app as create

    return create(_serving or settings())


def build_checkpoint(point: str) -> None:
    """Test hooks of the build, from the environment (the crash and lock tests set them):
    ``POLICYQA_CRASH_AT=<point>`` waits at that point to be killed; ``POLICYQA_PAUSE_AT=
    <point>:<seconds>`` sleeps there. Both announce the point on stderr."""
    pause, _, seconds = os.environ.get("POLICYQA_PAUSE_AT", "").partition(":")
    if pause == point:
        sys.stderr.write(f"policyqa: pause point {point}\n")
        sys.stderr.flush()
        time.sleep(float(seconds or 5))
    if os.environ.get("POLICYQA_CRASH_AT") == point:
        sys.stderr.write(f"policyqa: crash point {point}\n")
        sys.stderr.flush()
        time.sleep(3600)
