"""The first sentence that states the asked figure: the support computed on the asker's own sum,
the tier named by the asker's words, the sentence that states the figure asked, and nothing
composed when the facts would say less than the clause (texts made up for the tests)."""

from __future__ import annotations

from dataclasses import replace

from corpus.clean import to_match
from corpus.extract_facts import extract_facts
from corpus.facts import Circumstances, Support, Tier
from corpus.models import Clause
from index.search import Hit
from question.query import parse
from service.amounts import stated_base, support_sentence
from service.answer import _best_sentences
from service.facts_answer import asks_amount, chinese_date, decide, support_line

NOTHING = Circumstances()


def hit(text: str, heading: tuple[str, ...] = ("第一条",), numbered: bool = True) -> Hit:
    match = to_match(text)
    clause = Clause(clause_id="doc:1", doc_id="doc", source_file="doc.txt", title="某办法",
                    doc_number=None, date=None, kind="regulation", heading_path=heading,
                    number_path="1" if numbered else "", text=text, text_match=match,
                    facts=extract_facts(match))
    return Hit(clause, 1.0, 1.0, 1.0, 1)


def best(text: str, question: str, heading: tuple[str, ...] = ("第一条",), limit: int = 2) -> list[str]:
    query = parse(question)
    return _best_sentences(hit(text, heading), set(query.tokens), query.intent, query.detail,
                           query.match, limit=limit, query=query)


# ------------------------------------------------------------------ the asker's own sum
REFUND = Support("补助", ratio=60, base="企业及其职工上年度实际缴纳养老保险费",
                 text="按企业及其职工上年度实际缴纳养老保险费的60%返还")


def test_the_asker_s_sum_is_the_base_its_words_share() -> None:
    asker = to_match("去年单位和职工一共交了10万养老保险，能返多少？")
    assert stated_base(REFUND, asker) == 100_000
    assert support_sentence(REFUND, NOTHING, "[1]", asker=asker) == (
        "按企业及其职工上年度实际缴纳养老保险费的60%补助：您的10万元最多可补6万元[1]。")


def test_the_asker_s_sum_in_yuan_beside_the_same_in_another_currency() -> None:
    rate = Support("补助", ratio=10, base="上年度交易额", text="按上年度交易额的10%给予资金扶持")
    assert stated_base(rate, to_match("去年交易额折合人民币430万元（约60万美元），能拿多少？")) == 4_300_000


def test_a_sum_named_as_another_quantity_is_not_the_base() -> None:
    research = Support("补助", ratio=10, base="研发费用", text="对营业收入增长的企业按研发费用的10%给予补助")
    assert stated_base(research, to_match("我们营业收入2000万元，能补多少？")) is None
    assert support_sentence(research, NOTHING, asker=to_match("我们营业收入2000万元，能补多少？")) == \
        "按研发费用的10%补助。"


def test_a_measure_without_a_named_base_takes_the_sum_of_what_it_names() -> None:
    booth = Support("补助", ratio=40, base="实际支出", text="对企业参展的展位费给予不超过实际支出40%的补助")
    asker = to_match("我们参展展位费花了5万，能补多少？")
    assert support_sentence(booth, NOTHING, asker=asker).endswith("您的5万元实际支出最多可补2万元。")


def test_the_tier_the_asker_names_of_themselves() -> None:
    tiered = Support("补助", base="上年度实际缴纳养老保险费", tiers=(
        Tier("大型企业", ratio=40), Tier("小型企业", ratio=70)))
    asker = to_match("我们是小型企业，去年交了20万养老保险费，能返多少？")
    assert support_sentence(tiered, NOTHING, asker=asker) == (
        "分档补助大型企业40%、小型企业70%：您适用「小型企业」档，您的20万元最多可补14万元。")
    assert "适用" not in support_sentence(tiered, NOTHING, asker=to_match("我们是企业，能返多少？"))


