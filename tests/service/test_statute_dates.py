"""When a statute was passed, promulgated, put in force and amended (service.statute_dates), on a
small made-up statute: each asked event is answered by its own line, cited."""

from __future__ import annotations

from corpus.clean import to_match
from corpus.models import Clause
from service import statute_dates


def _clause(clause_id: str, text: str) -> Clause:
    return Clause(clause_id=clause_id, doc_id="law", source_file="law.md", title="某省促进示范条例",
                  doc_number=None, date=None, kind="clause", heading_path=(clause_id,),
                  number_path=clause_id, text=text, text_match=to_match(text))


PASSED = _clause("¶1", "2010年3月5日 某省第十一届人民代表大会常务委员会第九次会议通过")
FIRST = _clause("¶2", "2015年6月1日 某省第十二届人民代表大会常务委员会第三次会议《关于修改〈某省促进示范条例〉的决定》第一次修正")
SECOND = _clause("¶3", "（2021年9月9日 某省第十三届人民代表大会常务委员会第七次会议《关于修改〈某省促进示范条例〉的决定》第二次修正）")
ARTICLE = _clause("第50条", "第五十条 本条例自2010年5月1日起施行。")
LAW = [PASSED, FIRST, SECOND, ARTICLE]


def test_the_asked_events_in_the_questions_order() -> None:
    assert statute_dates.asked_events("这部条例是什么时候通过、什么时候施行的？") == ["通过", "施行"]
    assert statute_dates.asked_events("是第几号令公布的？哪天起施行？") == ["公布", "施行"]
    assert statute_dates.asked_events("什么时候开始施行的？后来修改过吗？") == ["施行", "修改"]


def test_a_year_that_names_the_version_asks_nothing() -> None:
    assert statute_dates.asked_events("2017年修订的促进法是从哪天起施行的？") == ["施行"]
    assert statute_dates.asked_events("2020年通过的条例现在还是原来的文本吗？") == ["修改"]
    assert statute_dates.asked_events("条例对中小企业有什么支持？") == []


def test_the_statute_states_each_event_in_its_own_line() -> None:
    stated = statute_dates.statements(LAW)
    assert [(s.event, s.clause.clause_id) for s in stated] == [
        ("通过", "¶1"), ("修改", "¶2"), ("修改", "¶3"), ("施行", "第50条")]


def test_passed_and_in_force_are_both_answered_and_cited() -> None:
    line, cited = statute_dates.answer_lines(["通过", "施行"], statute_dates.statements(LAW), "某省促进示范条例")
    assert line.startswith("《某省促进示范条例》2010年3月5日") and "通过[1]" in line
    assert line.endswith("自2010年5月1日起施行[2]。")
    assert cited == [PASSED, ARTICLE]


def test_an_amendment_is_answered_by_the_latest_one() -> None:
    line, cited = statute_dates.answer_lines(["修改"], statute_dates.statements(LAW), "某省促进示范条例")
    assert "2021年9月9日" in line and "第二次修正[1]" in line and "2015年" not in line
    assert cited == [SECOND]


def test_an_event_the_statute_does_not_state_answers_nothing() -> None:
    assert statute_dates.answer_lines(["公布"], statute_dates.statements(LAW), "某省促进示范条例") is None
