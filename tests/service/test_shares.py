"""Figures worked out from a clause's shares of a base the asker states (service.shares), on
small made-up rules: each input from the rule or the question, the formula shown."""

from __future__ import annotations

from service import shares

HOSTING = "企业发生的会务接待费支出，按照发生额的50%扣除，但最高不得超过当年营业收入的3‰。"


def test_a_share_and_its_limit_give_the_lower_figure() -> None:
    line = shares.computed_line([HOSTING], "我们去年营业收入1000万元，会务接待费花了10万元，最多能扣多少？")
    assert line == "发生额10万元的50%为5万元；当年营业收入1000万元的3‰为3万元，按其中较低者为3万元"


def test_the_base_words_read_the_limit_as_a_limit() -> None:
    found = shares.shares(HOSTING)
    assert [(s.base, s.percent, s.limit) for s in found] == [("发生额", 50.0, False), ("当年营业收入", 0.3, True)]


def test_a_share_of_a_stated_investment() -> None:
    rule = "投资于种子期企业满3年的，可以按照其投资额的60%抵扣应纳税所得额。"
    assert shares.computed_line([rule], "我们投了一家种子期企业500万元，能抵扣多少？") == "投资额500万元的60%为300万元"


def test_a_sum_split_at_a_threshold() -> None:
    rule = "年度转让所得不超过300万元的部分，免征所得税；超过300万元的部分，减半征收所得税。"
    line = shares.computed_line([rule], "今年转让所得450万元，怎么减免？")
    assert line == "您的450万元中，不超过300万元的部分300万元免征所得税，超过300万元的部分150万元减半征收所得税"


def test_a_share_of_a_headcount() -> None:
    rule = "参训人员不得超过企业在职职工总数的20%。"
    assert shares.computed_line([rule], "公司在职职工50人，最多能送多少人参训？") == "企业在职职工总数50人的20%为10人"


def test_no_figure_when_the_asker_states_no_base_the_rule_names() -> None:
    assert shares.computed_line([HOSTING], "会务接待费能扣多少？") is None
    assert shares.computed_line([HOSTING], "我们有员工30人，能扣多少？") is None


def test_a_share_is_of_what_its_own_sentence_names() -> None:
    clause = ("对存量厂房改建为孵化器的，按照其实际发生的改建费用，一次性最高奖励100万元。"
              "对其场租减免部分，每年给予运营机构50%的补贴，每年最高20万元。")
    assert shares.computed_line([clause], "改建花了300万，一次性最多奖多少？") is None


def test_multiples_of_a_stated_wage_each_named_and_added_when_asked_together() -> None:
    rule = "丧葬补助金按照上年度在岗职工月平均工资的三倍计发，抚恤金按照上年度在岗职工月平均工资的六倍计发。"
    line = shares.computed_line([rule], "上年度在岗职工月平均工资按1.2万算，丧葬补助金和抚恤金一共多少？")
    assert line == ("丧葬补助金：上年度在岗职工月平均工资1.2万元的三倍为3.6万元（36000元）；"
                    "抚恤金：上年度在岗职工月平均工资1.2万元的六倍为7.2万元（72000元），共10.8万元（108000元）")
    # not asked together: each alone
    alone = shares.computed_line([rule], "上年度在岗职工月平均工资按1.2万算，丧葬补助金多少？")
    assert alone is not None and "共" not in alone


def test_a_share_of_the_share_before_it() -> None:
    rule = "向中小企业预留的采购份额应当占年度政府采购项目预算总额的百分之三十以上；其中，预留给小型微型企业的比例不低于百分之六十。"
    line = shares.computed_line([rule], "我们年度政府采购项目预算2000万，至少预留多少？给小微企业的至少多少？")
    assert line == "年度政府采购项目预算总额2000万元的百分之三十为600万元；其中预留给小型微型企业的比例不低于百分之六十，即360万元"


def test_shares_of_an_increase_year_by_year_for_the_increase_the_asker_states() -> None:
    rule = "从认定之年起3年内比照其区级财政贡献额增量部分，分别按50%、40%、30%的比例给予扶持。"
    expected = "增量40万元按第一年50%为20万元（第二年40%为16万元，第三年30%为12万元）"
    assert shares.computed_line([rule], "今年区级财政贡献120万，比去年多了40万，第一年能拿多少？") == expected
    assert shares.computed_line([rule], "区级财政贡献从去年的60万涨到今年100万，第一年能拿多少？") == expected
    assert shares.computed_line([rule], "认定当年比上一年多交了40万，增量那块第一年能返多少？") == expected
    # a level, not an increase, gives no figure
    assert shares.computed_line([rule], "区级财政贡献100万，能拿多少？") is None