def test_a_short_tier_label_the_asker_writes_whole() -> None:
    levels = Support("补助", ratio=50, base="数字化改造实际投入资金", tiers=(
        Tier("二级", cap=250_000), Tier("三级", cap=350_000), Tier("四级", cap=450_000)))
    asker = to_match("我们评上了三级，前后投进去100万，最多能拿多少？")
    assert support_sentence(levels, parse(asker).circumstances, asker=asker).endswith(
        "您适用「三级」档，您的100万元按50%为50万元，超过上限，最多可补35万元。")
    assert "适用" not in support_sentence(levels, NOTHING, asker=to_match("二级三级都评过，能拿多少？"))


def test_a_cap_alone_is_said_as_the_award_s_ceiling() -> None:
    once = Support("奖励", cap=1_000_000, once=True, text="按照其实际发生的改建费用,一次性最高奖励100万元")
    assert support_sentence(once, NOTHING) == "一次性最高奖励100万元。"


def test_a_clause_about_another_degree_does_not_judge_the_asker() -> None:
    bachelor = hit("具有本科学历并有学士学位的人员，年龄需在40周岁以下。")
    master = Hit(replace(hit("具有硕士研究生学历或硕士学位的人员，年龄需在45周岁以下。").clause,
                         clause_id="doc:2"), 0.9, 0.9, 0.9, 2)
    query = parse("想从外地引进一个42岁的硕士，能给他办入户吗？")
    result, cited = decide(query, [bachelor], [bachelor, master])
    assert result.verdict == "meets_stated"
    assert cited[0].clause.clause_id == "doc:2"
    # no degree stated: both bounds read, the lower one fails the 42-year-old
    result, _ = decide(parse("想从外地引进一个42岁的人才，能给他办入户吗？"), [bachelor], [bachelor, master])
    assert result.verdict == "not_eligible"


def test_a_verdict_cites_the_clause_that_states_the_conditions_not_a_schedule_of_tiers() -> None:
    schedule = hit("参保人员累计缴费时间满2年不足6年的，补助期限最长为6个月；累计缴费时间满6年的，"
                   "补助期限最长为12个月。", heading=("第九条",))
    conditions = Hit(replace(hit("具备下列条件的参保人员，可以领取生活补助：（一）参加失业保险，所在单位和本人已按照规定履行缴费义务满2年的；"
                                 "（二）非因本人意愿中断就业的。", heading=("第八条",)).clause,
                             clause_id="doc:2"), 0.9, 0.9, 0.9, 2)
    query = parse("我在单位才干了10个月，单位和我一直交着失业保险，被辞退了，能领生活补助吗？")
    result, cited = decide(query, [schedule, conditions], [schedule, conditions])
    assert result.verdict == "not_eligible"
    assert [h.clause.clause_id for h in cited] == ["doc:2"]


def test_the_same_measure_in_another_document_neither_decides_nor_is_cited() -> None:
    here = hit("参保企业足额缴纳失业保险费12个月以上,30人(含)以下的参保企业裁员率不高于参保职工总数20%的,"
               "可以享受稳岗返还政策。")
    elsewhere = Hit(replace(hit("30人(含)以下的参保企业裁员率不高于参保职工总数20%的,可以申请稳岗返还。"
                                ).clause, clause_id="other:1", doc_id="other"), 0.8, 0.8, 0.8, 2)
    query = parse("一家25人的小公司，失业保险交了2年，能享受稳岗返还吗？")
    result, cited = decide(query, [here, elsewhere], [here, elsewhere])
    assert result.verdict == "meets_stated"
    assert [h.clause.doc_id for h in cited] == ["doc"]
    assert all(c.clause_id == "doc:1" for c in result.conditions)


def test_a_much_weaker_clause_of_another_measure_does_not_decide() -> None:
    retained = hit("见习单位留用见习学员，参加社会保险6个月以上的，按每人3000元给予留用补贴。",
                   heading=("第四章 见习基地管理", "第十八条"))
    other = Hit(replace(hit("见习基地连续两年每年接收就业见习人员超过50人的，可申请认定为示范基地。",
                            heading=("第四章 见习基地管理", "第十九条")).clause, clause_id="doc:2"),
                0.4, 0.4, 0.4, 2)
    query = parse("我们留用了2个见习生，社保交了7个月，能拿留用补贴吗？")
    result, cited = decide(query, [Hit(retained.clause, 0.95, 0.95, 0.95, 1)], [retained, other])
    assert result.verdict != "not_eligible" and cited[0].clause.clause_id == "doc:1"
    # the same clause under the document's conditions is read however it scores
    listed = Hit(replace(other.clause, heading_path=("三、申报条件", "(二)")), 0.4, 0.4, 0.4, 2)
    result, _ = decide(query, [Hit(retained.clause, 0.95, 0.95, 0.95, 1)], [retained, listed])
    assert any(c.clause_id == "doc:2" for c in result.conditions)


