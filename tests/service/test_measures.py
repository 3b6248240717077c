"""Which clauses are support measures and which conditions attach to each (service.measures),
and the eligibility list's fast path agreeing with service.eligibility.verdict row for row."""

from __future__ import annotations

import json
from datetime import date

import pytest

from corpus.facts import Circumstances, Condition, Support
from corpus.models import Clause
from eval import synthetic_measures
from service.eligibility import verdict
from service.eligibility_api import circumstances_of, report
from service.eligibility_schemas import EligibilityFiltersIn, EligibilityIn
from service.measures import cached_catalogue, catalogue_of

TODAY = date(2026, 6, 1)
REVENUE = Condition("营业收入", ">=", 2e7, unit="元", scope="上年度", text="上年度营业收入不低于2000万元")
PLACE = Condition("注册地", "in", values=("临州市",), text="在临州市注册")
AGE = Condition("成立年限", ">=", 1.0, unit="年", text="成立满1年")
STAFF = Condition("从业人员", ">=", 10.0, unit="人", text="从业人员不少于10人")
AWARD = Support("奖励", amount=5e5, text="给予50万元奖励")


def clause(number: str, heading: tuple[str, ...], *facts: object, ordinal: int = 0,
           text: str = "") -> Clause:
    return Clause(clause_id=f"doc:{number}", doc_id="doc", source_file="doc.txt", title="若干措施",
                  doc_number=None, date=None, kind="policy", heading_path=heading,
                  number_path=number, text=text or heading[-1], text_match=text or heading[-1],
                  ordinal=ordinal, facts=tuple(facts))  # type: ignore[arg-type]


def attached(clauses: list[Clause]) -> dict[str, list[tuple[str, str]]]:
    for i, c in enumerate(clauses):
        object.__setattr__(c, "ordinal", i)
    catalogue = catalogue_of("g1", clauses, [], TODAY)
    return {m.clause_id: [(g.clause_id, source) for g, source in m.groups]
            for m in catalogue.measures}


def test_a_conditions_chapter_applies_to_every_measure_of_its_document() -> None:
    found = attached([
        clause("一", ("一、支持措施",)),
        clause("一.(一)", ("一、支持措施", "（一）研发奖励"), STAFF, AWARD),
        clause("一.(二)", ("一、支持措施", "（二）贷款贴息"), AWARD),
        clause("二", ("二、申报条件",), REVENUE, PLACE),
        clause("三", ("三、其他",), AGE),  # no condition heading: attaches to nothing
    ])
    assert found == {"doc:一.(一)": [("doc:一.(一)", "measure"), ("doc:二", "section")],
                     "doc:一.(二)": [("doc:二", "section")]}


def test_a_conditions_item_applies_only_within_its_section() -> None:
    found = attached([
        clause("二.(一).1", ("二、支持措施", "（一）落户补贴", "1.申请条件：成立满1年"), AGE),
        clause("二.(一).2", ("二、支持措施", "（一）落户补贴", "2.补贴标准"), AWARD),
        clause("二.(二)", ("二、支持措施", "（二）租金补贴"), AWARD),
    ])
    assert found == {"doc:二.(一).2": [("doc:二.(一).1", "section")], "doc:二.(二)": []}


def test_conditions_named_by_a_first_sentence_in_a_chapter_without_measures_apply_everywhere() -> None:
    found = attached([
        clause("第3章.第5条", ("第三章 支持方式", "第五条 对列入计划的项目给予资助"), AWARD),
        clause("第4章.第16条", ("第四章 组织管理", "第十六条 申请资金的单位"), REVENUE,
               text="第十六条 申请资金的单位，应具备以下基本条件：上年度营业收入不低于2000万元"),
    ])
    assert found == {"doc:第3章.第5条": [("doc:第4章.第16条", "section")]}


