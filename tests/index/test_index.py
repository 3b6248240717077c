from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest

from corpus.clean import to_match
from corpus.models import Clause
from index import store
from index.build import build_index, lexical_text
from index.embed import HashEmbedder, load_embedder
from index.search import (
    Filters,
    Searcher,
    _as_it_stands,
    current_versions,
    distinct,
    diversify,
    load_index,
    rrf,
)
from question.query import parse

SEEDS = Path(__file__).resolve().parents[2] / "corpus" / "raw"


@pytest.fixture()
def small_corpus(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("关于支持企业发展的意见\n一、支持专精特新企业。给予奖励50万元。(责任单位:市工业和信息化局)\n"
                                "二、支持技术改造。(责任单位:市科技局)\n", encoding="utf-8")
    return docs


def test_build_writes_a_versioned_generation_and_switches(tmp_path: Path, small_corpus: Path) -> None:
    root = tmp_path / "index"
    first = build_index([small_corpus], root, HashEmbedder(), "hash")
    manifest = json.loads((root / "current" / "manifest.json").read_text())
    assert manifest["format_version"] == store.FORMAT_VERSION
    assert manifest["clause_count"] == first.clauses and manifest["embedder"]["dim"] == 64
    lines = (root / "current" / "clauses.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == first.clauses and "¶header" in lines[0] and "专精特新" in lines[1]
    second = build_index([small_corpus], root, HashEmbedder(), "hash")
    assert second.embedded == 0, "unchanged clauses reuse their vectors"
    assert (root / "current").resolve() == second.generation.resolve()
    (small_corpus / "b.txt").write_text("新增文件\n一、新增条款内容。\n", encoding="utf-8")
    third = build_index([small_corpus], root, HashEmbedder(), "hash")
    assert third.embedded == 2  # the new document's header line and its one clause


def test_failed_build_leaves_previous_index_live(tmp_path: Path, small_corpus: Path) -> None:
    root = tmp_path / "index"
    build_index([small_corpus], root, HashEmbedder(), "hash")
    before = load_index(root).generation

    class Exploding(HashEmbedder):
        def embed_passages(self, texts: list[str]) -> np.ndarray:
            raise RuntimeError("model crashed")

    (small_corpus / "c.txt").write_text("另一文件\n一、另一条款。\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        build_index([small_corpus], root, Exploding(), "hash")
    assert load_index(root).generation == before
    assert not list((root / "generations").glob("*.tmp"))


@pytest.mark.parametrize("damage", ["truncate_faiss", "empty_faiss", "drop_clause", "manifest_dim"])
def test_corrupt_index_is_refused(tmp_path: Path, small_corpus: Path, damage: str) -> None:
    root = tmp_path / "index"
    build_index([small_corpus], root, HashEmbedder(), "hash")
    live = root / "current"
    if damage == "truncate_faiss":
        data = (live / "dense.faiss").read_bytes()
        (live / "dense.faiss").write_bytes(data[: len(data) // 2])
    elif damage == "empty_faiss":
        (live / "dense.faiss").write_bytes(b"")
    elif damage == "drop_clause":
        lines = (live / "clauses.jsonl").read_text().splitlines()
        (live / "clauses.jsonl").write_text("\n".join(lines[:-1]) + "\n")
    else:
        manifest = json.loads((live / "manifest.json").read_text())
        manifest["embedder"]["dim"] = 384
        (live / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(store.IndexCorrupt):
        load_index(root)


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(store.IndexMissing, match="policyqa build"):
        load_index(tmp_path / "nothing")


def test_unknown_embedder_is_a_clear_error() -> None:
    from index.embed import EmbedderUnavailable

    with pytest.raises(EmbedderUnavailable, match="st:"):
        load_embedder("no-such-model")


def test_a_numbered_clause_heading_weighs_double_for_bm25(engine) -> None:  # type: ignore[no-untyped-def]
    clauses = engine.searcher.index.clauses
    numbered = next(c for c in clauses if c.number_path == "二.(二).3")
    paragraph = next(c for c in clauses if c.number_path.startswith("¶"))
    assert lexical_text(numbered).count("推动集群绿色化转型") == 2
    first_words = paragraph.text_match[:12]
    assert lexical_text(paragraph).count(first_words) == 1


def test_fusion_and_diversity_are_pure() -> None:
    assert rrf([[1, 2], [2, 3]], k=60) == pytest.approx({1: 1 / 61, 2: 1 / 62 + 1 / 61, 3: 1 / 62})
    # weighted: the first ranking's vote counts double
    assert rrf([[1, 2], [2, 1]], k=10, weights=(2.0, 1.0)) == pytest.approx(
        {1: 2 / 11 + 1 / 12, 2: 2 / 12 + 1 / 11})
    scores = {0: 1.0, 1: 0.99, 2: 0.95}
    assert diversify([0, 1, 2], scores, ["a", "a", "b"], 2, decay=0.9) == [0, 2]
    assert diversify([0, 1, 2], scores, ["a", "a", "b"], 2, decay=1.0) == [0, 1]


def test_a_paragraph_a_page_repeats_is_ranked_once() -> None:
    def clause(n: int, doc: str, text: str) -> Clause:
        return Clause(clause_id=f"{doc}:{n}", doc_id=doc, source_file=f"{doc}.txt", title=None,
                      doc_number=None, date=None, kind="clause", heading_path=(), number_path="",
                      text=text, text_match=to_match(text))

    said = "参保企业上年度未裁员的,可以申请失业保险稳岗返还。"
    clauses = [clause(0, "a", said), clause(1, "a", said.replace("。", " 。")),
               clause(2, "b", said), clause(3, "a", "政策执行期限至2022年12月31日。")]
    # the second copy in the same document goes; another document saying it stays
    assert distinct([0, 1, 2, 3], clauses, 10) == [0, 2, 3]
    assert distinct([1, 0, 2, 3], clauses, 2) == [1, 2]


def test_a_rule_both_versions_of_a_text_state_is_ranked_as_the_latest_s() -> None:
    def clause(n: int, doc: str, text: str) -> Clause:
        return Clause(clause_id=f"{doc}:{n}", doc_id=doc, source_file=f"{doc}.md", title="某省示范条例",
                      doc_number=None, date=None, kind="clause", heading_path=(), number_path="",
                      text=text, text_match=to_match(text))

    kept = "本省推行示范事项清单管理，逐项列明设定依据、办理时限和责任单位等内容。"
    changed = "有关部门应当在受理之日起{}个工作日内办结，并告知申请人办理结果和理由。"
    clauses = [clause(0, "old", f"第三条 {kept}"), clause(1, "old", "第四条 " + changed.format("五")),
               clause(2, "new", f"第四条 本省深化示范改革。{kept}"),  # renumbered, a sentence added
               clause(3, "new", "第五条 " + changed.format("三")),  # a figure amended
               clause(4, "old", "第六条 证明事项取消之日起七个工作日内完成清单更新。"),
               clause(5, "new", "第七条 有关部门应当在证明事项取消之日同步更新清单。")]  # reworded
    records = [{"doc_id": "old", "superseded_by": "new"}, {"doc_id": "new", "superseded_by": None}]
    # an article the latest version keeps, renumbered or amended in a figure, is read as it
    # stands now; one it rewrote stays the old version's own
    assert current_versions(clauses, records) == {0: 2, 1: 3}
    assert current_versions(clauses, [{"doc_id": "old"}, {"doc_id": "new"}]) == {}
    assert _as_it_stands({0: 0.9, 2: 0.4, 1: 0.5}, {0: 2}, None) == {2: 0.9, 1: 0.5}
    # a filter that keeps the latest version out leaves the old clause where it was
    assert _as_it_stands({0: 0.9}, {0: 2}, np.array([0, 1])) == {0: 0.9}


def test_search_finds_clauses_across_scripts_and_filters(engine) -> None:  # type: ignore[no-untyped-def]
    searcher: Searcher = engine.searcher
    result = searcher.search(parse("滨州集群清洁生产审核和绿色工厂建设", searcher.index.catalogue), 5)
    assert result.hits[0].clause.number_path == "二.(二).3"
    assert result.hits[0].clause.text.startswith("3.推動集群綠色化轉型")  # original characters
    by_office = searcher.search(parse("负责哪些工作", searcher.index.catalogue), 20, Filters(offices=("市科技局",)))
    assert by_office.hits and all(any("市科技局" in o for o in h.clause.offices) for h in by_office.hits)
    only_drafts = searcher.search(parse("专精特新", searcher.index.catalogue), 5, Filters(kinds=("draft",)))
    assert only_drafts.hits and {h.clause.kind for h in only_drafts.hits} == {"draft"}
    assert searcher.search(parse("专精特新", searcher.index.catalogue), 5, Filters(doc_ids=("nope",))).hits == []


def test_combined_filters_select_exactly_the_clauses_that_pass_each(engine) -> None:  # type: ignore[no-untyped-def]
    index = engine.searcher.index
    doc = "000_02d0f658efa8fe2c"
    wanted = {c.clause_id for c in index.clauses if c.doc_id == doc and c.kind == "implementation_plan"
              and any("科技局" in o for o in c.offices)}
    assert len(wanted) >= 3
    hits = engine.searcher.search(parse("工作", engine.searcher.index.catalogue), 200, Filters(doc_ids=(doc,), offices=("科技局",),
                                                     kinds=("implementation_plan",))).hits
    assert {h.clause.clause_id for h in hits} == wanted
    by_file = engine.searcher.search(parse("工作", engine.searcher.index.catalogue), 200, Filters(doc_ids=(f"{doc}.txt",), kinds=("news",))).hits
    assert by_file == []  # that document is a plan, not news


def test_a_question_naming_a_document_by_number_or_title_searches_it(engine) -> None:  # type: ignore[no-untyped-def]
    index = engine.searcher.index
    binzhou = "000_02d0f658efa8fe2c"
    for question in ("滨政办字〔2024〕18号里对集群用地保障怎么规定？", "濱政辦字[2024]18號對人才有什麼支持",
                     "《关于加快发展先进制造业集群的实施意见》对人才有什么支持",
                     "加快发展先进制造业集群的实施意见对人才有什么支持"):
        refs = index.catalogue.refs(to_match(question))
        assert refs.documents == {binzhou} and refs.unknown_numbers == (), question
        hits = engine.searcher.search(parse(question, engine.searcher.index.catalogue), 5).hits
        assert hits and {h.clause.doc_id for h in hits} == {binzhou}
    unknown = index.catalogue.refs(to_match("鲁工信发〔2024〕3号对专精特新有什么支持"))
    assert unknown.documents == frozenset() and unknown.unknown_numbers == ("鲁工信发〔2024〕3号",)
    assert index.catalogue.refs(to_match("请问鲁工信发〔2024〕3号讲什么")).unknown_numbers == ("鲁工信发〔2024〕3号",)
    assert index.catalogue.refs(to_match("请问滨政办字〔2024〕18号讲什么")).documents == {binzhou}
    assert index.catalogue.refs(to_match("实施意见里对人才有什么支持")).documents == frozenset()


def test_a_named_place_prefers_that_places_documents(engine) -> None:  # type: ignore[no-untyped-def]
    searcher: Searcher = engine.searcher
    assert parse("滨州每年推进多少个技术改造项目", searcher.index.catalogue).named == {"000_02d0f658efa8fe2c"}
    assert parse("每年推进多少个技术改造项目", searcher.index.catalogue).named == set()
    # No hand-set place boost any more (it cost MRR on the dev2 sets, see index/search.py): the
    # fitted ranking still brings the named place's document into the first three.
    hits = searcher.search(parse("滨州每年要推进多少个500万元以上投资的重点技术改造项目？", searcher.index.catalogue), 3).hits
    assert "000_02d0f658efa8fe2c" in {h.clause.doc_id for h in hits}


def test_a_list_under_a_heading_that_names_the_ask_is_found(engine) -> None:  # type: ignore[no-untyped-def]
    # The six 基本条件 items are one long clause; its heading (weighted double for BM25) names
    # what the question asks for, so it beats short clauses that merely mention 条件.
    hits = engine.searcher.search(parse("想申报创新型产业集群试点，需要具备什么条件？", engine.searcher.index.catalogue), 5).hits
    assert any("基本條件" in h.clause.heading_path[-1] for h in hits)


def test_comparing_unnamed_documents_keeps_clauses_that_match(engine) -> None:  # type: ignore[no-untyped-def]
    # "几个文件里…" names no document: clauses with the exact term outrank other documents'
    # weak matches rather than being spread out one per document.
    hits = engine.searcher.search(parse("几个文件里对培育链主企业都有哪些具体做法？", engine.searcher.index.catalogue), 4).hits
    assert sum("鏈主" in h.clause.text or "链主" in h.clause.text for h in hits) >= 3


def test_the_addressee_line_is_never_retrieved(engine) -> None:  # type: ignore[no-untyped-def]
    hits = engine.searcher.search(parse("各县市区人民政府、各市属开发区管委会、市政府各部门", engine.searcher.index.catalogue), 50).hits
    assert hits and not any("addressees" in h.clause.flags for h in hits)


def test_confidence_separates_off_topic_questions(engine) -> None:  # type: ignore[no-untyped-def]
    on = engine.searcher.search(parse("滨州到2027年高新技术企业要达到多少家？", engine.searcher.index.catalogue), 5).confidence
    off = engine.searcher.search(parse("今天的天气怎么样，适合去爬山吗？", engine.searcher.index.catalogue), 5).confidence
    assert on > off


def test_embedder_is_thread_safe(engine) -> None:  # type: ignore[no-untyped-def]
    embedder = engine.searcher.embedder
    texts = [f"支持企业第{i}项政策" for i in range(8)]
    expected = embedder.embed_queries(texts)
    results: dict[int, np.ndarray] = {}

    def work(i: int) -> None:
        results[i] = embedder.embed_queries([texts[i % 8]])[0]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, vector in results.items():
        assert np.allclose(vector, expected[i % 8], atol=1e-5)


def test_work_submitted_to_the_models_thread_embeds_there_inline(engine) -> None:  # type: ignore[no-untyped-def]
    """The server answers on the model's thread; an embedding asked for there must not wait
    on that same thread (a deadlock), and must equal one asked for from elsewhere."""
    embedder = engine.searcher.embedder
    expected = embedder.embed_queries(["中小企业贷款贴息怎么申请"])[0]

    def on_model_thread() -> tuple[str, np.ndarray]:
        return threading.current_thread().name, embedder.embed_queries(["中小企业贷款贴息怎么申请"])[0]

    name, vector = embedder.submit(on_model_thread).result(timeout=30)
    assert name.startswith("e5-embed")
    assert np.allclose(vector, expected, atol=1e-5)


def test_clause_json_round_trip(engine) -> None:  # type: ignore[no-untyped-def]
    clause = engine.generation.index.clauses[5]
    assert Clause.from_json(json.loads(json.dumps(clause.to_json()))) == clause


def test_a_quoted_term_asked_about_is_answered_by_its_definition_first() -> None:
    from index.search import defines, defining_first
    from question.query import defined_terms

    def clause(n: int, text: str) -> Clause:
        return Clause(clause_id=f"d:{n}", doc_id="d", source_file="d.txt", title=None, doc_number=None,
                      date=None, kind="clause", heading_path=(), number_path="", text=text,
                      text_match=to_match(text))

    uses = clause(0, "（二）2019年以来实现销售和量产，符合目录的装备产品。")
    says = clause(1, "量产是指该装备产品已形成规模化生产能力。")
    called = clause(2, "本办法所称就业见习人员，包括离校未就业高校毕业生。")
    assert defined_terms(to_match("申报条件里的“量产”是怎么认定的？")) == ("量产",)
    assert defined_terms(to_match("“量产”的企业能拿多少？")) == ()  # no meaning asked
    assert defines(says.text_match, "量产") and not defines(uses.text_match, "量产")
    assert defines(called.text_match, "就业见习人员")
    assert not defines(to_match("量产指标达到设计要求，量产即可申报。"), "量产")
    assert defining_first([0, 1, 2], [uses, says, called], ("量产",)) == [1, 0, 2]
    assert defining_first([0, 2], [uses, says, called], ("量产",)) == [0, 2]


def test_rank_features_of_made_up_candidates() -> None:
    """The feature matrix, worked out by hand for two candidates: one in both top lists, one
    BM25-only whose document the question names, a header clause stating an office."""
    from corpus.facts import Office
    from index import rank

    clauses = rank.ClauseSignals(
        doc_ids=np.array(["a", "b"], dtype=object), header=np.array([False, True]),
        unnumbered=np.array([False, True]), log_length=np.log(np.array([100.0, 10.0])),
        log_facts=np.log1p(np.array([0.0, 2.0])), has_offices=np.array([False, True]),
        fact_kinds={kind: np.array([False, False]) for kind in (Office,)})
    signals = rank.Signals(np.array([0, 1]), np.array([0.9, 0.7]), np.array([0, -1]),
                           np.array([4.0, 8.0]), np.array([1, 0]))
    x = rank.features(signals, np.array([False, True]), clauses, (Office,))
    expected = np.array([
        [0.9, 0.0, 0.5, 1.0, 60 / 61, 1.0, 0.0, 0.0, 0.0, np.log(100), 0.0, 0.0],
        [0.7, -0.2, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0, np.log(10), 1.0, np.log1p(2)]])
    assert np.allclose(x, expected)
    assert np.allclose(rank.plain_rrf(signals), [1 / 61 + 1 / 62, 1 / 61])
