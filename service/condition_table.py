"""Every condition row of a catalogue as columns, checked against one profile at once.

``POST /v1/eligibility`` judges every measure of the corpus: 10,000 measures hold some 17,000
condition rows, and checking and encoding them one by one in Python cost most of a request.
Here a numeric condition (营业收入不低于…, 研发费用占比…, 从业人员…, 成立年限…) is a row of
numpy columns, compared per subject in one vector operation; a condition on a place, a title or
an industry (注册地在…, 为高新技术企业) is checked once per distinct condition, however many rows
repeat it. The statuses are exactly ``service.eligibility.check_prepared``'s, row by row (tested
against it).

The table is laid out by **slot**: a condition clause as it attaches to measures from one
source (measure, parent, section: ``service.measures``), since each row's JSON names its source.
A graded clause (conditions in bands) has a slot with no rows: it is judged whole, by the caller.

Status codes per row: 0 unknown with nothing stated, 1 met, 2 not met, 3 unknown though a
figure was stated (a unit the condition does not compare with).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from corpus.facts import Circumstances, Condition
from service.eligibility import Prepared, check_prepared, stated_figure

UNSTATED, MET, NOT_MET, UNKNOWN = 0, 1, 2, 3
STATUS = ("unknown", "met", "not_met", "unknown")
BITS = np.array([4, 1, 2, 4], dtype=np.int8)  # the mask bit of each code (unknown 4, met 1, not_met 2)
NUMERIC = ("revenue", "rd_expense", "rd_share", "staff", "age_years", "investment")
_COMPARATORS = (">=", ">", "<=", "<", "==", "between")  # any other never holds (as ``_holds``)
_EPS = 1e-9


@dataclass(frozen=True)
class Row:
    """One condition of a slot: what it checks and its JSON, encoded once per status code
    (whole for 0, up to the stated figure otherwise) and after the figure (``tail``)."""

    prepared: Prepared
    encoded: tuple[bytes, bytes, bytes, bytes]
    tail: bytes


@dataclass(frozen=True)
class _Numeric:
    """One subject's numeric rows: where they are, how they compare, and whether they can."""

    rows: np.ndarray  # row numbers
    comparable: np.ndarray  # bool: a threshold in the unit the subject is stated in
    comparator: np.ndarray  # index into _COMPARATORS, len(_COMPARATORS) for any other
    low: np.ndarray
    high: np.ndarray  # nan: no upper bound


@dataclass(frozen=True)
class Checked:
    """One profile against the table: each slot's rows encoded, joined with commas (b"" for a
    graded slot), and each slot's statuses as a mask (met 1 | not_met 2 | unknown 4; 0 for a
    graded slot)."""

    encoded: list[bytes]
    masks: np.ndarray


class ConditionTable:
    """The rows of every slot, slot after slot."""

    def __init__(self, slots: Sequence[Sequence[Row]]) -> None:
        rows = [row for slot in slots for row in slot]
        sizes = np.asarray([len(slot) for slot in slots], dtype=np.int64)
        self.starts = np.cumsum(sizes) - sizes
        self.filled = sizes > 0
        self.bounds = [(int(lo), int(lo + n)) for lo, n in zip(self.starts, sizes, strict=True)]
        self.size = len(rows)
        # each row's JSON per code, and what follows the figure (a code 0 row is whole)
        self.encoded = np.empty((len(rows), 4), dtype=object)
        for i, row in enumerate(rows):
            self.encoded[i] = (row.encoded[0] + row.tail, *row.encoded[1:])
        self.tails = np.empty(len(rows), dtype=object)
        self.tails[:] = [row.tail for row in rows]
        fields = sorted({row.prepared.field for row in rows if row.prepared.field})
        self.fields: tuple[str, ...] = tuple(fields)
        self.field_of = np.asarray([fields.index(row.prepared.field) if row.prepared.field
                                    else len(fields) for row in rows], dtype=np.int64)
        self.sample = {row.prepared.field: row.prepared for row in rows if row.prepared.field}
        numeric: dict[str, list[int]] = {name: [] for name in NUMERIC}
        distinct: dict[Condition, list[int]] = {}
        for i, row in enumerate(rows):
            p = row.prepared
            if p.field is None:
                continue
            if p.field in numeric and p.condition.comparator != "in":
                numeric[p.field].append(i)
            else:
                distinct.setdefault(p.condition, []).append(i)
        first = {row.prepared.condition: row.prepared for row in reversed(rows)}
        self.numeric = {name: _columns(rows, at) for name, at in numeric.items() if at}
        self.distinct = tuple((first[c], np.asarray(at, dtype=np.int64))
                              for c, at in distinct.items())

    def codes(self, circumstances: Circumstances) -> np.ndarray:
        """Each row's status code against the profile."""
        codes = np.zeros(self.size, dtype=np.int8)
        for name, col in self.numeric.items():
            value = getattr(circumstances, name)
            if value is None:
                continue
            v = float(value)
            low, high = col.low, col.high
            with np.errstate(invalid="ignore"):  # nan thresholds compare False, as intended
                holds = np.select(
                    [col.comparator == k for k in range(len(_COMPARATORS))],
                    [v >= low - _EPS, v > low + _EPS, v <= low + _EPS, v < low - _EPS,
                     np.abs(v - low) <= _EPS,
                     (np.isnan(low) | (v >= low - _EPS)) & (np.isnan(high) | (v <= high + _EPS))],
                    default=False)
            codes[col.rows] = np.where(col.comparable, np.where(holds, MET, NOT_MET), UNKNOWN)
        for prepared, at in self.distinct:
            if getattr(circumstances, prepared.field or "") in (None, "", ()):
                continue
            codes[at] = {"met": MET, "not_met": NOT_MET}.get(
                check_prepared(prepared, circumstances).status, UNKNOWN)
        return codes

    def check(self, circumstances: Circumstances) -> Checked:
        codes = self.codes(circumstances)
        masks = np.zeros(len(self.bounds), dtype=np.int8)
        if self.size:
            masks[self.filled] = np.bitwise_or.reduceat(BITS[codes], self.starts[self.filled])
        # the asker's figure each field states, JSON-encoded, then b"" for rows of no field
        stated = np.empty(len(self.fields) + 1, dtype=object)
        stated[:] = [_json_string(stated_figure(self.sample[f], circumstances))
                     for f in self.fields] + [b""]
        picked = self.encoded[np.arange(self.size), codes]
        rows = np.where(codes == UNSTATED, picked, picked + stated[self.field_of] + self.tails)
        listed = rows.tolist()
        encoded = [b",".join(listed[lo:hi]) if hi > lo else b"" for lo, hi in self.bounds]
        return Checked(encoded, masks)


def _json_string(text: str) -> bytes:
    return json.dumps(text, ensure_ascii=False).encode()


def _columns(rows: Sequence[Row], at: list[int]) -> _Numeric:
    conditions = [rows[i].prepared.condition for i in at]
    unit = rows[at[0]].prepared.unit
    return _Numeric(
        np.asarray(at, dtype=np.int64),
        np.asarray([c.value is not None and not (c.unit and unit and c.unit != unit)
                    for c in conditions], dtype=bool),
        np.asarray([_COMPARATORS.index(c.comparator) if c.comparator in _COMPARATORS
                    else len(_COMPARATORS) for c in conditions], dtype=np.int8),
        np.asarray([np.nan if c.value is None else c.value for c in conditions], dtype=np.float64),
        np.asarray([np.nan if c.upper is None else c.upper for c in conditions], dtype=np.float64))


__all__ = ["BITS", "STATUS", "UNSTATED", "Checked", "ConditionTable", "Row"]
