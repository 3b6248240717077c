"""Support measures and the conditions that apply to them, worked out once per index generation.

Owns which clauses are measures and which conditions attach to each; ``service.eligibility``
judges them, ``service.eligibility_api`` serves them. Pure, apart from a small cache keyed by
(generation id, day).

A **measure** is a clause with at least one ``Support`` fact. Its **conditions** come from:

- ``measure``: the measure's own clause;
- ``parent``: a numbered clause above it (its heading path is a strict prefix of the measure's)
  that states conditions and no support: the lead-in 「对符合以下条件的企业……」 of its items;
- ``section``: a clause that states conditions and no support and is a condition heading's
  clause: a heading on its path names one (申报条件, 申请条件, 支持对象, 扶持对象, 奖励对象,
  适用范围, 基本条件, 资格条件, 申报门槛…), or its first sentence does (奖励对象为……, 应具备
  以下条件; not a definition: 所称……是指……符合下列条件的企业). It applies to the measures of
  the section that holds that heading (the headings above it), or to every measure of its
  document when that section holds none (a 第四章 that only states the conditions). An
  unnumbered clause whose first sentence names one applies to the whole document.

So a 「三、申报条件」 chapter applies to every measure of its document, a 「1.申报条件」 item
under 「（一）落户补贴」 only to the measures under （一）.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import numpy as np

from corpus.facts import Condition, Support
from corpus.models import Clause
from corpus.records import status_now
from service.amounts import base_field, terms
from service.condition_table import ConditionTable, Row
from service.eligibility import Prepared, graded, prepare

Source = Literal["measure", "parent", "section"]
ATTACHMENT = ("conditions come from the measure's own clause (measure), from numbered clauses "
              "above it that state conditions and no support (parent), and from condition-"
              "heading clauses (申报条件, 申请条件, 支持对象, 适用范围…: section) of its section, "
              "or of its whole document when that section holds no measure")

_HEADING = re.compile(
    r"(?:申报|申请|认定|享受|补助|补贴|奖励|资助|扶持|支持|适用|基本|资格|准入)(?:条件|对象|主体|范围|门槛|要求)"
    r"|(?:符合|具备|满足)(?:以下|下列|如下)(?:基本)?条件")
_NOT_HEADING = re.compile(r"支持范围|扶持范围|奖励范围|补助范围|资助范围")  # the measures themselves
_TAILS: dict[Source, bytes] = {  # a typed condition's row after the asker's figure
    source: f',"rule":"figure","source":"{source}"}}'.encode() for source in ("measure", "parent", "section")}
_FIRST_SENTENCE = re.compile(r"[^。；;：:]{1,60}")
# 「本条例所称小型微利企业，是指……符合下列条件的企业」 defines a term for the measures that use
# it, not conditions on every measure around it.
_DEFINITION = re.compile(r"所称[^,，。]{1,30}[,，]?(?:是指|指)")


@dataclass(frozen=True)
class ConditionClause:
    """A clause's conditions, as one group (a clause may grade its conditions by bands: see
    ``service.eligibility``), prepared to be checked against many profiles. Each condition's
    row is encoded as UTF-8 JSON once per status (``rows``: [status code] as in
    ``service.condition_table``), whole for 0 (nothing stated bears on it) and up to the stated
    figure otherwise; a graded clause is judged by ``service.eligibility.verdict`` whole."""

    clause_id: str
    conditions: tuple[Condition, ...]
    prepared: tuple[Prepared, ...]
    graded: bool
    rows: tuple[tuple[bytes, bytes, bytes, bytes], ...]

    @classmethod
    def of(cls, clause_id: str, conditions: tuple[Condition, ...]) -> ConditionClause:
        prepared = tuple(prepare(c) for c in conditions)
        rows = []
        for p in prepared:
            head = dumps({"text": p.condition.text or p.required, "clause_id": clause_id})[:-1] \
                + ',"status":"'
            mid = '","required":' + dumps(p.required) + ',"stated":'
            whole = f'{head}unknown{mid}""'  # code 0: nothing stated, the row is complete
            rows.append((whole.encode(), f"{head}met{mid}".encode(), f"{head}not_met{mid}".encode(),
                         f"{head}unknown{mid}".encode()))
        return cls(clause_id, conditions, prepared, graded(conditions), tuple(rows))


@dataclass(frozen=True)
class Measure:
    clause_id: str
    doc_id: str
    source_file: str
    title: str
    status: str  # in_force | expired | repealed | draft | unknown, as of the catalogue's day
    kind: str  # the document's kind (policy, implementation_plan, draft, news)
    heading: str
    supports: tuple[Support, ...]
    bases: frozenset[str]  # the Circumstances fields that state a base of its supports
    tiered: bool  # a support has tiers (a tier by level may fit a title held)
    groups: tuple[tuple[ConditionClause, Source], ...]
    head_json: bytes  # the measure's unchanging part, encoded once: {"clause_id": …, "supports": [
    support_json: tuple[bytes, ...]  # each support encoded without its figure
    plain_json: bytes  # all its supports, each with "figure": null


@dataclass(frozen=True)
class Catalogue:
    generation: str
    as_of: str  # ISO day the statuses hold for
    measures: tuple[Measure, ...]  # in document order, then clause order
    slots: tuple[tuple[ConditionClause, Source], ...]  # each clause once per source it has
    measure_slots: tuple[tuple[int, ...], ...]  # per measure, its slots in its groups' order
    graded_slots: tuple[int, ...]  # slots whose clause grades its conditions (judged whole)
    flat_slots: np.ndarray  # measure_slots run together, and how many each measure has:
    slot_counts: np.ndarray  # a verdict per measure is one reduction over them
    table: ConditionTable  # the slots' rows, to check a profile against all at once


def _heading_level(clause: Clause) -> int | None:
    """The outermost level of the clause's heading path that names a condition heading, the
    clause's own level when its first sentence does, None when neither."""
    for level, heading in enumerate(clause.heading_path):
        if _HEADING.search(heading) and not _NOT_HEADING.search(heading):
            return level
    first = _FIRST_SENTENCE.match(clause.text_match)
    if first and _HEADING.search(first.group(0)) and not _NOT_HEADING.search(first.group(0)) \
            and not _DEFINITION.search(first.group(0)):
        return max(len(clause.heading_path) - 1, 0) if clause.numbered else 0
    return None


