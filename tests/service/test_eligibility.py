"""Eligibility verdicts: typed conditions against stated circumstances, clause sentences against
a stated situation, the verdict's first sentence, and support amounts worked out for the asker."""

from __future__ import annotations

import pytest

from corpus.clean import to_match
from corpus.facts import Circumstances, Condition, Support, Tier
from service.amounts import support_sentence
from service.eligibility import Eligibility, check, verdict, verdict_sentence
from service.situations import check_clause, check_text

REVENUE = Condition("营业收入", ">=", 50_000_000, unit="元", scope="上年度")

# The graded 小巨人 R&D requirement: revenue bands, each with its own share.
GRADED = [
    (Condition("营业收入", ">=", 100_000_000, unit="元", scope="上年度"), "c1"),
    (Condition("研发费用占比", ">=", 3, unit="%", scope="近2年"), "c1"),
    (Condition("营业收入", "between", 50_000_000, 100_000_000, unit="元", scope="上年度"), "c1"),
    (Condition("研发费用占比", ">=", 6, unit="%", scope="近2年"), "c1"),
    (Condition("注册地", "in", values=("龙岩市",)), "c2"),
]


# ------------------------------------------------------------------ check
@pytest.mark.parametrize(("condition", "circumstances", "status", "stated"), [
    (REVENUE, Circumstances(revenue=80_000_000), "met", "8000万元"),
    (REVENUE, Circumstances(revenue=30_000_000), "not_met", "3000万元"),
    (REVENUE, Circumstances(revenue=50_000_000), "met", "5000万元"),  # 不低于 includes the bound
    (Condition("营业收入", ">", 50_000_000, unit="元"), Circumstances(revenue=50_000_000), "not_met",
     "5000万元"),
    (Condition("研发费用占比", ">=", 6, unit="%"), Circumstances(rd_share=5), "not_met", "5%"),
    (Condition("从业人员", "<=", 100, unit="人"), Circumstances(staff=120), "not_met", "120人"),
    (Condition("成立年限", ">=", 3, unit="年"), Circumstances(age_years=2.5), "not_met", "2.5年"),
    (Condition("营业收入", "between", 50_000_000, 100_000_000, unit="元"),
     Circumstances(revenue=120_000_000), "not_met", "1.2亿元"),
    (Condition("注册地", "in", values=("龙岩市",)), Circumstances(place="龙岩新罗区"), "met", "龙岩新罗区"),
    (Condition("注册地", "in", values=("龙岩市",)), Circumstances(place="福州市"), "not_met", "福州市"),
    # a district may lie in the city: not decided
    (Condition("注册地", "in", values=("龙岩市",)), Circumstances(place="鼓楼区"), "unknown", "鼓楼区"),
    (Condition("注册地", "in", values=("本市",)), Circumstances(place="福州"), "unknown", "福州"),
    (Condition("资质", "in", values=("高新技术企业",)), Circumstances(titles=("高新技术企业",)), "met",
     "高新技术企业"),
    (Condition("资质", "in", values=("国家级专精特新小巨人企业",)),
     Circumstances(titles=("省级专精特新小巨人企业",)), "unknown", "省级专精特新小巨人企业"),
    (Condition("资质", "in", values=("专精特新小巨人企业",)),
     Circumstances(titles=("国家级专精特新小巨人企业",)), "met", "国家级专精特新小巨人企业"),
])
def test_check(condition: Condition, circumstances: Circumstances, status: str, stated: str) -> None:
    found = check(condition, circumstances)
    assert (found.status, found.stated) == (status, stated)


@pytest.mark.parametrize("condition", [REVENUE, Condition("纳税", ">=", 1_000_000, unit="元"),
                                       Condition("注册地", "in", values=("龙岩市",))])
def test_unknown_when_nothing_stated_bears_on_the_condition(condition: Condition) -> None:
    found = check(condition, Circumstances(staff=50, rd_share=4))
    assert found.status == "unknown" and found.stated == ""


@pytest.mark.parametrize(("condition", "required"), [
    (REVENUE, "上年度营业收入不低于5000万元"),
    (Condition("营业收入", "between", 50_000_000, 100_000_000, unit="元", scope="上年度"),
     "上年度营业收入5000万元至1亿元"),
    (Condition("从业人员", ">=", 50, unit="人"), "从业人员不少于50人"),
    (Condition("研发费用占比", ">=", 6, unit="%", scope="近2年"), "近2年研发费用占比不低于6%"),
    (Condition("注册地", "in", values=("龙岩市",)), "注册地在龙岩市"),
])
def test_required_as_a_reader_would_say_it(condition: Condition, required: str) -> None:
    assert check(condition, Circumstances()).required == required


