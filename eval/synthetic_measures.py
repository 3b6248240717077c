"""A synthetic corpus of support measures, in memory, for timing ``POST /v1/eligibility`` at size.

Each document has a 「一、申报条件」 clause (conditions for all its measures) and measures under
「二、支持措施」, each with conditions of its own and one or two supports (fixed sums, ratios of
a base with a cap, tiers by level). Thresholds, places and titles are drawn at random so that
conditions rarely repeat (a real corpus's do not either). Not real text: it measures cost, not
quality. Profiles are drawn the same way, some stated as text, some typed.
"""

from __future__ import annotations

import random
from typing import Any

from corpus.facts import Condition, Support, Tier
from corpus.models import Clause

PLACES = ("临州市", "滨江市", "青原市", "安平市", "云溪市", "长宁市", "江北区", "城南区")
TITLES = ("高新技术企业", "专精特新中小企业", "专精特新“小巨人”企业", "科技型中小企业")
BASES = ("贷款利息", "研发费用", "设备投资额")


def _condition(rng: random.Random) -> Condition:
    pick = rng.randrange(7)
    if pick == 0:
        low = rng.randrange(5, 200) * 1e6
        return Condition("营业收入", "between", low, low * rng.choice((2, 5, 10)), unit="元",
                         scope="上年度", text="上年度营业收入")
    if pick == 1:
        return Condition("营业收入", ">=", rng.randrange(5, 500) * 1e6, unit="元", scope="上年度",
                         text="上年度营业收入不低于")
    if pick == 2:
        return Condition("研发费用占比", ">=", float(rng.randrange(2, 9)), unit="%", scope="近两年",
                         text="研发费用占比不低于")
    if pick == 3:
        return Condition("从业人员", rng.choice((">=", "<=")), float(rng.randrange(10, 1000)), unit="人",
                         text="从业人员")
    if pick == 4:
        return Condition("成立年限", ">=", float(rng.randrange(1, 6)), unit="年", text="成立满")
    if pick == 5:
        return Condition("资质", "in", values=(rng.choice(TITLES),), text="认定为")
    return Condition("other", ">=", float(rng.randrange(1, 100)), text="其他条件")


def _support(rng: random.Random) -> Support:
    pick = rng.randrange(3)
    kind = rng.choice(("奖励", "补助", "贴息"))
    if pick == 0:
        return Support(kind, amount=rng.randrange(5, 500) * 1e4, once=rng.random() < 0.5,
                       text=f"给予{kind}")
    if pick == 1:
        base = rng.choice(BASES)
        return Support(kind, ratio=float(rng.choice((10, 20, 30, 50))), base=base,
                       cap=rng.randrange(10, 500) * 1e4, text=f"按{base}给予{kind}，单个企业最高")
    return Support(kind, tiers=(Tier("国家级", amount=rng.randrange(50, 200) * 1e4),
                                Tier("省级", amount=rng.randrange(10, 50) * 1e4)),
                   text=f"分别给予{kind}")


def _clause(doc: int, ordinal: int, heading: tuple[str, ...], facts: tuple[Any, ...]) -> Clause:
    doc_id = f"synthetic-{doc:05d}"
    number = ".".join(h.split("、")[0].split("）")[0].lstrip("（") for h in heading)
    return Clause(clause_id=f"{doc_id}:{number}", doc_id=doc_id, source_file=f"{doc_id}.txt",
                  title=f"关于支持产业发展的若干措施（{doc}）", doc_number=None, date="2025-01-01",
                  kind="policy", heading_path=heading, number_path=number, text=heading[-1],
                  text_match=heading[-1], ordinal=ordinal, facts=facts)


def corpus(measures: int, per_document: int = 10,
           seed: int = 19) -> tuple[list[Clause], list[dict[str, Any]]]:
    """(clauses, document records) holding ``measures`` support measures."""
    rng = random.Random(seed)
    clauses: list[Clause] = []
    documents: list[dict[str, Any]] = []
    for doc in range((measures + per_document - 1) // per_document):
        shared = (Condition("注册地", "in", values=(rng.choice(PLACES),), text="注册地在"),
                  *(_condition(rng) for _ in range(rng.randrange(0, 3))))
        clauses.append(_clause(doc, 0, ("一、申报条件",), shared))
        count = min(per_document, measures - doc * per_document)
        for k in range(count):
            facts = (*(_condition(rng) for _ in range(rng.randrange(0, 4))),
                     *(_support(rng) for _ in range(rng.choice((1, 1, 2)))))
            clauses.append(_clause(doc, k + 1, ("二、支持措施", f"（{k + 1}）措施{k + 1}"), facts))
        expires = rng.choice((None, "2023-12-31", "2030-12-31"))
        documents.append({"doc_id": f"synthetic-{doc:05d}", "source_file": f"synthetic-{doc:05d}.txt",
                          "title": f"关于支持产业发展的若干措施（{doc}）", "kind": "policy",
                          "date_effective": "2022-01-01", "date_expires": expires,
                          "repealed_by": None})
    return clauses, documents


def profiles(count: int, seed: int = 91) -> list[dict[str, Any]]:
    """Request bodies: typed fields, free text, or both; each states a few circumstances."""
    rng = random.Random(seed)
    bodies = []
    for i in range(count):
        typed: dict[str, Any] = {
            "revenue": rng.randrange(1, 1000) * 1e6, "rd_share": float(rng.randrange(1, 12)),
            "staff": rng.randrange(5, 2000), "age_years": float(rng.randrange(0, 10)),
            "interest_paid": rng.randrange(1, 200) * 1e4, "place": rng.choice(PLACES),
            "titles": rng.sample(TITLES, rng.randrange(0, 3))}
        typed = {k: v for k, v in typed.items() if rng.random() < 0.7}
        if i % 3 == 0:
            typed["text"] = (f"我们公司注册在{rng.choice(PLACES)}，去年营收{rng.randrange(1, 90)}00万，"
                             f"研发费用占营收{rng.randrange(1, 9)}%，员工{rng.randrange(10, 500)}人")
        bodies.append({"profile": typed, "filters": {"in_force": i % 5 == 0}})
    return bodies
