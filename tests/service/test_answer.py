"""Answer composition on its own: ``compose`` is a pure function of the parsed Query, the hits
and one pinned Generation (the real seed index), and ``citations.choose`` picks what it cites."""

from __future__ import annotations

from dataclasses import replace

import pytest

from index.search import Hit
from service import citations
from service.answer import NOT_FOUND, compose, respond


@pytest.fixture(scope="module")
def generation(engine):  # type: ignore[no-untyped-def]
    return engine.generation


def _hits(generation, text: str, k: int = 5) -> tuple[object, list[Hit], float]:  # type: ignore[no-untyped-def]
    query = generation.parse(text)
    result = generation.searcher.search(query, k)
    return query, result.hits, result.confidence


def test_the_same_inputs_compose_the_same_answer(generation) -> None:  # type: ignore[no-untyped-def]
    query, hits, confidence = _hits(generation, "滨州到2027年高新技术企业要达到多少家？")
    first = compose(query, hits, confidence, generation, 0.35)
    again = compose(query, list(hits), confidence, generation, 0.35)
    assert first == again
    assert first.answerable and first.answer.startswith("到2027年") and "850家[1]" in first.answer
    assert first.cited[0].clause.clause_id == hits[0].clause.clause_id


def test_low_confidence_and_no_hits_refuse_without_citing(generation) -> None:  # type: ignore[no-untyped-def]
    query, hits, confidence = _hits(generation, "滨州到2027年高新技术企业要达到多少家？")
    below = compose(query, hits, confidence, generation, min_confidence=confidence + 0.01)
    assert (below.answer, below.answerable, below.cited) == (NOT_FOUND, False, [])
    empty = compose(query, [], 0.0, generation, 0.35)
    assert (empty.answer, empty.answerable, empty.cited) == (NOT_FOUND, False, [])


def test_a_number_no_document_has_is_named_in_the_refusal(generation) -> None:  # type: ignore[no-untyped-def]
    query, hits, confidence = _hits(generation, "鲁工信发〔2024〕3号对专精特新有什么支持？")
    draft = compose(query, hits, confidence, generation, 0.35)
    assert not draft.answerable and "鲁工信发〔2024〕3号" in draft.answer
    assert draft.warnings == ["unknown_document_number"]


def test_what_a_named_document_is_comes_from_its_metadata(generation) -> None:  # type: ignore[no-untyped-def]
    query, hits, confidence = _hits(generation, "滨政办字〔2024〕18号是哪个单位发的？")
    draft = compose(query, hits, confidence, generation, 0.35)
    assert draft.answerable and draft.answer.startswith("《")
    assert "文号：滨政办字〔2024〕18号" in draft.answer and draft.answer.endswith("[1]。")
    assert [h.clause.doc_id for h in draft.cited] == ["000_02d0f658efa8fe2c"]


def test_an_asked_document_number_is_cited_from_the_clause_that_writes_it(generation) -> None:  # type: ignore[no-untyped-def]
    from corpus.clean import to_key

    query, hits, confidence = _hits(generation, "滨州市加快发展先进制造业集群的实施意见文号是多少？")
    draft = compose(query, hits, confidence, generation, 0.35)
    assert draft.answerable and "文号：滨政办字〔2024〕18号" in draft.answer
    assert to_key("滨政办字〔2024〕18号") in to_key(draft.cited[0].clause.text)


def test_an_asked_date_is_cited_from_the_clause_that_writes_it(generation) -> None:  # type: ignore[no-untyped-def]
    from corpus.clean import to_key
    from service.facts_answer import chinese_date

    query, hits, confidence = _hits(generation, "滨州市加快发展先进制造业集群的实施意见是哪天印发的？")
    draft = compose(query, hits, confidence, generation, 0.35)
    record = next(d for d in generation.index.manifest["documents"] if d["doc_id"] == "000_02d0f658efa8fe2c")
    written = chinese_date(record.get("date_issued") or record.get("date_published"))
    assert written and draft.answerable and written in draft.answer
    assert to_key(written) in to_key(draft.cited[0].clause.text)


def test_an_asked_detail_the_clauses_lack_is_a_near_miss(generation) -> None:  # type: ignore[no-untyped-def]
    query, hits, confidence = _hits(generation, "集群发展专项资金给每个集群补贴多少钱？")
    assert query.detail is not None and query.detail.name == "amount"
    draft = compose(query, hits, confidence, generation, 0.35)
    assert not draft.answerable and draft.warnings == ["asked_detail_missing"]
    assert draft.answer.startswith("文件提到") and draft.answer.endswith("，但未规定具体金额。[1]")
    topic = draft.answer.removeprefix("文件提到").split("，")[0]
    assert topic in query.match and topic in draft.cited[0].clause.text_match
    assert len(draft.cited) == 1


def test_an_unindexed_place_is_refused(generation) -> None:  # type: ignore[no-untyped-def]
    query, hits, confidence = _hits(generation, "深圳对先进制造业集群有什么支持政策？")
    draft = compose(query, hits, confidence, generation, 0.0)
    assert not draft.answerable and "深圳" in draft.answer and draft.warnings == ["unknown_place"]


def test_an_office_question_cites_one_clause_that_names_offices(generation) -> None:  # type: ignore[no-untyped-def]
    query, hits, _ = _hits(generation, "集群清洁生产审核和绿色工厂建设由哪个部门负责？")
    assert query.intent == "responsible_office"
    cited = citations.choose(query, hits, generation.index)
    assert len(cited) == 1 and cited[0].clause.offices


def test_further_clauses_are_cited_only_near_the_best_ones_strength(generation) -> None:  # type: ignore[no-untyped-def]
    query, hits, _ = _hits(generation, "滨州对链主企业有哪些支持？")
    query = replace(query, intent="general")
    strength = citations.Strength(hits, generation.index.manifest["embedder"]["name"])
    cited = citations.choose(query, hits, generation.index)
    assert 1 <= len(cited) <= citations.MAX_CITED
    bar = citations.CITE_RATIO * strength(cited[0])
    assert all(strength(h) >= bar for h in cited[1:])
    weak = [replace(h, dense=0.0, bm25=0.0) for h in hits[1:]]
    assert citations.choose(query, [hits[0], *weak], generation.index) == [hits[0]]


def test_respond_answers_in_the_askers_script_from_one_generation(engine) -> None:  # type: ignore[no-untyped-def]
    generation = engine.generation
    answer = respond(generation, engine.settings, generation.parse("濱州到2027年高新技術企業要達到多少家？"))
    assert answer.query.traditional and "家" in answer.text and "達" in answer.text
    assert answer.generation == generation.id and answer.cited and answer.answerable
    assert answer.timing_ms["total"] >= answer.timing_ms["embed"]


def test_a_support_no_text_names_is_unstated_but_who_pays_it_is_no_name() -> None:
    from question.query import parse
    from service.answer import unstated_support

    corpus = "对在境内主板上市的企业给予奖励200万元。对引进人才给予住房补贴。"
    assert unstated_support(parse("引进人才有安家补贴吗？"), corpus) == "安家补贴"
    # 区里奖励 is the district's award, not an award called 区里
    assert unstated_support(parse("企业上市成功后申请区里奖励，是哪些部门审核的？"), corpus) is None
    assert unstated_support(parse("住房补贴每月多少？"), corpus) is None
