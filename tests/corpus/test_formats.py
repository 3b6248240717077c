"""Readers for every published format: what a reader sees comes out, chrome and markup do not."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from corpus.clauses import detect_marker
from corpus.formats import UnsupportedFormat, extract
from corpus.ingest import ingest_paths
from corpus.validity import add_years_minus_a_day, read_validity

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>关于印发测试办法的通知_某市人民政府门户网站</title>
<meta name="ArticleTitle" content="某市人民政府办公室关于印发某市测试办法的通知">
<meta name="PubDate" content="2024-05-06 10:00"></head>
<body style="visibility: hidden">
<div class="nav-bar"><a>首页</a><a>用户登录</a><a>无障碍阅读</a><a>长者专区</a></div>
<div class="breadcrumb">当前位置：首页 &gt; 政策文件</div>
<table class="meta"><tr><td>索引号：</td><td>123/2024-001</td><td>发文字号：</td><td>某府办规〔2024〕3号</td></tr>
<tr><td>发文机关：</td><td>某市人民政府办公室</td><td>成文日期：</td><td>2024年4月1日</td></tr>
<tr><td>失效日期：</td><td>2029年3月31日</td><td>实施日期：</td><td>2024年4月1日</td></tr></table>
<div class="article"><h1>某市人民政府办公室关于印发某市测试办法的通知</h1>
<p>第一条 为了规范测试工作，制定本办法。</p>
<p>第二条 对符合条件的企业给予一次性奖励<span>10</span>万元。</p>
<table><tr><td>阶段</td><td>拨付比例</td></tr><tr><td>首期</td><td>30%</td></tr><tr><td>终期</td><td>70%</td></tr></table>
</div>
<div style="display:none">第一条 为了规范测试工作，制定本办法。第二条 隐藏的重复正文。</div>
<script>var x = "第九条 脚本里的字";</script>
<div class="footer">版权所有 某市人民政府 咨询电话：12345</div>
</body></html>"""


def test_html_reads_the_article_and_its_metadata_box() -> None:
    out = extract(".html", PAGE.encode())
    assert out.fields["title"] == "某市人民政府办公室关于印发某市测试办法的通知"
    assert out.fields["doc_number"] == "某府办规〔2024〕3号"
    assert out.fields["issuer"] == "某市人民政府办公室"
    assert out.fields["date_expires"] == "2029年3月31日"
    assert "第二条 对符合条件的企业给予一次性奖励10万元。" in out.text.split("\n")
    assert "隐藏的重复正文" not in out.text and "脚本里的字" not in out.text
    assert "用户登录" not in out.text and "当前位置" not in out.text
    assert "阶段：首期；拨付比例：30%" in out.text  # a table row keeps its header
    assert "咨询电话：12345" in out.text  # the site's hotline answers 「打哪个电话」


