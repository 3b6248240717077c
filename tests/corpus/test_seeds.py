"""The issue's corpus checks, on the four seeds and the two extra documents."""

from __future__ import annotations

import re

import pytest

from corpus.clean import to_match
from corpus.ingest import body_lines, ingest_paths

PINYIN = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")


def _doc(corpus_all, prefix: str):  # type: ignore[no-untyped-def]
    return next(d for d in corpus_all.documents if d.document.source_file.startswith(prefix))


def test_every_file_is_ingested(corpus_all) -> None:  # type: ignore[no-untyped-def]
    assert len(corpus_all.documents) == 6 and not corpus_all.skipped


def test_no_pinyin_annotation_survives(corpus_all) -> None:  # type: ignore[no-untyped-def]
    for clause in corpus_all.clauses:
        assert not PINYIN.search(clause.text), clause.clause_id


def test_every_seed000_measure_with_offices_has_its_list(corpus_all) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(corpus_all, "000_")
    with_block = [c for c in doc.clauses if "責任單位" in c.text]
    assert len(with_block) >= 18
    for clause in with_block:
        assert clause.offices, clause.clause_id
    first = next(c for c in doc.clauses if c.number_path == "二.(一).1")
    assert first.offices == ("市工业和信息化局", "市科技局", "市发展改革委")


def test_seed001_mojibake_lines_keep_body_and_number(corpus_all) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(corpus_all, "001_")
    garbled = [c for c in doc.clauses if "mojibake" in c.flags]
    assert [c.number_path for c in garbled] == [
        "三.(二)", "三.(五)", "三.(六)", "四.(一)", "四.(三)", "五.(二)"]
    bodies = ["支持科技型中小企業技術創新", "開展系列宣傳和文化活動", "加強國際交流與合作",
              "科技部總體部署和安排", "提出集群建設總體方案", "火炬中心組織專家指導"]
    for clause, body in zip(garbled, bodies, strict=True):
        assert body in clause.text
        assert not clause.text.startswith("?")
    # Where the bytes one over decode into dictionary words, the whole heading comes back;
    # where they do not (（订培悠…), nothing doubtful is shown.
    restored = next(c for c in doc.clauses if c.number_path == "五.(一)")
    assert restored.text.startswith("（一）加強組織保障。") or restored.text.startswith("(一)加強組織保障。")
    assert "mojibake" not in restored.flags
    assert not any("订培悠" in c.text or "加強己" in c.text for c in doc.clauses)


def test_seed002_has_no_footer_or_reporter_line(corpus_all) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(corpus_all, "002_")
    for clause in doc.clauses:
        assert "爆料" not in clause.text and "廣告熱線" not in clause.text
        assert "導報記者 吳淑娟" not in clause.text and "(記者" not in clause.text
    # a news report on a 征求意见稿: what it describes is a draft (shared dev2-meta says so)
    assert doc.meta.kind == "draft" and doc.meta.source == "經濟導報"
    assert doc.meta.date_published == "2024-03-20"


def test_seed003_title_has_no_spam_prefix_and_restarts_get_parents(corpus_all) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(corpus_all, "003_")
    assert doc.meta.title and doc.meta.title.startswith("关于公开征求")
    numbered = [c.number_path for c in doc.clauses if not c.number_path.startswith("¶")]
    assert numbered == [f"§1.{i}" for i in range(1, 7)] + [f"§2.{i}" for i in range(1, 4)]
    assert doc.meta.kind == "draft"


def test_seed000_metadata(corpus_all) -> None:  # type: ignore[no-untyped-def]
    meta = _doc(corpus_all, "000_").meta
    assert meta.doc_number == "濱政辦字〔2024〕18號"
    assert meta.date_issued == "2024-05-31" and meta.date_published == "2024-06-06"
    assert meta.issuer == "濱州市人民政府辦公室"


def test_seed001_navigation_is_gone(corpus_all) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(corpus_all, "001_")
    assert doc.meta.title == "創新型產業集群建設工程實施方案"
    for clause in doc.clauses:
        assert "當前位置" not in clause.text and "光伏產業政策" not in clause.text


def test_extra_documents_articles_and_source(corpus_all) -> None:  # type: ignore[no-untyped-def]
    liuhe = _doc(corpus_all, "01_")
    assert liuhe.meta.source and liuhe.meta.source.startswith("https://")
    assert "二.(五).第11条" in [c.number_path for c in liuhe.clauses]
    assert liuhe.meta.date_issued == "2023-02-08"


def test_rejoined_clauses_lose_no_body_text(corpus_all) -> None:  # type: ignore[no-untyped-def]
    from corpus.meta import extract_meta

    for doc in corpus_all.documents:
        page, lines, url = body_lines(doc.document)
        consumed = extract_meta(page, [line.text for line in lines], url).consumed
        joined = to_match("\n".join([c.text for c in doc.clauses]
                                     + [h for c in doc.clauses for h in c.heading_path]))
        # Header and signature lines become metadata, headings without a body of their own are
        # carried in their children's paths; every other body line is in a clause.
        for i, line in enumerate(lines):
            if i not in consumed:
                assert to_match(line.text) in joined, (doc.document.source_file, line.text)


def test_clause_ids_are_unique_and_stable(corpus_all) -> None:  # type: ignore[no-untyped-def]
    ids = [c.clause_id for c in corpus_all.clauses]
    assert len(ids) == len(set(ids))
    again = ingest_paths([d.document.path for d in corpus_all.documents])
    assert [c.clause_id for c in again.clauses] == ids


def test_long_clause_is_windowed() -> None:
    from corpus.clauses import windows

    text = "。".join(f"第{i}句内容足够长的政策条款文本" for i in range(100))
    parts = windows(text)
    assert len(parts) > 1 and all(len(p) <= 600 for p in parts)
    assert parts[0][-50:] in text and text.endswith(parts[-1])


@pytest.mark.parametrize(("line", "expected"), [
    ("(責任單位:市工業和信息化局、市科技局)", ("市工业和信息化局", "市科技局")),
    ("〔责任单位:市发展改革委,各县(市、区)、各市属开发区〕", ("市发展改革委", "各县(市、区)", "各市属开发区")),
    ("由市发改委牵头会同相关部门推进", ("市发改委",)),
])
def test_offices_are_parsed(line: str, expected: tuple[str, ...]) -> None:
    from corpus.clauses import parse_offices

    assert parse_offices(to_match(line)) == expected