def test_a_definition_is_not_a_conditions_clause() -> None:
    found = attached([
        clause("第4章.第86条", ("第四章 税收优惠", "第八十六条 农林牧渔项目"), AWARD),
        clause("第4章.第92条", ("第四章 税收优惠", "第九十二条 所称小型微利企业"), REVENUE,
               text="第九十二条 本条例所称小型微利企业，是指从事国家非限制行业，并符合下列条件的企业："),
    ])
    assert found == {"doc:第4章.第86条": []}


def test_a_lead_in_above_its_items_is_their_parent() -> None:
    found = attached([
        clause("五", ("五、租金补贴",), AGE, text="五、租金补贴。对成立满1年的企业，按以下标准补贴"),
        clause("五.(一)", ("五、租金补贴", "（一）孵化器"), AWARD),
        clause("六", ("六、人才奖励",), AWARD),
    ])
    assert found == {"doc:五.(一)": [("doc:五", "parent")], "doc:六": []}


def test_a_support_scope_heading_is_not_a_conditions_heading() -> None:
    # 「二、支持范围」 heads the measures themselves; a definition under it is no 申报条件
    found = attached([
        clause("二.(一).第2条", ("二、支持范围", "（一）固定资产投资奖励", "第2条 对新上项目"), AWARD),
        clause("二.(一).第3条", ("二、支持范围", "（一）固定资产投资奖励", "第3条 重点项目"), REVENUE),
    ])
    assert found == {"doc:二.(一).第2条": []}


def test_the_catalogue_is_kept_per_generation_and_day() -> None:
    clauses = [clause("一", ("一、奖励",), AWARD)]
    first = cached_catalogue("gen-a", clauses, [], TODAY)
    assert cached_catalogue("gen-a", [], [], TODAY) is first  # not rebuilt
    assert cached_catalogue("gen-a", [], [], date(2026, 6, 2)) is not first  # statuses move on
    assert cached_catalogue("gen-b", clauses, [], TODAY) is not first


GRADED = clause("二.(一)", ("二、支持措施", "（一）研发奖励"),
                Condition("营业收入", ">=", 1e8, unit="元", scope="上年度"),
                Condition("研发费用占比", ">=", 3.0, unit="%", scope="近三年"),
                Condition("营业收入", "between", 5e7, 1e8, unit="元", scope="上年度"),
                Condition("研发费用占比", ">=", 6.0, unit="%", scope="近三年"), AWARD)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_fast_path_agrees_with_verdict_row_for_row(seed: int) -> None:
    clauses, documents = synthetic_measures.corpus(400, seed=seed)
    clauses.append(GRADED)  # a clause graded by revenue bands goes through verdict whole
    catalogue = catalogue_of("g", clauses, documents, TODAY)
    bodies = [*synthetic_measures.profiles(8, seed=seed),
              {"profile": {"revenue": 8e7, "rd_share": 5.0}}, {"profile": {"revenue": 2e8}}]
    for body in bodies:
        parsed = EligibilityIn.model_validate(body)
        circumstances = circumstances_of(parsed.profile, TODAY)
        served = {m["clause_id"]: m for m in json.loads(report(catalogue, circumstances,
                                                               EligibilityFiltersIn()))["measures"]}
        assert len(served) == len(catalogue.measures)
        for m in catalogue.measures:
            expected = verdict([(c, g.clause_id) for g, _ in m.groups for c in g.conditions],
                               circumstances)
            got = served[m.clause_id]
            assert got["verdict"] == expected.verdict, m.clause_id
            assert [(r["text"], r["clause_id"], r["status"], r["required"], r["stated"], r["rule"])
                    for r in got["conditions"]] == [
                (r.text, r.clause_id, r.status, r.required, r.stated, r.rule)
                for r in expected.conditions]


def test_a_graded_clause_reads_the_askers_band() -> None:
    catalogue = catalogue_of("g", [GRADED], [], TODAY)
    got = json.loads(report(catalogue, Circumstances(revenue=8e7, rd_share=5.0),
                            EligibilityFiltersIn()))["measures"][0]
    assert got["verdict"] == "not_eligible"
    assert [r["status"] for r in got["conditions"]] == ["not_met"]
    assert got["conditions"][0]["required"].endswith("研发费用占比不低于6%")
