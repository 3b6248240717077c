"""Request and response models of ``POST /v1/eligibility`` (not domain objects: see
``corpus.facts``, ``service.eligibility``, ``service.measures``).

The route writes its JSON itself from parts encoded once per generation
(``service.eligibility_api``); the response models document that JSON in the OpenAPI schema, and
the tests check served bodies against them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

from service.measures import ATTACHMENT
from service.schemas import MAX_QUESTION_CHARS


def _integer(value: object) -> object:
    # JSON Schema's integer: 120 and 120.0, never true or "120" (pydantic's lax mode takes both)
    if isinstance(value, bool | str):
        raise ValueError("must be an integer")
    return value


Money = Annotated[float, Field(strict=True, ge=0, le=1e13, allow_inf_nan=False,
                               description="元")]
Short = Annotated[str, Field(max_length=50)]
People = Annotated[int, Field(ge=0, le=10_000_000), BeforeValidator(_integer)]


class ProfileIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(default="", max_length=MAX_QUESTION_CHARS,
                      description="the enterprise in the asker's words (营收, 研发占比, 人数, 成立年限, "
                                  "注册地, 资质…); typed fields override what it states")
    revenue: Money | None = Field(default=None, description="营业收入 (上年度), 元")
    rd_expense: Money | None = Field(default=None, description="研发费用, 元")
    rd_share: Annotated[float, Field(strict=True, ge=0, le=100, allow_inf_nan=False)] | None = \
        Field(default=None, description="研发费用占营业收入比例, percent")
    staff: People | None = Field(
        default=None, description="从业人员, 人")
    age_years: Annotated[float, Field(strict=True, ge=0, le=500, allow_inf_nan=False)] | None = \
        Field(default=None, description="成立年限, 年")
    interest_paid: Money | None = Field(default=None, description="贷款利息, 元 (a 贴息 base)")
    investment: Money | None = Field(default=None, description="投资额, 元")
    place: Short | None = Field(default=None, description="注册地 (a city or district)")
    titles: list[Short] = Field(default_factory=list, max_length=20,
                                description="资质 held: 高新技术企业, 专精特新, 小巨人…")
    industry: Short | None = Field(default=None, description="行业")


class EligibilityFiltersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_ids: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=50, description="documents by id or source file")
    kinds: list[Literal["policy", "implementation_plan", "draft", "news"]] = Field(
        default_factory=list, max_length=4)
    in_force: StrictBool = Field(default=False, description="only documents in force today")


class EligibilityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profile: ProfileIn = Field(default_factory=ProfileIn)
    filters: EligibilityFiltersIn = Field(default_factory=EligibilityFiltersIn)


# ------------------------------------------------------------------ the response, documented
class TierOut(BaseModel):
    when: str
    amount: float | None
    ratio: float | None
    threshold: float | None
    cap: float | None


class FigureOut(BaseModel):
    value: float = Field(description="元: the tier's amount, or the stated base × ratio up to the cap")
    stated: float | None = Field(description="the profile's base, 元")
    ratio: float | None
    cap: float | None
    capped: bool
    tier: str | None = Field(description="the tier that fits the profile")
    sentence: str = Field(description="按利息的50%补助、单个企业最高100万元：您的40万元利息最多可补20万元。")


class SupportOut(BaseModel):
    kind: str
    amount: float | None = Field(description="元, a fixed sum")
    ratio: float | None = Field(description="percent of base")
    base: str | None
    cap: float | None = Field(description="元")
    once: bool
    tiers: list[TierOut]
    terms: str = Field(description="amount, ratio, base and cap together")
    text: str
    figure: FigureOut | None = Field(description="when the profile states the base (or a tier's level)")


class ConditionRowOut(BaseModel):
    text: str
    clause_id: str
    status: Literal["met", "not_met", "unknown"]
    required: str
    stated: str
    rule: str
    source: Literal["measure", "parent", "section"] = Field(description=ATTACHMENT)


class MeasureOut(BaseModel):
    clause_id: str
    doc_id: str
    source_file: str
    title: str
    status: Literal["in_force", "expired", "repealed", "draft", "unknown"]
    kind: str
    heading: str
    supports: list[SupportOut]
    verdict: Literal["eligible", "meets_stated", "unknown", "not_eligible"]
    conditions: list[ConditionRowOut]


class CountsOut(BaseModel):
    eligible: int
    meets_stated: int
    unknown: int
    not_eligible: int


class CircumstancesOut(BaseModel):
    revenue: float | None
    rd_expense: float | None
    rd_share: float | None
    staff: int | None
    age_years: float | None
    interest_paid: float | None
    investment: float | None
    place: str | None
    titles: list[str]
    industry: str | None


class EligibilityOut(BaseModel):
    generation: str
    as_of: str = Field(description="the day document statuses hold for")
    attachment: str = Field(description="how conditions attach to measures")
    circumstances: CircumstancesOut = Field(description="the profile as judged: text and typed fields")
    total: int
    counts: CountsOut
    measures: list[MeasureOut]