def test_html_document_metadata_and_status(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    doc = ingest_paths([page]).documents[0]
    assert doc.meta.title == "某市人民政府办公室关于印发某市测试办法的通知"
    assert doc.meta.doc_number == "某府办规〔2024〕3号"
    assert (doc.meta.date_effective, doc.meta.date_expires) == ("2024-04-01", "2029-03-31")
    assert doc.kept_share == 1.0


def test_markdown_heading_is_the_title_and_chapters_nest(tmp_path: Path) -> None:
    text = ("# 某某条例\n\n2020年1月1日 通过\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n"
            "第一条 为了**促进**发展，制定本条例。\n\n第九百九十九条 甲。\n\n第一千条 乙。\n\n"
            "第一千条之一 丙。\n\n第一千零一条 本条例自2021年3月1日起施行。《旧条例》同时废止。\n")
    path = tmp_path / "law.md"
    path.write_text(text, encoding="utf-8")
    old = tmp_path / "old.md"
    old.write_text("# 旧条例\n\n第一条 旧的规定。\n", encoding="utf-8")
    corpus = ingest_paths([path, old])
    law = next(d for d in corpus.documents if d.document.source_file == "law.md")
    assert law.meta.title == "某某条例" and law.meta.date_effective == "2021-03-01"
    articles = {c.number_path.split(".")[-1]: c.text for c in law.clauses}
    assert articles["第1000条"] == "第一千条 乙。" and articles["第999条"] == "第九百九十九条 甲。"
    assert articles["第1000条之一"] == "第一千条之一 丙。"
    assert "**" not in articles["第1条"] and "<!--" not in "".join(articles.values())
    gone = next(d for d in corpus.documents if d.document.source_file == "old.md")
    assert gone.meta.repealed_by == "某某条例"


STATUTE = ("# 某省示范条例\n\n2015年3月2日 某省第十二届人民代表大会常务委员会第九次会议通过\n\n"
           "{amended}<!-- INFO END -->\n\n## 第一章 总则\n\n"
           "第一条 为了促进示范工作，制定本条例。\n\n"
           "第{n}条 有关部门应当在受理之日起{days}个工作日内办结，并告知申请人办理结果和理由。\n\n"
           "第{m}条 本省推行示范事项清单管理，逐项列明设定依据、办理时限和责任单位等内容。\n")


def test_a_statute_s_history_dates_and_names_it_and_versions_supersede(tmp_path: Path) -> None:
    first = tmp_path / "law-2015.md"
    first.write_text(STATUTE.format(amended="", n="二", days="五", m="三"), encoding="utf-8")
    amended = tmp_path / "law-2023.md"
    amended.write_text(STATUTE.format(
        amended="2023年5月6日 某省第十四届人民代表大会常务委员会第三次会议《关于修改〈某省示范条例〉的决定》修正）\n\n",
        n="三", days="三", m="四"), encoding="utf-8")
    corpus = ingest_paths([first, amended])
    old, new = sorted(corpus.documents, key=lambda d: d.document.source_file)
    # the latest step dates the text as it stands; the first one names who enacted it
    assert (old.meta.date_issued, new.meta.date_issued) == ("2015-03-02", "2023-05-06")
    assert new.meta.issuer == "某省人民代表大会常务委员会"
    assert old.meta.superseded_by == new.document.doc_id and new.meta.superseded_by is None


def test_docx_paragraphs_and_tables_in_order() -> None:
    document = docx.Document()
    document.add_paragraph("第一条 本办法适用于全市企业。")
    table = document.add_table(rows=2, cols=3)
    for i, text in enumerate(["首期", "中期", "终期"]):
        table.rows[0].cells[i].text = text
    for i, text in enumerate(["30%", "70%", "100%"]):
        table.rows[1].cells[i].text = text
    document.add_paragraph("第二条 本办法自2024年1月1日起施行，有效期三年。")
    buffer = io.BytesIO()
    document.save(buffer)
    lines = extract(".docx", buffer.getvalue()).text.split("\n")
    assert lines[0] == "第一条 本办法适用于全市企业。" and lines[-1].startswith("第二条")
    assert "首期 中期 终期" in lines and "30% 70% 100%" in lines


@pytest.mark.parametrize(("suffix", "reason"), [
    (".doc", "legacy Word"), (".wps", "WPS"), (".xls", "spreadsheet"), (".exe", "unsupported file type"),
])
def test_unsupported_formats_say_why(suffix: str, reason: str) -> None:
    with pytest.raises(UnsupportedFormat, match=reason):
        extract(suffix, b"anything")


def test_pdf_without_a_text_layer_is_refused_by_name() -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(UnsupportedFormat, match=r"no text layer \(scanned\); OCR not supported"):
        extract(".pdf", buffer.getvalue())


def test_broken_docx_is_skipped_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "ok.txt").write_text("第一条 正文。", encoding="utf-8")
    corpus = ingest_paths([tmp_path])
    assert [d.document.source_file for d in corpus.documents] == ["ok.txt"]
    assert corpus.skipped[0].reason.startswith("DOCX could not be opened")


@pytest.mark.parametrize(("line", "label"), [
    ("第一千零二十条 甲", "第1020条"), ("第两百条 乙", "第200条"), ("第十条之一 丙", "第10条之一"),
    ("第一百零五条 丁", "第105条"), ("第〇条", "第0条"),
])
def test_every_chinese_numeral_in_article_numbers(line: str, label: str) -> None:
    assert detect_marker(line)[2] == label  # type: ignore[index]


def test_validity_sentences() -> None:
    v = read_validity(["第三十八条 本办法自2024年4月1日起实施，有效期5年。"], None)
    assert (v.date_effective, v.date_expires) == ("2024-04-01", "2029-03-31")
    assert read_validity(["本政策自发布之日起施行，暂定三年有效期。"], "2023-02-08").date_expires == "2026-02-07"
    assert read_validity(["政策执行至2025年12月31日。"], None).date_expires == "2025-12-31"
    assert read_validity(["政策期限为2016年至2018年。"], None).date_expires == "2018-12-31"
    assert add_years_minus_a_day("2024-02-29", 1) == "2025-02-27"


def test_corpus_cli_lists_documents_and_skips_strictly(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("关于测试的通知\n第一条 正文。", encoding="utf-8")
    (tmp_path / "b.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    cli = [str(Path(sys.executable).parent / "policyqa")]
    run = subprocess.run([*cli, "corpus", str(tmp_path), "--documents", "--json",
                          "--as-of", "2026-11-30"], capture_output=True, text=True, check=True)
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert {r["source_file"]: r["skipped"] for r in records} == {
        "a.txt": None, "b.doc": "legacy Word binary (.doc) is not supported; save it as .docx"}
    assert {"doc_id", "title", "doc_number", "issuer", "date_issued", "date_effective",
            "date_expires", "status", "clauses"} <= set(records[0])
    assert "1 file(s) skipped" in run.stderr
    strict = subprocess.run([*cli, "corpus", str(tmp_path), "--strict"], capture_output=True, text=True)
    assert strict.returncode == 2
