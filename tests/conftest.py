"""Shared fixtures: the real seed index is built once per session with the default embedder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "raw"
EXTRA = ROOT / "corpus" / "extra"


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from index.build import build_index
    from index.embed import load_embedder

    root = tmp_path_factory.mktemp("seed-index")
    build_index([SEEDS], root, load_embedder("e5-small"), "e5-small")
    return root


@pytest.fixture(scope="session")
def settings(seed_index: Path):  # type: ignore[no-untyped-def]
    from service.settings import Settings

    return Settings(index_dir=seed_index, admin_token="s3cret-token")


@pytest.fixture(scope="session")
def engine(settings):  # type: ignore[no-untyped-def]
    from service.engine import open_engine

    return open_engine(settings)


@pytest.fixture(scope="session")
def client(settings) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from service.app import create_app

    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def eligibility_settings(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Settings over a small index of three notices with support measures (the seed corpus has
    almost none), shared by the API and browser tests of POST /v1/eligibility."""
    from service.settings import Settings
    from tests.eligibility_helpers import eligibility_corpus_index

    corpus, index = eligibility_corpus_index(tmp_path_factory.mktemp("eligibility"))
    return Settings(index_dir=index, corpus_dirs=[corpus])


@pytest.fixture(scope="session")
def corpus_all():  # type: ignore[no-untyped-def]
    from corpus.ingest import ingest_paths

    return ingest_paths([SEEDS, EXTRA])


@pytest.fixture(autouse=True)
def _settings_per_test() -> Iterator[None]:
    """The command line reads POLICYQA_* once per process (policyqa.wiring); a test that sets
    the environment and runs a command in-process stands for a fresh process."""
    from policyqa import wiring

    wiring.settings.cache_clear()
    yield
    wiring.settings.cache_clear()
