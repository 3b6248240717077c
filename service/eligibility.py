"""Eligibility: the asker's stated circumstances against a measure's conditions, and the verdict.

Owns ``check`` (one typed ``corpus.facts.Condition`` against ``Circumstances``), ``verdict`` (all
of a measure's conditions, plus what its clause sentences rule in or out, via
``service.situations``) and the verdict's first sentence. Pure functions: no engine, no index.

Verdicts (issue 19):

- ``not_eligible``: a stated circumstance fails a condition;
- ``eligible``: every condition is met;
- ``meets_stated``: every condition the stated circumstances bear on is met, the rest unknown;
- ``unknown``: no stated circumstance bears on any condition.

Graded conditions (上年度营业收入1亿元以上的企业…不低于3%; 5000万元至1亿元的企业…不低于6%) are
read as bands: a condition on one subject that comes several times in a clause, each followed by
conditions on other subjects, selects which of those apply to the asker.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from corpus.facts import Circumstances, Condition
from question.numbers import format_money, format_number
from service.situations import TextCheck, check_clause

Status = Literal["met", "not_met", "unknown"]
Verdict = Literal["not_eligible", "meets_stated", "eligible", "unknown"]

# subject → (Circumstances field, the unit it is stated in)
_FIELDS: dict[str, tuple[str, str]] = {
    "营业收入": ("revenue", "元"), "研发费用": ("rd_expense", "元"),
    "研发费用占比": ("rd_share", "%"), "从业人员": ("staff", "人"), "成立年限": ("age_years", "年"),
    "投资额": ("investment", "元"), "注册地": ("place", ""), "资质": ("titles", ""),
    "行业": ("industry", ""),
}
_LOCAL = ("本市", "本区", "本县", "本省", "我市", "我区", "我县", "我省", "本地", "辖区", "当地")


@dataclass(frozen=True)
class Check:
    status: Status
    required: str  # the condition as a reader would say it: 上年度营业收入不低于5000万元
    stated: str = ""  # the asker's figure: 8000万元 ("" when nothing stated bears on it)


@dataclass(frozen=True)
class ConditionResult:
    text: str
    clause_id: str
    status: Status
    required: str
    stated: str
    rule: str = "figure"  # figure (a typed condition) or the text rule that decided it


@dataclass(frozen=True)
class Eligibility:
    verdict: Verdict
    conditions: tuple[ConditionResult, ...] = ()

    def deciding(self) -> tuple[ConditionResult, ...]:
        """The conditions the verdict rests on: the failed ones, else the met ones."""
        failed = tuple(c for c in self.conditions if c.status == "not_met")
        return failed or tuple(c for c in self.conditions if c.status == "met")

    def unchecked(self) -> tuple[ConditionResult, ...]:
        """The conditions left unknown, less those another rule decided (a typed 年龄 condition
        the asker's 42岁 was read against by the sentence's bounds)."""
        decided = [(c.clause_id, _plain(c.required)) for c in self.conditions if c.status != "unknown"]
        # the same requirement, or a part of it (参保职工总数20% of 裁员率不高于参保职工总数20%)
        return tuple(c for c in self.conditions if c.status == "unknown" and not any(
            clause == c.clause_id and _plain(c.required) in said for clause, said in decided))


_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条")


def _plain(required: str) -> str:
    """A requirement as compared: without the article number a clause's own words begin with."""
    return _ARTICLE.sub("", required)


# ------------------------------------------------------------------ display
def quantity(value: float, unit: str | None) -> str:
    if unit == "元":
        return format_money(value)
    if unit == "%":
        return f"{format_number(value)}%"
    return f"{format_number(value)}{unit or ''}"


