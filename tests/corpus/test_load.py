from __future__ import annotations

from pathlib import Path

import pytest

from corpus.ingest import ingest_paths
from corpus.load import load_paths

TEXT = "关于支持企业发展的若干措施\n一、总体要求\n(一)支持企业创新。对新认定的企业给予奖励。(责任单位:市科技局)\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16"])
def test_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    text = TEXT if encoding != "big5" else "關於支持企業發展的若干措施\n一、總體要求\n(一)支持企業創新。對新認定的企業給予獎勵。\n"
    (tmp_path / "doc.txt").write_bytes(text.encode(encoding))
    result = load_paths([tmp_path])
    assert not result.skipped
    assert result.documents[0].raw_text.replace("\ufeff", "") == text


def test_bad_files_are_skipped_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG" * 10)
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    result = ingest_paths([tmp_path, tmp_path / "missing.txt"])
    assert [d.document.source_file for d in result.documents] == ["good.txt"]
    reasons = {Path(s.path).name: s.reason for s in result.skipped}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "no such file" in reasons["missing.txt"]


def test_duplicate_documents_are_ingested_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    result = ingest_paths([tmp_path])
    assert len(result.documents) == 1
    assert "duplicate of a.txt" in result.skipped[0].reason


def test_html_and_hostile_text_are_cleaned(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<html><head><script>var x=1</script></head><body><p>关于支持企业发展的若干措施</p>"
        "<p>一、对新认定企业给予\u200b奖励10万元。</p></body></html>", encoding="utf-8")
    clauses = ingest_paths([tmp_path]).clauses
    assert clauses and all("script" not in c.text and "\u200b" not in c.text for c in clauses)
    assert any("奖励10万元" in c.text for c in clauses)


def test_an_original_title_note_gives_the_title_without_its_closing_bracket() -> None:
    from corpus.meta import extract_meta

    lines = ["参保企业上年度未裁员的,可以申请稳岗返还。", "(原标题:失业保险稳岗返还比例提高)",
             "政策执行期限至2022年12月31日。"]
    assert extract_meta(lines, lines, None).meta.title == "失业保险稳岗返还比例提高"
    bare = ["原标题：关于做好稳岗返还工作的通知", "企业可以申请。"]
    assert extract_meta(bare, bare, None).meta.title == "关于做好稳岗返还工作的通知"
