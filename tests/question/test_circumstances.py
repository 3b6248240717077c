"""The asker's circumstances read from a question (figures, place, titles) and whether the
question asks for a verdict on them."""

from __future__ import annotations

from datetime import date

import pytest

from corpus.clean import to_match
from corpus.facts import Circumstances
from question.circumstances import asks_eligibility, degrees, parse_circumstances, situation
from question.numbers import cn_number, dates, format_money, money, percents, periods


def parse(text: str, **kwargs: date) -> Circumstances:
    return parse_circumstances(to_match(text), **kwargs)


@pytest.mark.parametrize(("numeral", "value"), [
    ("三", 3), ("十五", 15), ("两千", 2000), ("三千万", 30_000_000), ("一千二百万", 12_000_000),
    ("一亿五千万", 150_000_000), ("二〇二四", 2024), ("十万", 100_000),
])
def test_chinese_numerals(numeral: str, value: float) -> None:
    assert cn_number(numeral) == value


@pytest.mark.parametrize(("text", "yuan"), [
    ("营收8000万", 80_000_000), ("营收1.2个亿", 120_000_000), ("三千万", 30_000_000),
    ("两千多万", 20_000_000), ("2千多万", 20_000_000), ("40万元", 400_000), ("3亿元", 300_000_000),
    ("一个亿", 100_000_000), ("1,500万", 15_000_000), ("2000元", 2000), ("十万元", 100_000),
])
def test_money_in_the_asker_s_words(text: str, yuan: float) -> None:
    assert [q.value for q in money(text)] == [yuan]


@pytest.mark.parametrize("text", ["千万不要错过", "2024年", "15个岗位", "第3条"])
def test_numbers_that_are_not_money(text: str) -> None:
    assert money(text) == []


@pytest.mark.parametrize(("text", "share"), [
    ("5%左右", 5), ("百分之五", 5), ("5个点", 5), ("两成", 20), ("一半", 50),
])
def test_shares(text: str, share: float) -> None:
    assert [q.value for q in percents(text)] == [share]


def test_periods_and_ages() -> None:
    found = periods("成立两年半，注册快8个月，今年47岁，2019年6月")
    assert [(round(q.value, 2), q.unit) for q in found] == [(2.5, "年"), (0.67, "年"), (47, "岁")]


def test_dates_as_the_days_they_may_mean() -> None:
    spans = dates("2024年9月底签的合同，10月中旬开的发票")
    assert [(d.lo.isoformat(), d.hi.isoformat()) for d in spans] == [
        ("2024-09-21", "2024-09-30"), ("2024-10-11", "2024-10-20")]


@pytest.mark.parametrize(("yuan", "written"), [
    (500_000, "50万元"), (120_000_000, "1.2亿元"), (15_000_000, "1500万元"), (2000, "2000元"),
    (100_000_000, "1亿元"), (125_000, "12.5万元"),
])
def test_money_written_back_as_documents_write_it(yuan: float, written: str) -> None:
    assert format_money(yuan) == written


def test_revenue_and_rd_share_from_the_issue_s_question() -> None:
    c = parse("我们去年营收8000万，近两年研发费用占营收5%左右，够不够小巨人的研发比例要求？")
    assert c.revenue == 80_000_000
    assert c.rd_share == 5
    assert c.rd_expense is None  # 占营收5% is a share, not a sum
    assert c.titles == ()  # 小巨人 is what they ask about, not a title they hold


@pytest.mark.parametrize(("text", "expected"), [
    ("公司成立两年半，员工120人", {"age_years": 2.5, "staff": 120}),
    ("去年贷款利息付了40万", {"interest_paid": 400_000}),
    ("付了40万利息", {"interest_paid": 400_000}),
    ("注册在龙岩新罗区", {"place": "龙岩新罗区"}),
    ("营收1.2个亿", {"revenue": 120_000_000}),
    ("三千万的营收", {"revenue": 30_000_000}),
    ("技改投入3000万，研发投入500万", {"investment": 30_000_000, "rd_expense": 5_000_000}),
    ("我们公司一共25个人，去年走了4个", {"staff": 25}),
    ("三门峡一家25人的小公司，去年裁了4个人", {"staff": 25}),
    ("我们是复审通过的，去年区级财政贡献60万", {"place": None}),  # 我们是…的 names no place here
    ("我们是天河的，去年营收800万", {"place": "天河"}),
    ("公司100名员工，想送25个人去参加培训", {"staff": 100}),
    ("我们在甘井子成立4年，去年营收1500万", {"place": "甘井子", "age_years": 4, "revenue": 15_000_000}),
    ("我们做批发生意，员工150人，去年营收3亿元", {"industry": "批发", "staff": 150,
                                             "revenue": 300_000_000}),
    ("我们是在天河注册的科技公司", {"place": "天河"}),
    ("做完数字化改造评上了三级，前后投进去100万", {"investment": 1_000_000}),
    ("想从外地引进一个42岁的硕士", {"education": "硕士"}),
    ("我是博士研究生毕业", {"education": "博士"}),
    ("他在做博士后", {"education": None}),
])
def test_figures_stated_colloquially(text: str, expected: dict[str, object]) -> None:
    c = parse(text)
    for field, value in expected.items():
        assert getattr(c, field) == value, field


def test_a_hire_count_is_not_the_headcount() -> None:
    assert parse("我们公司在上海成立刚满一年，吸纳了8个人就业").staff is None