# ------------------------------------------------------------------ when a line is composed
def test_asking_what_a_measure_gives() -> None:
    assert asks_amount(parse("稳岗返还能返多少？"))
    assert asks_amount(parse("租金补贴一年最多多少？"))
    assert not asks_amount(parse("申请需要准备哪些材料？"))


def test_a_support_line_on_the_asker_s_sum() -> None:
    found = hit("对企业支付的国际物流费用，按其国际物流费用的10%给予资金扶持，每家企业最多不超过50万元。")
    line = support_line(parse("我们一年国际物流费花了300万元，能补多少？"), [found])
    assert line == "按国际物流费用的10%补助、每家企业最高50万元：您的300万元国际物流费用最多可补30万元[1]。"


def test_no_line_when_one_cap_would_stand_for_several() -> None:
    found = hit("补贴标准：甲类地区每年最高8000元，其他地区每年最高5000元。")
    line = support_line(parse("租金补贴一年最多多少？"), [found])
    assert line is not None and "8000元" in line and "5000元" in line  # read as two tiers
    one_cap = Support("补助", cap=8000, text="补贴标准:甲类地区每年最高8000元,其他地区每年最高5000元")
    facts_only = Hit(replace(found.clause, facts=(one_cap,)), 1.0, 1.0, 1.0, 1)
    assert support_line(parse("租金补贴一年最多多少？"), [facts_only]) is None


# ------------------------------------------------------------------ the sentence that answers
def test_an_article_s_first_sentence_is_not_dropped_as_its_heading() -> None:
    text = "第十三条 个体户应当于每年1月1日至6月30日报送年度报告。个体户应当对报告的真实性负责。"
    chosen = best(text, "个体户年报每年截止到几号？",
                  heading=("第十三条 个体户应当于每年1月1日至6月30日报送年度报告",), limit=1)
    assert chosen == ["第十三条个体户应当于每年1月1日至6月30日报送年度报告。"]


def test_the_sentence_of_the_asker_s_band() -> None:
    text = ("缴费时间满1年不足5年的，领取期限最长为12个月；缴费时间满5年不足10年的，领取期限最长为18个月；"
            "缴费时间10年以上的，领取期限最长为24个月。")
    assert best(text, "我累计缴费7年了，最长能领多久？", limit=1) == ["缴费时间满5年不足10年的,领取期限最长为18个月;"]


def test_two_figures_asked_two_sentences_said() -> None:
    text = ("第六条 有关部门应当支持中小企业参与采购。预留份额应当占预算总额的百分之三十以上；"
            "其中，预留给小微企业的比例不低于百分之六十。")
    chosen = best(text, "采购预算至少要留多少给中小企业？其中小微企业能占多少？", limit=1)
    assert chosen == ["预留份额应当占预算总额的百分之三十以上;", "其中,预留给小微企业的比例不低于百分之六十。"]


def test_every_contact_sentence_of_a_contact_clause() -> None:
    text = "联系人：张三\n联系电话：1234567\n邮箱：abc@example.cn"
    chosen = best(text, "电话、邮箱是多少？", heading=("联系方式",), limit=1)
    assert any("1234567" in s for s in chosen) and any("abc@example.cn" in s for s in chosen)


def test_a_date_as_documents_write_it() -> None:
    assert chinese_date("2025-05-27") == "2025年5月27日"
    assert chinese_date("2025-05") is None


def test_a_comparison_gets_one_line_per_document() -> None:
    province = hit("对首台套产品按销售价格的20%给予补助，最高1000万元。")
    city = hit("对首台套产品按销售价格的10%给予补助，最高300万元。")
    city = Hit(replace(city.clause, clause_id="city:1", doc_id="city", title="某市办法"), 1.0, 1.0, 1.0, 2)
    query = replace(parse("首台套省里和市里的补助比例和封顶分别是多少？"), comparison=True)
    assert support_line(query, [province, city]) == (
        "《某办法》：按销售价格的20%补助、最高1000万元[1]。\n《某市办法》：按销售价格的10%补助、最高300万元[2]。")


