"""What a question asks for, and whether a sentence states it (the answer layer refuses a
detail the documents do not state instead of quoting a clause that merely mentions the topic)."""

from __future__ import annotations

import pytest

from corpus.clean import to_match
from question.intent import Detail, asked_detail, sentence_has_detail


@pytest.mark.parametrize(("question", "sentence", "stated"), [
    ("上海临港“双特”政策的执行期限是哪几年？", "特制定本意见，政策期限为2016年至2018年。", True),
    ("这份实施意见有效期多长？", "本政策自发布之日起施行，暂定三年有效期。", True),
    ("这个政策的期限是多久？", "力争2024年规上工业增加值增长6%。", False),
    ("考核不合格的整改期多长？", "对考核不合格的责令限期整改。", False),
    ("考核不合格的整改期多长？", "整改期限为6个月。", True),
    ("考核不合格的整改期多长？", "限期三个月内完成整改。", True),
    ("申报截止日期是哪天？", "于2011年8月31日前将申报材料一式三份报送。", True),
    ("申报截止日期是哪天？", "申请单位向省级科技行政管理部门提出申请。", False),
    ("新认定的企业奖励多少钱？", "对新认定的企业给予一次性奖励50万元。", True),
    ("新认定的企业奖励多少钱？", "投资500万元以上的项目纳入重点管理。", False),
    ("申报有问题找谁，电话多少？", "联系人：王明，联系电话：0543-3161234。", True),
    ("申报的联系方式是什么？", "联系邮箱：zxqyk@example.gov.cn。", True),
    ("申报的联系电话是多少？", "申报截止时间为2024年6月30日。", False),
    ("离职后名单要在几天内报送？", "并自解除劳动关系之日起十五日内将名单报送经办机构。", True),
    ("离职后名单要在几天内报送？", "每年1月1日至6月30日报送年度报告。", True),
    ("离职后名单要在几天内报送？", "经办机构应当及时受理。", False),
    ("贴息能贴几年？", "按贷款利息的30%给予贴息，连续补贴3年。", True),
    ("年度计划什么时候公布？", "并于每年三月底前向社会公布。", True),
    ("首批批出的总金额多少钱？", "首批批出77宗申请，总批准金额约3,333万澳门元。", True),
    ("租金补贴一年最多补多少？", "补贴标准：甲地区每年最高6000元，其他地区每年最高4000元。", True),
])
def test_a_sentence_states_the_asked_detail(question: str, sentence: str, stated: bool) -> None:
    detail = asked_detail(to_match(question))
    assert detail is not None
    assert sentence_has_detail(to_match(sentence), detail, to_match(question)) is stated


def test_a_question_without_a_specific_detail_asks_for_none() -> None:
    assert asked_detail(to_match("滨州集群培育有哪些重点任务？")) is None


def test_a_closing_formula_is_never_quoted_but_a_sentence_containing_one_is() -> None:
    from corpus.clauses import BodyLine, split_clauses
    from corpus.models import DocumentMeta
    from service.answer import _quotable

    clause = split_clauses("d", "d.txt", DocumentMeta(title="测试"), [BodyLine(
        "为加快培育专精特新中小企业，现将2024年度申报工作有关事项通知如下。"
        "特制定本意见，政策期限为2016年至2018年。")])[0]
    assert _quotable(clause) == ["特制定本意见,政策期限为2016年至2018年。"]


@pytest.mark.parametrize(("question", "sentence", "stated"), [
    # a second currency is money too
    ("首批援助贷款总金额多少？", "共批出90宗申请，总批准金额约4,120万澳门元。", True),
    # 连续N年 and N日内 are periods
    ("贷款贴息补几年？", "按贷款利息的40%给予贴息，连续补贴2年。", True),
    ("贷款贴息每年最多多少？", "按贷款利息的40%给予贴息，连续补贴2年。", True),
    ("奖励分几年给？", "给予10万元奖励（第一年6万元，第二年4万元）。", True),
    ("离职后要在几天内报给经办机构？", "应当自离职之日起十日内报送经办机构备案。", True),
    # when to apply: a window, a deadline, or a time the application is due by
    ("计划一般什么时候对外公布？", "各部门于每年四月底前向社会公布。", True),
    ("补贴什么时候报？", "企业应在签订服务合同前向区商务局提出补贴申请。", True),
    ("补贴每年几月开始申报？", "原《暂行办法》（2015年3月2日印发）同时废止。", False),
    ("补贴每年几月开始申报？", "每年5月1日至6月30日集中受理申报。", True),
    # tiers: several steps, not one ceiling
    ("运营补贴具体怎么分档？", "给予300万元以内的运营补贴，具体细则另行制定。", False),
    ("运营补贴具体怎么分档？", "年营收1亿元以上的补贴20万元，5000万元以上的补贴10万元。", True),
    ("园区的热力费率是多少？", "热力价格由市发展改革委另行核定。", False),
])
def test_more_ways_a_sentence_states_the_asked_detail(question: str, sentence: str,
                                                      stated: bool) -> None:
    detail = asked_detail(to_match(question))
    assert detail is not None
    assert sentence_has_detail(to_match(sentence), detail, to_match(question)) is stated


