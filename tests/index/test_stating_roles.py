"""A who-question of several roles brings a clause stating each into view (index.search)."""

from __future__ import annotations

from corpus.clean import to_match
from corpus.extract_facts import extract_facts
from corpus.models import Clause
from index.search import stating_roles
from question.query import parse

DOC = [
    "第一条 为规范跨境电商扶持资金管理，制定本办法。",
    "第二条 本办法所指扶持资金由区人民政府设立。",
    "第三条 扶持对象是在园区注册的跨境电商企业。",
    "第四条 申报材料包括营业执照、项目申报表。",
    "第五条 区商务局负责认定资金扶持企业。",
    "第六条 对跨境电商企业给予租赁费用10%的补贴。",
    "第七条 区财政局负责专项资金的预算审核和资金拨付。",
]
CLAUSES = [Clause(clause_id=f"d:{n}", doc_id="d", source_file="d.docx", title=None, doc_number=None,
                  date=None, kind="policy", heading_path=(f"第{n}条",), number_path=str(n), text=t,
                  text_match=to_match(t), ordinal=n, facts=extract_facts(to_match(t)))
           for n, t in enumerate(DOC, start=1)]
RANKED = [3, 1, 2, 4, 5, 0, 6]  # the materials first; 拨付 is stated only at rank 7


def test_each_role_asked_is_stated_within_the_top_five() -> None:
    query = parse("跨境电商扶持资金是哪个部门认定企业？钱又是谁拨的？")
    order = stating_roles(RANKED[:5], RANKED, CLAUSES, list(range(len(DOC))), query.roles, 5)
    assert order[0] == 3  # the top clause stays first
    assert 6 in order and 4 in order and len(order) == 5


def test_a_question_asking_no_role_keeps_its_ranking() -> None:
    query = parse("跨境电商扶持资金的租赁补贴是多少？")
    assert stating_roles(RANKED[:5], RANKED, CLAUSES, list(range(len(DOC))), query.roles, 5) == RANKED[:5]


def test_a_role_from_outside_the_candidates_comes_from_the_document() -> None:
    query = parse("跨境电商扶持资金是哪个部门认定企业？钱又是谁拨的？")
    order = stating_roles(RANKED[:5], RANKED[:5], CLAUSES, list(range(len(DOC))), query.roles, 5)
    assert 6 in order