def test_an_article_s_lead_in_to_a_list_says_nothing() -> None:
    text = "第五条 申请认定基地，应当符合下列条件：\n（一）每年提供见习岗位不少于10个。"
    chosen = best(text, "我们一年能提供8个岗位，能申请认定基地吗？",
                  heading=("第五条 申请认定基地，应当符合下列条件：",), limit=1)
    assert chosen == ["(一)每年提供见习岗位不少于10个。"]


def test_how_long_a_measure_lasts_is_said_with_its_terms() -> None:
    loan = Support("贴息", ratio=30, base="贷款实际利息", cap=1_000_000,
                   text="按照贷款实际利息的30%给予贴息补助,单个项目每年不超过100万元,连续补贴3年")
    assert support_sentence(loan, NOTHING) == "按贷款实际利息的30%贴息、单个项目每年最高100万元、连续补贴3年。"


def test_a_further_cap_of_a_scope_keeps_the_line() -> None:
    found = hit("按实际交易金额给予企业5%、每项不超过50万元的资助，同一单位每年最高资助100万元。")
    line = support_line(parse("交易金额实际付了80万，能资助多少？"), [found])
    assert line is not None and line.endswith("最多可补4万元[1]。")


def test_a_sum_per_unit_is_worked_out_for_the_askers_count() -> None:
    per_item = Support(kind="补助", amount=2000.0, base="每项", text="每项给予0.2万元的资助")
    line = support_sentence(per_item, Circumstances(), asker="我们登记了4件软件著作权，一件给多少？")
    assert line == "每项给予2000元补助：您的4件按每项2000元共8000元。"
    capped = replace(per_item, cap=5000.0)
    assert "最多可补5000元" in support_sentence(capped, Circumstances(), asker="登记了4件，能拿多少？")


def test_a_sum_per_person_is_not_multiplied_by_the_people_the_asker_counts() -> None:
    per_person = Support(kind="补助", amount=200.0, base="每人", text="按每人200元给予补助")
    assert "您的" not in support_sentence(per_person, Circumstances(), asker="公司有员工40人，能补多少？")


def test_the_repealing_texts_clause_says_from_when_the_repeal_holds() -> None:
    from service.facts_answer import repealing_clause

    def clause(doc: str, clause_id: str, text: str) -> Clause:
        return Clause(clause_id=clause_id, doc_id=doc, source_file=f"{doc}.md", title=None, doc_number=None,
                      date=None, kind="clause", heading_path=(clause_id,), number_path=clause_id,
                      text=text, text_match=to_match(text))

    records = {"old": {"doc_id": "old", "title": "某省示范条例", "repealed_by": "某省促进示范条例"},
               "new": {"doc_id": "new", "title": "某省促进示范条例"}}
    closing = clause("new", "new:40", "第四十条 本条例自2023年1月1日起施行。《某省示范条例》同时废止。")
    clauses = [clause("old", "old:30", "第三十条 本条例自2010年5月1日起施行。"),
               clause("new", "new:1", "第一条 为了促进示范，废止不合时宜的做法，制定本条例。"), closing]
    assert repealing_clause(records["old"], records, clauses) == closing
    assert repealing_clause(records["new"], records, clauses) is None


def test_a_document_that_says_nothing_of_its_dates_is_undated() -> None:
    from service.facts_answer import undated

    page = hit("对新认定的高新技术企业给予一次性5万元奖励。").clause
    record = {"doc_id": "doc", "title": "高新技术企业认定的企业奖励是什么?"}
    assert undated(record, [page])
    # a date in its record, or a clause that states one, dates it
    assert not undated({**record, "date_issued": "2023-05-01"}, [page])
    assert not undated(record, [page, hit("本办法自2023年6月1日起施行,有效期三年。").clause])