# ------------------------------------------------------------------ verdict
def test_the_four_verdicts() -> None:
    conds = [(REVENUE, "c1"), (Condition("从业人员", ">=", 50, unit="人"), "c1")]
    assert verdict(conds, Circumstances(revenue=30_000_000, staff=80)).verdict == "not_eligible"
    assert verdict(conds, Circumstances(revenue=80_000_000, staff=80)).verdict == "eligible"
    assert verdict(conds, Circumstances(revenue=80_000_000)).verdict == "meets_stated"
    assert verdict(conds, Circumstances(rd_share=5)).verdict == "unknown"
    assert verdict([], Circumstances(revenue=1)).verdict == "unknown"


def test_the_asker_s_band_selects_its_requirement() -> None:
    found = verdict(GRADED, Circumstances(revenue=80_000_000, rd_share=5))
    assert found.verdict == "not_eligible"
    failed = [c for c in found.conditions if c.status == "not_met"]
    assert [(c.required, c.stated, c.clause_id) for c in failed] == [
        ("上年度营业收入5000万元至1亿元的企业近2年研发费用占比不低于6%", "5%", "c1")]
    # the other band's 3% does not apply to them (5% would pass it)
    assert verdict(GRADED, Circumstances(revenue=80_000_000, rd_share=7)).verdict == "meets_stated"
    assert verdict(GRADED, Circumstances(revenue=150_000_000, rd_share=5)).verdict == "meets_stated"


def test_without_the_band_a_share_decides_only_when_every_band_agrees() -> None:
    assert verdict(GRADED, Circumstances(rd_share=2)).verdict == "not_eligible"
    assert verdict(GRADED, Circumstances(rd_share=7)).verdict == "meets_stated"
    assert verdict(GRADED, Circumstances(rd_share=5)).verdict == "unknown"


def test_outside_every_band() -> None:
    found = verdict(GRADED, Circumstances(revenue=20_000_000, rd_share=9))
    assert found.verdict == "not_eligible"


# ------------------------------------------------------------------ the first sentence
def test_first_sentence_of_a_failed_condition() -> None:
    found = verdict(GRADED, Circumstances(revenue=80_000_000, rd_share=5))
    assert verdict_sentence(found, {"c1": 1, "c2": 2}) == (
        "不满足：该文件要求上年度营业收入5000万元至1亿元的企业近2年研发费用占比不低于6%，您为5%[1]。"
        "其余条件无法从您的描述核对：注册地在龙岩市[2]。")


def test_first_sentence_when_what_is_stated_is_met() -> None:
    conds = [(REVENUE, "c1"), (Condition("从业人员", ">=", 50, unit="人"), "c2")]
    found = verdict(conds, Circumstances(revenue=80_000_000))
    assert verdict_sentence(found, {"c1": 1, "c2": 2}) == (
        "就您所述的情况满足：该文件要求上年度营业收入不低于5000万元，您为8000万元[1]。"
        "以下条件无法从您的描述核对：从业人员不少于50人[2]。")
    everything = verdict(conds, Circumstances(revenue=80_000_000, staff=60))
    assert verdict_sentence(everything, {"c1": 1, "c2": 2}).startswith(
        "满足：该文件要求上年度营业收入不低于5000万元、从业人员不少于50人，您为8000万元、60人[1][2]。")


def test_first_sentence_when_nothing_stated_bears_on_it() -> None:
    found = verdict([(REVENUE, "c1")], Circumstances(staff=5))
    assert verdict_sentence(found, {"c1": 3}) == (
        "无法判断：您所述的情况不涉及该文件的条件，需对照：上年度营业收入不低于5000万元[3]。")
    assert verdict_sentence(Eligibility("unknown"), {}).startswith("无法判断")


def test_unchecked_conditions_are_listed_briefly() -> None:
    conds = [(REVENUE, "c1")] + [(Condition("从业人员", ">=", n, unit="人"), "c1") for n in (1, 2, 3, 4)]
    sentence = verdict_sentence(verdict(conds, Circumstances(revenue=1)), {"c1": 1}, limit=2)
    assert sentence.count("从业人员") == 2


def test_a_condition_another_rule_decided_is_not_listed_as_unchecked() -> None:
    age = Condition("other", "<=", 45, unit="周岁", text="年龄需在45周岁以下")
    clause = "具有硕士学位的人员，年龄需在45周岁以下。"
    found = verdict([(age, "k")], Circumstances(), clauses=[("k", clause)],
                    question=to_match("引进一个42岁的硕士，能办入户吗？"))
    assert found.verdict == "meets_stated" and not found.unchecked()
    assert "无法从您的描述核对" not in verdict_sentence(found, {"k": 1})