@lru_cache(maxsize=100_000)  # conditions are frozen; a corpus's are few and asked about often
def required_text(c: Condition) -> str:
    """上年度营业收入不低于5000万元, 近2年研发费用占比不低于6%, 营业收入5000万元至1亿元."""
    if c.comparator == "in":
        values = "、".join(c.values)
        return {"注册地": f"注册地在{values}", "资质": f"为{values}", "行业": f"属于{values}"}.get(
            c.subject, c.text or values)
    if c.subject == "other" or c.value is None:
        return c.text
    counted = c.unit in ("人", "年")
    words = {">=": "不少于" if counted else "不低于", ">": "超过", "<=": "不超过",
             "<": "不足" if counted else "低于", "==": "为"}
    head = f"{c.scope or ''}{c.subject}"
    if c.comparator == "between" and c.upper is not None:
        return f"{head}{quantity(c.value, c.unit)}至{quantity(c.upper, c.unit)}"
    return f"{head}{words.get(c.comparator, '')}{quantity(c.value, c.unit)}"


def _stated(value: object, unit: str) -> str:
    if isinstance(value, tuple):
        return "、".join(value)
    if isinstance(value, int | float):
        return quantity(float(value), unit)
    return str(value or "")


# ------------------------------------------------------------------ one condition
def _holds(value: float, c: Condition) -> bool:
    low, high = c.value, c.upper
    eps = 1e-9
    if c.comparator == "between":
        return (low is None or value >= low - eps) and (high is None or value <= high + eps)
    assert low is not None
    return {">=": value >= low - eps, ">": value > low + eps, "<=": value <= low + eps,
            "<": value < low - eps, "==": abs(value - low) <= eps}.get(c.comparator, False)


