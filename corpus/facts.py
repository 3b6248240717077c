"""Typed facts a clause states: conditions, support, dates, offices, materials, contacts.

Owns the shapes only (the contract between extraction in the corpus stage, the index that
stores them per clause, and eligibility and answers above). Extraction lives in
``corpus/extract_facts.py``. Quantities are normalised so that they compare across documents:

- money in 元 (``50万元`` → 500000.0), shares in percent (``5%`` → 5.0), staff in 人, ages and
  periods in 年;
- ``comparator`` is one of ``>=  >  <=  <  ==  between  in``; ``between`` uses ``value`` as the
  lower and ``upper`` as the upper bound (inclusive unless the text says 未满/不足/以下 not inclusive:
  the extractor decides, and says so by using ``<`` or ``<=`` on single bounds);
  ``in`` is for categorical subjects (注册地, 资质, 行业): ``values`` lists what qualifies.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar, Literal

# What a condition is about. Kept small and general: a subject outside this list is "other".
SUBJECTS = ("营业收入", "研发费用", "研发费用占比", "从业人员", "成立年限", "注册地", "资质",
            "行业", "纳税", "信用", "资产", "利润", "投资额", "产值", "other")
SUPPORT_KINDS = ("奖励", "补助", "贴息", "贷款", "减免", "担保", "other")
DATE_KINDS = ("申报时间窗", "截止", "施行", "有效期", "失效")
OFFICE_ROLES = ("牵头", "配合", "受理", "咨询", "责任")
CONTACT_KINDS = ("phone", "person", "address", "url", "email", "site")  # site: named in words
Comparator = Literal[">=", ">", "<=", "<", "==", "between", "in"]


@dataclass(frozen=True)
class Condition:
    type: ClassVar[str] = "condition"
    subject: str
    comparator: Comparator
    value: float | None = None
    upper: float | None = None
    unit: str | None = None  # 元 | % | 人 | 年 | None (categorical)
    values: tuple[str, ...] = ()  # for comparator "in"
    scope: str | None = None  # 上年度 | 近三年 | 近两年 | … as written
    text: str = ""  # the span of the clause it was read from (matching form)


@dataclass(frozen=True)
class Tier:
    """One step of a graded support (分档): ``when`` as written, with the amount or ratio."""

    when: str
    amount: float | None = None  # 元
    ratio: float | None = None  # percent
    threshold: float | None = None  # the tier's lower bound on the base, when the text gives one
    cap: float | None = None  # 元, the tier's own cap (最高分别不超过25万元、35万元)


@dataclass(frozen=True)
class Support:
    type: ClassVar[str] = "support"
    kind: str
    amount: float | None = None  # 元, a fixed sum (给予50万元奖励)
    ratio: float | None = None  # percent of ``base`` (按利息的50%); a range's upper end
    ratio_low: float | None = None  # a range's lower end (设备购置额的10%~15%)
    base: str | None = None  # what the ratio applies to, as written (贷款利息, 研发费用)
    cap: float | None = None  # 元 (最高/不超过/单个企业最高)
    tiers: tuple[Tier, ...] = ()
    once: bool = False  # 一次性
    text: str = ""


@dataclass(frozen=True)
class DateFact:
    type: ClassVar[str] = "date"
    kind: str
    value: str | None = None  # ISO date (a deadline, a start)
    end: str | None = None  # ISO date, for a window or a validity end
    text: str = ""
    years: float | None = None  # 有效期N年: the length as stated (the dates need a start)


@dataclass(frozen=True)
class Office:
    type: ClassVar[str] = "office"
    name: str
    role: str = "责任"


@dataclass(frozen=True)
class Material:
    type: ClassVar[str] = "material"
    item: str


@dataclass(frozen=True)
class Contact:
    type: ClassVar[str] = "contact"
    kind: str
    value: str


Fact = Condition | Support | DateFact | Office | Material | Contact
FACT_TYPES: dict[str, type] = {cls.type: cls for cls in (Condition, Support, DateFact, Office,
                                                          Material, Contact)}


def fact_to_json(fact: Fact) -> dict[str, Any]:
    data = asdict(fact)
    data["type"] = fact.type
    return data


def fact_from_json(data: dict[str, Any]) -> Fact:
    values = {k: v for k, v in data.items() if k != "type"}
    cls = FACT_TYPES[data["type"]]
    if cls is Support:
        values["tiers"] = tuple(Tier(**t) for t in values.get("tiers") or ())
    if cls is Condition:
        values["values"] = tuple(values.get("values") or ())
    return cls(**values)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Circumstances:
    """What an asker states about their enterprise (parsed from a question or a profile).
    Same units as the facts. Empty when nothing is stated."""

    revenue: float | None = None  # 营业收入, 元 (上年度 unless the scope says otherwise)
    rd_expense: float | None = None  # 研发费用, 元
    rd_share: float | None = None  # 研发费用占营业收入比例, percent
    staff: int | None = None  # 从业人员, 人
    age_years: float | None = None  # 成立年限, 年
    interest_paid: float | None = None  # 贷款利息, 元 (a base for 贴息)
    investment: float | None = None  # 投资额, 元
    place: str | None = None  # 注册地 as stated (a city or district)
    titles: tuple[str, ...] = field(default=())  # 资质 held: 高新技术企业, 专精特新, 小巨人…
    industry: str | None = None
    education: str | None = None  # the person's degree as asked about: 博士, 硕士, 本科, 大专, 中专

    def empty(self) -> bool:
        return not any(v for v in asdict(self).values())