def _is_prefix(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    return len(short) < len(long) and long[: len(short)] == short


def _conditions(clause: Clause) -> tuple[Condition, ...]:
    return tuple(f for f in clause.facts if isinstance(f, Condition))


def _supports(clause: Clause) -> tuple[Support, ...]:
    return tuple(f for f in clause.facts if isinstance(f, Support))


def _support_json(support: Support) -> dict[str, Any]:
    return {"kind": support.kind, "amount": support.amount, "ratio": support.ratio,
            "base": support.base, "cap": support.cap, "once": support.once,
            "tiers": [{"when": t.when, "amount": t.amount, "ratio": t.ratio,
                       "threshold": t.threshold, "cap": t.cap} for t in support.tiers],
            "terms": terms(support), "text": support.text}


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _document_measures(clauses: Sequence[Clause], record: dict[str, Any], today: date
                       ) -> list[Measure]:
    measures = [c for c in clauses if _supports(c)]
    if not measures:
        return []
    plain = [c for c in clauses if _conditions(c) and not _supports(c)]
    groups_of: dict[str, ConditionClause] = {}

    def group(clause: Clause) -> ConditionClause:
        if clause.clause_id not in groups_of:
            groups_of[clause.clause_id] = ConditionClause.of(clause.clause_id, _conditions(clause))
        return groups_of[clause.clause_id]

    sections: list[tuple[ConditionClause, tuple[str, ...]]] = []
    for c in plain:
        level = _heading_level(c)
        if level is None:
            continue
        scope = c.heading_path[:level] if c.numbered else ()
        if not any(m.heading_path[: len(scope)] == scope for m in measures):
            scope = ()  # the section only states conditions: they are the document's
        sections.append((group(c), scope))
    parents = [c for c in plain if c.numbered]
    first = clauses[0]
    title = record.get("title") or first.title or first.source_file
    status = status_now(record, today) if record else "unknown"
    kind = record.get("kind") or first.kind
    out = []
    for m in measures:
        groups: list[tuple[ConditionClause, Source]] = []
        if _conditions(m):
            groups.append((group(m), "measure"))
        seen = {m.clause_id}
        for p in parents:
            if m.numbered and _is_prefix(p.heading_path, m.heading_path) and p.clause_id not in seen:
                seen.add(p.clause_id)
                groups.append((group(p), "parent"))
        for shared, scope in sections:
            if shared.clause_id not in seen and m.heading_path[: len(scope)] == scope:
                seen.add(shared.clause_id)
                groups.append((shared, "section"))
        supports = _supports(m)
        encoded = tuple(dumps(_support_json(s)) for s in supports)
        heading = " › ".join(m.heading_path)
        head = {"clause_id": m.clause_id, "doc_id": m.doc_id, "source_file": m.source_file,
                "title": title, "status": status, "kind": kind, "heading": heading}
        out.append(Measure(
            m.clause_id, m.doc_id, m.source_file, title, status, kind, heading, supports,
            frozenset(f for f in map(base_field, supports) if f),
            any(s.tiers for s in supports), tuple(groups),
            (dumps(head)[:-1] + ',"supports":[').encode(), tuple(e.encode() for e in encoded),
            ",".join(e[:-1] + ',"figure":null}' for e in encoded).encode()))
    return out


def catalogue_of(generation: str, clauses: Iterable[Clause], documents: Sequence[dict[str, Any]],
                 today: date) -> Catalogue:
    """Every measure of ``clauses`` with the conditions that apply to it and its document's
    status on ``today`` (documents as the manifest records them)."""
    by_doc: dict[str, list[Clause]] = {}
    for clause in clauses:
        by_doc.setdefault(clause.doc_id, []).append(clause)
    records = {d["doc_id"]: d for d in documents if d.get("doc_id")}
    measures: list[Measure] = []
    for doc_id, doc_clauses in by_doc.items():
        doc_clauses.sort(key=lambda c: c.ordinal)
        measures += _document_measures(doc_clauses, records.get(doc_id, {}), today)
    numbers: dict[tuple[str, Source], int] = {}
    slots: list[tuple[ConditionClause, Source]] = []
    for m in measures:
        for group, source in m.groups:
            if (group.clause_id, source) not in numbers:
                numbers[(group.clause_id, source)] = len(slots)
                slots.append((group, source))
    table = ConditionTable([() if group.graded else [
        Row(p, encoded, _TAILS[source]) for p, encoded in zip(group.prepared, group.rows, strict=True)]
        for group, source in slots])
    measure_slots = tuple(tuple(numbers[(g.clause_id, s)] for g, s in m.groups) for m in measures)
    return Catalogue(
        generation, today.isoformat(), tuple(measures), tuple(slots), measure_slots,
        tuple(i for i, (group, _) in enumerate(slots) if group.graded),
        np.asarray([s for own in measure_slots for s in own], dtype=np.int64),
        np.asarray([len(own) for own in measure_slots], dtype=np.int64), table)


_CACHE: OrderedDict[tuple[str, str], Catalogue] = OrderedDict()
_LOCK = threading.Lock()
_KEEP = 2  # the live generation and the one before it (requests still running on it)


def cached_catalogue(generation: str, clauses: Iterable[Clause],
                     documents: Sequence[dict[str, Any]], today: date) -> Catalogue:
    """``catalogue_of``, once per (generation, day): a request then only checks conditions."""
    key = (generation, today.isoformat())
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None:
            _CACHE.move_to_end(key)
            return found
        found = catalogue_of(generation, clauses, documents, today)
        _CACHE[key] = found
        while len(_CACHE) > _KEEP:
            _CACHE.popitem(last=False)
        return found