def _bare(name: str) -> str:
    for suffix in ("特别行政区", "自治区", "自治州", "开发区", "高新区", "新区", "省", "市", "区", "县",
                   "镇", "州"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _level(name: str) -> str:
    if name.endswith("省"):
        return "province"
    if name.endswith(("区", "县", "镇", "旗")):
        return "district"
    if name.endswith(("市", "州", "盟")) or len(name) == 2:
        return "city"
    return ""


def _place(stated: str, values: tuple[str, ...]) -> Status:
    named = [v for v in values if not any(w in v for w in _LOCAL)]
    if not named:
        return "unknown"  # 本市: which city is the document's, not the condition's
    s = _bare(stated)
    for v in named:
        b = _bare(v)
        if b in stated or s in v or b in s:
            return "met"
    same_level = all(_level(v) and _level(v) == _level(stated) for v in named)
    return "not_met" if same_level else "unknown"


def _included(stated: str, text: str) -> bool:
    """Whether the condition's own words take the stated place in (深圳市内(含深汕特别合作区)):
    a place the text names as included, by its name without the level."""
    bare = _bare(stated)
    return len(bare) >= 2 and re.search(rf"[(（]含[^)）]*{re.escape(bare)}", text) is not None


def _title_key(title: str) -> str:
    for level in ("国家级", "省级", "市级", "区级", "县级"):
        title = title.removeprefix(level)
    return title.removesuffix("企业").replace("“", "").replace("”", "")


def _titles(stated: tuple[str, ...], values: tuple[str, ...]) -> Status:
    for v in values:
        level = next((lv for lv in ("国家级", "省级", "市级", "区级") if v.startswith(lv)), None)
        for s in stated:
            if _title_key(v) in _title_key(s) or _title_key(s) in _title_key(v):
                s_level = next((lv for lv in ("国家级", "省级", "市级", "区级") if s.startswith(lv)),
                               None)
                if level is None or s_level is None or level == s_level:
                    return "met"
    return "unknown"  # the asker may hold titles not stated


@dataclass(frozen=True)
class Prepared:
    """A condition made ready to be checked against many askers (``POST /v1/eligibility``
    checks every measure of the corpus): what it requires, said once, and the stated figure it
    reads (``field`` None: nothing stated bears on it)."""

    condition: Condition
    required: str
    field: str | None
    unit: str


def prepare(condition: Condition) -> Prepared:
    name, unit = _FIELDS.get(condition.subject, (None, ""))
    return Prepared(condition, required_text(condition), name, unit)


def check(condition: Condition, circumstances: Circumstances) -> Check:
    """One condition against the stated circumstances: ``met``, ``not_met`` or ``unknown``."""
    return check_prepared(prepare(condition), circumstances)


def stated_figure(prepared: Prepared, circumstances: Circumstances) -> str:
    """The asker's figure the condition reads, as ``check_prepared`` reports it ("" when none)."""
    value = getattr(circumstances, prepared.field) if prepared.field else None
    return "" if value in (None, "", ()) else _stated(value, prepared.unit)


def check_prepared(prepared: Prepared, circumstances: Circumstances) -> Check:
    """``check`` of a prepared condition."""
    condition, required, name, unit = (prepared.condition, prepared.required, prepared.field,
                                       prepared.unit)
    if name is None:
        return Check("unknown", required)
    value = getattr(circumstances, name)
    if value in (None, "", ()):
        return Check("unknown", required)
    stated = _stated(value, unit)
    if condition.comparator == "in":
        if name == "place":
            if _included(str(value), condition.text):
                return Check("met", required, stated)
            return Check(_place(str(value), condition.values), required, stated)
        if name == "titles":
            return Check(_titles(tuple(value), condition.values), required, stated)
        met = any(v in str(value) or str(value) in v for v in condition.values)
        return Check("met" if met else "unknown", required, stated)
    if condition.value is None or (condition.unit and unit and condition.unit != unit):
        return Check("unknown", required, stated)
    return Check("met" if _holds(float(value), condition) else "not_met", required, stated)


# ------------------------------------------------------------------ a measure
def _bands(conds: list[Condition]) -> tuple[str, list[tuple[Condition, list[Condition]]]] | None:
    """(subject, [(band, conditions it selects)]) when the clause grades its conditions by one
    subject: that subject comes at least twice, each time followed by conditions on others."""
    for subject in dict.fromkeys(c.subject for c in conds if c.comparator != "in"):
        at = [i for i, c in enumerate(conds) if c.subject == subject]
        if len(at) < 2:
            continue
        bands = [(conds[i], conds[i + 1:(at[k + 1] if k + 1 < len(at) else len(conds))])
                 for k, i in enumerate(at)]
        if all(followers and all(f.subject != subject for f in followers) for _, followers in bands):
            return subject, bands
    return None


def graded(conditions: Sequence[Condition]) -> bool:
    """Whether a clause grades its conditions by bands (its rows are then not one per
    condition): see the module docstring."""
    return _bands(list(conditions)) is not None


def _result(c: Condition, clause_id: str, checked: Check, prefix: str = "") -> ConditionResult:
    required = f"{prefix}的企业{checked.required}" if prefix else checked.required
    return ConditionResult(c.text or required, clause_id, checked.status, required, checked.stated)


def _clause_results(conds: list[Condition], clause_id: str,
                    circumstances: Circumstances) -> list[ConditionResult]:
    graded = _bands(conds)
    if graded is None:
        return [_result(c, clause_id, check(c, circumstances)) for c in conds]
    subject, bands = graded
    first = conds.index(bands[0][0])
    out = [_result(c, clause_id, check(c, circumstances)) for c in conds[:first]]
    band_checks = [check(band, circumstances) for band, _ in bands]
    chosen = [i for i, b in enumerate(band_checks) if b.status == "met"]
    if chosen:  # the asker's band: its conditions apply (said with the band), the others' do not
        _, followers = bands[chosen[0]]
        prefix = band_checks[chosen[0]].required
        out += [_result(f, clause_id, check(f, circumstances), prefix) for f in followers]
        return out
    if all(b.status == "not_met" for b in band_checks):  # in no band at all
        stated = band_checks[0].stated
        required = "或".join(b.required for b in band_checks)
        out.append(ConditionResult(bands[0][0].text or required, clause_id, "not_met", required,
                                   stated))
        return out
    # band unknown: a follower decides only when it fails (or passes) in every band
    by_subject: dict[str, list[tuple[Check, str]]] = {}
    for (_, followers), band_check in zip(bands, band_checks, strict=True):
        for f in followers:
            by_subject.setdefault(f.subject, []).append((check(f, circumstances), band_check.required))
    for subj, checks in by_subject.items():
        statuses = {c.status for c, _ in checks}
        status: Status = statuses.pop() if len(statuses) == 1 else "unknown"
        required = "，或".join(f"{band}的企业{c.required}" for c, band in checks)
        stated = next((c.stated for c, _ in checks if c.stated), "")
        out.append(ConditionResult(subj, clause_id, status, required, stated))
    return out


def _from_text(found: TextCheck, clause_id: str) -> ConditionResult:
    return ConditionResult(found.required, clause_id, found.status, found.required, found.stated,
                           found.rule)


def decide(results: Sequence[ConditionResult]) -> Verdict:
    """``eligible`` needs every condition met, and only typed conditions are known to be all of
    them: a met sentence of a clause (the others undecided) says ``meets_stated``."""
    statuses = [r.status for r in results]
    if "not_met" in statuses:
        return "not_eligible"
    if statuses and all(s == "met" for s in statuses) and all(r.rule == "figure" for r in results):
        return "eligible"
    if "met" in statuses:
        return "meets_stated"
    return "unknown"


def verdict(conditions: Sequence[tuple[Condition, str]], circumstances: Circumstances, *,
            clauses: Sequence[tuple[str, str]] = (), question: str = "") -> Eligibility:
    """The verdict over a measure's ``(condition, clause_id)`` pairs. With ``clauses``
    (``(clause_id, text)``) and the ``question`` (matching form), the clauses' sentences are read
    too (dates, exclusions, commitments, membership: ``service.situations``); a sentence no rule
    decides adds nothing."""
    by_clause: dict[str, list[Condition]] = {}
    for condition, clause_id in conditions:
        by_clause.setdefault(clause_id, []).append(condition)
    results: list[ConditionResult] = []
    for clause_id, conds in by_clause.items():
        results += _clause_results(conds, clause_id, circumstances)
    if question:
        for clause_id, text in clauses:
            results += [_from_text(found, clause_id) for found in check_clause(text, question)]
    return Eligibility(decide(results), tuple(results))


# ------------------------------------------------------------------ the first sentence
def _cite(clause_id: str, citations: Mapping[str, int]) -> str:
    return f"[{citations[clause_id]}]" if clause_id in citations else ""


def _requirement(r: ConditionResult, citations: Mapping[str, int]) -> str:
    return f"{r.required}{_cite(r.clause_id, citations)}"


def _said(rows: Sequence[ConditionResult], citations: Mapping[str, int], what: str) -> str:
    """该文件要求A，您为a[1] (a figure) or 该文件规定A，您的情况是a[1] (a sentence)."""
    figures = [r for r in rows if r.rule == "figure"]
    if figures:
        required = "、".join(dict.fromkeys(r.required for r in figures))  # several clauses may ask the same
        stated = "、".join(dict.fromkeys(r.stated for r in figures if r.stated))
        cites = "".join(dict.fromkeys(_cite(r.clause_id, citations) for r in figures))
        return f"{what}要求{required}，您为{stated}{cites}"
    r = rows[0]
    return f"{what}规定「{r.required}」，您的情况是「{r.stated}」{_cite(r.clause_id, citations)}"


def verdict_sentence(eligibility: Eligibility, citations: Mapping[str, int], *,
                     what: str = "该文件", limit: int = 3) -> str:
    """The answer's first sentence (the verdict and the condition that decides it), then the
    conditions it could not check, briefly:

    「不满足：该文件要求上年度营业收入5000万元至1亿元的企业近2年研发费用占比不低于6%，您为5%[1]。」
    """
    said: dict[str, ConditionResult] = {}
    for r in eligibility.unchecked():  # one requirement once, however many clauses state it
        said.setdefault(_plain(r.required), r)
    unchecked = list(said.values())[:limit]
    rest = "；".join(_requirement(r, citations) for r in unchecked)
    v = eligibility.verdict
    if v == "unknown":
        if not rest:
            return "无法判断：未找到可与您所述情况核对的申请条件。"
        return f"无法判断：您所述的情况不涉及{what}的条件，需对照：{rest}。"
    deciding = eligibility.deciding()
    if v == "not_eligible":
        first = f"不满足：{_said(deciding[:1], citations, what)}。"
    elif v == "eligible":
        first = f"满足：{_said(deciding[:limit], citations, what)}。"
    else:
        first = f"就您所述的情况满足：{_said(deciding[:limit], citations, what)}。"
    if not rest:
        return first
    more = "其余条件" if v == "not_eligible" else "以下条件"
    return f"{first}{more}无法从您的描述核对：{rest}。"