def test_an_answer_from_an_older_version_says_so() -> None:
    from datetime import date

    from service.facts_answer import status_note

    old = {"doc_id": "old", "title": "某省示范条例", "date_issued": "2020-04-10",
           "date_effective": "2020-04-10", "superseded_by": "new"}
    assert status_note(old, date(2026, 12, 1)) == "注意：此为《某省示范条例》2020年4月10日的文本，该文件已有更新的版本"
    assert status_note({**old, "superseded_by": None}, date(2026, 12, 1)) is None


def test_a_note_on_a_text_no_longer_in_force_says_since_when_and_never_names_a_file() -> None:
    from datetime import date

    from service.facts_answer import status_note

    today = date(2026, 12, 1)
    old = {"doc_id": "03_old-regs", "title": "某某条例", "repealed_by": "某某促进条例",
           "date_effective": "2016-01-01"}
    new = {"doc_id": "02_new", "title": "某某促进条例", "date_effective": "2022-11-01"}
    assert status_note(old, today, [old, new]) == "注意：《某某条例》已自2022年11月1日起被《某某促进条例》废止"
    assert status_note(old, today) == "注意：《某某条例》已被《某某促进条例》废止"  # its date not indexed
    page = {"doc_id": "08_some-city-page", "title": None, "issuer": "某市人社局", "date_expires": "2025-12-31"}
    assert status_note(page, today) == "注意：某市人社局发布的所引文件已于2025年12月31日失效"
    assert status_note({**page, "issuer": None}, today) == "注意：所引文件已于2025年12月31日失效"


def test_a_line_per_place_answers_with_the_asked_place_s_line() -> None:
    table = ("各县受理窗口：海城市就业服务中心，联系电话:3308602，地址:海城市站前街2号。"
             "台安县就业服务中心，联系电话:4850008，地址:台安县繁荣北街86号。")
    lines = best(table, "我在鞍山海城市，想办创业担保贷款，去哪个部门？电话多少？", limit=4)
    assert lines and all("台安" not in line for line in lines)
    assert any("3308602" in line for line in lines)


def test_an_address_asked_comes_first() -> None:
    contacts = "联系人:王明。联系电话:4609232。邮箱:abc@163.com。邮寄地址:某市新城区某路8号投资规划科。"
    lines = best(contacts, "书面意见要寄的话寄到哪？哪个科室收？", limit=4)
    assert lines[0].startswith("邮寄地址")


def test_a_table_of_each_place_s_office_keeps_the_asked_place_s() -> None:
    from service.answer import _asked_place_own

    table = ["海城市劳动就业服务中心", "台安县劳动和社会保障事务服务中心"]
    assert _asked_place_own(table, ("鞍山", "海城")) == ["海城市劳动就业服务中心"]
    # offices that name no different places are all the answer
    assert _asked_place_own(["市商务部门", "北京经济技术开发区管理委员会"], ("北京",)) == [
        "市商务部门", "北京经济技术开发区管理委员会"]


def test_the_tier_of_the_degree_the_asker_states() -> None:
    by_degree = Support("补贴", tiers=(Tier("博士每人10000元", amount=10000), Tier("硕士每人7000元", amount=7000),
                                     Tier("其他每人5000元", amount=5000)))
    asker = to_match("我硕士毕业一年，去湛江上班，能领多少？")
    line = support_sentence(by_degree, parse(asker).circumstances, asker=asker)
    assert "您适用「硕士每人7000元」档" in line
    assert "10000元1万元" not in line  # a tier that states its sum is not followed by it again


def test_a_verdict_from_shared_words_in_a_far_weaker_clause_is_not_trusted() -> None:
    best_match = hit("本市完善海外科技人才服务政策，提供签证、工作许可等便利。")
    situation_only = Hit(replace(hit("新型研发机构可以采取灵活有效的体制机制，自主决定人员聘用。").clause,
                                 clause_id="doc:2"), 0.5, 0.5, 0.5, 2)
    query = parse("我在一家新型研发机构工作，能担任重大科研项目的主持人吗？")
    top = Hit(best_match.clause, 0.95, 0.95, 0.95, 1)
    result, cited = decide(query, [top, situation_only], [top, situation_only])
    assert result.verdict == "unknown" and cited[0].clause.clause_id == "doc:1"
    # as strong as the best match, the same words decide
    close = Hit(situation_only.clause, 0.9, 0.9, 0.9, 2)
    result, cited = decide(query, [top, close], [top, close])
    assert result.verdict == "meets_stated" and cited[0].clause.clause_id == "doc:2"


