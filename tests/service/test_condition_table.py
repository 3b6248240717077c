"""service.condition_table: every row's status, computed per column, is check_prepared's."""

from __future__ import annotations

import itertools

import pytest

from corpus.facts import Circumstances, Condition
from service.condition_table import STATUS, ConditionTable, Row
from service.eligibility import check_prepared, prepare

CONDITIONS = (
    Condition("营业收入", ">=", 2e7, unit="元", scope="上年度"),
    Condition("营业收入", "between", 5e7, 1e8, unit="元"),
    Condition("营业收入", "between", 5e7, None, unit="元"),
    Condition("营业收入", ">=", 2e7, unit="%"),  # a unit the subject is not stated in
    Condition("营业收入", ">=", None, unit="元"),  # no threshold read
    Condition("营业收入", "in", values=("2000万元",)),
    Condition("研发费用占比", ">", 3.0, unit="%"),
    Condition("研发费用占比", "==", 5.0, unit="%"),
    Condition("从业人员", "<=", 300.0, unit="人"),
    Condition("从业人员", "<", 10.0, unit="人"),
    Condition("从业人员", "约", 10.0, unit="人"),  # a comparator no figure satisfies
    Condition("成立年限", ">=", 3.0, unit="年"),
    Condition("注册地", "in", values=("临州市",), text="在临州市注册"),
    Condition("注册地", "in", values=("本市",)),
    Condition("资质", "in", values=("高新技术企业",)),
    Condition("行业", "in", values=("制造业",)),
    Condition("other", ">=", 1.0, text="其他条件"),
)
PROFILES = (
    Circumstances(),
    Circumstances(revenue=8e7, rd_share=5.0, staff=10, age_years=2.0, place="临州市",
                  titles=("国家级高新技术企业",), industry="装备制造业"),
    Circumstances(revenue=1e8, rd_share=3.0, staff=300, age_years=3.0, place="滨江市"),
    Circumstances(revenue=0.0, staff=9, place="江北区"),
)


def table() -> ConditionTable:
    # two slots of the same conditions (a clause attached from two sources) and an empty one
    prepared = [prepare(c) for c in CONDITIONS]
    row = (b"0", b"1", b"2", b"3")
    return ConditionTable([[Row(p, row, b"") for p in prepared], [],
                           [Row(p, row, b"") for p in reversed(prepared)]])


@pytest.mark.parametrize("circumstances", PROFILES)
def test_each_rows_status_is_check_prepareds(circumstances: Circumstances) -> None:
    codes = table().codes(circumstances).tolist()
    order = list(CONDITIONS) + list(reversed(CONDITIONS))
    assert [STATUS[code] for code in codes] == [
        check_prepared(prepare(c), circumstances).status for c in order]
    stated = [bool(check_prepared(prepare(c), circumstances).stated) for c in order]
    assert [code != 0 for code in codes] == stated  # code 0: nothing stated bears on it


def test_slot_masks_or_their_rows_and_an_empty_slot_is_zero() -> None:
    checked = table().check(PROFILES[1])
    assert checked.masks[1] == 0 and checked.encoded[1] == b""
    statuses = {check_prepared(prepare(c), PROFILES[1]).status for c in CONDITIONS}
    expected = sum({"met": 1, "not_met": 2, "unknown": 4}[s] for s in statuses)
    assert checked.masks[0] == checked.masks[2] == expected
    # a row with something stated carries the asker's figure: 8000万元 for 营业收入
    assert b'1"8000\xe4\xb8\x87\xe5\x85\x83"' in checked.encoded[0]


def test_every_status_code_occurs() -> None:
    seen = set(itertools.chain.from_iterable(table().codes(c).tolist() for c in PROFILES))
    assert seen == {0, 1, 2, 3}
