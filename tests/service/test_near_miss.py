"""Near misses judged on the answering document: another place, a fee it never names, a second
ask it does not state (service.near_miss), on small texts written for the test."""

from __future__ import annotations

import pytest

from corpus.clean import to_match
from corpus.models import Clause
from index.search import Hit
from question.query import parse, titles_by_place
from service.near_miss import (
    asked_fees,
    below_asked_tier,
    document_tier,
    elsewhere,
    mentions_fee,
    other_district,
    outside_definition,
    unindexed_titles,
    unlisted_level,
    unspoken_for,
    unstated_batch,
    unstated_detail,
    unstated_title_level,
)

_CITY_DOC = to_match("青州市促进外贸发展若干措施。对在青州注册的外贸企业给予奖励。山东省商务厅指导。")


def test_a_document_of_another_city_does_not_speak_for_the_asked_one() -> None:
    assert unspoken_for(("合肥",), _CITY_DOC, True) == ["合肥"]
    assert unspoken_for(("青州",), _CITY_DOC, True) == []
    # one covered place is enough
    assert unspoken_for(("合肥", "青州"), _CITY_DOC, True) == []


def test_a_national_document_speaks_for_every_place() -> None:
    national = to_match("市场主体应当自变更之日起30日内申请变更登记。")
    assert unspoken_for(("合肥",), national, located=False) == []


def test_a_province_named_in_the_document_covers_its_cities() -> None:
    # 济南 lies in 山东, which the city document names
    assert unspoken_for(("济南",), _CITY_DOC, True) == []


def test_a_district_is_placed_by_the_titles_that_name_it() -> None:
    titles = [("青州", "云门"), ("合肥",)]  # an indexed title 青州市云门区… puts 云门 in 青州
    assert unspoken_for(("云门",), _CITY_DOC, True, titles) == []
    assert unspoken_for(("云门",), to_match("合肥市支持外贸的措施。"), True, titles) == ["云门"]


def test_the_asked_fee_is_read_but_a_fee_only_stated_is_not() -> None:
    assert asked_fees(parse("创业担保贷款的担保费是谁出？要收多少？")) == ["担保费"]
    assert asked_fees(parse("单位买的工伤保险，政府给不给报销保费？")) == ["保费"]
    assert asked_fees(parse("我们交了评审费，一项给多少奖励？")) == []
    assert asked_fees(parse("申请要收费吗？")) == []
    assert asked_fees(parse("开小微企业有没有税费上的照顾？")) == []


def test_a_fee_is_named_also_in_its_long_form() -> None:
    assert mentions_fee("保费", to_match("按实际缴纳保险费的50%给予补贴。"))
    assert not mentions_fee("登记费", to_match("登记机关办理登记不得收取任何费用。"))


def test_a_second_ask_no_cited_clause_states_is_found() -> None:
    query = parse("贷款贴息每年最多多少？补几年？")
    assert [d.name for d in query.details] == ["amount", "period"]
    says = {"amount"}
    missing = unstated_detail(query, ["clause"], lambda hit, d: d.name in says)  # type: ignore[list-item]
    assert missing is not None and missing.name == "period"
    says.add("period")
    assert unstated_detail(query, ["clause"], lambda hit, d: d.name in says) is None  # type: ignore[list-item]


def test_when_and_how_long_answer_each_other() -> None:
    query = parse("经办机构多久审核完？钱从什么时候开始发？")
    assert [d.name for d in query.details] == ["period", "date"]
    assert unstated_detail(query, ["clause"], lambda hit, d: d.name == "period") is None  # type: ignore[list-item]


