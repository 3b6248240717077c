"""Answers that answer (issue 19), end to end over real HTTP on a small index of notices
written for these tests: an eligibility verdict on the asker's figures, the support with its
terms and the asker's computed figure, a document's validity from its dates, the status note
of a lapsed document, and the in-force filter."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.servers import served

RD_MEASURES = """龙门市关于支持专精特新企业加大研发投入的若干措施
龙工信规〔2025〕3号
一、支持对象
在龙门市注册、上年度营业收入5000万元以上、研发费用占营业收入比例不低于6%的企业。
二、支持标准
按企业上年度研发费用的10%给予补助，单个企业最高不超过100万元。
三、申报时间
申报时间为2026年3月1日至2026年4月30日，逾期不予受理。
四、联系方式
龙门市工业和信息化局科技科，联系电话：0123-4567890。
五、施行日期
本措施自2025年1月1日起施行，有效期3年。
龙门市工业和信息化局
2024年12月20日
"""

LOAN_NOTICE = """龙门市关于中小企业贷款贴息的通知
龙财发〔2021〕8号
一、贴息标准
对中小企业按实际支付贷款利息的50%给予贴息，单个企业最高50万元。
二、执行期限
本通知自2021年1月1日起施行，有效期至2023年12月31日。
龙门市财政局
2020年12月25日
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from index.build import build_index
    from index.embed import load_embedder
    from service.app import create_app
    from service.settings import Settings

    corpus = tmp_path_factory.mktemp("notices")
    (corpus / "rd-measures.txt").write_text(RD_MEASURES, encoding="utf-8")
    (corpus / "loan-notice.txt").write_text(LOAN_NOTICE, encoding="utf-8")
    root = tmp_path_factory.mktemp("notices-index")
    build_index([corpus], root, load_embedder("e5-small"), "e5-small")
    with served(create_app(Settings(index_dir=root))) as url:
        yield url


def ask(base: str, question: str, **body: object) -> dict:  # type: ignore[type-arg]
    response = httpx.post(f"{base}/v1/ask", json={"question": question, **body}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_a_stated_share_below_the_condition_is_not_eligible(base: str) -> None:
    body = ask(base, "我们去年营收8000万，研发费用占营收5%，能申请龙门市专精特新研发补助吗？")
    eligibility = body["eligibility"]
    assert eligibility["verdict"] == "not_eligible"
    assert body["answer"].startswith("不满足")
    failed = [c for c in eligibility["conditions"] if c["status"] == "not_met"]
    assert failed and "6%" in failed[0]["required"] and "5%" in failed[0]["stated"]
    assert failed[0]["clause_id"] in {c["clause_id"] for c in body["citations"]}


def test_stated_figures_that_meet_every_condition_they_bear_on(base: str) -> None:
    body = ask(base, "我们公司去年营收8000万，研发费用占比8%，能申请龙门市专精特新研发补助吗？")
    assert body["eligibility"]["verdict"] in ("meets_stated", "eligible")
    assert body["answer"].split("。")[0].find("不满足") < 0
    assert any(c["status"] == "met" for c in body["eligibility"]["conditions"])


def test_a_question_that_states_nothing_has_no_verdict(base: str) -> None:
    body = ask(base, "龙门市专精特新研发补助按什么标准补？")
    assert body["eligibility"] is None
    first = body["answer"].split("\n")[0]
    assert "10%" in first and "100万元" in first  # ratio, base and cap together


def test_the_askers_base_gives_the_computed_figure_and_a_lapsed_document_says_so(base: str) -> None:
    body = ask(base, "去年贷款利息付了40万，按龙门市贷款贴息政策能补多少？")
    first = body["answer"].split("\n")[0]
    assert "50%" in first and "20万元" in first and "50万元" in first
    assert "失效" in first  # the note is in the first sentence, not after it


def test_validity_is_answered_from_the_dates_with_the_clause_that_states_them(base: str) -> None:
    body = ask(base, "龙门市贷款贴息的通知还有效吗？")
    assert body["answerable"]
    first = body["answer"].split("。")[0]
    assert "2021年1月1日" in first and "2023年12月31日" in first and "失效" in first
    assert "2023年12月31日" in body["citations"][0]["text"]
    current = ask(base, "龙门市专精特新研发投入措施什么时候开始施行？")
    assert "2025年1月1日" in current["answer"].split("。")[0]
    assert "现行有效" in current["answer"].split("。")[0]


def test_the_in_force_filter_leaves_out_lapsed_documents(base: str) -> None:
    everything = httpx.post(f"{base}/v1/search", json={"query": "贷款贴息", "top_k": 10}).json()
    assert any(h["source_file"] == "loan-notice.txt" for h in everything["hits"])
    live = httpx.post(f"{base}/v1/search", json={"query": "贷款贴息", "top_k": 10,
                                                  "filters": {"in_force": True}}).json()
    assert live["hits"] and all(h["source_file"] == "rd-measures.txt" for h in live["hits"])


def test_a_bad_filter_is_a_clear_422(base: str) -> None:
    response = httpx.post(f"{base}/v1/ask", json={"question": "贴息", "filters": {"in_force": "maybe"}})
    assert response.status_code == 422 and "in_force" in response.json()["error"]["message"]
    assert "/" not in response.json()["error"]["message"].replace("filters.in_force", "")

