from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eval.gold import GoldError, load_gold
from eval.metrics import (
    Retrieved,
    citation_precision,
    contains_all,
    fact_key,
    first_full_support,
    first_support,
    mrr,
    recall_at,
)

A = Retrieved("a.txt", "甲乙丙丁")
B = Retrieved("b.txt", "戊己庚")
C = Retrieved("a.txt", "辛壬")


@pytest.mark.parametrize(("ranking", "evidence", "rank"), [
    ([A, B], [("a.txt", "乙丙")], 1),
    ([B, A], [("a.txt", "乙丙")], 2),
    ([B, A], [("a.txt", "乙丙"), ("b.txt", "己")], 2),
    ([A, C, B], [("a.txt", "辛"), ("b.txt", "庚")], 3),
    ([B], [("a.txt", "乙丙")], None),
    ([], [("a.txt", "乙")], None),
    ([A], [("b.txt", "乙")], None),  # right text, wrong document
])
def test_first_full_support(ranking, evidence, rank) -> None:  # type: ignore[no-untyped-def]
    assert first_full_support(ranking, evidence) == rank


@pytest.mark.parametrize(("ranking", "evidence", "rank"), [
    ([B, A], [("a.txt", "乙丙"), ("b.txt", "己")], 1),  # any one evidence item counts
    ([C, A], [("a.txt", "乙丙"), ("b.txt", "己")], 2),
    ([C, B], [("a.txt", "乙丙")], None),
    ([A], [("b.txt", "乙")], None),
])
def test_first_support(ranking, evidence, rank) -> None:  # type: ignore[no-untyped-def]
    assert first_support(ranking, evidence) == rank


def test_recall_and_mrr_with_ties_and_empties() -> None:
    assert recall_at([1, 3, None, 6], 5) == 0.5
    assert mrr([1, 2, None, None]) == pytest.approx(0.375)
    assert recall_at([], 5) == 0.0 and mrr([]) == 0.0


def test_separation_of_answerable_by_top_dense_similarity() -> None:
    from eval.runner import separation

    got = separation([0.95, 0.93, 0.90, None], [0.91, 0.85])
    assert got["dense_auc"] == pytest.approx(5 / 6)
    assert got["kept_when_all_unanswerable_rejected"] == pytest.approx(2 / 3)
    assert got["reject_all_threshold"] == 0.91
    assert separation([0.9], []) == {}


def test_citation_precision_and_answer_checks() -> None:
    assert citation_precision([A, B], [("a.txt", "甲")]) == 0.5
    assert citation_precision([], [("a.txt", "甲")]) is None
    assert contains_all("責任單位：市科技局、市財政局", ["市科技局", "市财政局"])
    assert contains_all("到2027年达到８５０家，占比0.5％", ["850家", "2027年", "0.5%"], key=fact_key)
    assert not contains_all("达到850家", ["860家"], key=fact_key)


def test_gold_validation_names_the_line(tmp_path: Path) -> None:
    good = {"id": "x1", "question": "q", "type": "t", "answerable": True,
            "evidence": [{"doc": "a.txt", "quote": "乙丙"}]}
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps({**good, "id": "x2", "colour": 1}) + "\n")
    with pytest.raises(GoldError, match="g.jsonl:2: unknown field"):
        load_gold(path)
    path.write_text(json.dumps({**good, "evidence": [{"doc": "a.txt", "quote": "不在文中"}]}) + "\n")
    with pytest.raises(GoldError, match="g.jsonl:1: quote"):
        load_gold(path, {"a.txt": "甲乙丙丁"})
    path.write_text(json.dumps({k: v for k, v in good.items() if k != "type"}) + "\n")
    with pytest.raises(GoldError, match="missing field"):
        load_gold(path)


def test_runner_end_to_end_and_baseline_gate(seed_index: Path, tmp_path: Path) -> None:
    from policyqa.cli import app

    gold = Path(__file__).resolve().parents[2] / "eval" / "gold" / "dev.jsonl"
    subset = tmp_path / "subset.jsonl"
    subset.write_text("\n".join(gold.read_text(encoding="utf-8").splitlines()[:6]) + "\n", encoding="utf-8")
    out = tmp_path / "report.json"
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "--gold", str(subset), "--index", str(seed_index),
                                 "--json", str(out), "--html", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["metrics"]["questions"] == 6 and report["metrics"]["recall@5"] > 0.5
    assert len(report["rows"]) == 6 and report["context"]["prompt_hash"]
    assert "<table>" in (tmp_path / "r.html").read_text()
    higher = json.loads(out.read_text())
    higher["metrics"]["recall@5"] = 1.5  # a baseline better than anything reachable
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(higher))
    gated = runner.invoke(app, ["eval", "--gold", str(subset), "--index", str(seed_index),
                                "--baseline", str(baseline)])
    assert gated.exit_code == 1
    same = runner.invoke(app, ["eval", "--gold", str(subset), "--index", str(seed_index),
                               "--baseline", str(out)])
    assert same.exit_code == 0, same.output