def test_a_place_condition_whose_words_take_the_stated_place_in() -> None:
    scope = Condition("注册地", "in", values=("深圳市",), text="在深圳市内(含深汕特别合作区,下同)依法登记注册")
    assert check(scope, Circumstances(place="深汕特别合作区")).status == "met"
    assert check(scope, Circumstances(place="汕尾市")).status != "met"


def test_first_sentence_of_a_clause_sentence_that_rules_the_asker_out() -> None:
    clause = "对首次入库的企业给予奖励，中途退出后再次入库的不予奖励。"
    question = to_match("我们前年退出过，今年又再次入库了，还能拿吗？")
    found = verdict([], Circumstances(), clauses=[("k", clause)], question=question)
    assert found.verdict == "not_eligible"
    assert verdict_sentence(found, {"k": 4}).startswith("不满足：该文件规定「")
    assert verdict_sentence(found, {"k": 4}).endswith("[4]。")


# ------------------------------------------------------------------ clause sentences
@pytest.mark.parametrize(("sentence", "question", "status", "rule"), [
    # a dated window, against the asker's date of the same event
    ("所购设备发票开具时间须在2023年3月1日至2024年2月29日期间", "我们的设备发票是2022年12月开的，能报吗？", "not_met", "window"),
    ("所购设备发票开具时间须在2023年3月1日至2024年2月29日期间", "我们的设备发票是2023年12月开的，能报吗？", "met", "window"),
    ("2021年6月1日以来竣工投产的项目", "我们厂房2020年底竣工投产的，还认吗？", "not_met", "window"),
    ("申报材料须于2025年4月30日前报送", "我们公司是2010年成立的，能报吗？", "unknown", ""),  # another event
    # a bound in another currency, against the asker's sum in it
    ("境外主板上市且实现融资1000万美元以上的企业，补贴费用200万元", "我们去香港上市，融资800万美元，能拿吗？", "not_met", "threshold"),
    # a record of absence over years looked back on: the years are no bound on the asker's
    ("申报单位守法经营，最近3年内没有重大违法、违规行为", "我们两年前因为重大环保违法被处罚过，今年还能报吗？", "not_met", "requirement"),
    ("申报单位守法经营，最近3年内没有重大违法、违规行为", "我们一直守法经营，没有重大违法，能报吗？", "met", "requirement"),
    # a text others follow (参照本办法执行): the asker is among those it names
    ("在天河区创新创业的台湾青年参照本办法执行", "我是台湾青年，在天河开了家公司，能参照享受吗？", "met", "category"),
    # a relative's age is not the asker's; a period counted from an event bounds when to apply
    ("具有博士学位的人员，年龄需在50周岁以下", "我是博士，老婆和10岁的儿子能一起迁户口吗？", "unknown", ""),
    ("补贴对象应于首次签订劳动合同之日起2年内提出申请", "我签了3年合同，社保交了7个月，能领补贴吗？", "unknown", ""),
    # part of who they are, with the very thing they ask to do granted
    ("外籍创新人才可以按照规定担任本市重大科研项目主持人", "我是外籍研究员，在研发机构工作，能担任重大科研项目的主持人吗？", "met", "category"),
    # a place the scope names as included
    ("申报主体应是在深圳市内(含深汕特别合作区,下同)依法登记注册的工业企业", "我们公司注册在深汕特别合作区，算不算申报主体？", "met", "place"),
    # the title the asker holds, asked whether the law allows it (允许…吗)
    ("科技创新型中小企业可以设置特殊股权结构，发行具有特别表决权的股份", "我们是科技创新型中小企业，允许发特别表决权股份吗？", "met", "category"),
    # premises the applicant must not own
    ("租赁非本人名下场地用于创业主体经营", "我开了个小餐馆，铺面是我自己名下的房子，能申请租金补贴吗？", "not_met", "requirement"),
    ("租赁非本人名下场地用于创业主体经营", "我毕业两年，租的铺面不是我自己的，能申请租金补贴吗？", "met", "requirement"),
    # what a sentence rules out
    ("被列入严重违法失信名单的企业，不予支持", "我们公司去年被列入严重违法失信名单了，能申请吗？", "not_met", "exclusion"),
    ("被列入严重违法失信名单的企业，不予支持", "我们公司从没被列入失信名单，能申请吗？", "met", "exclusion"),
    ("类金融企业、房地产企业除外", "我们是房地产企业，能申请吗？", "not_met", "exclusion"),
    ("已获得省级同类奖励的项目，不再重复奖励", "这个项目去年已经拿过省里的同类奖励，还能报吗？", "not_met", "exclusion"),
    # commitments over years
    ("获奖企业应承诺8年内不迁出本区", "拿了奖励后我们打算过3年搬到外省，有问题吗？", "not_met", "commitment"),
    ("获奖企业应承诺8年内不迁出本区", "我们在区里已经满10年了，想迁到外省，有影响吗？", "met", "commitment"),
    # membership of a list
    ("支持对象为纳入省级重点培育企业名单的企业", "我们还没纳入名单，能申请吗？", "not_met", "membership"),
    ("支持对象为纳入省级重点培育企业名单的企业", "我们已经纳入省级重点培育名单了，可以吗？", "met", "membership"),
    # something to hold
    ("申报单位须具有有效的软件著作权", "我们没有软件著作权，能报吗？", "not_met", "requirement"),
    # numeric bounds on any subject
    ("孵化场地面积不低于5000平方米", "我们场地只有3000平米，够不够？", "not_met", "threshold"),
    ("申请人年龄在50周岁以下", "我今年52岁，能申请吗？", "not_met", "threshold"),
    ("申请人年龄在22周岁至40周岁之间", "我今年30岁，能申请吗？", "met", "threshold"),
    ("单台设备价格不低于50万元或成套设备价格不低于300万元", "我们单台设备卖了80万，能报吗？", "met", "threshold"),
    # who a sentence is for
    ("本办法适用于社会组织、民办非企业单位和个体工商户", "我是个体户，能享受吗？", "met", "category"),
])
def test_check_text(sentence: str, question: str, status: str, rule: str) -> None:
    found = check_text(to_match(sentence), to_match(question))
    assert (found.status, found.rule) == (status, rule)


