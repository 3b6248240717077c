"""Sentence rules of eligibility on small made-up texts: alternatives by category, what the
asker must not hold, moves into the place a commitment binds, 具备条件的 as a modifier."""

from __future__ import annotations

import pytest

from corpus.clean import to_match
from service.bounds import check_bounds
from service.situations import check_clause, check_text
from service.windows import commitment

_BANDS = ("本办法所称小型企业,是指符合下列条件的企业:\n"
          "(一)制造企业,年营业额不超过2000万元,职工人数不超过60人;\n"
          "(二)其他企业,年营业额不超过500万元,职工人数不超过20人。")


def _statuses(clause: str, question: str) -> list[str]:
    return [c.status for c in check_clause(clause, question)]


def test_a_band_the_asker_meets_decides_and_the_other_band_does_not_fail_them() -> None:
    found = _statuses(_BANDS, "我们年营业额1500万元，职工人数50人，算小型企业吗？")
    assert "met" in found and "not_met" not in found


def test_failing_every_band_fails() -> None:
    assert "not_met" in _statuses(_BANDS, "我们年营业额3000万元，职工人数90人，算小型企业吗？")


def test_the_band_the_asker_names_judges_them() -> None:
    # 制造企业 named: its band holds; 1500万 fails 其他企业's 500万 but that band is not theirs
    assert "not_met" not in _statuses(_BANDS, "我们是制造企业，年营业额1500万元，算小型企业吗？")


_LOANS = "申请时,除住房贷款、助学贷款以外,本人及其配偶应没有其他贷款"


@pytest.mark.parametrize("question, status", [
    ("我有房贷，我爱人还有一笔装修贷没还完，能申请吗？", "not_met"),  # 装修贷 is not exempt
    ("我只有一笔房贷，能申请吗？", "unknown"),  # 房贷 is exempt
    ("我丈夫的经营贷已经还清了，能申请吗？", "unknown"),  # settled
    ("我们家没有任何贷款，能申请吗？", "met"),
])
def test_what_the_asker_must_not_hold(question: str, status: str) -> None:
    found = check_text(_LOANS, question)
    assert found.status == status
    if status != "unknown":
        assert found.rule == "requirement"


def test_a_spouse_s_loan_counts_only_where_the_spouse_is_named() -> None:
    assert check_text("申请人本人应没有其他贷款", "我老婆有一笔车贷，我能申请吗？").status == "unknown"


@pytest.mark.parametrize("told, status", [
    ("我们打算把注册地迁到开发区东区", "met"),  # into the place bound
    ("三年后想迁到邻市", "not_met"),
])
def test_a_move_into_the_place_bound_does_not_leave_it(told: str, status: str | None) -> None:
    found = commitment("企业应承诺5年内不迁离开发区", told)
    assert (found[0] if found else None) == status


def test_qualified_units_name_whom_and_require_nothing() -> None:
    assert check_text("赋予具备条件的高校博士学位授予权", "我没有博士学位，能申请吗？").status == "unknown"
    assert check_text("申请人须具备博士学位", "我没有博士学位，能申请吗？").status == "not_met"


def test_ruling_out_those_who_lack_something() -> None:
    clause = "有下列情形之一的,不予登记:\n(一)不符合个体工商户登记条件的;\n(二)申请材料不齐全的。"
    assert "not_met" not in _statuses(clause, "我已经办了个体工商户营业执照，能申请吗？")
    assert "not_met" in _statuses(clause, "我不符合个体工商户登记条件，能申请吗？")


@pytest.mark.parametrize("question, status", [
    ("我们有200名员工，今年想派50人去参训，能补吗？", "not_met"),  # 25% of the staff
    ("我们有200名员工，今年想派16人去参训，能补吗？", "met"),  # 8%
])
def test_a_share_of_a_whole_stated_as_two_counts(question: str, status: str) -> None:
    sentence = "参训人员的比例不得超过企业员工总数的10%以内"
    found = check_text(sentence, question)
    assert (found.status, found.rule) == (status, "threshold")


@pytest.mark.parametrize("question, status", [
    ("我是澳洲华侨，来内地开公司是不是适用公司登记条例？", "not_met"),
    ("我是澳洲华侨，来内地开公司，适用华侨投资促进办法吗？", "met"),
    ("我是本地居民，来内地开公司是不是适用公司登记条例？", "unknown"),  # not among whom
])
def test_the_law_a_sentence_applies_to_whom(question: str, status: str) -> None:
    sentence = "华侨在内地投资兴办企业,适用《华侨投资促进办法》"
    assert check_text(sentence, question).status == status


@pytest.mark.parametrize(("question", "status", "said"), [
    ("我男的，今年58岁，能申请吗？", "met", "男性不超过60周岁"),
    ("我男的，今年62岁，能申请吗？", "not_met", "男性不超过60周岁"),
    ("我是女的，今年58岁，能申请吗？", "not_met", "女性不超过55周岁"),
    ("男，58岁，退役军人，还能申请吗？", "met", "男性不超过60周岁"),
    ("本人女，50岁，能申请吗？", "met", "女性不超过55周岁"),
])
def test_bounds_for_men_and_women_judge_the_asker_by_their_own(question: str, status: str,
                                                                said: str) -> None:
    from service.bounds import check_bounds

    found, required, _ = check_bounds("个体户经营者(女性不超过55周岁、男性不超过60周岁)", question)
    assert (found, said in required) == (status, True)