def test_titles_held_with_their_level() -> None:
    assert parse("我们是国家高新技术企业、专精特新").titles == ("高新技术企业", "专精特新中小企业")
    assert parse("我们在福州，新认定国家级小巨人，还有配套吗？").titles == ("国家级专精特新小巨人企业",)
    assert parse("我们是太原的民营企业，刚认定了省级专精特新").titles == ("省级专精特新中小企业",)
    # a question that opens by describing the asker
    assert parse("九龙坡的高企，我们去年区级财政贡献60万，能享受吗？").titles == ("高新技术企业",)
    assert parse("高企认定要什么条件，我们公司能报吗？").titles == ()
    assert parse("高企的奖励，我们能拿吗？").titles == ()


@pytest.mark.parametrize("text", ["我们不是高企，能申请吗？", "我们想申报高企，够吗？",
                                  "我们是高企，能申报专精特新吗？"])
def test_titles_denied_or_asked_about_are_not_held(text: str) -> None:
    assert "专精特新中小企业" not in parse(text).titles
    assert ("高新技术企业" in parse(text).titles) is text.startswith("我们是高企")


def test_a_founding_year_needs_today() -> None:
    assert parse("公司成立于2021年").age_years is None
    assert parse("公司成立于2021年", today=date(2025, 6, 1)).age_years == 4


def test_nothing_stated_is_empty() -> None:
    assert parse("高新技术企业认定的申报材料有哪些？").empty()


@pytest.mark.parametrize("question", [
    "我们去年营收8000万，近两年研发费用占营收5%左右，够不够小巨人的研发比例要求？",
    "公司成立两年半，员工120人，能不能申请？",
    "我们跟服务商是2024年9月底签的合同，能算进数字化改造补助吗？",
    "拿了上市奖励，三年后想把注册地迁到郑州，有没有问题？",
    "我们没进什么企业库，符合吗？",
    "我今年47岁，能拿吗？",
    "我们是律师事务所，可以吗？",
    "我是退役军人，还能享受税收优惠吗？",
    "我们的设备技术更新换代很快，能缩短折旧年限吗？",
    "我们从业人员90人，资产总额2500万，算小型微利企业吗？",  # whether they fall in a category
    "我们年营业额1500万元，职工50人，属于小型企业吗？",
])
def test_asks_for_a_verdict(question: str) -> None:
    assert asks_eligibility(to_match(question))


@pytest.mark.parametrize("question", [
    "高新技术企业认定的申报材料有哪些？",
    "这个办法现在还有效吗？",
    "稳岗返还由哪个部门负责？",
    "滨州对企业增加研发投入有没有奖补政策？",  # no situation of the asker's own
    "我们是小微企业，稳岗返还能返多少？",  # asks an amount, not whether
    "我们是小微企业，这个补贴怎么算的吗？",  # how it is worked out
])
def test_does_not_ask_for_a_verdict(question: str) -> None:
    assert not asks_eligibility(to_match(question))


def test_situation_drops_the_asking_phrase() -> None:
    q = to_match("我们是做房地产开发的，能申请这个企业上市奖励吗？")
    assert situation(q) == "我们是做房地产开发的"
    assert situation(to_match("能申请吗？")) == to_match("能申请吗？")
    # a phrase asking for a figure or a way tells nothing of the asker either…
    q = to_match("我们把厂房改成孵化器，改建花了300万，甘井子区一次性最多奖多少？")
    assert situation(q) == "我们把厂房改成孵化器，改建花了300万"
    # …but 什么 after a negation is no question
    assert "论文" in situation(to_match("我没有高级职称，也没发过什么论文，能申报吗？"))


def test_degrees_named_as_such_and_as_a_floor() -> None:
    assert degrees("具有硕士研究生学历或硕士学位的人员") == ("硕士",)
    assert degrees("具有博士研究生学历") == ("博士",)
    assert degrees("具有本科及以上学历") == ()
    assert degrees("大专以上学历的，本科学历的") == ("本科",)


def test_a_sum_in_another_currency_keeps_its_unit() -> None:
    assert [(q.value, q.unit) for q in money("融资800万美元，另有200万港币和50万")] == [
        (8_000_000, "美元"), (2_000_000, "港元"), (500_000, "元")]
    assert parse("我们去年营收3000万美元，能申请吗？").revenue is None  # the fields are in 元


def test_asking_whether_the_law_allows_it_asks_for_a_verdict() -> None:
    assert asks_eligibility(to_match("我们是科技创新型中小企业，北京的条例允许发特别表决权股份吗？"))


@pytest.mark.parametrize(("question", "place"), [
    ("在上海被行政处罚了，处罚信息公示多久？", "上海"),      # the words run on past the place
    ("我在北京读研究生，毕业后能落户吗？", "北京"),
    ("我们在东莞，能申请吗？", "东莞"),
    ("公司在广州天河，有补贴吗？", "广州天河"),            # two places, one after the other
    ("企业在苏州工业园区，能拿多少？", "苏州工业园区"),     # a zone of a known city
    ("我在厂里才干了8个月，能领失业金吗？", None),          # no place at all
    ("我在电商平台上开网店，要办登记吗？", None),          # where, but not a place
    ("我们在高新区注册的，能申请吗？", "高新区"),
])
def test_the_place_of_registration_is_a_place_not_the_words_after_it(question: str, place: str | None) -> None:
    assert parse_circumstances(to_match(question)).place == place


def test_whether_a_text_covers_the_asker_asks_for_a_verdict() -> None:
    assert asks_eligibility(to_match("我40岁，在广州做人工智能方向的创业，这个条例管不管我？"))
    assert asks_eligibility(to_match("我们是外资企业，包不包括我们？"))