def test_the_texts_a_measure_rests_on_are_named_with_their_numbers() -> None:
    from service.answer import _basis_line

    assert parse("新认定小巨人奖50万，依据的是哪个文件？文号多少？").asks_basis
    assert parse("扶持计划的设定依据是哪两个文件？").asks_basis
    assert not parse("根据这个办法能拿多少？").asks_basis
    said = hit("根据《某省关于加大力度助企纾困的若干意见》(某中小企业办〔2022〕1号)，新认定的小巨人企业给予50万元奖励。")
    line, used = _basis_line([said], lambda doc: [said.clause])  # type: ignore[misc]
    assert line == "依据《某省关于加大力度助企纾困的若干意见》（某中小企业办〔2022〕1号）[1]。" and used == [said]
    # a list under 设定依据: every text it lists, each item cited
    first = hit("(一)《某市若干措施》(某府规〔2021〕1号)", heading=("二、设定依据", "(一)"))
    second = Hit(replace(hit("(二)《某局扶持计划操作规程》(某工信规〔2021〕2号)",
                             heading=("二、设定依据", "(二)")).clause, clause_id="doc:2"), 0.5, 0.5, 0.5, 2)
    line, used = _basis_line([second], lambda doc: [first.clause, second.clause])  # type: ignore[misc]
    assert line == "依据《某市若干措施》（某府规〔2021〕1号）[1]、《某局扶持计划操作规程》（某工信规〔2021〕2号）[2]。"
    assert [h.clause.clause_id for h in used] == ["doc:1", "doc:2"]
    assert _basis_line([hit("对新认定的企业给予奖励。")], lambda doc: []) is None


def test_a_term_the_asker_quotes_is_what_the_cited_clause_must_name() -> None:
    from service.answer import _naming_quoted

    other = hit("对首次认定的国家级专精特新“小巨人”企业，一次性奖励50万元。")
    named = Hit(replace(hit("对认定为省级“单项冠军”企业的中小企业给予财政资金奖励。").clause, clause_id="doc:2"),
                0.5, 0.5, 0.5, 2)
    query = parse("山西对认定为省级“单项冠军”的企业，具体奖励多少钱？")
    assert query.quoted == ("单项冠军",)
    corpus = other.clause.text_match + named.clause.text_match
    assert _naming_quoted(query, [other], [other, named], corpus) == [named]
    assert _naming_quoted(query, [named], [other, named], corpus) == [named]
    # a quoted phrase the corpus never uses (the asker's own papers) changes nothing
    outside = parse("采购文件写着“经营年限须满3年”，这样合法吗？")
    assert _naming_quoted(outside, [other], [other, named], corpus) == [other]


def test_a_sum_per_person_for_the_people_the_asker_counts_as_the_measure_names_them() -> None:
    retained = Support("补助", amount=3000, base="每人",
                       text="见习单位在见习期满后留用见习学员的,按每人3000元给予用人单位留用补贴")
    asker = to_match("我们留用了2个见习生，一共能拿多少？")
    assert asks_amount(parse(asker))
    assert support_sentence(retained, NOTHING, asker=asker).endswith("您的2个按每人3000元共6000元。")
    # a headcount is not the people a 每人 sum is for, also beside the counted ones
    assert "共" not in support_sentence(retained, NOTHING, asker=to_match("我们公司有40名职工，能拿多少？"))
    assert support_sentence(retained, NOTHING, asker=to_match("我们有40名职工，留用了2个见习生，一共多少？")).endswith(
        "您的2个按每人3000元共6000元。")


