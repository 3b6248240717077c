"""Who-questions over small made-up texts: role asks, one statement per role, full names of
defined short names, and a document's own issuer line."""

from __future__ import annotations

import pytest

from corpus.clean import to_match
from corpus.extract_facts import extract_facts
from corpus.models import Clause
from index.search import Hit
from question.intent import classify
from question.roles import role_asks
from service.offices_answer import (
    answer_roles,
    expand_aliases,
    issuer_clause,
    with_full_names,
)


def _clause(n: int, text: str, numbered: bool = True, doc: str = "d1") -> Clause:
    match = to_match(text)
    return Clause(clause_id=f"{doc}:{n}", doc_id=doc, source_file=f"{doc}.txt", title=None,
                  doc_number=None, date=None, kind="policy",
                  heading_path=(f"第{n}条",) if numbered else (), number_path=str(n) if numbered else f"¶{n}",
                  text=text, text_match=match, ordinal=n, facts=extract_facts(match))


def _hit(clause: Clause, rank: int) -> Hit:
    return Hit(clause, 1.0 - rank / 10, 0.9, 5.0, rank)


DOC = [
    _clause(1, "第一条 为规范示范园区补助资金管理，制定本办法。"),
    _clause(2, "第二条 园区补助资金由区财政局按年度预算安排。"),
    _clause(3, "第三条 企业向区科技局提出补助申请，区科技局组织专家进行初审，出具初审意见。"),
    _clause(4, "第四条 区财政局对初审意见进行复审，复审通过后拨付资金。"),
    _clause(5, "第五条 本办法由区科技局负责解释。"),
]


def test_a_question_that_asks_several_roles_is_split_into_them() -> None:
    asks = role_asks(to_match("园区补助由谁初审、谁复审拨付资金？"))
    assert [a.role.name for a in asks] == ["初审", "复审", "拨付"]
    asks = role_asks(to_match("材料先交给谁？国有企业呢？"))
    assert [a.role.name for a in asks] == ["受理", "受理"] and asks[1].words == "国有企业呢"
    assert role_asks(to_match("园区补助最高多少钱？")) == []
    assert role_asks(to_match("证明产品已经卖出去需要交哪些材料？")) == []  # what, not to whom
    assert [a.role.name for a in role_asks(to_match("材料交到哪个部门？"))] == ["受理"]
    assert [a.role.name for a in role_asks(to_match("审计费用由谁出？"))] == ["拨付"]  # 审计 is no 审核
    # who issues the project plan is a role of its own, beside who pays
    asks = role_asks(to_match("补助数额由哪个部门核定和拨付？项目计划又是谁下达？"))
    assert [a.role.name for a in asks] == ["拨付", "下达计划"]


def test_the_ask_decides_the_intent_over_a_topic_word() -> None:
    assert classify(to_match("运营补贴申请交给谁审核拨付？")) == "responsible_office"
    assert classify(to_match("这笔奖励是谁发到企业手上的？")) == "responsible_office"
    assert classify(to_match("园区补贴标准是多少？")) == "target_number"


def test_each_role_is_answered_by_the_sentence_that_names_its_office() -> None:
    hits = [_hit(DOC[1], 0), _hit(DOC[4], 1), _hit(DOC[0], 2)]  # the procedure clauses rank low
    found = answer_roles(to_match("园区补助由谁初审、谁复审拨付资金？"), hits, DOC)
    assert found is not None
    lines, cited = found
    assert "区科技局组织专家进行初审" in lines[0] and lines[0].endswith("[1]。")
    assert "区财政局对初审意见进行复审" in lines[1] and lines[1].endswith("[2]。")
    assert [h.clause.clause_id for h in cited] == ["d1:3", "d1:4"]
    # one role that the cited clause states is the ordinary office answer's to give; one it
    # does not state is found in the document
    assert answer_roles(to_match("园区补助由谁初审？"), hits, DOC, cited=[_hit(DOC[2], 0)]) is None
    one = answer_roles(to_match("园区补助由谁初审？"), hits, DOC, cited=[hits[0]])
    assert one is not None and [h.clause.clause_id for h in one[1]] == ["d1:3"]


def test_a_label_states_its_role() -> None:
    doc = [_clause(1, "一、设立依据：某市办法。"), _clause(2, "二、受理部门：县（市）区公共就业服务部门")]
    found = answer_roles(to_match("贷款是哪一级的什么部门受理？"), [_hit(doc[0], 0)], doc, [_hit(doc[0], 0)])
    assert found is not None and "公共就业服务部门" in found[0][0] and found[1][0].clause is doc[1]
    on_its_line = [doc[0], _clause(2, "二、受理部门\n县（市）区公共就业服务部门")]
    found = answer_roles(to_match("贷款是哪一级的什么部门受理？"), [_hit(doc[0], 0)], on_its_line,
                         [_hit(doc[0], 0)])
    assert found is not None and found[0] == ["二、受理部门:县(市)区公共就业服务部门[1]。"]


