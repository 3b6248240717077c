"""The parsed question: places that are places, details the question asks about, the genre's
words for what it says, and what it asks of a document."""

from __future__ import annotations

from question.catalogue import Catalogue
from question.expansion import expansions, vocabulary
from question.intent import asked_detail
from question.places import asked_places
from question.query import parse

CATALOGUE = Catalogue.of([
    {"doc_id": "a", "title": "滨州市人民政府办公室关于加快发展先进制造业集群的实施意见",
     "doc_number": "滨政办字〔2024〕18号", "issuer": "滨州市人民政府办公室"},
    {"doc_id": "b", "title": "山东省专精特新中小企业培育办法", "issuer": "山东省工业和信息化厅"},
    {"doc_id": "c", "title": "龙岩市数字化改造补助实施细则", "issuer": "龙岩市工业和信息化局"}])


def test_a_place_is_a_named_division_a_suffixed_name_or_a_documents_place() -> None:
    assert asked_places("这些东西需要交吗") == ()  # jieba tags 东西 as a place
    assert asked_places("深圳对集群有什么支持") == ("深圳",)  # a prefecture-level city
    assert asked_places("柳河县对人才给多少安家补贴") == ("柳河",)  # the suffix is written
    assert "滨州" in parse("滨州每年推进多少个技术改造项目", CATALOGUE).places


def test_a_detail_counts_only_when_the_question_asks_about_it() -> None:
    assert asked_detail("签订无固定期限劳动合同需要满足什么条件？") is None
    assert asked_detail("这个政策有效期多长") is not None
    assert asked_detail("这个政策有效期多长").name == "period"  # type: ignore[union-attr]
    assert asked_detail("奖励金额上限是多少").name == "amount"  # type: ignore[union-attr]
    assert asked_detail("请提供联系电话").name == "contact"  # type: ignore[union-attr]


def test_colloquial_words_add_the_words_documents_write_for_bm25_only() -> None:
    query = parse("这事找谁？", CATALOGUE)
    assert {"责任", "单位", "牵头"} <= set(query.expansion)
    assert not set(query.expansion) & set(query.tokens)
    assert query.search_tokens == query.tokens + query.expansion
    assert expansions("滨州到2027年高新技术企业要达到多少家", ()) == ()
    assert vocabulary().version


def test_the_asker_the_documents_and_the_ask_are_read_once() -> None:
    query = parse("我们去年营收8000万，研发费用占营收5%，够不够滨政办字〔2024〕18号的要求？", CATALOGUE)
    assert query.documents == {"a"} and query.scope == ("a",)
    assert query.asks_eligibility and query.circumstances.revenue == 80_000_000
    assert query.circumstances.rd_share == 5
    assert parse("滨政办字〔2024〕18号还有效吗？", CATALOGUE).asks_validity
    assert not parse("滨州对链主企业有哪些支持？", CATALOGUE).asks_validity
    compared = parse("滨州和山东对专精特新分别有什么支持？", CATALOGUE)
    assert compared.comparison and set(compared.compared) == {"a", "b"}


def test_a_city_is_covered_by_its_own_name_its_full_name_or_its_province() -> None:
    from question.places import covered

    assert covered("佛山", "《广东省失业保险条例》第十六条")  # its province's documents
    assert covered("呼市", "呼和浩特市推动新型工业化发展十条政策措施")  # a short name
    assert not covered("深圳", "滨州市人民政府办公室关于加快发展先进制造业集群的实施意见")


def test_who_issued_a_document_and_its_signing_date_ask_about_the_document() -> None:
    assert parse("这份办法是哪个单位印发的？落款日期是哪天？").about_document
    assert parse("这份通知是哪个部门发的？").about_document
    assert not parse("这项补贴由哪个部门发放？").about_document


def test_asking_whether_two_say_the_same_or_by_how_much_one_exceeds_compares() -> None:
    assert parse("市里和省里的口径一样吗？").comparison
    assert parse("北京的预留份额比国家规定的高多少？").comparison
    # the asker's own growth over last year compares no documents
    assert not parse("今年产值比去年多了6个亿，能拿多少奖励？").comparison
    assert not parse("租金补贴一年最多多少？").comparison
    assert parse("国家中小企业促进法和北京条例的比例有啥不同？").comparison
    assert parse("北京的规定和国家的比是不是更高？").comparison
    assert not parse("想了解更多的补贴政策，有哪些？").comparison


def test_a_short_title_in_book_marks_names_the_text_of_that_title() -> None:
    catalogue = Catalogue.of([{"doc_id": "old", "title": "个体工商户条例"},
                              {"doc_id": "new", "title": "促进个体工商户发展条例"}])
    assert parse("老的那部《个体工商户条例》是第几号令公布的？", catalogue).documents == frozenset({"old"})
    assert parse("《工商户条例》还有效吗？", catalogue).documents == frozenset()  # a title's part names none


def test_a_national_law_is_named_without_its_country() -> None:
    catalogue = Catalogue.of([{"doc_id": "law", "title": "中华人民共和国中小企业促进法"},
                              {"doc_id": "bj", "title": "北京市促进中小企业发展条例"}])
    assert parse("国家中小企业促进法对政府采购预留份额怎么规定？", catalogue).documents == frozenset({"law"})
    assert parse("促进法怎么规定？", catalogue).documents == frozenset()  # too short to name one