def test_unknown_when_the_situation_does_not_touch_the_sentence() -> None:
    assert check_text(to_match("对首次认定的绿色工厂给予一次性奖励100万元"),
                      to_match("我们公司员工有300人，能拿吗？")).status == "unknown"
    assert check_clause("企业从业人员不少于50人。", "高新技术企业的申报材料有哪些？") == []


def test_a_listed_disqualification() -> None:
    clause = "有下列情形之一的，不得申报：\n（一）近三年发生重大安全生产事故的；\n（二）存在欠缴税款行为的。"
    found = check_clause(clause, "我们公司目前还有欠缴税款没补上，能申报吗？")
    assert [f.status for f in found] == ["not_met"]


def test_a_definition_judges_only_what_it_defines() -> None:
    clause = ("本办法所称青年创业团队是指成员平均年龄在35周岁以下的团队；"
              "青年企业是指法定代表人年龄在40周岁以下的企业。")
    assert [f.status for f in check_clause(clause, "我38岁，是法定代表人，我们算青年企业吗？")] == ["met"]


def test_a_widened_scope_covers_those_it_names_only() -> None:
    clause = ("本条例所称青年，其年龄在三十五周岁以下。超过三十五周岁不满四十五周岁的个人从事人工智能、"
              "新材料等领域创业的，参照适用本条例。")
    assert {f.status for f in check_clause(clause, "我今年40岁，在做人工智能方面的创业，能享受吗？")} == {"met"}
    assert "not_met" in {f.status for f in check_clause(clause, "我今年40岁，开了家面馆，能享受吗？")}


def test_a_bound_the_asker_quotes_is_not_a_figure_of_theirs() -> None:
    clause = ("本条例所称青年，其年龄在三十五周岁以下。超过三十五周岁不满四十五周岁的个人从事人工智能、"
              "新材料等领域创业的，参照适用本条例。")
    found = check_clause(clause, "我42岁，在搞人工智能方向的创业，超过35岁了还能适用吗？")
    assert {f.status for f in found} == {"met"}
    # with no figure of their own, the bound the asker writes is what they state
    assert {f.status for f in check_clause("申请人年龄在45周岁以下。", "我超过50岁了，能申请吗？")} == {"not_met"}


# ------------------------------------------------------------------ amounts
INTEREST = Support("补助", ratio=50, base="利息", cap=1_000_000,
                   text="按利息的50%给予补助，单个企业最高100万元")


def test_support_with_the_asker_s_base_shows_the_formula() -> None:
    assert support_sentence(INTEREST, Circumstances(interest_paid=400_000), "[1]") == (
        "按利息的50%补助、单个企业最高100万元：您的40万元利息最多可补20万元[1]。")


