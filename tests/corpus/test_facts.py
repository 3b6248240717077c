"""The fact layer: what ``extract_facts`` reads from clauses written in the genre's style, the JSON
round trip, indexes written before facts existed, and the facts of /v1/clauses/{id} over HTTP.

The clauses below are written for these tests (not copied from any corpus document); each names
the rule of official-document language it exercises.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from corpus.clean import to_match
from corpus.extract_facts import extract_facts
from corpus.facts import (
    Condition,
    Contact,
    DateFact,
    Fact,
    Material,
    Office,
    Support,
    Tier,
    fact_from_json,
    fact_to_json,
)
from corpus.models import Clause
from corpus.quantities import cn_number, money, percents, periods


def facts(text: str, kind: type | None = None) -> list:  # type: ignore[type-arg]
    found = extract_facts(to_match(text))
    return [f for f in found if kind is None or isinstance(f, kind)]


def one(text: str, kind: type):  # type: ignore[no-untyped-def]
    found = facts(text, kind)
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(("text", "value"), [
    ("三", 3), ("十五", 15), ("二十", 20), ("一百二十", 120), ("两千", 2000), ("五千万", 5e7),
    ("一亿", 1e8), ("一亿五千万", 1.5e8), ("二〇二四", 2024),
])
def test_chinese_numerals_are_read(text: str, value: float) -> None:
    assert cn_number(text) == value


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("50万元", 500_000, "元"), ("一亿元", 1e8, "元"), ("两千万元", 2e7, "元"), ("0.5万元", 5000, "元"),
    ("1,000元", 1000, "元"), ("百分之五十", 50, "%"), ("三分之一", 33.33, "%"), ("6.5%", 6.5, "%"),
    ("三年", 3, "年"), ("6个月", 0.5, "年"), ("一年半", 1.5, "年"),
])
def test_quantities_carry_their_unit(text: str, value: float, unit: str) -> None:
    found = money(text) + percents(text) + periods(text)
    assert [(q.value, q.unit) for q in found] == [(value, unit)]


def test_a_calendar_year_is_not_a_period() -> None:
    assert periods("2024年起") == []


# ---------------------------------------------------------------- conditions


@pytest.mark.parametrize(("text", "subject", "comparator", "value", "unit", "scope"), [
    ("申报企业上年度营业收入不低于2000万元。", "营业收入", ">=", 2e7, "元", "上年度"),
    ("企业近三年研发费用占营业收入比例不低于百分之五。", "研发费用占比", ">=", 5, "%", "近三年"),
    ("申报企业须注册成立三年以上。", "成立年限", ">=", 3, "年", None),
    ("从业人员30人(含)以下的小微企业适用本条。", "从业人员", "<=", 30, "人", None),
    ("成立未满两年的企业不予支持。", "成立年限", "<", 2, "年", None),
    ("上年度纳税总额超过一百万元的,优先推荐。", "纳税", ">", 1e6, "元", "上年度"),
    ("企业资产总额不超过5000万元。", "资产", "<=", 5e7, "元", None),
    ("项目固定资产投资达到一亿元的,可申请。", "投资额", ">=", 1e8, "元", None),
])
def test_a_bound_on_an_enterprise_is_a_condition(text: str, subject: str, comparator: str,
                                                 value: float, unit: str, scope: str | None) -> None:
    found = one(text, Condition)
    assert (found.subject, found.comparator, found.value, found.unit, found.scope) == \
        (subject, comparator, value, unit, scope)
    assert found.text and found.text in to_match(text)


def test_a_range_is_one_condition_between_its_bounds() -> None:
    found = one("对上年度营业收入5000万元至1亿元的企业,按下列标准支持。", Condition)
    assert (found.subject, found.comparator, found.value, found.upper) == ("营业收入", "between", 5e7, 1e8)


def test_a_list_of_thresholds_shares_its_subject() -> None:
    found = facts("对年产值10亿元及以上、5亿元及以上的企业,分别给予100万元、50万元奖励。", Condition)
    assert [(c.subject, c.value) for c in found] == [("产值", 1e9), ("产值", 5e8)]


@pytest.mark.parametrize(("text", "subject", "values"), [
    ("申报单位须在本市行政区域内依法登记注册。", "注册地", ("本市",)),
    ("工商注册和税务登记均在高新区的企业。", "注册地", ("高新区",)),
    ("对新认定的国家高新技术企业给予奖励。", "资质", ("高新技术企业",)),
    ("对被评为省级专精特新中小企业、国家级专精特新“小巨人”企业的,给予支持。", "资质",
     ("专精特新中小企业", "专精特新小巨人企业")),
])
def test_categorical_conditions_list_what_qualifies(text: str, subject: str,
                                                     values: tuple[str, ...]) -> None:
    found = [c for c in facts(text, Condition) if c.subject == subject]
    assert len(found) == 1 and found[0].comparator == "in" and found[0].values == values


def test_a_clean_record_is_a_credit_condition() -> None:
    found = [c for c in facts("申报企业近三年未被列入严重失信主体名单。", Condition)
             if c.subject == "信用"]
    assert found and "失信" in found[0].values[0]


def test_a_penalty_is_neither_condition_nor_support() -> None:
    assert facts("违反本办法的,由主管部门责令改正,处1万元以上5万元以下的罚款。", Condition) == []
    assert facts("违反本办法的,由主管部门责令改正,处1万元以上5万元以下的罚款。", Support) == []


# ---------------------------------------------------------------- support


def test_a_one_off_award_has_its_amount() -> None:
    found = one("对首次认定的企业,给予一次性奖励30万元。", Support)
    assert (found.kind, found.amount, found.once, found.cap) == ("奖励", 3e5, True, None)


def test_a_share_of_a_base_with_a_cap() -> None:
    found = one("按企业实际支付贷款利息的50%给予贴息,单个企业最高不超过100万元。", Support)
    assert (found.kind, found.ratio, found.cap) == ("贴息", 50, 1e6)
    assert found.base == "企业实际支付贷款利息"


def test_a_cap_alone_is_not_an_amount() -> None:
    found = one("对完成改造的企业给予最高不超过二十万元的补助。", Support)
    assert (found.kind, found.amount, found.cap) == ("补助", None, 2e5)


def test_amounts_given_respectively_are_tiers() -> None:
    found = one("对新认定的国家级、省级、市级企业技术中心分别给予100万元、50万元和20万元奖励。", Support)
    assert [(t.when, t.amount) for t in found.tiers] == [
        ("国家级", 1e6), ("省级", 5e5), ("市级企业技术中心", 2e5)]


def test_graded_thresholds_are_tiers_with_their_lower_bound() -> None:
    text = "融资额1亿元以下的,给予奖励100万元;融资额达到1亿元以上的,给予奖励300万元。"
    found = one(text, Support)
    assert [(t.amount, t.threshold) for t in found.tiers] == [(1e6, None), (3e6, 1e8)]
    assert "1亿元以下" in found.tiers[0].when


def test_caps_given_respectively_are_tiers_but_a_yearly_cap_is_not() -> None:
    listed = one("对达到二级、三级的企业按投入的50%给予补助,最高分别不超过25万元、35万元。", Support)
    assert [(t.when, t.cap) for t in listed.tiers] == [("二级", 2.5e5), ("三级", 3.5e5)]
    yearly = one("按实际交易金额给予企业5%、每项不超过50万元的资助,同一单位每年最高资助100万元。", Support)
    assert (yearly.ratio, yearly.base, yearly.cap, yearly.tiers) == (5, "实际交易金额", 5e5, ())


def test_a_sum_per_person_names_its_unit() -> None:
    found = one("企业吸纳高校毕业生就业的,按每人3000元给予一次性就业补贴。", Support)
    assert (found.amount, found.base, found.kind, found.once) == (3000, "每人", "补助", True)


def test_two_measures_in_one_sentence_are_two_supports() -> None:
    text = "对新认定的高新技术企业给予10万元奖励,通过重新认定的给予最高5万元奖励。"
    found = facts(text, Support)
    assert [(s.amount, s.cap) for s in found] == [(1e5, None), (None, 5e4)]


def test_a_loan_and_a_tax_relief_are_their_own_kinds() -> None:
    assert one("符合条件的个人可申请创业担保贷款,额度最高30万元。", Support).kind == "贷款"
    assert one("对符合条件的小型微利企业减半征收企业所得税。", Support).kind == "减免"


def test_a_statistic_is_no_support() -> None:
    assert facts("截至2023年底,全市规上工业企业营业收入达到500亿元,同比增长8%。", Support) == []
    assert facts("截至2023年底,全市规上工业企业营业收入达到500亿元,同比增长8%。", DateFact) == []


# ---------------------------------------------------------------- dates


def test_an_application_window() -> None:
    found = one("申报时间为2024年5月1日至2024年6月30日,逾期不予受理。", DateFact)
    assert (found.kind, found.value, found.end) == ("申报时间窗", "2024-05-01", "2024-06-30")


@pytest.mark.parametrize(("text", "value"), [
    ("请各单位于2024年6月15日前将申报材料报送至区科技局。", "2024-06-15"),
    ("申报截止时间为二〇二四年九月三十日。", "2024-09-30"),
    ("请于2024年12月底前完成申报。", "2024-12-31"),
])
def test_a_deadline(text: str, value: str) -> None:
    found = [d for d in facts(text, DateFact) if d.kind == "截止"]
    assert [d.value for d in found] == [value]


def test_effective_date_and_validity_in_years() -> None:
    found = facts("本办法自2024年1月1日起施行,有效期三年。", DateFact)
    assert [(d.kind, d.value, d.end, d.years) for d in found] == [
        ("施行", "2024-01-01", None, None), ("有效期", "2024-01-01", "2026-12-31", 3)]


def test_in_force_until_a_day() -> None:
    found = one("本政策执行至2025年12月31日。", DateFact)
    assert (found.kind, found.end) == ("有效期", "2025-12-31")


def test_in_force_from_issue_has_no_date_to_invent() -> None:
    found = one("本办法自印发之日起施行。", DateFact)
    assert (found.kind, found.value) == ("施行", None)


# ---------------------------------------------------------------- offices


def test_responsible_offices_keep_their_roles() -> None:
    found = facts("加快培育链主企业。(责任单位:市工业和信息化局(牵头)、市财政局、市商务局配合)", Office)
    assert [(o.name, o.role) for o in found] == [
        ("市工业和信息化局", "牵头"), ("市财政局", "责任"), ("市商务局", "配合")]


@pytest.mark.parametrize(("text", "name", "role"), [
    ("受理部门:区人力资源和社会保障局", "区人力资源和社会保障局", "受理"),
    ("企业向区商务局提出申请,经审核后拨付。", "区商务局", "受理"),
    ("(政策咨询:市科技局成果转化科,电话:12345678)", "市科技局成果转化科", "咨询"),
    ("由市财政局、市科技局联合审核。", "市财政局", "责任"),
])
def test_offices_named_in_their_role(text: str, name: str, role: str) -> None:
    assert (name, role) in [(o.name, o.role) for o in facts(text, Office)]


def test_a_department_named_by_kind_only_is_no_office() -> None:
    assert facts("申请人应当向有关主管部门提出申请。", Office) == []


# ---------------------------------------------------------------- materials and contacts


def test_a_material_list_on_its_own_lines() -> None:
    text = "三、申报材料\n申报单位需提交以下材料:\n1.项目申报书;\n2.营业执照复印件;\n3.上年度财务审计报告。"
    assert [m.item for m in facts(text, Material)] == ["项目申报书", "营业执照复印件", "上年度财务审计报告"]


def test_a_material_list_inline() -> None:
    text = "申请企业应提交下列材料:申请表、营业执照副本复印件、近两年完税证明(加盖公章)。"
    assert [m.item for m in facts(text, Material)] == [
        "申请表", "营业执照副本复印件", "近两年完税证明(加盖公章)"]


def test_contacts_of_a_notice() -> None:
    text = "联系人:王晓明;联系电话:0531-86012345;电子邮箱:kjj_sb@example.cn\n地址:高新区创新路88号科技大厦5楼"
    found = {(c.kind, c.value) for c in facts(text, Contact)}
    assert found == {("person", "王晓明"), ("phone", "0531-86012345"),
                     ("email", "kjj_sb@example.cn"), ("address", "高新区创新路88号科技大厦5楼")}


def test_an_empty_form_has_no_contacts() -> None:
    assert facts("联系人姓名工作部门和职务联系电话/传真电子邮箱", Contact) == []


# ---------------------------------------------------------------- JSON and old indexes

EXAMPLES: list[Fact] = [
    Condition("营业收入", "between", 5e7, 1e8, "元", scope="上年度", text="营业收入5000万元至1亿元"),
    Condition("注册地", "in", values=("本市",), text="在本市注册"),
    Support("奖励", tiers=(Tier("国家级", amount=1e6), Tier("省级", amount=5e5, threshold=None)),
            once=True, text="分别给予100万元、50万元"),
    Support("贴息", ratio=50, base="贷款利息", cap=1e6),
    DateFact("有效期", "2024-01-01", "2026-12-31", "有效期三年", years=3),
    Office("市财政局", "牵头"), Material("营业执照复印件"), Contact("phone", "0531-86012345"),
]


@pytest.mark.parametrize("fact", EXAMPLES, ids=lambda f: f.type)
def test_a_fact_survives_json(fact: Fact) -> None:
    data = json.loads(json.dumps(fact_to_json(fact), ensure_ascii=False))
    assert data["type"] == fact.type and fact_from_json(data) == fact


def _clause(**extra) -> Clause:  # type: ignore[no-untyped-def]
    return Clause(clause_id="d:1", doc_id="d", source_file="d.txt", title="t", doc_number=None,
                  date=None, kind="policy", heading_path=("一",), number_path="1", text="x",
                  text_match="x", **extra)


def test_a_clause_with_facts_survives_json() -> None:
    clause = _clause(facts=tuple(EXAMPLES))
    assert Clause.from_json(json.loads(json.dumps(clause.to_json(), ensure_ascii=False))) == clause


def test_ingest_fills_the_facts_of_each_clause(corpus_all) -> None:  # type: ignore[no-untyped-def]
    clauses = corpus_all.clauses
    assert sum(1 for c in clauses if c.facts) > len(clauses) // 4
    assert all(c.facts == extract_facts(c.text_match) for c in clauses)
    offices = [c for c in clauses if c.offices]
    assert all({o.name for o in c.facts if isinstance(o, Office)} >= set(c.offices) for c in offices)


def test_an_index_from_before_facts_still_loads(seed_index: Path, tmp_path: Path) -> None:
    from index import store
    from index.search import load_index

    root = tmp_path / "old"
    shutil.copytree(seed_index, root, symlinks=True)
    generation = store.current_path(root)
    assert generation is not None
    path = generation / "clauses.jsonl"
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    assert any(r["facts"] for r in rows)
    path.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "facts"},
                                       ensure_ascii=False) + "\n" for r in rows), "utf-8")
    manifest = store.read_manifest(generation)
    manifest["files"] = store.file_records(generation)
    store.write_json(generation / "manifest.json", manifest)
    loaded = load_index(root)
    assert len(loaded.clauses) == len(rows) and all(c.facts == () for c in loaded.clauses)


def test_the_clause_endpoint_shows_its_facts_over_http(settings) -> None:  # type: ignore[no-untyped-def]
    import httpx

    from service.app import create_app
    from tests.servers import served

    clause_id = "000_02d0f658efa8fe2c:二.(五).2"
    with served(create_app(settings)) as base:
        body = httpx.get(f"{base}/v1/clauses/{clause_id}", timeout=30).json()
    offices = [(f["name"], f["role"]) for f in body["facts"] if f["type"] == "office"]
    assert [name for name, _ in offices] == body["offices"] and {r for _, r in offices} == {"责任"}
    conditions = [f for f in body["facts"] if f["type"] == "condition"]
    assert conditions and conditions[0]["comparator"] == ">=" and conditions[0]["unit"] == "人"
    assert all(set(f) >= {"type"} for f in body["facts"])
