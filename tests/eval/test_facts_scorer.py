"""The clause-fact scorer (eval/facts.py) and its blind gold sample (eval/gold/facts.jsonl).

Matching tests use hand-made facts and a fake extractor; they test the scorer, not the extractor.
The anchor test reads the shared corpus in place.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from corpus.facts import Condition, Contact, DateFact, Material, Office, Support, Tier
from eval.facts import (
    GOLD_PATH,
    TYPES,
    folder_of,
    format_table,
    load_gold,
    match_clause,
    max_matching,
    resolve,
    score,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


# ----------------------------------------------------------------------------------------------
# helpers


def _write_gold(tmp_path: Path, entries: list[dict[str, Any]]) -> Path:
    path = tmp_path / "facts.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for n, entry in enumerate(entries, 1):
            entry = {"id": f"t{n:03d}", **entry}
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return path


def _syn(text: str, *facts: dict[str, Any]) -> dict[str, Any]:
    return {"doc": "synthetic", "text": text, "facts": list(facts)}


def _run(tmp_path: Path, gold: list[dict[str, Any]], predicted: dict[str, list[Any]],
         shared: Path | None = None) -> dict[str, Any]:
    """Score a fake extractor that returns ``predicted[text]`` for each clause text."""
    path = _write_gold(tmp_path, gold)
    return score(path, lambda text: predicted.get(text, []), shared or tmp_path)


def _counts(result: dict[str, Any], kind: str) -> tuple[int, int, int]:
    m = result["per_type"][kind]
    return m["tp"], m["fp"], m["fn"]


COND = {"type": "condition", "subject": "营业收入", "comparator": ">=", "value": 50000000.0,
        "unit": "元", "scope": "上年度"}


# ----------------------------------------------------------------------------------------------
# condition


def test_condition_value_within_one_percent_matches(tmp_path: Path) -> None:
    gold = [_syn("a", COND), _syn("b", COND)]
    predicted = {"a": [Condition("营业收入", ">=", 50_400_000.0, unit="元")],   # 0.8 % off
                 "b": [Condition("营业收入", ">=", 51_000_000.0, unit="元")]}   # 2 % off
    result = _run(tmp_path, gold, predicted)
    assert _counts(result, "condition") == (1, 1, 1)


def test_condition_needs_same_subject_and_comparator(tmp_path: Path) -> None:
    gold = [_syn("a", COND), _syn("b", COND), _syn("c", COND)]
    predicted = {"a": [Condition("营业收入", ">", 50_000_000.0)],
                 "b": [Condition("other", ">=", 50_000_000.0)],
                 "c": [Condition("营业收入", ">=", 50_000_000.0, scope="近三年")]}  # scope ignored
    result = _run(tmp_path, gold, predicted)
    assert _counts(result, "condition") == (1, 2, 2)


def test_condition_upper_is_checked_when_the_gold_gives_it(tmp_path: Path) -> None:
    between = {"type": "condition", "subject": "研发费用", "comparator": "between",
               "value": 5e6, "upper": 2e7}
    gold = [_syn("a", between), _syn("b", between), _syn("c", between)]
    predicted = {"a": [Condition("研发费用", "between", 5e6, 2e7)],
                 "b": [Condition("研发费用", "between", 5e6, 3e7)],
                 "c": [Condition("研发费用", "between", 5e6)]}
    assert _counts(_run(tmp_path, gold, predicted), "condition") == (1, 2, 2)


def test_categorical_condition_matches_on_subject_and_comparator(tmp_path: Path) -> None:
    place = {"type": "condition", "subject": "注册地", "comparator": "in", "values": ["天河区"]}
    predicted = {"a": [Condition("注册地", "in", values=("广州市天河区",))]}
    assert _counts(_run(tmp_path, [_syn("a", place)], predicted), "condition") == (1, 0, 0)


# ----------------------------------------------------------------------------------------------
# support


def test_support_checks_every_numeric_field_the_gold_gives(tmp_path: Path) -> None:
    gold_fact = {"type": "support", "kind": "贴息", "ratio": 30.0, "cap": 1_000_000.0}
    gold = [_syn(t, gold_fact) for t in "abcd"]
    predicted = {
        "a": [Support("贴息", ratio=30.0, cap=1_000_000.0, base="贷款利息")],
        "b": [Support("贴息", ratio=30.0)],                       # cap missing
        "c": [Support("贴息", ratio=30.0, cap=1_500_000.0)],      # cap wrong
        "d": [Support("补助", ratio=30.0, cap=1_000_000.0)],      # kind wrong
    }
    assert _counts(_run(tmp_path, gold, predicted), "support") == (1, 3, 3)


def test_support_fields_the_gold_omits_are_not_checked(tmp_path: Path) -> None:
    gold = [_syn("a", {"type": "support", "kind": "奖励"})]
    predicted = {"a": [Support("奖励", amount=500_000.0, once=True,
                               tiers=(Tier("国家级", amount=1e6),))]}
    assert _counts(_run(tmp_path, gold, predicted), "support") == (1, 0, 0)


def test_support_once_and_tiers_are_reported_as_diagnostics(tmp_path: Path) -> None:
    tiered = {"type": "support", "kind": "奖励", "once": True,
              "tiers": [{"when": "国家级", "amount": 8e6}, {"when": "省级", "amount": 3e6}]}
    gold = [_syn("a", tiered), _syn("b", tiered)]
    predicted = {"a": [Support("奖励", once=True, tiers=(Tier("国家级", 8e6), Tier("省级", 3e6)))],
                 "b": [Support("奖励", tiers=(Tier("国家级", 8e6),))]}
    result = _run(tmp_path, gold, predicted)
    assert _counts(result, "support") == (2, 0, 0)
    assert result["support_once"] == {"matched": 2, "correct": 1, "accuracy": 0.5}
    assert result["support_tiers"]["correct"] == 1


# ----------------------------------------------------------------------------------------------
# date, office, material, contact


def test_date_kind_value_end_and_years(tmp_path: Path) -> None:
    gold = [
        _syn("a", {"type": "date", "kind": "施行", "value": "2024-01-01"}),
        _syn("b", {"type": "date", "kind": "施行", "value": "2024-01-01"}),
        _syn("c", {"type": "date", "kind": "申报时间窗", "value": "2025-03-01", "end": "2025-03-31"}),
        _syn("d", {"type": "date", "kind": "有效期", "years": 3.0}),
        _syn("e", {"type": "date", "kind": "施行"}),
    ]
    predicted = {
        "a": [DateFact("施行", "2024-01-01")],
        "b": [DateFact("施行", "2024-01-02")],
        "c": [DateFact("申报时间窗", "2025-03-01", "2025-04-30")],
        "d": [DateFact("有效期", "2023-09-08", years=3.0)],
        "e": [DateFact("截止", "2024-01-01")],
    }
    assert _counts(_run(tmp_path, gold, predicted), "date") == (2, 3, 3)


def test_office_role_mismatch_still_matches_and_is_reported(tmp_path: Path) -> None:
    gold = [_syn("a", {"type": "office", "name": "市财政局", "role": "配合"},
                 {"type": "office", "name": "市工业和信息化局", "role": "牵头"})]
    predicted = {"a": [Office("市 财政局", "责任"), Office("市工业和信息化局", "牵头"),
                       Office("市科技局", "配合")]}
    result = _run(tmp_path, gold, predicted)
    assert _counts(result, "office") == (2, 1, 0)
    assert result["office_role"] == {"matched": 2, "correct": 1, "accuracy": 0.5}


def test_material_containment_either_way(tmp_path: Path) -> None:
    gold = [_syn("a", {"type": "material", "item": "企业基本情况表"},
                 {"type": "material", "item": "企业近两年的财务审计报告"},
                 {"type": "material", "item": "信用承诺书"})]
    predicted = {"a": [Material("企业基本情况表(附件1)"),   # gold inside prediction
                       Material("财务审计报告"),              # prediction inside gold
                       Material(""),                          # empty never matches
                       Material("营业执照")]}
    assert _counts(_run(tmp_path, gold, predicted), "material") == (2, 2, 1)


def test_contact_ignores_spaces_and_dashes_but_not_kind(tmp_path: Path) -> None:
    gold = [_syn("a", {"type": "contact", "kind": "phone", "value": "0398-2822056"},
                 {"type": "contact", "kind": "email", "value": "kjc@example.gov.cn"},
                 {"type": "contact", "kind": "person", "value": "王明"})]
    predicted = {"a": [Contact("phone", "0398 2822056"), Contact("email", "KJC@example.gov.cn"),
                       Contact("address", "王明")]}
    assert _counts(_run(tmp_path, gold, predicted), "contact") == (2, 1, 1)


def test_dict_predictions_are_accepted(tmp_path: Path) -> None:
    gold = [_syn("a", {"type": "contact", "kind": "phone", "value": "88992016"})]
    predicted = {"a": [{"type": "contact", "kind": "phone", "value": "8899-2016"}]}
    assert _counts(_run(tmp_path, gold, predicted), "contact") == (1, 0, 0)


# ----------------------------------------------------------------------------------------------
# pairing and arithmetic


def test_pairing_is_a_maximum_matching_not_greedy() -> None:
    # The kind-only gold support comes first; a greedy pass would give it the 10万 prediction and
    # leave the 10万 gold fact unmatched.
    gold = [{"type": "support", "kind": "奖励"},
            {"type": "support", "kind": "奖励", "amount": 100000.0}]
    pred = [{"type": "support", "kind": "奖励", "amount": 100000.0},
            {"type": "support", "kind": "奖励", "amount": 200000.0}]
    matched = match_clause(gold, pred)["support"]
    assert len(matched["pairs"]) == 2
    assert not matched["missed"] and not matched["spurious"]


def test_max_matching_size() -> None:
    ok = {(0, 0), (0, 1), (1, 0), (2, 2)}
    assert len(max_matching(3, 3, lambda i, j: (i, j) in ok)) == 3
    assert max_matching(2, 0, lambda i, j: True) == []


def test_precision_recall_f1_arithmetic(tmp_path: Path) -> None:
    gold = [_syn("a", *[{"type": "material", "item": x} for x in ("甲表", "乙表", "丙表", "丁表")])]
    predicted = {"a": [Material("甲表"), Material("乙表"), Material("戊表")]}
    m = _run(tmp_path, gold, predicted)["per_type"]["material"]
    assert (m["tp"], m["fp"], m["fn"]) == (2, 1, 2)
    assert m["precision"] == pytest.approx(2 / 3)
    assert m["recall"] == pytest.approx(1 / 2)
    assert m["f1"] == pytest.approx(4 / 7)


def test_clause_without_facts_counts_every_prediction_as_false(tmp_path: Path) -> None:
    gold = [_syn("a"), _syn("b", COND)]
    predicted = {"a": [Condition("other", ">=", 3.5, unit="%"), Support("奖励", amount=1.0)],
                 "b": [Condition("营业收入", ">=", 5e7)]}
    result = _run(tmp_path, gold, predicted)
    assert _counts(result, "condition") == (1, 1, 0)
    assert _counts(result, "support") == (0, 1, 0)
    assert result["overall"]["precision"] == pytest.approx(1 / 3)
    assert result["overall"]["recall"] == pytest.approx(1.0)
    assert result["by_folder"]["synthetic"]["fp"] == 2


def test_extractor_crash_is_recorded_and_counts_as_misses(tmp_path: Path) -> None:
    path = _write_gold(tmp_path, [_syn("boom", COND), _syn("fine", COND)])

    def extract(text: str) -> list[Any]:
        if text == "boom":
            raise RuntimeError("bad clause")
        return [Condition("营业收入", ">=", 5e7)]

    result = score(path, extract, tmp_path)
    assert _counts(result, "condition") == (1, 0, 1)
    assert len(result["errors"]) == 1 and "t001" in result["errors"][0]


# ----------------------------------------------------------------------------------------------
# anchors and documents


def _tiny_shared(tmp_path: Path) -> Path:
    shared = tmp_path / "shared"
    (shared / "docs").mkdir(parents=True)
    (shared / "docs" / "tiny.txt").write_text(
        "关于支持企业发展的若干措施\n\n"
        "第一条 对上年度营业收入达到5000万元以上的企业，给予一次性奖励50万元。\n\n"
        "第二条 对上年度营业收入达到1亿元以上的企业，给予一次性奖励100万元。\n\n"
        "第三条 本措施自2024年1月1日起施行。\n", encoding="utf-8")
    return shared


def test_anchors_resolve_through_the_pipeline_and_failures_are_reported(tmp_path: Path) -> None:
    shared = _tiny_shared(tmp_path)
    gold = [
        {"doc": "docs/tiny.txt", "anchor": "本措施自2024年1月1日起施行",
         "facts": [{"type": "date", "kind": "施行", "value": "2024-01-01"}]},
        {"doc": "docs/tiny.txt", "anchor": "不存在的句子", "facts": [COND]},
        {"doc": "docs/tiny.txt", "anchor": "给予一次性奖励", "facts": [COND]},     # two clauses
        {"doc": "docs/missing.txt", "anchor": "任何", "facts": [COND]},
    ]
    seen: list[str] = []

    def extract(text: str) -> list[Any]:
        seen.append(text)
        return [DateFact("施行", "2024-01-01")]

    result = score(_write_gold(tmp_path, gold), extract, shared)
    assert seen == ["第三条本措施自2024年1月1日起施行。"]
    assert (result["clauses"], result["scored"]) == (4, 1)
    assert _counts(result, "date") == (1, 0, 0)
    assert result["per_type"]["condition"]["gold"] == 0  # unresolved entries are not scored ...
    errors = "\n".join(result["errors"])                # ... but every one is reported
    assert "t002" in errors and "no clause" in errors
    assert "t003" in errors and "2 clauses" in errors
    assert "t004" in errors and "not found" in errors
    assert "ERRORS (3)" in format_table(result)


def test_load_gold_rejects_facts_outside_the_contract(tmp_path: Path) -> None:
    bad_kind = _write_gold(tmp_path, [_syn("a", {"type": "support", "kind": "现金"})])
    with pytest.raises(ValueError, match="support kind"):
        load_gold(bad_kind)
    bad_field = _write_gold(tmp_path, [_syn("a", {"type": "office", "name": "x", "rank": 1})])
    with pytest.raises(ValueError):
        load_gold(bad_field)
    no_anchor = _write_gold(tmp_path, [{"doc": "corpus/x.txt", "facts": []}])
    with pytest.raises(ValueError, match="anchor"):
        load_gold(no_anchor)


def test_format_table_lists_every_type_and_overall(tmp_path: Path) -> None:
    result = _run(tmp_path, [_syn("a", COND)], {"a": [Condition("营业收入", ">=", 5e7)]})
    table = format_table(result)
    for name in (*TYPES, "overall", "synthetic", "office role accuracy"):
        assert name in table
    assert "100.0" in table


# ----------------------------------------------------------------------------------------------
# the gold sample itself


def test_gold_sample_shape() -> None:
    entries = load_gold(GOLD_PATH)
    docs = [e for e in entries if e["doc"] != "synthetic"]
    synthetic = [e for e in entries if e["doc"] == "synthetic"]
    assert len(docs) >= 100 and len(synthetic) >= 20
    folders = Counter(folder_of(e["doc"]) for e in docs)
    assert {"guides", "published", "regulations", "corpus", "corpus-extra"} <= set(folders)
    assert sum(folders[f] for f in ("guides", "published", "regulations")) > len(docs) / 2
    assert all(len(e["anchor"]) <= 30 for e in docs)
    assert sum(not e["facts"] for e in entries) >= 12
    kinds = Counter(f["type"] for e in entries for f in e["facts"])
    assert all(kinds[t] >= 15 for t in TYPES), kinds
    assert len({(e["doc"], e.get("anchor")) for e in docs}) == len(docs)


def test_every_labelled_anchor_resolves_to_exactly_one_clause() -> None:
    entries = load_gold(GOLD_PATH)
    texts, errors = resolve(entries, SHARED)
    assert errors == []
    docs = [e for e in entries if e["doc"] != "synthetic"]
    resolved = [(e["doc"], texts[e["id"]]) for e in docs]
    assert len(set(resolved)) == len(resolved), "two labels point at the same clause"
