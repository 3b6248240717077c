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


def test_interleaved_answer_never_comes_out_below_its_floor(engine) -> None:  # type: ignore[no-untyped-def]
    from eval.bench import interleaved

    questions = ["滨州到2027年高新技术企业要达到多少家？", "申报集群试点要交哪些材料？"]
    calls: list[str] = []
    result = interleaved(engine, questions, rounds=2, http=calls.append)
    assert result["questions"] == 2 and result["rounds"] == 2
    assert len(calls) == 2 * 3  # the warm-up round and two timed rounds, each question each time
    floor_ = result["floor"]
    assert floor_["floor"]["n"] == 2 and floor_["embed"]["p50"] > 0
    # the floor is the lower of the standalone and the in-answer measurement of the same work
    assert floor_["floor"]["p50"] <= min(floor_["standalone"]["p50"], floor_["in_answer"]["p50"]) + 1e-9
    assert result["in_process_over_floor_p50"] >= 1
    assert result["in_process"]["p50"] >= floor_["floor"]["p50"]
    assert result["http_single"]["n"] == 2 and "ask_over_floor_p50" in result


def test_interleaved_splits_http_into_the_servers_answer_and_the_rest(engine) -> None:  # type: ignore[no-untyped-def]
    from eval.bench import interleaved

    class Reply:  # what the HTTP callable returns: an /v1/ask reply that reports its own time
        @staticmethod
        def json() -> dict[str, object]:
            return {"timing_ms": {"total": 0.25}}

    result = interleaved(engine, ["申报集群试点要交哪些材料？"], rounds=1, http=lambda q: Reply())
    assert result["http_server_answer"]["p50"] == 0.25
    assert abs(result["http_server_answer"]["p50"] + result["http_outside_answer"]["p50"]
               - result["http_single"]["p50"]) <= 0.02  # each rounded to 0.01
    # a callable that returns nothing (as above) gives no split
    assert "http_server_answer" not in interleaved(engine, ["申报集群试点要交哪些材料？"], rounds=1,
                                                   http=lambda q: None)


def test_throughput_is_compared_window_by_window(engine) -> None:  # type: ignore[no-untyped-def]
    from eval.bench import throughput_windows
    from service.answer import respond

    questions = ["滨州到2027年高新技术企业要达到多少家？", "申报集群试点要交哪些材料？"] * 2
    result = throughput_windows(questions, 2, 2, lambda q: engine.searcher.embed_query(engine.generation.parse(q)),
                                lambda q: respond(engine.generation, engine.settings,
                                                  engine.generation.parse(q)))
    assert result["windows"] == 2 and len(result["throughput_rps_by_window"]) == 2
    assert result["throughput_rps"] > 0 and result["embedder_qps_at_clients"] > 0
    assert result["http_concurrent"]["n"] == 2 * len(questions)
    assert 0 < result["throughput_over_floor"]
