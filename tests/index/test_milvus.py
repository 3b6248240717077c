"""The Milvus backend against Milvus Lite 2.5 (the real Milvus core, embedded): build and switch,
a failed build, incremental sync, filters, and the service on top of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from corpus.ingest import ingest_paths
from index import dense
from index.embed import HashEmbedder
from index.milvus import PREFIX, MilvusIndex, filter_expr
from index.search import Filters, Searcher
from question.query import parse
from service.app import create_app
from service.settings import Settings

pytestmark = pytest.mark.milvus
ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "corpus" / "raw"


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(SEEDS, target)
    return target


def _collections(milvus: MilvusIndex) -> list[str]:
    return sorted(c for c in milvus.client.list_collections() if c.startswith(PREFIX) and "meta" not in c)


def test_build_switches_the_live_collection_and_keeps_one_before(tmp_path: Path, docs: Path) -> None:
    milvus = MilvusIndex(str(tmp_path / "m.db"))
    first = milvus.build([docs], HashEmbedder(), "hash")
    assert milvus.live() == first.generation.name and first.embedded == first.passages
    loaded = milvus.load()
    assert len(loaded.clauses) == first.clauses == len(ingest_paths([docs]).clauses)
    assert loaded.manifest["backend"] == {"name": "milvus", "collection": first.generation.name}
    second = milvus.build([docs], HashEmbedder(), "hash")
    assert second.embedded == 0, "unchanged passages reuse the live collection's vectors"
    third = milvus.build([docs], HashEmbedder(), "hash")
    assert milvus.live() == third.generation.name
    assert _collections(milvus) == [second.generation.name, third.generation.name]


def test_a_failed_build_leaves_the_live_collection(tmp_path: Path, docs: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    milvus = MilvusIndex(str(tmp_path / "m.db"))
    live = milvus.build([docs], HashEmbedder(), "hash").generation.name

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(milvus.client, "insert", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        milvus.build([docs], HashEmbedder(), "hash")
    assert milvus.live() == live and _collections(milvus) == [live]
    assert len(milvus.load().clauses) > 0


def test_sync_upserts_changed_and_deletes_removed_clauses(tmp_path: Path, docs: Path) -> None:
    milvus = MilvusIndex(str(tmp_path / "m.db"))
    milvus.build([docs], HashEmbedder(), "hash")
    before = {c.clause_id: c for c in milvus.load().clauses}
    removed = sorted(docs.iterdir())[-1]
    removed.unlink()
    changed = sorted(docs.iterdir())[0]
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("850家", "900家"), encoding="utf-8")
    counts = milvus.sync([docs], HashEmbedder(), "hash")
    after = {c.clause_id: c for c in milvus.load().clauses}
    assert set(after) == {c.clause_id for c in ingest_paths([docs]).clauses}
    gone = [cid for cid in before if cid not in after]
    assert gone and all(cid.startswith(removed.name[:3]) for cid in gone)
    assert counts["deleted"] == len(gone) and counts["upserted"] == counts["embedded"] >= 1
    assert counts["upserted"] < len(after), "only the changed clause is rewritten"
    assert any("900家" in c.text for c in after.values())
    assert not any("850家" in c.text for c in after.values())


def test_search_has_the_faiss_shape_and_honours_filters(tmp_path: Path, docs: Path) -> None:
    milvus = MilvusIndex(str(tmp_path / "m.db"))
    milvus.build([docs], HashEmbedder(), "hash")
    searcher = Searcher(milvus.load(), HashEmbedder())
    result = searcher.search(parse("滨州集群清洁生产审核和绿色工厂建设", searcher.index.catalogue), 5)
    assert result.hits and result.hits[0].clause.number_path == "二.(二).3"
    assert all(h.dense > 0 for h in result.hits)
    assert PREFIX + result.generation.replace("-", "_") == milvus.live()
    by_office = searcher.search(parse("负责哪些工作", searcher.index.catalogue), 20, Filters(offices=("市科技局",)))
    assert by_office.hits and all(any("市科技局" in o for o in h.clause.offices) for h in by_office.hits)
    drafts = searcher.search(parse("专精特新", searcher.index.catalogue), 5, Filters(kinds=("draft",)))
    assert drafts.hits and {h.clause.kind for h in drafts.hits} == {"draft"}
    one_doc = searcher.search(parse("目标", searcher.index.catalogue), 10, Filters(doc_ids=("003_3836013103f3f9d1",)))
    assert one_doc.hits and {h.clause.doc_id for h in one_doc.hits} == {"003_3836013103f3f9d1"}
    addressed = searcher.search(parse("各县市区人民政府、各市属开发区管委会、市政府各部门", searcher.index.catalogue), 30)
    assert not any("addressees" in h.clause.flags for h in addressed.hits)
    assert filter_expr(Filters(offices=('市"科技局',))) == \
        'searchable == true and (offices like "%市\\"科技局%")'


def test_the_service_serves_a_milvus_index(tmp_path: Path, docs: Path) -> None:
    uri = str(tmp_path / "m.db")
    MilvusIndex(uri).build([docs], HashEmbedder(), "hash")
    settings = Settings(backend="milvus", milvus_uri=uri, index_dir=tmp_path / "unused")
    with TestClient(create_app(settings)) as client:
        ready = client.get("/readyz").json()
        assert ready["status"] == "ready" and ready["clauses"] > 0
        assert PREFIX + ready["generation"].replace("-", "_") == MilvusIndex(uri).live()
        found = client.post("/v1/search", json={"query": "绿色工厂", "top_k": 3}).json()
        assert len(found["hits"]) == 3 and found["generation"] == ready["generation"]
        assert {"clause_id", "heading_path", "text", "offices", "score", "dense"} <= set(found["hits"][0])
        clause = client.get(f"/v1/clauses/{found['hits'][0]['clause_id']}").json()
        assert clause["text"] == found["hits"][0]["text"]


def test_a_selective_filter_keeps_exact_recall_on_an_approximate_index() -> None:
    """IVF with a 0.5 % filter would miss allowed vectors in unprobed lists; the searcher
    answers such filters exactly over the stored vectors (the path tested here)."""
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((dense.EXACT_LIMIT + 10_000, 32), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = dense.build(vectors)
    assert dense.index_type(len(vectors)) == "ivf"
    allowed = np.sort(rng.choice(len(vectors), 300, replace=False))
    query = vectors[allowed[7]]
    _, rows = dense.exact(vectors, allowed, query, 10)
    truth = allowed[np.argsort(-(vectors[allowed] @ query))[:10]]
    assert list(rows) == list(truth)
    _, approximate = dense.search(index, query, 10, allowed)
    assert set(approximate) <= set(allowed)


def test_facts_round_trip_and_a_sync_rewrites_stale_ones(tmp_path: Path, docs: Path) -> None:
    from dataclasses import replace

    milvus = MilvusIndex(str(tmp_path / "m.db"))
    corpus = ingest_paths([docs])
    assert any(c.facts for c in corpus.clauses)
    before_facts = replace(corpus, documents=[  # as an index built before the fact layer
        replace(d, clauses=[replace(c, facts=()) for c in d.clauses]) for d in corpus.documents])
    milvus.build([docs], HashEmbedder(), "hash", corpus=before_facts)
    assert not any(c.facts for c in milvus.load().clauses)
    counts = milvus.sync([docs], HashEmbedder(), "hash")
    assert counts["embedded"] == 0, "same texts: the vectors are reused"
    loaded = {c.clause_id: c for c in milvus.load().clauses}
    assert all(loaded[c.clause_id] == c for c in corpus.clauses)
