"""POST /v1/eligibility over real HTTP (uvicorn on 127.0.0.1) on a small index of three notices
written for it (tests/eligibility_helpers.py): verdicts and their order, conditions attached
from the 申报条件 chapter, typed fields over the text, figures, filters, and 422 bodies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from service.eligibility_api import ORDER
from service.eligibility_schemas import EligibilityOut
from tests.eligibility_helpers import BINJIANG, LINZHOU, QINGYUAN
from tests.servers import served

TEXT = "我们公司注册在临州市，去年营收8000万，近两年研发费用占营收6%，员工120人"


@pytest.fixture(scope="module")
def http(eligibility_settings) -> Iterator[httpx.Client]:  # type: ignore[no-untyped-def]
    from service.app import create_app

    with served(create_app(eligibility_settings)) as base, \
            httpx.Client(base_url=base, timeout=60) as client:
        yield client


def post(http: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    response = http.post("/v1/eligibility", json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    EligibilityOut.model_validate(data)  # the documented shape is the one served
    assert data["generation"] == response.headers["x-index-generation"]
    return data


def by_clause(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["clause_id"]: m for m in data["measures"]}


def test_every_measure_judged_and_fully_met_first(http: httpx.Client) -> None:
    data = post(http, {"profile": {"text": TEXT}})
    verdicts = [(m["clause_id"], m["verdict"]) for m in data["measures"]]
    assert verdicts == [
        (f"{LINZHOU}:二.(一)", "eligible"),  # R&D share 6% ≥ 5%, and the 申报条件 chapter met
        (f"{LINZHOU}:二.(二)", "eligible"),  # only the chapter's conditions: all met
        (f"{LINZHOU}:二.(三)", "meets_stated"),  # the title is not stated
        (f"{BINJIANG}:一", "unknown"),  # no condition to check
        (f"{BINJIANG}:二", "not_eligible"),  # 8000万 is not over 5亿
        (f"{QINGYUAN}:二", "not_eligible"),  # registered in 临州市, not 青原市
    ], verdicts
    assert data["counts"] == {"eligible": 2, "meets_stated": 1, "unknown": 1, "not_eligible": 2}
    assert data["total"] == 6
    ranks = [ORDER.index(m["verdict"]) for m in data["measures"]]
    assert ranks == sorted(ranks)

    measures = by_clause(data)
    rd = measures[f"{LINZHOU}:二.(一)"]
    assert rd["status"] == "in_force" and rd["title"].startswith("临州市人民政府办公室")
    assert [(c["clause_id"], c["source"], c["status"]) for c in rd["conditions"]] == [
        (f"{LINZHOU}:二.(一)", "measure", "met"),
        (f"{LINZHOU}:一", "section", "met"), (f"{LINZHOU}:一", "section", "met"),
        (f"{LINZHOU}:一", "section", "met")]
    assert {c["stated"] for c in rd["conditions"]} == {"6%", "8000万元", "120人", "临州市"}
    assert measures[f"{BINJIANG}:一"]["status"] == "expired"
    assert measures[f"{BINJIANG}:一"]["conditions"] == []
    assert measures[f"{QINGYUAN}:二"]["status"] == "draft"
    place = [c for c in measures[f"{QINGYUAN}:二"]["conditions"] if c["required"] == "注册地在青原市"]
    assert place and place[0]["status"] == "not_met" and place[0]["stated"] == "临州市"
    support = rd["supports"][0]
    assert (support["kind"], support["ratio"], support["base"], support["cap"]) == (
        "奖励", 10.0, "研发费用", 1_000_000.0)
    assert support["terms"] == "按研发费用的10%奖励、单个企业最高100万元"
    assert support["figure"] is None  # the R&D expense itself is not stated


def test_typed_fields_override_the_text(http: httpx.Client) -> None:
    data = post(http, {"profile": {"text": TEXT, "revenue": 10_000_000, "place": "青原市",
                                   "age_years": 2}})
    assert data["circumstances"]["revenue"] == 10_000_000
    assert data["circumstances"]["place"] == "青原市"
    assert data["circumstances"]["rd_share"] == 6.0  # from the text, not overridden
    measures = by_clause(data)
    rd = measures[f"{LINZHOU}:二.(一)"]
    assert rd["verdict"] == "not_eligible"
    revenue = [c for c in rd["conditions"] if c["required"] == "上年度营业收入不低于2000万元"]
    assert revenue[0]["status"] == "not_met" and revenue[0]["stated"] == "1000万元"
    assert measures[f"{QINGYUAN}:二"]["verdict"] == "eligible"  # 青原市, 2 years < 5
    assert data["measures"][0]["clause_id"] == f"{QINGYUAN}:二"


def test_the_figure_when_the_profile_gives_the_base(http: httpx.Client) -> None:
    data = post(http, {"profile": {"text": TEXT, "interest_paid": 400_000,
                                   "titles": ["国家级专精特新小巨人企业"]}})
    measures = by_clause(data)
    interest = measures[f"{LINZHOU}:二.(二)"]["supports"][0]["figure"]
    assert interest["value"] == 200_000 and interest["stated"] == 400_000
    assert not interest["capped"]
    assert "您的40万元实际支付利息最多可贴息20万元" in interest["sentence"]
    award = measures[f"{LINZHOU}:二.(三)"]
    assert award["verdict"] == "eligible"  # the title now stated
    assert award["supports"][0]["figure"]["value"] == 1_000_000
    assert award["supports"][0]["figure"]["tier"] == "国家级"

    capped = by_clause(post(http, {"profile": {"interest_paid": 2_000_000}}))
    figure = capped[f"{LINZHOU}:二.(二)"]["supports"][0]["figure"]
    assert figure["capped"] and figure["value"] == 500_000 and figure["cap"] == 500_000


@pytest.mark.parametrize(("filters", "expected"), [
    ({"doc_ids": [BINJIANG]}, {f"{BINJIANG}:一", f"{BINJIANG}:二"}),
    ({"doc_ids": [f"{BINJIANG}.txt"]}, {f"{BINJIANG}:一", f"{BINJIANG}:二"}),
    ({"in_force": True}, {f"{LINZHOU}:二.(一)", f"{LINZHOU}:二.(二)", f"{LINZHOU}:二.(三)"}),
    ({"kinds": ["draft"]}, {f"{QINGYUAN}:二"}),
    ({"doc_ids": [LINZHOU, QINGYUAN], "in_force": True},
     {f"{LINZHOU}:二.(一)", f"{LINZHOU}:二.(二)", f"{LINZHOU}:二.(三)"}),
    ({"doc_ids": ["no-such-document"]}, set()),
])
def test_filters(http: httpx.Client, filters: dict[str, Any], expected: set[str]) -> None:
    data = post(http, {"profile": {"text": TEXT}, "filters": filters})
    assert {m["clause_id"] for m in data["measures"]} == expected
    assert data["total"] == len(expected) == sum(data["counts"].values())


def test_an_empty_profile_lists_every_measure_unknown_or_as_stated(http: httpx.Client) -> None:
    data = post(http, {})
    assert data["total"] == 6
    assert data["counts"]["eligible"] == data["counts"]["not_eligible"] == 0
    assert all(c["stated"] == "" for m in data["measures"] for c in m["conditions"])


@pytest.mark.parametrize(("body", "field"), [
    ({"profile": {"revenue": -1}}, "profile.revenue"),
    ({"profile": {"staff": "120"}}, "profile.staff"),
    ({"profile": {"revenue": "8000万"}}, "profile.revenue"),
    ({"profile": {"rd_share": 150}}, "profile.rd_share"),
    ({"profile": {"titles": ["高新技术企业"] * 21}}, "profile.titles"),
    ({"profile": {"text": "营" * 2001}}, "profile.text"),
    ({"profile": {"colour": "red"}}, "profile.colour"),
    ({"filters": {"in_force": "yes"}}, "filters.in_force"),
    ({"filters": {"kinds": ["memo"]}}, "filters.kinds.0"),
    ({"question": "能申请吗"}, "question"),
])
def test_bad_input_is_422_json_naming_the_field(http: httpx.Client, body: dict[str, Any],
                                                field: str) -> None:
    response = http.post("/v1/eligibility", json=body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["message"].startswith(f"{field}: "), error["message"]
    for leak in ("/work", "site-packages", "Traceback", ".py", "pydantic"):
        assert leak not in response.text


def test_malformed_json_is_400(http: httpx.Client) -> None:
    response = http.post("/v1/eligibility", content=b'{"profile": {', headers={
        "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_json"
