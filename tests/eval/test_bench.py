"""The benchmark's measuring parts on small inputs: they measure real searches and report them."""

from __future__ import annotations

from eval.bench import floor, scale_section


def test_floor_times_the_searchers_own_steps(engine) -> None:  # type: ignore[no-untyped-def]
    result = floor(engine, ["滨州到2027年高新技术企业要达到多少家？", "申报集群试点要交哪些材料？"])
    assert result["floor"]["n"] == 2
    assert result["embed"]["p50"] > 0 and result["search"]["p50"] > 0
    assert result["floor"]["p50"] >= result["embed"]["p50"]
    # the whole search includes the embedding; its ratio to the budget is reported
    assert result["query"]["n"] == 2 and result["query"]["p50"] >= result["embed"]["p50"]
    assert 0 < result["query_over_budget_p50"] <= result["query_over_budget_max"]


def test_scale_section_builds_and_searches_synthetic_indexes() -> None:
    rows = scale_section([500, 2000], queries=5)
    assert [r["clauses"] for r in rows] == [500, 2000]
    for row in rows:
        assert row["index_type"] == "flat" and row["dense_mb"] > 0 and row["bm25_mb"] > 0
        assert row["search"]["n"] == 5 and row["search"]["p95"] >= row["search"]["p50"] > 0
