"""Which further clauses an answer cites (service.citations), on small made-up clauses: one is
cited only when it answers an asked part the ones before it do not."""

from __future__ import annotations

from corpus.clean import to_match
from corpus.models import Clause
from index.search import Hit
from question.query import parse
from service import citations


def _hit(clause_id: str, text: str, doc: str = "doc_a", heading: tuple[str, ...] = ("一",),
         title: str | None = None, rank: int = 0) -> Hit:
    clause = Clause(clause_id=clause_id, doc_id=doc, source_file=f"{doc}.txt", title=title,
                    doc_number=None, date=None, kind="clause", heading_path=heading,
                    number_path=".".join(heading), text=text, text_match=to_match(text))
    return Hit(clause, 1.0 - rank / 10, 0.9, 10.0 - rank, rank)


RENT_BOTH = _hit("a:1", "对入驻孵化载体的企业，按场地租金的50%给予租金补贴，每年最高5万元，补贴期限最长不超过3年。")
RENT_AMOUNT = _hit("a:2", "对入驻孵化载体的企业，按场地租金的50%给予租金补贴，每年最高5万元。", rank=1)
RENT_PERIOD = _hit("a:3", "租金补贴的期限最长不超过3年，期满不再享受。", rank=2)
HOUSING = _hit("a:4", "在孵化载体就业满1年的人员，每人每月给予1500元住房补贴。", rank=3)


def test_the_asked_phrases_are_the_parts_and_the_askers_circumstances_are_not() -> None:
    query = parse("我们是初创企业，一年房租10万，租金补贴能拿多少？能补几年？")
    parts = citations.asked_parts(query)
    assert [p.detail.name if p.detail else None for p in parts] == ["amount", "period"]
    assert "租金" in parts[0].words and not any("房租" in p.words for p in parts)


def test_a_clause_that_answers_every_part_is_cited_alone() -> None:
    query = parse("我们是初创企业，租金补贴能拿多少？能补几年？")
    assert citations.complete(query, [RENT_BOTH], [RENT_PERIOD, HOUSING]) == [RENT_BOTH]


def test_a_further_clause_is_cited_for_the_part_the_first_leaves_unanswered() -> None:
    query = parse("我们是初创企业，租金补贴能拿多少？能补几年？")
    assert citations.complete(query, [RENT_AMOUNT], [HOUSING, RENT_PERIOD]) == [RENT_AMOUNT, RENT_PERIOD]


def test_the_same_text_in_another_clause_adds_nothing() -> None:
    query = parse("租金补贴每年最高多少钱？")
    copy = _hit("b:1", RENT_AMOUNT.clause.text, doc="doc_b", rank=1)
    assert citations.complete(query, [RENT_AMOUNT], [copy]) == [RENT_AMOUNT]


def test_a_comparison_cites_each_documents_clause() -> None:
    query = parse("甲市和乙市对孵化载体的租金补贴分别是多少？")
    assert query.comparison
    other = _hit("b:1", "对入驻孵化载体的企业给予租金补贴，每年最高3万元。", doc="doc_b", rank=1)
    same_doc = _hit("a:5", "孵化载体的租金补贴按季度拨付。", rank=2)
    assert citations.complete(query, [RENT_AMOUNT], [same_doc, other]) == [RENT_AMOUNT, other]


def test_a_verdict_answers_the_yes_no_part_but_not_an_asked_amount() -> None:
    query = parse("我今年38岁，能申请青年创业租金补贴吗？能拿多少？")
    age = _hit("a:6", "本办法所称青年，是指年龄在35周岁以下的人员。")
    measure = _hit("a:7", "对青年创业企业给予租金补贴，按场地租金的50%给予补贴，每年最高5万元。", rank=1)
    ceremony = _hit("a:8", "青年创业租金补贴的申请每年组织一次。", rank=2)
    # the deciding clause answers "能申请吗"; the clause stating the amount answers "能拿多少"
    assert citations.complete(query, [age], [ceremony, measure], verdict=True) == [age, measure]
    only_whether = parse("我今年38岁，能申请青年创业租金补贴吗？")
    assert citations.complete(only_whether, [age], [ceremony, measure], verdict=True) == [age]


def test_a_document_title_is_read_with_its_clause() -> None:
    query = parse("甲市稳岗返还有咨询电话吗？")
    phone = _hit("c:1", "咨询电话：0123-4567890", doc="doc_c", heading=("¶3",),
                 title="甲市稳岗返还政策解读")
    assert all(citations.answers(phone.clause, part, query.match)
               for part in citations.asked_parts(query))


def test_list_items_are_cited_together_but_a_chapters_articles_are_not() -> None:
    heading = ("三、申报材料",)
    items = [_hit(f"d:{n}", text, doc="doc_d", heading=(*heading, f"{n}.{text}"), rank=n)
             for n, text in enumerate(["申请表", "营业执照复印件", "财务审计报告"], start=1)]
    clauses = [h.clause for h in items]
    cited = citations.siblings(clauses, items[0], items[:1])
    assert [h.clause.clause_id for h in cited] == ["d:1", "d:2", "d:3"]
    chapter = ("第二章 申请条件",)
    articles = [_hit(f"e:{n}", f"第{c}条 {text}", doc="doc_e", heading=(*chapter, f"第{c}条"), rank=n)
                for n, (c, text) in enumerate([("五", "申请人应当依法登记。"), ("六", "申请人应当提交材料。")])]
    assert citations.siblings([h.clause for h in articles], articles[0], articles) == articles[:1]


def test_a_sentence_that_says_the_asked_thing_with_its_figure_answers() -> None:
    query = parse("公司搬了新地址，要在多少天之内去办备案手续？")
    general = _hit("a:7", "第九条 企业住所变更的，应当自变更之日起20日内向主管机关办理备案手续。")
    assert citations.says_asked(general.clause, query)


def test_a_figure_beside_other_words_does_not_say_the_asked_thing() -> None:
    query = parse("公司搬了新地址，要在多少天之内去办备案手续？")
    other = _hit("a:8", "第十条 本办法自印发之日起施行，有效期5年。备案手续另行规定。")
    assert not citations.says_asked(other.clause, query)


def test_the_asked_place_is_not_a_word_the_sentence_must_hold() -> None:
    query = parse("大连市研发项目能补多少？")
    assert query.places
    elsewhere = _hit("a:9", "大连市对新建种植基地的企业给予每亩100元补助。")
    assert not citations.says_asked(elsewhere.clause, query)
    assert citations.says_asked(_hit("a:10", "对研发项目给予最高50万元补助。").clause, query)
    # a question whose asked words are only its place's name (大连市能补多少) says nothing to find
    only_place = parse("大连市能补多少？")
    assert not citations.says_asked(_hit("a:11", "大连市对瞪羚企业给予最高50万元补助。").clause, only_place)


def test_the_sides_a_comparison_names() -> None:
    assert citations.sides(parse("区里和市里的补贴标准分别怎么算？")) == {"区里", "市里"}
    assert len(citations.sides(parse("广东和国务院条例规定一样吗？"))) == 2
    assert len(citations.sides(parse("征求意见稿和正式印发的版本奖励一样吗？"))) == 2
    # a title's level (省级, 国家级) is not a side: two measures of one document are compared
    assert len(citations.sides(parse("在广州，首次认定国家级和省级企业分别奖多少？"))) == 1


def test_a_clause_that_only_leads_a_list_says_nothing_alone() -> None:
    assert citations.leads_only(_hit("c:1", "4、创业补贴\n补贴条件：").clause)
    assert not citations.leads_only(_hit("c:2", "补贴标准：每人2000元。").clause)
