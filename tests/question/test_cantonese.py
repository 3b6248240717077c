"""Cantonese askers' words read as Mandarin (question.cantonese)."""

from __future__ import annotations

from corpus.clean import to_match
from question.cantonese import mandarin
from question.query import parse


def test_cantonese_words_become_mandarin() -> None:
    assert mandarin(to_match("我符唔符合申請條件？")) == "我符不符合申请条件?"
    assert mandarin(to_match("想電話查詢，打邊個號碼？")) == "想电话查询,打哪个号码?"
    assert mandarin(to_match("有冇補貼？")) == "有没有补贴?"


def test_a_mandarin_question_is_left_as_it_is() -> None:
    question = to_match("我们公司去年营收8000万，研发占5%，够不够？")
    assert mandarin(question) == question


def test_a_cantonese_asker_asking_whether_they_qualify_is_read_so() -> None:
    query = parse("我係餐廳老闆，員工20人，想問我符唔符合免息貸款嘅申請條件？")
    assert query.asks_eligibility
    assert "不" in query.match and "唔" not in query.match