def test_a_month_asked_is_a_date_and_every_ask_is_read() -> None:
    from question.intent import asked_details

    assert asked_detail(to_match("每年几月份开始申报？")).name == "date"  # type: ignore[union-attr]
    assert asked_detail(to_match("培训要几个月？")).name == "period"  # type: ignore[union-attr]
    names = [d.name for d in asked_details(to_match("贴息每年最多多少？补几年？"))]
    assert names == ["amount", "period"]
    assert asked_detail(to_match("要准备哪些证明材料？")).name == "materials"  # type: ignore[union-attr]


def test_how_a_system_is_layered_is_not_a_tier_schedule() -> None:
    assert asked_detail(to_match("集群梯度培育体系是怎么分层的？")) is None
    assert asked_detail(to_match("运营费补贴具体怎么分档？")).name == "tiers"  # type: ignore[union-attr]


def test_a_phone_written_in_fours_after_致电_is_a_contact() -> None:
    contact = Detail("contact", "联系方式")
    assert sentence_has_detail("查询请致电2345-6789/6123-4567。", contact, "打哪个电话？")
    assert not sentence_has_detail("共批出2345宗申请。", contact, "打哪个电话？")


def test_an_amount_asked_of_a_rate_is_the_rate() -> None:
    from question.intent import asked_details

    def names(q: str) -> list[str]:
        return [d.name for d in asked_details(to_match(q))]

    assert names("银行利率最高能收多少？") == ["rate"]
    assert names("贷款最高能贷多少？") == ["amount"]
    assert "rate" not in names("补助比例和封顶分别是多少？")  # a rate and a cap: not the rate alone


def test_a_sum_asked_as_what_one_gets_is_an_amount() -> None:
    from question.intent import asked_details

    def names(q: str) -> list[str]:
        return [d.name for d in asked_details(to_match(q))]

    assert names("在北京设立地区总部，能拿到多少落户奖励？") == ["amount"]
    assert names("增量那块第一年能返多少？") == ["amount"]
    assert "amount" not in names("能拿到多少个名额？")  # a count, not a sum


def test_a_benefit_asked_without_a_support_word_is_stated_by_its_rate() -> None:
    amount = Detail("amount", "金额")
    question = to_match("在广东失业了，失业保险金每月能领多少？")
    assert sentence_has_detail(to_match("失业保险金按照最低工资标准的百分之九十按月计发。"), amount, question)
    assert not sentence_has_detail(to_match("失业保险金按月发放。"), amount, question)


def test_an_address_is_a_contact() -> None:
    from question.intent import asked_details

    assert [d.name for d in asked_details(to_match("书面意见寄到哪？"))] == ["contact"]
    assert sentence_has_detail(to_match("邮寄地址:某市新城区某路8号"), Detail("contact", "联系方式"), "")


def test_a_site_asked_is_its_own_detail_stated_by_a_named_site_or_an_address() -> None:
    from question.intent import SOFT_DETAILS, asked_details

    asked = asked_details(to_match("专项资金信息一般在哪个网站统一发布？"))
    assert [d.name for d in asked] == ["website"] and "website" in SOFT_DETAILS
    site = asked[0]
    assert sentence_has_detail(to_match("相关信息集中在“上海中小企业网”上发布。"), site, "")
    assert sentence_has_detail(to_match("企业登录广东政务服务网填写申请表。"), site, "")
    assert sentence_has_detail("申报网址:https://example.gov.cn/sb", site, "")
    assert not sentence_has_detail(to_match("市财政局负责资金拨付。"), site, "")


@pytest.mark.parametrize(("sentence", "stated"), [
    ("申请时须提交营业执照复印件、申请表。", True),
    ("(二)申请人资格文件、自然人身份证明。", True),
    ("申报单位须出具无违法违规证明。", True),
    ("获奖之日起两年内在广州地区领取营业执照或其他法定注册登记。", False),  # a condition, no material
    ("取得职业技能等级证书的，按更高标准计算补贴。", False),
])
def test_materials_are_what_is_handed_in_not_documents_named_as_conditions(sentence: str, stated: bool) -> None:
    materials = Detail("materials", "材料清单")
    assert sentence_has_detail(to_match(sentence), materials, to_match("要准备哪些材料？")) is stated