def test_an_office_reported_to_afterwards_does_not_do_the_role() -> None:
    doc = [_clause(1, "第一条 区商务局审核后报市商务局。"), _clause(2, "第二条 市商务局负责认定。")]
    found = answer_roles(to_match("谁审核？谁认定？"), [_hit(doc[0], 0)], doc)
    assert found is not None
    assert found[0] == ["第一条区商务局审核后报市商务局[1]。", "第二条市商务局负责认定[2]。"]


def test_a_defined_short_name_is_given_with_its_full_name_and_its_definition_cited() -> None:
    doc = [_clause(1, "（一）受理机构：某市青年就业服务中心（以下简称市青就中心）；"),
           _clause(2, "第二条 申请材料由市青就中心受理。")]
    lines, defining = expand_aliases(["申请材料由市青就中心受理[1]。"], doc)
    assert lines == ["申请材料由市青就中心（某市青年就业服务中心）受理[1]。"]
    assert [c.clause_id for c in defining] == ["d1:1"]
    out, cited = with_full_names(["申请材料由市青就中心受理[1]。"], [_hit(doc[1], 0)], doc)
    assert out == ["申请材料由市青就中心（某市青年就业服务中心[2]）受理[1]。"]
    assert [h.clause.clause_id for h in cited] == ["d1:2", "d1:1"]
    # a short name for what is not an office is left as written
    other = [_clause(1, "第一条 加快建设示范园区（以下简称园区），制定本办法。")]
    assert expand_aliases(["园区补助由区财政局拨付[1]。"], other) == (["园区补助由区财政局拨付[1]。"], [])


def test_the_issuers_are_read_from_the_header_line_else_the_signature() -> None:
    header = [_clause(1, "某市甲局 某市乙局 中共某市丙部", numbered=False),
              _clause(2, "关于印发某办法的通知", numbered=False),
              _clause(3, "第一条 为规范管理，制定本办法。")]
    clause, names = issuer_clause(header) or (None, [])
    assert clause is header[0] and names == ["某市甲局", "某市乙局", "中共某市丙部"]
    signed = [_clause(1, "第一条 本办法自印发之日起施行。"),
              _clause(2, "某市甲局\n某市乙局\n2024年3月5日", numbered=False)]
    clause, names = issuer_clause(signed) or (None, [])
    assert clause is signed[1] and names == ["某市甲局", "某市乙局"]
    assert issuer_clause([_clause(1, "第一条 本办法自印发之日起施行。")]) is None


@pytest.mark.parametrize(("office", "level"), [
    ("市外经贸局", "市"), ("大连市财政局", "市"), ("区商务局", "县"), ("甘井子区商务局", "县"),
    ("县人民政府", "县"), ("省工业和信息化厅", "省"), ("市场监督管理局", None), ("人才工作主管部门", None)])
def test_an_office_says_its_level_by_how_its_name_begins(office: str, level: str | None) -> None:
    from service.offices_answer import office_level

    assert office_level(office) == level


@pytest.mark.parametrize(("question", "places", "level"), [
    ("大连市跨境电商扶持资金由哪个部门负责", ("大连",), "市"), ("大连的跨境电商归谁管", ("大连",), "市"),
    ("甘井子区的资金谁来拨", ("甘井子",), "县"), ("越秀的补贴找谁", ("越秀",), "县"),
    ("辽宁首台套谁认定", ("辽宁",), "省"), ("北京的首台套谁认定", ("北京",), "市"),
    ("大连和沈阳谁来认定", ("大连", "沈阳"), None)])
def test_the_asked_place_s_level(question: str, places: tuple[str, ...], level: str | None) -> None:
    from service.offices_answer import asked_level

    assert asked_level(question, places) == level


def test_who_manages_it_is_a_role_only_beside_another_ask() -> None:
    from corpus.clean import to_match

    def names(question: str) -> list[str]:
        return [a.role.name for a in role_asks(to_match(question))]

    assert names("补助数额是哪个部门核定拨付的？项目组织又归谁管？") == ["拨付", "组织管理"]
    assert names("项目初审归谁管？") == ["初审"]  # who does 初审, not a second role
    # alone it asks who is responsible, which the answer's general who-path gives
    from service.offices_answer import answer_roles
    assert names("优化营商环境的事归哪个部门管？") == ["组织管理"]
    assert answer_roles(to_match("优化营商环境的事归哪个部门管？"), [], []) is None