def test_a_year_the_question_sets_the_policy_in_must_be_the_documents() -> None:
    from service.near_miss import year_not_covered

    notice = "关于申报2016年度技术改造专项资金的通知。奖补金额为设备购置额的10%。"
    scheme = "实施期限为2023年至2027年。对企业给予奖励。"
    assert year_not_covered("2024年的技改设备奖补还能申报吗", notice) == "2024"
    assert year_not_covered("2016年的技改设备奖补比例多少", notice) is None
    assert year_not_covered("2025年还有这个奖励吗", scheme) is None  # within its span
    assert year_not_covered("2028年还有这个奖励吗", scheme) == "2028"
    # a date, the asker's own figures, and years compared ask no year of the policy
    assert year_not_covered("我们2024年9月签的合同能算吗", notice) is None
    assert year_not_covered("我们2014年主营业务收入1800万能报吗", notice) is None
    assert year_not_covered("2022年和2025年的比例分别是多少", notice) is None
    # the asker telling today's year asks whether the policy still applies, not about that year
    assert year_not_covered("有效期几年？现在2028年了还能按它申请吗", scheme) is None
    assert year_not_covered("如今2024年，还能申报吗", notice) is None
    # the asker's founding year dates the asker, not the policy
    assert year_not_covered("2019年按外资企业法设立的公司要多久内调整", notice) is None
    assert year_not_covered("我们是2019年成立的，2024年的奖补还有吗", notice) == "2024"
    # of years in several phrases, the asking phrase's; both in the asking phrase compare them
    lapsed = "政策执行期限至2022年12月31日。中小微企业返还比例最高提至90%。"
    assert year_not_covered(to_match("2022年最高返90%，2023年还是这个比例吗？"), lapsed) == "2023"
    assert year_not_covered(to_match("2022年的政策2023年还能用吗？"), lapsed) is None


def test_a_clause_about_another_city_does_not_answer_for_the_asked_one() -> None:
    example = to_match("各地可给予配套资金支持,如福州市对新认定的企业给予25万元的市级财政奖励。")
    assert elsewhere(example, ["厦门"])
    assert not elsewhere(example, ["福州"])
    # its province and the asked city's own clauses speak for it; so does a clause naming no place
    assert not elsewhere(to_match("福建省财政给予一次性50万元奖励,如福州市配套25万元。"), ["厦门"])
    assert not elsewhere(to_match("企业上市后给予一次性奖励100万元。"), ["厦门"])
    # words that share a place's name without its level are not places (会同有关部门, 泰山人才)
    assert not elsewhere(to_match("市财政局会同有关部门组织实施泰山产业领军人才工程。"), ["滨州"])
    # a municipality is written as a city
    assert elsewhere(to_match("如北京市对首次认定的企业给予30万元奖励。"), ["上海"])


# ------------------------------------------------------------------ a text or a tier not indexed
TIER_CORPUS = {
    "county.txt": "平阴县人民政府关于促进企业上市的奖励办法\n一、对在境内主板首发上市的我县企业，在市级奖励基础上，县里给予奖励200万元。\n",
    "untitled.txt": "一、对我区新认定的高新技术企业给予奖励10万元。\n二、对来津投资的企业，参照天津等地做法给予支持。\n",
    "law.txt": "促进中小企业发展条例\n第一条 向中小企业预留的采购份额应当占年度政府采购项目预算总额的百分之三十以上。\n",
    "district.txt": "广州市天河区促进青年创业办法\n一、对在本区新注册的创业企业给予一次性奖励5万元。\n",
}


