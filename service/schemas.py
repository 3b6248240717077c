"""HTTP request and response models (not domain objects; see corpus.models / index.search)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, JsonValue, field_validator

from corpus.clean import find_spans
from corpus.facts import fact_to_json
from corpus.tokenize import tokenize
from index.backend import Filters
from index.search import Hit

if TYPE_CHECKING:
    from service.answer import Answer

MAX_QUESTION_CHARS = 2000


def _json_integer(value: object) -> object:
    # JSON Schema's integer: 7 and 7.0, never true or "7" (pydantic's lax mode takes both).
    if isinstance(value, bool | str):
        raise ValueError("must be an integer")
    return value


Count = Annotated[int, BeforeValidator(_json_integer)]
AnswerTopK = Annotated[int, Field(ge=1, le=20), BeforeValidator(_json_integer)]


class FiltersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_ids: list[str] = Field(default_factory=list, max_length=50)
    offices: list[str] = Field(default_factory=list, max_length=20)
    kinds: list[Literal["policy", "implementation_plan", "draft", "news"]] = Field(
        default_factory=list, max_length=4)
    in_force: bool = Field(default=False, strict=True, description="only documents in force today")


# The constraints _check_text enforces, stated in the OpenAPI schema (validation stays in
# _check_text so that its messages name the limit).
# "Not blank": Python's and JSON Schema's (ECMA) \s differ on U+001C–001F, U+0085 and U+FEFF,
# so the pattern names them and both sides read it alike.
NON_BLANK = r"[^\s\u001c-\u001f\u0085\ufeff]"
TEXT_SCHEMA: dict[str, JsonValue] = {"minLength": 1, "maxLength": MAX_QUESTION_CHARS, "pattern": NON_BLANK}
_NON_BLANK = re.compile(NON_BLANK)


def _check_text(value: str) -> str:
    if not _NON_BLANK.search(value):
        raise ValueError("must not be empty or only whitespace")
    if len(value) > MAX_QUESTION_CHARS:
        raise ValueError(f"is longer than the limit of {MAX_QUESTION_CHARS} characters")
    return value


def check_last_turn(role: str, text: str) -> None:
    """A conversation must end with the user's question, itself a valid question."""
    if role != "user":
        raise ValueError("the last message must come from the user")
    _check_text(text)


class AskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(description=f"1–{MAX_QUESTION_CHARS} characters",
                          json_schema_extra=TEXT_SCHEMA)
    top_k: AnswerTopK | None = Field(
        default=None, description="clauses to answer from (default: POLICYQA_TOP_K, 5)")
    filters: FiltersIn = Field(default_factory=FiltersIn)

    _check = field_validator("question")(_check_text)


class Message(BaseModel):
    role: Literal["user", "assistant", "system"]
    content: str = Field(max_length=20_000)


class ChatIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    messages: list[Message] = Field(min_length=1, max_length=50)
    top_k: AnswerTopK | None = Field(
        default=None, description="clauses to answer from (default: POLICYQA_TOP_K, 5)")
    filters: FiltersIn = Field(default_factory=FiltersIn)

    @field_validator("messages")
    @classmethod
    def _last_is_user(cls, messages: list[Message]) -> list[Message]:
        check_last_turn(messages[-1].role, messages[-1].content)
        return messages


class SearchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(json_schema_extra=TEXT_SCHEMA)
    top_k: Count = Field(default=10, ge=1, le=50)
    filters: FiltersIn = Field(default_factory=FiltersIn)

    _check = field_validator("query")(_check_text)


class ClauseOut(BaseModel):
    clause_id: str
    doc_id: str
    source_file: str
    title: str | None
    doc_number: str | None
    date: str | None
    heading_path: list[str]
    number_path: str
    text: str
    offices: list[str]
    flags: list[str] = Field(default_factory=list)
    score: float | None = None
    dense: float | None = None


class Citation(ClauseOut):
    n: int
    highlights: list[tuple[int, int]] = Field(
        default_factory=list, description="(start, end) offsets in text of the question's terms")


class ConditionOut(BaseModel):
    text: str = Field(description="the condition as the clause states it")
    clause_id: str
    status: Literal["met", "not_met", "unknown"]
    required: str = Field(description="what the clause requires, e.g. 上年度营业收入不低于5000万元")
    stated: str = Field(description="what the asker stated that bears on it (empty if nothing)")