def test_bounds_for_men_and_women_stay_open_when_the_asker_says_no_sex() -> None:
    from service.bounds import check_bounds

    assert check_bounds("提交贷款申请时女性不超过55周岁、男性不超过60周岁", "我今年58岁，想申请，能申请吗？")[0] \
        == "unknown"
    assert check_bounds("提交贷款申请时女性不超过55周岁、男性不超过60周岁", "我女儿23岁，能申请吗？")[0] == "unknown"


def test_a_rate_of_the_headcount_worked_out_from_the_asker_s_counts() -> None:
    from service.bounds import share_of_total

    rule = "30人(含)以下的参保企业裁员率不高于参保职工总数20%的，可以申请失业保险稳岗返还"
    assert share_of_total(rule, "我们是一家18人的小企业，上一年度裁了5个人，还能申请吗？") == (
        "not_met", "裁员率不高于参保职工总数20%", "我们是一家18人的小企业，上一年度裁了5个人，即27.8%")
    assert share_of_total(rule, "我们是一家18人的小企业，上一年度裁了2个人，还能申请吗？")[0] == "met"  # type: ignore[index]
    # the whole named by the first word of the clause's (参保 of 参保职工), the part said apart
    assert share_of_total(rule, "小公司，参保25个人，失业保险交了两年多，去年裁了6个人，还能享受吗？") == (
        "not_met", "裁员率不高于参保职工总数20%", "参保25个人，去年裁了6个人，即24%")


def test_a_bound_every_year_must_meet_fails_on_one_year_that_does_not() -> None:
    bound = to_match("示范企业连续两年每年新招用员工超过30人(含30人)")
    status, _, stated = check_bounds(bound, to_match("我们前年新招了35个员工，去年新招了26个，能申请吗"))
    assert status == "not_met" and "26" in stated
    assert check_bounds(bound, to_match("我们前年新招了35个员工，去年新招了32个，能申请吗"))[0] == "met"


def test_the_askers_own_figure_after_a_bound_word_and_the_phrase_it_belongs_to() -> None:
    """刚满8个月 states the asker's figure (满 is no bound in their words), and a phrase that
    names nothing (现在刚满8个月) is about the phrase before it (注册了公司), not about the
    months of social insurance they also state."""
    rule = to_match("初创企业登记注册满6个月,申请补贴当月前连续3个月有在职员工正常缴纳社会保险费")
    question = to_match("在广州注册了公司，现在刚满8个月，已经连续交了3个月社保，能申请吗？")
    status, required, stated = check_bounds(rule, question)
    assert (status, stated) == ("met", "现在刚满8个月") and "注册满6个月" in required
    short = to_match("在广州注册了公司，现在刚满5个月，已经连续交了3个月社保，能申请吗？")
    assert check_bounds(rule, short)[0] == "not_met"
    # a phrase that names its own subject keeps it (签了两年合同 is the contract's length)
    contract = to_match("与其签订1年以上劳动合同")
    assert check_bounds(contract, to_match("招了一个毕业3年的本科生，签了两年合同，能领吗"))[0] == "met"


def test_an_alternative_takes_only_the_figures_of_its_own_words() -> None:
    """持股25%以上或员工人数比例达30%以上: the asker's 持股20% fails the first and says nothing of
    the second, so the pair stays open; it is failed when both are stated and fail."""
    rule = to_match("港澳青年实际权益持股比例达25%以上或港澳青年员工人数比例达30%以上的企业")
    assert check_bounds(rule, to_match("港澳股东持股只有20%，30个员工里有10个是港澳青年，算吗？"))[0] == "unknown"
    assert check_bounds(rule, to_match("港澳股东持股只有20%，员工人数里港澳青年比例10%，算吗"))[0] == "not_met"
    assert check_bounds(rule, to_match("港澳股东持股只有20%，员工人数里港澳青年比例40%，算吗"))[0] == "met"
    assert check_bounds(rule, to_match("我们港澳青年持股30%，算港澳青年企业吗"))[0] == "met"


def test_loans_a_requirement_exempts_are_no_exclusion() -> None:
    rule = to_match("4.在提交贷款申请时，除助学贷款、扶贫贷款、住房贷款、购车贷款、10万元以下小额消费贷款（含信用卡消费）以外，"
                    "本人及其配偶应没有其他贷款。")
    assert check_text(rule, to_match("自己有房贷、老婆有车贷，还能申请吗？")).status != "not_met"
    assert check_text(rule, to_match("老婆名下还有一笔经营贷，还能申请吗？")).status == "not_met"
    # the loan applied for is not one held
    assert check_text(rule, to_match("我想在广州申请个人创业担保贷款，我老公名下有套房的房贷，会不会影响？")).status \
        != "not_met"