@pytest.fixture(scope="module")
def tier_generation(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from index.build import build_index
    from index.embed import HashEmbedder
    from service.engine import open_engine
    from service.settings import Settings

    base = tmp_path_factory.mktemp("tiers")
    (base / "docs").mkdir()
    for name, text in TIER_CORPUS.items():
        (base / "docs" / name).write_text(text, encoding="utf-8")
    build_index([base / "docs"], base / "index", HashEmbedder(), "hash")
    return open_engine(Settings(index_dir=base / "index")).generation


def test_a_text_named_by_a_place_no_document_is_of_is_not_indexed(tier_generation) -> None:  # type: ignore[no-untyped-def]
    assert titles_by_place(to_match("天津市的促进中小企业发展条例规定预留多少份额？"), ("天津",)) == (
        ("天津", "天津市的促进中小企业发展条例"),)
    assert titles_by_place(to_match("甘井子这个补贴办法有效期到什么时候？"), ("甘井子",)) == ()
    # a sentence that ends on 办法/规定 names no text
    assert titles_by_place(to_match("天津的小微企业按照国家的办法能拿多少补贴？"), ("天津",)) == ()
    assert titles_by_place(to_match("天津注册的企业按规定能拿多少？"), ("天津",)) == ()
    asked = tier_generation.parse("天津市的促进中小企业发展条例规定，政府采购要预留多少份额？")
    # one passing mention (天津等地) makes no document Tianjin's own
    assert unindexed_titles(asked, tier_generation) == ["天津市的促进中小企业发展条例"]
    assert unindexed_titles(tier_generation.parse("促进中小企业发展条例规定预留多少份额？"),
                            tier_generation) == []


def test_a_city_s_tier_is_not_answered_by_a_county_s_award(tier_generation) -> None:  # type: ignore[no-untyped-def]
    county = next(c for c in tier_generation.index.clauses if "200万元" in c.text)
    cited = [Hit(county, 1.0, 1.0, 1.0, 0)]
    titles = {d["doc_id"]: d.get("title") or "" for d in tier_generation.index.manifest["documents"]}
    asked = tier_generation.parse("济南市级对企业主板上市奖励多少钱？")
    assert asked.asked_tier == ("济南", "市")
    assert below_asked_tier(asked, cited, tier_generation, titles) is not None
    assert below_asked_tier(tier_generation.parse("济南对企业主板上市奖励多少钱？"), cited,
                            tier_generation, titles) is None
    # a title held at a level is no tier of government asked about
    assert tier_generation.parse("我们是济南市级专精特新企业，能奖多少？").asked_tier is None
    assert document_tier("平阴县人民政府关于促进企业上市的奖励办法", ("平阴",)) == "县"
    assert document_tier("", (), to_match("对我区企业给予奖励。本区企业…")) == "县"  # how it speaks of itself
    assert document_tier("关于促进企业上市的奖励办法", ()) is None
    assert document_tier("新乡高新区关于推进企业上市的奖励办法", ("新乡",)) == "县"


def test_the_asked_place_s_own_document_is_looked_for_further_down(tier_generation) -> None:  # type: ignore[no-untyped-def]
    from service.near_miss import HIT_REACH, place_scope

    clauses = tier_generation.index.clauses
    county = next(c for c in clauses if "200万元" in c.text)
    district = next(c for c in clauses if "天河" in c.text)
    law = next(c for c in clauses if "百分之三十" in c.text)
    asked = tier_generation.parse("平阴县对企业上市奖励多少钱？")
    others = [Hit(district, 1.0, 1.0, 1.0, n) for n in range(HIT_REACH)]
    # none of the top hits is Pingyin's: its own document further down answers
    found = place_scope(asked, others[:1], [*others, Hit(county, 0.5, 0.5, 0.5, HIT_REACH)],
                        tier_generation)
    assert [h.clause.clause_id for h in found] == [county.clause_id]
    # a national text speaks for every place, but only within the top hits: further down it
    # is no reason to answer a question about a place the top hits do not speak for
    assert place_scope(asked, others[:1], [*others, Hit(law, 0.5, 0.5, 0.5, HIT_REACH)],
                       tier_generation) == []


def _hit(text: str, doc: str = "doc") -> Hit:
    clause = Clause(clause_id=f"{doc}:1", doc_id=doc, source_file=f"{doc}.txt", title=None,
                    doc_number=None, date=None, kind="policy", heading_path=(), number_path="1",
                    text=text, text_match=to_match(text))
    return Hit(clause, 1.0, 1.0, 1.0, 0)


def test_a_sum_the_text_leaves_to_a_later_one_is_not_another_s() -> None:
    from service.near_miss import unstated_sum

    clause = _hit("对列入国家级和省级公共海外仓试点的企业，再给予50万元的扶持资金；"
                  "被认定为市级公共海外仓试点的企业，根据相关标准给予一定的资金扶持（具体标准另行制定）。")
    assert unstated_sum(parse("被认定为市级公共海外仓试点，能拿多少扶持资金？"), [clause]) == "具体标准另行制定"
    assert unstated_sum(parse("列入国家级公共海外仓试点的企业，能拿多少扶持资金？"), [clause]) is None


def test_another_place_s_example_is_no_sum_for_the_asked_place() -> None:
    from service.near_miss import unstated_sum

    clause = _hit("新认定的国家级小巨人企业，由省级财政给予一次性50万元奖励。各地可根据实际情况给予配套资金支持，"
                  "如福州市对新认定的国家级小巨人企业给予1:0.5的配套资金，即25万元。")
    assert unstated_sum(parse("厦门对新认定的国家级小巨人配套奖励多少？"), [clause]) == "只举了福州市的例子"
    assert unstated_sum(parse("福州对新认定的国家级小巨人配套奖励多少？"), [clause]) is None


def test_what_replaced_a_lapsed_text_is_not_in_it() -> None:
    from service.near_miss import successor_asked

    old = _hit("本科学历人员年龄需在40周岁以下。", doc="old")
    asked = parse("入户管理办法2025年7月到期以后，新办法对本科学历的年龄要求是多少？")
    assert successor_asked(asked, [old], frozenset({"old"}))
    assert not successor_asked(asked, [old], frozenset())  # in force: it is the text asked about
    assert not successor_asked(parse("本科学历入户的年龄要求是多少？"), [old], frozenset({"old"}))


def test_a_roundup_s_zone_section_is_no_province_s_award(tier_generation) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    section = _hit("对首次认定的国家级专精特新小巨人企业，一次性奖励50万元。", doc="roundup")
    section = Hit(replace(section.clause, heading_path=("二、山西综改区",)), 1.0, 1.0, 1.0, 0)
    asked = parse("山西省里对新认定的国家级小巨人具体奖多少钱？")
    assert asked.asked_tier == ("山西", "省")
    assert below_asked_tier(asked, [section], tier_generation, {"roundup": "山西专精特新奖励政策汇总"}) == (
        "山西", "省", "县", False)


def test_a_date_left_to_a_later_notice_answers_no_when() -> None:
    from service.near_miss import date_left_to_notice

    clause = _hit("具体申报时间见2020年1月3日发布的《关于组织2019年下半年开拓市场项目申报的通知》。"
                  "2020年开拓市场项目的申报指南待发布通知后进行申报。")
    assert date_left_to_notice(parse("2020年开拓市场项目什么时候开始申报？"), [clause])
    assert not date_left_to_notice(parse("2019年下半年开拓市场项目的申报通知哪天发的？"), [clause])


def test_another_district_s_own_text_does_not_answer_for_the_asked_district(tier_generation) -> None:  # type: ignore[no-untyped-def]
    award = next(c for c in tier_generation.index.clauses if "5万元" in c.text)
    hit = Hit(award, 1.0, 1.0, 1.0, 0)
    asked = tier_generation.parse("我们在广州越秀区新注册了一家创业企业，区里奖多少？")
    assert other_district(asked, hit, tier_generation) == ("越秀区", "天河")
    assert other_district(tier_generation.parse("在天河新注册的创业企业奖多少？"), hit, tier_generation) is None
    # the city the district lies in is no other district
    assert other_district(tier_generation.parse("在广州新注册的创业企业奖多少？"), hit, tier_generation) is None


def test_a_level_the_graded_clause_does_not_name_is_not_answered() -> None:
    graded = [_hit("对改造后数字化水平达到二级、三级、四级的企业，最高分别补助20万元、30万元、40万元。")]
    assert unlisted_level(parse("我们的评估达到了五级，能补多少？"), graded) == ("五级", ["二级", "三级", "四级"])
    assert unlisted_level(parse("评估达到了三级，能补多少？"), graded) is None
    # an open end covers the levels beyond it
    open_ended = [_hit("达到二级的补助20万元，达到三级及以上的补助30万元。")]
    assert unlisted_level(parse("我们达到了五级，能补多少？"), open_ended) is None
    # one level is no grading
    assert unlisted_level(parse("我们达到了五级，能补多少？"), [_hit("达到二级的补助20万元。")]) is None


def test_a_title_asked_at_a_level_the_clause_does_not_give_it() -> None:
    national = [_hit("新认定的国家专精特新“小巨人”企业，由省级财政给予一次性50万元奖励。")]
    assert unstated_title_level(parse("新认定了省级专精特新中小企业，省里奖多少？"), national) == (
        "省级专精特新", ["国家专精特新"])  # 省级 there is who pays, not the title's level
    assert unstated_title_level(parse("国家级专精特新企业奖多少？"), national) is None
    listed = [_hit("对新认定的国家级、省级专精特新企业分别给予50万元、20万元奖励。")]
    assert unstated_title_level(parse("省级专精特新企业奖多少？"), listed) is None
    # a clause that gives the title no level decides nothing
    assert unstated_title_level(parse("省级专精特新企业奖多少？"), [_hit("对专精特新企业给予奖励。")]) is None


def test_a_sum_the_document_refers_to_another_text_is_not_a_neighbour_s() -> None:
    from dataclasses import replace

    from service.near_miss import referred_sum

    training = _hit("对年培训人数达到40人以上的，给予培训机构每人1000元的培训补贴，每家每年最多不超过10万元。")
    talent = _hit("鼓励跨境电子商务企业引进专业人才。跨境电子商务企业人才引进按照区人才引进奖励办法给予扶持。")
    talent = replace(talent, clause=replace(talent.clause, clause_id="doc:2"))
    asked = parse("我们引进了一个跨境电商运营总监，按区人才引进奖励办法能拿多少奖励？")
    hit, referral = referred_sum(asked, [training], [training, talent]) or (None, "")
    assert hit is talent and referral.startswith("按照区人才引进奖励办法给予扶持")
    # 参照本办法执行 refers to the text itself; 按规定享受 names no other text
    itself = _hit("在本区创新创业的台湾青年参照本办法执行。")
    assert referred_sum(parse("台湾青年能参照享受多少补贴？"), [itself], [itself]) is None
    stated = _hit("人才引进按照区人才引进奖励办法给予扶持，每人最高5万元。")
    assert referred_sum(asked, [stated], [stated]) is None


def test_a_rate_or_price_charged_is_not_the_subsidy_a_clause_gives() -> None:
    from service.near_miss import unstated_charge

    subsidy = [_hit("按贷款实际利率的50%给予财政贴息。创业担保贷款利率上限不超过LPR+50BP。")]
    assert unstated_charge(parse("创业担保贷款年利率到底是百分之几？"), subsidy) == "具体利率"
    assert unstated_charge(parse("创业担保贷款利率最高能收多少？"), subsidy) is None  # LPR+50BP
    assert unstated_charge(parse("贷款年利率是多少？"), [_hit("贷款年利率为4.35%。")]) is None
    meals = [_hit("长者饭堂运营机构按实际就餐人次享受运营补贴，每人每次3元。")]
    assert unstated_charge(parse("长者饭堂的午餐定价是多少钱一份？"), meals) == "具体价格"
    assert unstated_charge(parse("午餐收费多少？"), [_hit("午餐收费标准为每份12元。")]) is None
    # a share of the price (按售价的多少比例) asks no price
    assert unstated_charge(parse("按售价的多少比例奖励？"), meals) is None


def test_a_later_batch_than_those_reported_is_not_answered() -> None:
    news = [_hit("首批援助计划免息贷款已于今日批出，涉及50宗申请，总金额约2000万元。")]
    assert unstated_batch(parse("第二批免息贷款批了多少宗？"), news) == ("第二批", ["首批"])
    assert unstated_batch(parse("首批免息贷款批了多少宗？"), news) is None
    assert unstated_batch(parse("第二批什么时候批？"), [_hit("贷款审批工作正在进行。")]) is None


def test_who_handles_it_asked_of_a_text_that_names_no_body_is_a_near_miss(tier_generation) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from service.answer import compose

    award = next(c for c in tier_generation.index.clauses if "5万元" in c.text)
    asked = tier_generation.parse("天河新注册创业企业的5万元奖励，要向哪个部门申请？")
    assert asked.intent == "responsible_office"
    draft = compose(asked, [Hit(award, 1.0, 1.0, 1.0, 0)], 1.0, tier_generation, 0.0)
    assert not draft.answerable and "未规定负责或受理的部门" in draft.answer
    # a body named in the clause, even one the office extractor does not read, is an answer
    named = replace(award, text=award.text + "由区青年创业服务中心受理。",
                    text_match=award.text_match + "由区青年创业服务中心受理。")
    assert compose(asked, [Hit(named, 1.0, 1.0, 1.0, 0)], 1.0, tier_generation, 0.0).answerable


def test_an_asked_age_limit_is_a_detail_of_its_own() -> None:
    from question.intent import asked_details, sentence_has_detail

    assert [d.name for d in asked_details("办创业担保贷款有没有年龄限制?")] == ["age"]
    assert [d.name for d in asked_details("我今年57岁,能办创业担保贷款吗?")] == []  # stated, not asked
    age = asked_details("报名有没有年龄上限?")[0]
    assert sentence_has_detail("申请人年龄在18周岁以上、60周岁以下。", age, "")
    assert not sentence_has_detail("贷款额度最高30万元。", age, "")


def test_a_market_the_listing_award_does_not_list_is_a_near_miss() -> None:
    from service.near_miss import market_not_listed

    clause = to_match("对在境内主板、中小板、创业板首发上市或新三板挂牌的企业,分别给予奖励。")
    assert market_not_listed(to_match("在北交所上市能奖多少？"), clause, clause) == (
        "北交所", ["创业板", "中小板", "主板", "新三板"])
    assert market_not_listed(to_match("在创业板上市能奖多少？"), clause, clause) is None
    # the document names it elsewhere: another clause answers
    assert market_not_listed(to_match("在北交所上市能奖多少？"), clause,
                             clause + to_match("在北京证券交易所上市的,奖励300万元。")) is None
    # a clause that lists no markets says nothing of which
    assert market_not_listed(to_match("在北交所上市能奖多少？"), to_match("对上市企业给予奖励。"), "") is None


def _article(n: int, text: str) -> Clause:
    return Clause(clause_id=f"law:{n}", doc_id="law", source_file="law.md", title="某省民营经济发展促进条例",
                  doc_number=None, date=None, kind="regulation", heading_path=(f"第{n}条",),
                  number_path=str(n), text=text, text_match=to_match(text))


LAW = [_article(2, "第二条 本条例所称民营经济，是指除国有独资、国有控股和外商投资之外的各类经济形式。"),
       _article(19, "第十九条 民营经济组织有下列情形之一的，县级以上人民政府可以给予奖励：")]


def test_an_asker_the_text_s_definition_leaves_out_is_outside_it() -> None:
    found = outside_definition(parse("我们是外资企业，按民营经济发展促进条例能拿到哪些奖励？"), LAW)
    assert found is not None and found[0].clause_id == "law:2" and "外商投资" in found[1].required
    assert outside_definition(parse("我们是民营企业，按民营经济发展促进条例能拿到哪些奖励？"), LAW) is None