class EligibilityOut(BaseModel):
    verdict: Literal["not_eligible", "meets_stated", "eligible", "unknown"] = Field(
        description="not_eligible: a stated circumstance fails a condition; meets_stated: every "
                    "condition the stated circumstances bear on is met, the rest unknown; "
                    "eligible: every condition is met; unknown: nothing stated bears on any")
    conditions: list[ConditionOut]


class AskOut(BaseModel):
    answer: str
    answerable: bool
    intent: str
    citations: list[Citation]
    offices: list[str]
    related: list[ClauseOut]
    confidence: float
    mode: Literal["extractive", "llm"]
    warnings: list[str]
    generation: str
    timing_ms: dict[str, float]
    eligibility: EligibilityOut | None = Field(
        default=None, description="when the question states the asker's circumstances and asks "
                                  "whether they qualify")


class ChatOut(AskOut):
    query_used: str


class SearchOut(BaseModel):
    query: str
    confidence: float
    hits: list[ClauseOut]
    generation: str


class DocumentOut(BaseModel):
    doc_id: str
    source_file: str
    title: str | None
    issuer: str | None
    doc_number: str | None
    date_issued: str | None
    date_published: str | None
    date_effective: str | None = None
    date_expires: str | None = None
    repealed_by: str | None = None
    superseded_by: str | None = None  # doc_id of the later version of the same text
    status: Literal["in_force", "expired", "repealed", "draft", "unknown"] = Field(
        "unknown", description="as of today, from the texts: 施行/失效 dates, 有效期N年, drafts, "
                               "and later texts in the corpus that repeal this one")
    source: str | None
    kind: str
    clauses: int
    skipped: str | None = None


class DocumentDetail(DocumentOut):
    clause_list: list[ClauseOut]


class FactOut(BaseModel):
    """One typed fact a clause states (corpus/facts.py): ``type`` is condition, support, date,
    office, material or contact; the other fields are those of that type (money in 元, shares
    in percent, staff in 人, periods in 年, dates ISO)."""

    model_config = ConfigDict(extra="allow")

    type: Literal["condition", "support", "date", "office", "material", "contact"]


class ClauseDetail(ClauseOut):
    previous_id: str | None
    next_id: str | None
    facts: list[FactOut] = Field(default_factory=list)


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


def facts_out(clause) -> list[FactOut]:  # type: ignore[no-untyped-def]
    return [FactOut.model_validate(fact_to_json(f)) for f in clause.facts]


def clause_out(clause, score: float | None = None, dense: float | None = None) -> ClauseOut:  # type: ignore[no-untyped-def]
    return ClauseOut(
        clause_id=clause.clause_id, doc_id=clause.doc_id, source_file=clause.source_file,
        title=clause.title, doc_number=clause.doc_number, date=clause.date,
        heading_path=list(clause.heading_path), number_path=clause.number_path,
        text=clause.text, offices=list(clause.offices), flags=list(clause.flags),
        score=score, dense=dense,
    )


def hit_out(hit: Hit) -> ClauseOut:
    return clause_out(hit.clause, round(hit.score, 6), round(hit.dense, 4))


def to_filters(filters: FiltersIn | None) -> Filters:
    if filters is None:
        return Filters()
    return Filters(tuple(filters.doc_ids), tuple(filters.offices), tuple(filters.kinds),
                   filters.in_force)


def ask_out(answer: Answer) -> AskOut:
    """The HTTP shape of a domain answer: citations numbered as in the text, with the spans
    of the asker's own terms highlighted."""
    terms = [t for t in tokenize(answer.query.own_match) if len(t) >= 2]
    citations = [Citation(n=i, highlights=find_spans(h.clause.text, terms),
                          **clause_out(h.clause, round(h.score, 6), round(h.dense, 4)).model_dump())
                 for i, h in enumerate(answer.cited, start=1)]
    return AskOut(
        answer=answer.text, answerable=answer.answerable, intent=answer.query.intent,
        citations=citations, offices=answer.offices, related=[hit_out(h) for h in answer.related],
        confidence=round(answer.confidence, 4), mode=answer.mode,  # type: ignore[arg-type]
        warnings=list(answer.warnings), generation=answer.generation,
        timing_ms={k: round(v, 2) for k, v in answer.timing_ms.items()},
        eligibility=None if answer.eligibility is None else EligibilityOut(
            verdict=answer.eligibility.verdict,
            conditions=[ConditionOut(text=c.text, clause_id=c.clause_id, status=c.status,
                                     required=c.required, stated=c.stated)
                        for c in answer.eligibility.conditions]))