def test_the_conditions_clause_of_the_measure_asked_is_read_wherever_it_ranks() -> None:
    support = hit("对列入生产资助计划的项目，给予推广资金生产资助，资助金额最高不超过500万元。")
    conditions = replace(hit("（二）申请生产资助单位必须工商注册2年以上，有较强的技术开发能力。",
                             heading=("第十六条 申请推广资金的单位，应具备以下基本条件：",)).clause,
                         clause_id="doc:2")
    other = replace(hit("（一）技能人才年龄在40周岁以下。", heading=("3.满足以下条件之一：",)).clause,
                    clause_id="doc:3")
    query = parse("我们公司在大连注册才一年半，能申请首台套生产资助吗？")
    result, cited = decide(query, [support], [support], [support.clause, conditions, other])
    assert result.verdict == "not_eligible" and cited[0].clause.clause_id == "doc:2"
    assert all(c.clause_id != "doc:3" for c in result.conditions)  # another measure's conditions
    result, _ = decide(query, [support], [support])  # without the document: not read
    assert result.verdict != "not_eligible"


def test_a_threshold_tier_keeps_its_sum() -> None:
    from service.amounts import terms

    by_revenue = Support("奖励", tiers=(Tier("营业收入1亿元以上", amount=1_000_000, threshold=1e8),
                                      Tier("营业收入5亿元以上", amount=3_000_000, threshold=5e8)))
    assert terms(by_revenue) == "分档奖励营业收入1亿元以上100万元、营业收入5亿元以上300万元"


def test_a_sum_per_time_is_worked_out_for_the_times_the_asker_counts_of_it() -> None:
    from service.amounts import _per_unit

    meals = Support(kind="补助", amount=3.0, base="每人每次", text="为老年人提供送餐服务的,按每人每次3元给予送餐补贴")
    assert _per_unit(meals, "每个月给他送20次餐,能补多少") == "您的20次按每人每次3元共60元"
    monthly = Support(kind="补助", amount=800.0, base="每月", text="见习期间按每月800元给予生活费补贴")
    assert _per_unit(monthly, "小王来见习,见习了5个月,一共多少") == "您的5个月按每月800元共4000元"
    # months counted of something else are not the months paid for
    assert _per_unit(monthly, "社保交了5个月,生活费补贴多少") == ""


def test_the_support_of_the_asker_s_level_is_the_one_stated() -> None:
    clause = hit("为照护等级1-5级的老人提供助餐服务可享受助餐补贴，其中，照护等级1-2级补贴标准为每人每次1元，"
                 "3-5级补贴标准为每人每次3元。")
    line = support_line(parse("我妈照护评估是4级，助餐补贴每次多少？"), [clause])
    assert line is not None and "3元" in line and "1元" not in line


def test_a_sum_per_month_over_the_longest_period_when_the_total_is_asked() -> None:
    housing = Support("补助", amount=1500.0, base="每人每月",
                      text="连续就业满1年的港澳青年可领取每人每月1500元住房补贴,补贴期限最长为2年")
    total = support_sentence(housing, NOTHING, "[1]", asker=to_match("最多一共能领多少？"))
    assert total.endswith("按每人每月1500元、最长2年计，最多共1500元×24=3.6万元（36000元）[1]。")  # not 满1年
    assert "共" not in support_sentence(housing, NOTHING, asker=to_match("一个月多少？"))
    counted = support_sentence(housing, NOTHING, asker=to_match("我领了5个月住房补贴，一共多少？"))
    assert "您的5个月按每人每月1500元共7500元" in counted  # the asker's own months, not the longest
    yearly = Support("补助", amount=3000.0, base="每人每年", text="每人每年3000元交通补贴,补贴期限最长为2年")
    assert "最多共3000元×2=6000元" in support_sentence(yearly, NOTHING, asker=to_match("交通补贴总共多少？"))


def test_a_ceiling_per_person_is_the_rate_for_the_askers_count() -> None:
    training = Support("补助", cap=800.0,
                       text="根据培训考核合格人数,按每人不超过800元的标准计算补贴总额,补助给承训单位")
    asker = to_match("45个人考核合格拿到了证书，补贴总额大概能有多少？")
    assert support_sentence(training, NOTHING, asker=asker).endswith(
        "您的45人按每人不超过800元最多共3.6万元（36000元）。")
    # people the measure does not count (在职职工) are not its units
    assert "共" not in support_sentence(training, NOTHING, asker=to_match("我们有45个人在职，能补多少？"))


