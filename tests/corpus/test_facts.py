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


def test_a_range_of_ratios_keeps_both_ends() -> None:
    found = one("奖补金额为设备购置额的10%~15%,单个项目奖补额度原则上不超过1000万元。", Support)
    assert (found.ratio_low, found.ratio, found.cap, found.base) == (10, 15, 1e7, "设备购置额")


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


def test_caps_each_behind_its_own_label_are_tiers() -> None:
    found = one("补贴标准为：甲类地区每年最高8000元，其他地区每年最高5000元。", Support)
    assert [(t.when, t.cap) for t in found.tiers] == [("甲类地区", 8000), ("其他地区", 5000)]
    assert found.cap is None


def test_shares_of_one_base_for_different_subjects_are_tiers_with_that_base() -> None:
    found = one("大型企业按其上年度实际缴纳养老保险费的40%返还，小型企业按70%返还。", Support)
    assert [(t.when, t.ratio) for t in found.tiers] == [("大型企业", 40), ("小型企业", 70)]
    assert found.base == "上年度实际缴纳养老保险费"


def test_a_base_said_at_length_is_kept_whole() -> None:
    found = one("领取期间可以领取求职补贴，标准为本人离职前十二个月平均缴费工资的百分之二十。", Support)
    assert (found.ratio, found.base) == (20, "本人离职前十二个月平均缴费工资")


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
    # the asker's own locality's office, as statutes name it
    ("可以向所在地的区开业指导服务部门申请一定额度的开业贷款担保和贴息。", "区开业指导服务部门", "受理"),
    ("企业可以向所在地的人力资源社会保障部门申请。", "所在地人力资源社会保障部门", "受理"),
])
def test_offices_named_in_their_role(text: str, name: str, role: str) -> None:
    assert (name, role) in [(o.name, o.role) for o in facts(text, Office)]


def test_a_department_named_by_kind_only_is_no_office() -> None:
    assert facts("申请人应当向有关主管部门提出申请。", Office) == []


@pytest.mark.parametrize(("text", "expected"), [
    # the subject of a duty, with or without 由 and adverbs before the verb
    ("由市发展改革委负责组织评审认定。", [("市发展改革委", "责任")]),
    ("区民政部门每月审核运营机构提出的补贴申请,并按月拨付。", [("区民政部门", "责任")]),
    ("第五条市外经贸局和市财政局为本规定的具体实施部门。", [("市外经贸局", "责任"), ("市财政局", "责任")]),
    ("市人力资源和社会保障局负责组织实施。", [("市人力资源和社会保障局", "责任")]),
    ("市、区民政部门负责辖区内助餐服务的统筹规划。", [("市、区民政部门", "责任")]),
    ("省财政厅每年根据项目管理的实际需要核定管理费。", [("省财政厅", "责任")]),
    ("第九条县级以上地方人民政府应当加强统筹协调。", [("县级以上地方人民政府", "责任")]),
    ("这部分资金由省工信厅下达,由地市工信部门落实兑现。", [("省工信厅", "责任"), ("地市工信部门", "责任")]),
    # X会同Y: X leads, Y takes part; a body that 协同/配合 takes part
    ("市发展改革委会同市财政局组织专家评审。", [("市发展改革委", "牵头"), ("市财政局", "配合")]),
    ("市财政局按照职责,协同实施本办法。", [("市财政局", "配合")]),
    # reviews: 经X审核, 报X复核, 由X、Y联合审核
    ("经属地发展改革部门审核后报市工信局复核。", [("属地发展改革部门", "责任"), ("市工信局", "责任")]),
    ("上市成功后向金融管理局提出申请,由金融管理局、财政局联合审核。",
     [("金融管理局", "受理"), ("财政局", "责任")]),
    # where an application goes; a later name in a list takes the first one's place
    ("企业向所在地市级经信委、财政局提交申报资料。", [("所在地市级经信委", "受理"), ("财政局", "受理")]),
    ("纸质材料交至所在辖区商务局。", [("所在辖区商务局", "受理")]),
    # field labels, an alias in parentheses dropped
    ("(一)初核机构:市就业指导中心(以下简称市就指中心)\n(二)复核机构:市人才市场管理委员会办公室",
     [("市就业指导中心", "受理"), ("市人才市场管理委员会办公室", "责任")]),
    # a unit followed by its phone: 咨询, or 受理 under a 受理地址 heading
    ("龙门市工业和信息化局科技科,联系电话:0755-12345678", [("龙门市工业和信息化局科技科", "咨询")]),
    ("9.经济开发区管委会社会保障办\n联系电话:8433306", [("经济开发区管委会社会保障办", "咨询")]),
    ("三、受理地址\n1.青山区就业服务中心创业指导科\n联系电话:3308602\n2.高新区管委会人社办\n联系电话:5219961",
     [("青山区就业服务中心创业指导科", "受理"), ("高新区管委会人社办", "受理")]),
    # a signature: the issuers over a date, glued names split where the place repeats
    ("龙门市工业和信息化局龙门市财政局\n2025年5月27日", [("龙门市工业和信息化局", "责任"), ("龙门市财政局", "责任")]),
    # where to ask: 与X联系, 径向X反映, X(电话:…)
    ("如有疑问,请与区科技局联系。", [("区科技局", "咨询")]),
    ("执行中遇到的问题,请径向市人力资源社会保障局反映。", [("市人力资源社会保障局", "咨询")]),
    ("市科技局(电话:12345678)", [("市科技局", "咨询")]),
    # a list ending in 等有关部门 keeps its named members
    ("省发展改革委、省财政厅等有关部门按照职责分工负责。", [("省发展改革委", "责任"), ("省财政厅", "责任")]),
    # a trailing note is not part of the name; a parenthesised office is
    ("区商务局(或其他单位)负责提出年度资金安排建议。", [("区商务局", "责任")]),
    ("镇人民政府(街道办事处)负责具体实施助餐服务。", [("镇人民政府(街道办事处)", "责任")]),
])
def test_offices_named_in_running_prose(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(o.name, o.role) for o in facts(text, Office)] == expected


