"""``POST /v1/eligibility``: every support measure of the corpus judged against an enterprise's
profile, fully met first.

Owns the route and the list's assembly (its models: ``service.eligibility_schemas``). What a measure is and which
conditions attach to it is ``service.measures`` (worked out once per generation and day); one
condition against the profile is ``service.eligibility``; the figure is ``service.amounts``.
A request parses the profile once, checks each condition clause once (a 申报条件 clause shared by
every measure of its document is checked once, not per measure) and writes the JSON from parts
encoded when the generation was first asked (10,000 measures: see ``policyqa bench``).

The profile: ``text`` as an asker would write it (「我们去年营收8000万，研发占比5%，注册在临州市」),
read by ``question.circumstances``; typed fields (money in 元, shares in percent) override what
the text states. Verdicts as in ``service.eligibility``; a measure without conditions is
``unknown``. Order: eligible, meets_stated, unknown, not_eligible; within each, documents in
index order and clauses in document order.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, replace
from datetime import date
from typing import Any

import numpy as np
from fastapi import APIRouter
from fastapi.responses import Response

from corpus.clean import to_match
from corpus.facts import Circumstances
from question.circumstances import parse_circumstances
from service.amounts import BASE_FIELDS, figure, support_sentence
from service.deps import ERRORS, EngineDep
from service.eligibility import (
    ConditionResult,
    Status,
    Verdict,
    decide,
    verdict,
)
from service.eligibility_schemas import (
    EligibilityFiltersIn,
    EligibilityIn,
    EligibilityOut,
    ProfileIn,
)
from service.engine import Generation
from service.measures import (
    ATTACHMENT,
    Catalogue,
    ConditionClause,
    Measure,
    Source,
    cached_catalogue,
    dumps,
)

router = APIRouter()
ORDER: tuple[Verdict, ...] = ("eligible", "meets_stated", "unknown", "not_eligible")

# ------------------------------------------------------------------ the work
def circumstances_of(profile: ProfileIn, today: date) -> Circumstances:
    """What the profile's text states, then its typed fields over it."""
    text = profile.text.strip()
    found = parse_circumstances(to_match(text), today) if text else Circumstances()
    typed: dict[str, Any] = {name: value for name, value in (
        ("revenue", profile.revenue), ("rd_expense", profile.rd_expense),
        ("rd_share", profile.rd_share), ("staff", profile.staff),
        ("age_years", profile.age_years), ("interest_paid", profile.interest_paid),
        ("investment", profile.investment)) if value is not None}
    for name, words in (("place", profile.place), ("industry", profile.industry)):
        if words and words.strip():
            typed[name] = to_match(words.strip())
    titles = tuple(dict.fromkeys(to_match(t.strip()) for t in profile.titles if t.strip()))
    if titles:
        typed["titles"] = titles
    return replace(found, **typed)


def _passes(m: Measure, filters: EligibilityFiltersIn) -> bool:
    if filters.doc_ids and m.doc_id not in filters.doc_ids and m.source_file not in filters.doc_ids:
        return False
    if filters.kinds and m.kind not in filters.kinds:
        return False
    return not filters.in_force or m.status == "in_force"


# A clause's statuses as a bit mask. Every row here is a typed condition's (rule "figure": no
# question's text rules), so ``decide`` depends only on which statuses occur: it is worked out
# once for each of the eight sets.
_BIT: dict[Status, int] = {"met": 1, "not_met": 2, "unknown": 4}
_VERDICTS: tuple[Verdict, ...] = tuple(
    decide([ConditionResult("", "", status, "", "") for status, bit in _BIT.items() if mask & bit])
    for mask in range(8))
_LEVELS = ("国家级", "省级", "市级", "区级", "县级")
_VERDICT_JSON = {v: f'],"verdict":"{v}","conditions":['.encode() for v in ORDER}