def test_the_clause_says_what_the_units_are_of_when_the_support_fragment_does_not() -> None:
    meal = Support("补助", amount=4.0, base="每人每次", text="3-5级补贴标准为每人每次4元")
    asker = to_match("每个月给他送22次餐，一个月能拿多少送餐补贴？")
    assert "共" not in support_sentence(meal, NOTHING, asker=asker)
    assert support_sentence(meal, NOTHING, asker=asker, context="运营机构提供送餐服务可享受送餐补贴"
                            ).endswith("您的22次按每人每次4元共88元。")


def test_a_sum_that_grows_per_further_unit_is_worked_for_the_askers_count() -> None:
    fair = hit("对展位费给予不超过实际支出50%的补助。每个基本展位的展位费支持上限2万元,每增加一个展位支持限额各增加1万元。")
    line = support_line(parse("我们订了3个基本展位，展位费补贴上限一共是多少？"), [fair])
    assert line == "首个2万元、每增加一个展位增加1万元：您的3个展位最多共4万元（40000元）[1]。"
    # one unit, or no count of the units, works nothing out
    assert "共" not in (support_line(parse("订了1个展位，展位费补贴最多多少？"), [fair]) or "")
    assert "共" not in (support_line(parse("展位费补贴上限多少？"), [fair]) or "")


def test_a_matching_fund_adds_to_the_sum_it_matches_when_both_are_asked() -> None:
    award = hit("新认定的国家级小巨人企业,由省级财政给予一次性50万元奖励。如福州市对新认定的国家级小巨人企业,"
                "给予1:0.5的配套资金奖励,即配套给予25万元的市级财政奖励。")
    line = support_line(parse("福州的企业刚认定国家级小巨人，省里加上市里配套一共能拿多少？"), [award])
    assert line == "50万元+配套25万元，共75万元[1]。"
    # asked without the matching fund, the sums are not added
    assert "75万元" not in (support_line(parse("认定国家级小巨人省里奖励多少？"), [award]) or "")


def test_the_askers_numbered_level_picks_its_band() -> None:
    meal = hit("老年人照护需求等级1-2级补贴标准为每人每次2元,3-5级补贴标准为每人每次4元。")
    assert support_line(parse("给照护需求4级的老人送餐，每次补贴多少？"), [meal]) == "每人每次给予4元补助[1]。"
    assert support_line(parse("给照护需求2级的老人送餐，每次补贴多少？"), [meal]) == "每人每次给予2元补助[1]。"


def test_a_phone_in_a_list_of_offices_comes_with_the_office_it_is_for() -> None:
    windows = ("三、受理地址\n1.海城市劳动就业服务中心创业指导科\n联系电话:3308602 地址:海城市站前街2号\n"
               "2.铁东区劳动就业和社会保障服务中心就业创业科\n联系电话:5550169 地址:铁东区安乐街18号\n")
    said = best(windows, "我在铁东区，想申请创业担保贷款，去哪儿办？电话多少？", heading=("三、受理地址",))
    assert any("铁东区劳动就业和社会保障服务中心" in s for s in said)
    assert any("5550169" in s for s in said) and not any("3308602" in s for s in said)


# ------------------------------------------------------------------ how a grant is paid
RISK = ("第六条 对列入风险补贴计划的项目，给予推广资金风险补贴。补贴标准原则上不超过产品订货合同及发票认定金额的10%，"
        "补贴金额最高不超过200万元。订货合同完成后，一次性拨付补助金额的80%，项目通过验收后，再拨付剩余的20%。")


def test_a_share_of_the_grant_is_how_it_is_paid_not_a_rate_of_the_asker_s_sum() -> None:
    query = parse("订货合同3000万，风险补贴能拿多少？")
    line = support_line(query, [hit(RISK)])
    assert line is not None and "最多可补200万元" in line and "2400万" not in line
    assert "拨付" not in line  # not asked when it is paid


def test_what_is_paid_first_is_worked_from_the_grant_the_asker_gets() -> None:
    line = support_line(parse("订货合同3000万，风险补贴能拿多少？合同完成后先拨多少？"), [hit(RISK)])
    assert line is not None
    first, paid = line.split("\n")
    assert "最多可补200万元" in first
    assert paid == "订货合同完成后,一次性拨付补助金额的80%，即160万元[1]。"