@pytest.mark.parametrize("text", [
    "租赁由区商务局认定的物流园区仓储空间,给予补贴。",  # a qualification, not a duty
    "经复核符合条件的,在市人力资源社会保障局网站公示。",  # the office's website
    "龙门市人力资源和社会保障局龙门市财政局关于印发管理办法的通知",  # a title, not a signature
    "市场监管部门应当依法告知企业。",  # 市场 is no place
    "各区、各市级部门应当及时归集信用信息。",  # levels, no department
    "县级以上人民政府有关部门应当提供支持。",
    "县级以上人民政府负责中小企业促进工作综合管理的部门应当安排资金。",  # the subject is the 部门
    "支持港澳地区社会组织或专业机构设立分支机构。",
    "对新认定的国家级制造业创新中心给予奖励。",
    "政府部门应当加强窗口服务力量配置。",
    "第二十条成立县重点产业工作领导小组,统筹推进重点产业发展。",  # the object of 成立
    "各县(市、区)工信局、财政局:",  # addressees
])
def test_no_office_where_none_is_named(text: str) -> None:
    assert facts(text, Office) == []


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


def test_a_site_named_in_words_is_a_contact_of_its_own_kind() -> None:
    text = "市中小企业工作主管部门应当汇总专项资金等信息,并集中在“上海中小企业网”上发布。"
    assert {(c.kind, c.value) for c in facts(text, Contact)} == {("site", "上海中小企业网")}
    assert {(c.kind, c.value) for c in facts("企业登录广东政务服务网进行申报。", Contact)} == {
        ("site", "广东政务服务网")}
    assert facts("在互联网上公布。", Contact) == []


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


def test_a_parenthesis_setting_other_enterprises_a_bound_is_no_condition_on_all() -> None:
    text = to_match("新招用人员达到企业现有在职职工人数10%(超过100人的企业达到5%),并与其签订1年以上劳动合同")
    found = [f for f in extract_facts(text) if isinstance(f, Condition)]
    # 超过100人 says which enterprises need only 5%: no applicant must have over 100 staff
    assert not any(c.value in (100.0, 5.0) for c in found)
    assert any(c.value == 1.0 and c.unit == "年" for c in found)
    # a bound in the sentence itself still is one
    plain = to_match("从业人员超过100人的企业,研发费用占比达到5%以上")
    assert any(c.value == 5.0 for c in extract_facts(plain) if isinstance(c, Condition))