class _Request:
    """One profile against the catalogue: every condition row checked and encoded at once
    (``service.condition_table``), a graded clause judged whole, each measure's verdict from
    its slots' masks. The body is written as UTF-8 from parts encoded when the catalogue was
    built: encoding 12 MB of JSON per request would cost more than checking it. It keeps bytes
    and ints, which the garbage collector does not track, so a request leaves no work for a
    full collection."""

    def __init__(self, circumstances: Circumstances, catalogue: Catalogue) -> None:
        self.circumstances = circumstances
        checked = catalogue.table.check(circumstances)
        self.encoded, masks = checked.encoded, checked.masks
        for slot in catalogue.graded_slots:
            group, source = catalogue.slots[slot]
            self.encoded[slot], masks[slot] = self._graded(group, source)
        self.verdicts = [_VERDICTS[mask] for mask in _measure_masks(catalogue, masks)]
        held = " ".join(circumstances.titles)
        self.levelled = any(level in held for level in _LEVELS)  # a tier by level may fit
        self.bases = frozenset(f for f in BASE_FIELDS if getattr(circumstances, f))

    def _graded(self, group: ConditionClause, source: Source) -> tuple[bytes, int]:
        pairs = [(c, group.clause_id) for c in group.conditions]
        found = verdict(pairs, self.circumstances).conditions
        mask = 0
        for r in found:
            mask |= _BIT[r.status]
        return ",".join(dumps({"text": r.text, "clause_id": r.clause_id, "status": r.status,
                               "required": r.required, "stated": r.stated, "rule": r.rule,
                               "source": source}) for r in found).encode(), mask

    def supports(self, m: Measure) -> bytes:
        """The measure's supports, with the figure where the profile gives its base."""
        c = self.circumstances
        if not (m.bases & self.bases or (m.tiered and self.levelled)):
            return m.plain_json
        parts = []
        for support, encoded in zip(m.supports, m.support_json, strict=True):
            found = figure(support, c)
            if found is None:
                parts.append(encoded[:-1] + b',"figure":null}')
            else:
                said = {"value": found.value, "stated": found.stated, "ratio": found.ratio,
                        "cap": found.cap, "capped": found.capped, "tier": found.tier,
                        "sentence": support_sentence(support, c)}
                parts.append(encoded[:-1] + b',"figure":' + dumps(said).encode() + b"}")
        return b",".join(parts)


def report(catalogue: Catalogue, circumstances: Circumstances,
           filters: EligibilityFiltersIn) -> bytes:
    """The response body: each measure that passes ``filters`` with its verdict, ordered."""
    request = _Request(circumstances, catalogue)
    supports, encoded, verdicts = request.supports, request.encoded, request.verdicts
    buckets: dict[Verdict, list[bytes]] = {v: [] for v in ORDER}
    filtered = bool(filters.doc_ids or filters.kinds or filters.in_force)
    for m, slots, decided in zip(catalogue.measures, catalogue.measure_slots, verdicts, strict=True):
        if filtered and not _passes(m, filters):
            continue
        rows = b",".join([encoded[s] for s in slots if encoded[s]])
        buckets[decided].append(b"".join((m.head_json, supports(m), _VERDICT_JSON[decided], rows,
                                          b"]}")))
    counts = {v: len(buckets[v]) for v in ORDER}
    stated = {**asdict(circumstances), "titles": list(circumstances.titles)}
    head = dumps({"generation": catalogue.generation, "as_of": catalogue.as_of,
                  "attachment": ATTACHMENT, "circumstances": stated,
                  "total": sum(counts.values()), "counts": counts})
    measures = b",".join([m for v in ORDER for m in buckets[v]])
    return b"".join((head[:-1].encode(), b',"measures":[', measures, b"]}"))


def _measure_masks(catalogue: Catalogue, masks: np.ndarray) -> list[int]:
    """Each measure's statuses as a mask: its slots' masks or-ed (0 for a measure with none)."""
    counts = catalogue.slot_counts
    out = np.zeros(len(counts), dtype=np.int8)
    if counts.any():
        some = counts > 0
        starts = np.cumsum(counts) - counts
        out[some] = np.bitwise_or.reduceat(masks[catalogue.flat_slots], starts[some])
    return out.tolist()


def catalogue_for(generation: Generation, today: date) -> Catalogue:
    index = generation.index
    return cached_catalogue(generation.id, index.clauses, index.manifest.get("documents", []),
                            today)


def respond(generation: Generation, body: EligibilityIn, today: date) -> bytes:
    catalogue = catalogue_for(generation, today)
    return report(catalogue, circumstances_of(body.profile, today), body.filters)


@router.post("/v1/eligibility", response_model=EligibilityOut, responses=ERRORS)
async def eligibility(body: EligibilityIn, engine: EngineDep) -> Response:
    """Every support measure with its conditions checked against the profile, its support (and
    the figure when the profile states the base) and its document's status; fully met first."""
    generation = engine.generation  # one generation for the whole request
    content = await asyncio.to_thread(respond, generation, body, date.today())
    return Response(content, media_type="application/json")


__all__ = ["ORDER", "circumstances_of", "report", "respond", "router"]
