"""Clause splitting on small hand-written documents: what a list, a heading and a 主送 line become."""

from __future__ import annotations

from corpus.clauses import BodyLine, split_clauses, states_purpose
from corpus.models import DocumentMeta


def _split(*lines: str):  # type: ignore[no-untyped-def]
    return split_clauses("d", "d.txt", DocumentMeta(title="测试文件"), [BodyLine(t) for t in lines])


def test_a_list_of_short_items_is_one_clause_with_its_heading() -> None:
    clauses = _split("一、申报条件", "1. 在本市注册。", "2. 近三年无违法记录。", "3. 年营收不低于500万元。",
                     "二、支持标准", "按投资额的10%给予奖励。")
    assert [c.number_path for c in clauses] == ["一", "二"]
    first = clauses[0]
    assert first.text.splitlines() == ["一、申报条件", "1. 在本市注册。", "2. 近三年无违法记录。",
                                       "3. 年营收不低于500万元。"]
    assert first.heading_path == ("一、申报条件",)


def test_long_items_stay_separate_clauses() -> None:
    long_item = "支持企业开展技术改造，" * 12
    clauses = _split("一、重点任务", f"1. {long_item}", "2. 加强人才引育。")
    assert [c.number_path for c in clauses] == ["一.1", "一.2"]


def test_the_addressee_line_is_flagged() -> None:
    clauses = _split("各县(市、区)人民政府,各市属开发区管委会,市政府各部门:", "现将有关事项通知如下。",
                     "一、总体要求", "坚持创新驱动。")
    assert "addressees" in clauses[0].flags
    assert "addressees" not in clauses[1].flags


def test_chapters_and_articles_of_a_regulation_nest() -> None:
    # 管理办法 are written 第一章 › 第一条 › (一); articles number on across chapters.
    clauses = _split("第一章 总则", "第一条 为鼓励企业加大研发投入，制定本办法。",
                     "第二章 补助条件", "第二条 申请补助的企业应当同时符合下列条件：",
                     "（一）在本市注册；", "（二）上年度研发费用不低于100万元。",
                     "第三条 补助最高不超过50万元。", "第三节 附则", "第四条 本办法由市科技局负责解释。")
    assert [c.number_path for c in clauses] == ["第1章.第1条", "第2章.第2条", "第2章.第3条",
                                                "第2章.第3节.第4条"]
    conditions = clauses[1]
    assert conditions.heading_path == ("第二章 补助条件", "第二条 申请补助的企业应当同时符合下列条件：")
    assert "list" in conditions.flags and "（二）上年度研发费用不低于100万元。" in conditions.text
    assert "第二章" not in clauses[0].text  # a chapter heading is a heading, not the end of the article before it


def test_parenthesised_items_outside_an_article_stay_sections() -> None:
    clauses = _split("一、重点任务", "（一）加强创新。", "（二）强化人才。")
    assert [c.number_path for c in clauses] == ["一.(一)", "一.(二)"]


def test_lead_offices_are_read_in_linear_time_on_runs_of_unit_characters() -> None:
    import time

    from corpus.clauses import office_roles

    assert office_roles("由市发改委、市财政局牵头，市工信局配合。") == (
        ("市发改委", "牵头"), ("市财政局", "牵头"))
    started = time.perf_counter()
    office_roles("市" + "局委办" * 60 + "，" + "发展改革委" * 40 + "。")  # the old pattern took > 60 s
    assert time.perf_counter() - started < 1.0


def test_a_text_s_opening_statement_of_purpose_and_basis() -> None:
    assert states_purpose("第一条 为了保障失业人员的基本生活，根据《中华人民共和国社会保险法》，结合本省实际，制定本条例。")
    assert states_purpose("第一条 为认真贯彻落实《大连市跨境电子商务扶持资金管理暂行规定》，扎实推进园区建设，特制定本办法。")
    assert states_purpose("为贯彻落实《龙岩市推进中小企业数字化转型发展若干措施》,现制定该政策措施实施细则并印发你们,请遵照执行。")
    assert not states_purpose("第十四条 对利用存量资源改建为众创空间的，按照实际发生的改建费用一次性最高奖励100万元。")
    assert not states_purpose("为企业提供融资担保的，给予担保费补贴。")