def test_support_over_its_cap() -> None:
    assert support_sentence(INTEREST, Circumstances(interest_paid=3_000_000)) == (
        "按利息的50%补助、单个企业最高100万元：您的300万元利息按50%为150万元，超过上限，最多可补100万元。")


def test_support_without_the_base_states_its_terms_together() -> None:
    assert support_sentence(INTEREST, Circumstances(revenue=1)) == "按利息的50%补助、单个企业最高100万元。"
    assert support_sentence(Support("奖励", amount=500_000, once=True), Circumstances()) == \
        "一次性给予50万元奖励。"
    assert support_sentence(Support("补贴", amount=2000, base="每人", cap=100_000,
                                    text="每培训1人给予2000元,每家企业每年最多不超过10万元"),
                            Circumstances()) == "每人给予2000元补贴、每家企业每年最高10万元。"


def test_support_of_an_investment_ratio() -> None:
    support = Support("补助", ratio=10, base="设备投资额", cap=5_000_000, text="按设备投资额的10%给予补助,最高500万元")
    assert support_sentence(support, Circumstances(investment=12_000_000)) == (
        "按设备投资额的10%补助、最高500万元：您的1200万元设备投资额最多可补120万元。")


def test_a_range_of_ratios_gives_both_ends_held_to_the_cap() -> None:
    ranged = Support("奖励", ratio=15, ratio_low=10, base="设备购置额", cap=10_000_000,
                     text="奖补金额为设备购置额的10%~15%,单个项目奖补额度原则上不超过1000万元")
    assert support_sentence(ranged, Circumstances(investment=30_000_000)) == (
        "按设备购置额的10%~15%奖励、最高1000万元：您的3000万元设备购置额可奖300万元至450万元。")
    assert support_sentence(ranged, Circumstances(investment=80_000_000)).endswith(
        "您的8000万元设备购置额可奖800万元至1000万元（上限）。")


def test_a_sum_per_time_counts_the_asker_s_person_times() -> None:
    meals = Support("补贴", amount=3, base="每人每次", text="长者饭堂按就餐人次享受运营补贴,每人每次3元")
    assert support_sentence(meals, Circumstances(), asker="这个月老人就餐2000人次,运营补贴有多少").endswith(
        "您的2000人次按每人每次3元共6000元。")


def test_tier_by_the_level_of_a_title_held() -> None:
    tiered = Support("奖励", tiers=(Tier("国家级", amount=1_000_000), Tier("省级", amount=500_000)))
    assert support_sentence(tiered, Circumstances(titles=("省级专精特新中小企业",))) == (
        "分档奖励国家级100万元、省级50万元：您适用「省级」档，可奖50万元。")
    assert support_sentence(tiered, Circumstances()) == "分档奖励国家级100万元、省级50万元。"


def test_tier_by_the_asker_s_figure() -> None:
    tiered = Support("奖励", base="融资额", tiers=(
        Tier("融资2亿元以下", amount=2_000_000, threshold=0),
        Tier("融资2亿元以上", amount=8_000_000, threshold=200_000_000)))
    # 融资额 is no stated circumstance: no tier is chosen for them
    assert "适用" not in support_sentence(tiered, Circumstances(investment=300_000_000))
    by_revenue = Support("奖励", base="营业收入", tiers=(
        Tier("营业收入1亿元以上", amount=1_000_000, threshold=100_000_000),
        Tier("营业收入5亿元以上", amount=3_000_000, threshold=500_000_000)))
    assert support_sentence(by_revenue, Circumstances(revenue=120_000_000)).endswith(
        "您适用「营业收入1亿元以上」档，可奖100万元。")
    assert support_sentence(by_revenue, Circumstances(revenue=800_000_000)).endswith("可奖300万元。")


def test_tier_with_its_own_ratio_and_cap() -> None:
    tiered = Support("贴息", base="贷款利息", tiers=(
        Tier("国家级", ratio=80, cap=2_000_000), Tier("省级", ratio=50, cap=1_000_000)))
    assert support_sentence(tiered, Circumstances(interest_paid=1_000_000, titles=("国家级单项冠军企业",))) == (
        "分档贴息国家级80%(最高200万元)、省级50%(最高100万元)：您适用「国家级」档，"
        "您的100万元贷款利息最多可贴息80万元。")


# ------------------------------------------------------------------ the own gold set
def test_own_eligibility_set() -> None:
    from eval.verdicts import own_cases, score

    accuracy, outcomes = score(own_cases())
    assert len(outcomes) == 40
    assert accuracy >= 0.9, [o.case.id for o in outcomes if not o.correct]
