"""What a support measure gives, said whole, and worked out for the asker when they give the base.

Owns one sentence per ``corpus.facts.Support``: amount, ratio, base and cap together (never an
amount without its cap), the tier that fits the asker's figures, and the computed figure with
its formula when the asker states the base:

「按利息的50%补助、单个企业最高100万元：您的40万元利息最多可补20万元[1]。」

The same figure as numbers (``figure``) for the eligibility list. Money is written the way
documents write it (50万元, 1.2亿元). Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from corpus.facts import Circumstances, Support, Tier
from question.intent import PHRASE
from question.numbers import format_money, format_number, money, number

# kind → (the noun, the verb after 最多可)
_KINDS = {"补助": ("补助", "补"), "补贴": ("补贴", "补"), "奖励": ("奖励", "奖"), "贴息": ("贴息", "贴息"),
          "减免": ("减免", "减免"), "贷款": ("贷款", "贷"), "担保": ("担保", "担保")}
# what a ratio applies to → the Circumstances field that states it
_BASES = (("interest_paid", r"利息"), ("rd_expense", r"研发|研究开发"),
          ("investment", r"投资|投入|设备|购置|技改|固定资产"),
          ("revenue", r"营业收入|主营|销售|营收|收入"))
_WHO = re.compile(r"(单个企业|单家企业|每家企业|每个企业|单个项目|每个项目|同一企业|同一项目|每户|每人|"
                  r"单户|单位)?(每年|年度|当年|累计)?(?:最高|最多|上限|不超过)")
# How long a measure lasts, as clauses say it: 连续补贴3年, 享受补贴不超过2年, 补贴期限最长为6个月.
_DURATION = re.compile(r"连续(?:补贴|支持|资助|奖励|贴息)?[\d一二三四五六七八九十两]+个?(?:年|月)|"
                       r"(?:补贴|贴息|资助|扶持|享受补贴|享受)(?:期限|期)?(?:最长)?(?:不超过|为)?"
                       r"[\d一二三四五六七八九十两]+个?(?:年|月)")
_LEVELS = ("国家级", "省级", "市级", "区级", "县级")


def _kind(support: Support) -> tuple[str, str]:
    return _KINDS.get(support.kind, ("支持", "获得"))


@lru_cache(maxsize=4096)  # a corpus's base words are few; every figure reads them
def _field(words: str | None) -> str | None:
    if not words:
        return None
    return next((f for f, pattern in _BASES if re.search(pattern, words)), None)


def _cap_words(support: Support) -> str:
    """单个企业最高100万元 (the qualifier as the clause says it, else 最高)."""
    assert support.cap is not None
    m = _WHO.search(support.text)
    who = "".join(g for g in (m.group(1), m.group(2)) if g) if m else ""
    return f"{who}最高{format_money(support.cap)}"


def _ratio(value: float) -> str:
    return f"{format_number(value)}%"


def _tier_words(t: Tier) -> str:
    given = format_money(t.amount) if t.amount is not None else _ratio(t.ratio) if t.ratio is not None \
        else ""
    written = (f"{format_number(t.amount)}元" if t.amount is not None else
               f"{format_number(t.ratio)}%" if t.ratio is not None else "")
    if given and t.when and (given in t.when or (written and written in t.when)):
        given = ""  # the tier's words already state it (博士每人10000元)
    cap = f"(最高{format_money(t.cap)})" if t.cap is not None else ""
    return f"{t.when}{given}{cap}"


@lru_cache(maxsize=100_000)  # supports are frozen; ``POST /v1/eligibility`` says each often
def terms(support: Support) -> str:
    """Amount, ratio, base and cap together: 按利息的50%补助、单个企业最高100万元."""
    noun, _ = _kind(support)
    parts: list[str] = []
    if support.ratio is not None:
        ratio = _ratio(support.ratio) if support.ratio_low is None \
            else f"{format_number(support.ratio_low)}%~{_ratio(support.ratio)}"
        parts.append(f"按{support.base}的{ratio}{noun}" if support.base else f"按{ratio}{noun}")
    if support.amount is not None:
        per = support.base if support.base and support.base.startswith("每") else ""
        parts.append(f"{'一次性' if support.once else ''}{per}给予{format_money(support.amount)}{noun}")
    if support.tiers:
        parts.append(f"分档{noun}" + "、".join(_tier_words(t) for t in support.tiers))
    if support.cap is not None and not parts:
        # a cap alone is the award's ceiling: 一次性最高奖励100万元, as clauses word it
        who = _cap_words(support).removesuffix(f"最高{format_money(support.cap)}")
        parts.append(f"{'一次性' if support.once else ''}{who}最高{noun}{format_money(support.cap)}")
    elif support.cap is not None:
        parts.append(_cap_words(support))
    if parts and (lasting := _DURATION.search(support.text)):
        parts.append(lasting.group(0))  # 补几年: the period as the clause says it
    return "、".join(parts) or support.text


# A share of the grant itself (订货合同完成后，一次性拨付补助金额的80%; 预拨奖励资金的50%) says
# when the grant is paid, not a rate of any sum the asker has.
_PAID = re.compile(r"拨付|预拨|先拨|兑付")
_GRANT = re.compile(r"^(?:补助|补贴|奖励|奖补|扶持|资助)(?:金额|资金|款)$")


def instalment(support: Support) -> bool:
    base = support.base or ""
    return support.ratio is not None and bool(
        _PAID.search(base) or (_GRANT.match(base) and "拨" in support.text))


def _base_value(support: Support, circumstances: Circumstances,
                words: str | None = None, asker: str = "") -> tuple[float, str] | None:
    if instalment(support):
        return None
    field = _field(words or support.base)
    if field is not None and getattr(circumstances, field):
        return float(getattr(circumstances, field)), field
    stated = stated_base(support, asker, words) if asker else None
    return (stated, "stated") if stated is not None else None


_HAN_PAIR = re.compile(r"(?=([\u4e00-\u9fff]{2}))")
# Pairs of characters any sum's phrase may share with a measure's words without naming the same
# thing (企业 in 企业营业收入 and 企业研发费用).
_COMMON_PAIRS = frozenset({"企业", "公司", "我们", "单位", "项目", "今年", "去年", "上年", "年度", "当年",
                           "一共", "实际", "支付", "支出", "费用", "金额", "资金", "给予", "补贴", "补助",
                           "奖励", "资助", "多少", "能拿", "最多", "最高", "不超", "超过", "按照"})


def word_pairs(text: str) -> set[str]:
    return {m.group(1) for m in _HAN_PAIR.finditer(text)} - _COMMON_PAIRS


def stated_base(support: Support, asker: str, words: str | None = None) -> float | None:
    """The asker's sum a ratio applies to when no ``Circumstances`` field names it: the sum
    whose phrase shares a word with the base (交了8万失业保险 against 实际缴纳失业保险费的60%),
    or, when the measure names no base, with the measure's own words (展位费花了3万 against
    对…展位费…给予不超过实际支出50%的补助). A sum named as another field (营收2000万 against
    研发费用的10%) is never taken for it."""
    base_words = words or support.base or ""
    base_field = _field(base_words)
    best: tuple[int, float] | None = None
    for phrase in PHRASE.finditer(asker):
        # in 元: the same sum in another currency beside it (430万元(约60万美元)) is no second sum
        sums = [q for q in money(phrase.group(0)) if q.unit == "元"]
        if len(sums) != 1:
            continue
        own_field = _field(phrase.group(0))
        if own_field is not None and own_field != base_field:
            continue
        shared = len(word_pairs(phrase.group(0)) & word_pairs(base_words)) or (
            0 if base_words and base_field else len(word_pairs(phrase.group(0)) & word_pairs(support.text)))
        if shared and (best is None or shared > best[0]):
            best = (shared, sums[0].value)
    return best[1] if best is not None else None


def _common_run(a: str, b: str) -> int:
    """The length of the longest stretch of ``a`` that ``b`` also contains."""
    best = 0
    for start in range(len(a)):
        end = start + best + 1
        while end <= len(a) and a[start:end] in b:
            best, end = end - start, end + 1
    return best


def _named_tier(tiers: tuple[Tier, ...], asker: str) -> Tier | None:
    """The tier whose words the asker uses of themselves (我们是小微企业 → 中小微企业按60%): the one
    sharing the longest stretch of three characters or more, when no other shares as long; or
    the one whose whole label, however short, the asker writes (评上了三级 → 三级), when only one
    does."""
    if not asker:
        return None
    runs = [(_common_run(t.when, asker), t) for t in tiers if t.when]
    longest = max((n for n, _ in runs), default=0)
    fit = [t for n, t in runs if n == longest]
    if longest >= 3 and len(fit) == 1:
        return fit[0]
    whole = [t for n, t in runs if len(t.when) >= 2 and n == len(t.when)]
    return whole[0] if len(whole) == 1 else None


def matching_tier(support: Support, circumstances: Circumstances, asker: str = "") -> Tier | None:
    """The tier the asker's figures fit: by the level of a title they hold (国家级/省级…), by the
    words they use of themselves, or the highest threshold their figure reaches."""
    tiers = support.tiers
    if not tiers:
        return None
    if circumstances.education:  # 博士每人10000元、硕士每人7000元: by the degree stated
        fit = [t for t in tiers if circumstances.education in t.when]
        if len(fit) == 1:
            return fit[0]
    held = " ".join(circumstances.titles)
    for level in _LEVELS:
        if level in held:
            fit = [t for t in tiers if level in t.when]
            if fit:
                return fit[0]
    if named := _named_tier(tiers, asker):
        return named
    with_threshold = [t for t in tiers if t.threshold is not None]
    if with_threshold:
        base = _base_value(support, circumstances, support.base or " ".join(t.when for t in tiers),
                           asker)
        if base is not None:
            reached = [t for t in with_threshold if base[0] >= (t.threshold or 0)]
            if reached:
                return max(reached, key=lambda t: t.threshold or 0)
    return None


def _computed(support: Support, ratio: float | None, cap: float | None,
              circumstances: Circumstances, asker: str = "") -> str:
    if ratio is None:
        return ""
    base = _base_value(support, circumstances, asker=asker)
    if base is None:
        return ""
    value, _ = base
    _, verb = _kind(support)
    figure = value * ratio / 100
    base_word = support.base or ""
    if len(base_word) > 8:  # a base said at length reads worse than the sum alone
        base_word = ""
    low = value * support.ratio_low / 100 if support.ratio_low is not None and ratio == support.ratio \
        else None
    if cap is not None and figure > cap:
        if low is not None and low < cap:  # a range the cap cuts: from its low end to the cap
            return f"您的{format_money(value)}{base_word}可{verb}{format_money(low)}至{format_money(cap)}（上限）"
        return (f"您的{format_money(value)}{base_word}按{_ratio(ratio)}为{format_money(figure)}，"
                f"超过上限，最多可{verb}{format_money(cap)}")
    if low is not None:  # a range of ratios: both ends, the rate is the office's to set
        return f"您的{format_money(value)}{base_word}可{verb}{format_money(low)}至{format_money(figure)}"
    return f"您的{format_money(value)}{base_word}最多可{verb}{format_money(figure)}"


# A sum given per unit (每项, 每家, 每台) and the asker's count of such units (3件专利): the
# classifiers that count the same units. Not per person: the people a 每人 sum is for (见习人员,
# 新招用的) are rarely the people an asker counts (在职职工40人).
_UNITS = ({"项", "件", "个"}, {"家", "户"}, {"台", "套"})
_COUNT = re.compile(r"(?<![\d.])(\d{1,4}|[一二两三四五六七八九十]{1,3})(项|件|个|家|户|台|套)")


_PERSONS = re.compile(r"(?<![\d.])(\d{1,4}|[一二两三四五六七八九十]{1,3})(个人|个|名|位|人)")


# A sum per time (每人每次2元, 每月500元) and the asker's count of those times (送了22次餐,
# 见习了6个月): the words that count them.
_TIMES = {"次": re.compile(r"(?<![\d.])(\d{1,5}|[一二两三四五六七八九十]{1,3})(人次|次)"),
          "月": re.compile(r"(?<![\d.])(\d{1,3}|[一二两三四五六七八九十]{1,3})(个月)")}


_PHRASE_CUT = re.compile(r"[,，。;；?？!！、]")
# A ceiling per unit that is the measure's rate (按每人不超过800元的标准计算补贴总额): the unit
# and the sum, as clauses write them.
_PER_UNIT_CAP = re.compile(r"(每[项件个家户台套人])(?:不超过|不高于|最高不超过|最高|最多)(?:为)?"
                           r"(\d+(?:\.\d+)?)(万)?元")
# How askers ask what a measure comes to in all (最多一共能领多少, 补贴总额, 加起来).
ASKS_TOTAL = re.compile(r"一共|总共|合计|总计|共计|累计|总额|加起来|共能|共可")
_PER_TIME = re.compile(r"(?:每人)?每(次|月|年)")  # a sum per time or per period
_PERIOD_LENGTH = re.compile(r"([\d一二三四五六七八九十两]+)个?(年|月)$")


def _unit_rate(support: Support) -> tuple[float, str, bool] | None:
    """(the sum per unit, the unit's words, whether the sum is a ceiling): 每项5000元, or a
    ceiling per unit that sets the rate (每人不超过800元)."""
    if support.amount is not None and support.base:
        return support.amount, support.base, False
    if support.amount is None and support.cap is not None and not support.tiers:
        m = _PER_UNIT_CAP.search(support.text)
        if m and float(m.group(2)) * (1e4 if m.group(3) else 1) == support.cap:
            return support.cap, m.group(1), True
    return None


def total_said(value: float) -> str:
    """A computed total as the clause's unit says it and, under 100万, to the yuan as well, so
    that it can be checked against the rate: 3.6万元（36000元）."""
    said = format_money(value)
    if "万" in said and value < 1e6 and value == int(value):
        return f"{said}（{format_number(value)}元）"
    return said


def _per_unit(support: Support, asker: str, context: str = "") -> str:
    """「您的3件按每项5000元共1.5万元」 when the support is a sum per unit (and no more: 每项每年
    is per year too) and the asker counts such units once; a sum per time (每次, 每月) for
    the times the asker counts; held to the cap. ``context``: the words of the clause the
    support is read from, for what the units are of (送餐 for 3-5级补贴标准为每人每次4元)."""
    rate = _unit_rate(support)
    if rate is None:
        return ""
    amount, base, ceiling = rate
    times = _PER_TIME.fullmatch(base)
    if times and times.group(1) == "年":
        return _period_total(support, amount, base, asker)
    if not times and not re.fullmatch(r"每[项件个家户台套人]", base):
        return ""
    words = word_pairs(support.text) | (word_pairs(context) if context else set())
    if times:
        # times counted of what the measure pays for (送了22次餐 for 送餐补贴, 见习了6个月 for a
        # 见习期间 sum), not of something else (社保交了7个月)
        counts = {(value, m.group(2)) for m in _TIMES[times.group(1)].finditer(asker)
                  if (value := number(m.group(1))) is not None and value >= 2
                  and word_pairs(_PHRASE_CUT.split(asker[max(0, m.start() - 6):m.start()])[-1]
                                 + _PHRASE_CUT.split(asker[m.end():m.end() + 3])[0])
                  & words}
    elif base == "每人":
        # people counted only when the asker names them as the measure does (留用了2个见习生
        # against 留用见习学员…按每人3000元): not their headcount (在职职工40人)
        counts = {(value, "人" if m.group(2) == "个人" else m.group(2)) for m in _PERSONS.finditer(asker)
                  if (value := number(m.group(1))) is not None and value >= 2
                  and word_pairs(re.split(r"[,，。;；?？!！、]", asker[m.end():m.end() + 6])[0])
                  & words}
    else:
        kinds = next((k for k in _UNITS if base[1] in k), set())
        # 一件给多少 asks the sum per unit; the count is the asker's other one (申请了3件)
        counts = {(value, m.group(2)) for m in _COUNT.finditer(asker)
                  if m.group(2) in kinds and (value := number(m.group(1))) is not None and value >= 2}
    if len(counts) != 1:
        return _period_total(support, amount, base, asker) if not counts else ""
    (count, unit), = counts
    _, verb = _kind(support)
    total = amount * count
    rate_words = f"{base}{'不超过' if ceiling else ''}{format_money(amount)}"
    if support.cap is not None and not ceiling and total > support.cap:
        return (f"您的{format_number(count)}{unit}按{rate_words}为"
                f"{format_money(total)}，超过上限，最多可{verb}{format_money(support.cap)}")
    return f"您的{format_number(count)}{unit}按{rate_words}{'最多' if ceiling else ''}共{total_said(total)}"


def _period_total(support: Support, amount: float, base: str, asker: str) -> str:
    """「按每人每月1500元、最长2年计，最多共1500元×24=3.6万元（36000元）」: a sum per month or year over the longest
    period its clause allows, when the asker asks what it comes to in all and counts no
    months of their own."""
    per = _PER_TIME.fullmatch(base)
    if per is None or per.group(1) == "次" or not ASKS_TOTAL.search(asker):
        return ""
    lasting = _DURATION.search(support.text)  # 补贴期限最长为2年, 连续补贴3年
    found = _PERIOD_LENGTH.search(lasting.group(0)) if lasting else None
    length = number(found.group(1)) if found else None
    if found is None or length is None:
        return ""
    months = length * 12 if found.group(2) == "年" else length
    periods = months if per.group(1) == "月" else months / 12
    if periods != int(periods) or periods < 2:
        return ""
    span = f"{format_number(length)}{'年' if found.group(2) == '年' else '个月'}"
    total = amount * periods
    if support.cap is not None and total > support.cap:
        total = support.cap
    return (f"按{base}{format_money(amount)}、最长{span}计，最多共{format_money(amount)}×"
            f"{format_number(periods)}={total_said(total)}")


# A sum for the first unit that each further unit raises (每个基本展位…上限2万元,每增加一个展位
# …增加1万元; 首个项目奖励10万元,每增加1项增加5万元).
_STEPPED = re.compile(r"(?P<first>\d+(?:\.\d+)?)(?P<wan>万)?元[^。;]{0,40}?每增加(?:一|1)(?P<unit>[个家名人项台套件])"
                      r"(?P<what>[\u4e00-\u9fff]{2})?[^。;,]{0,10}?增加(?P<step>\d+(?:\.\d+)?)(?P<swan>万)?元")


def stepped(support: Support, asker: str) -> str:
    """「首个2万元、每增加一个展位增加1万元：您的3个展位最多共4万元」 when the support's sum
    grows by a step per further unit and the asker counts such units (订了3个基本展位)."""
    m = _STEPPED.search(support.text)
    if m is None:
        return ""
    first = float(m.group("first")) * (1e4 if m.group("wan") else 1)
    step = float(m.group("step")) * (1e4 if m.group("swan") else 1)
    what = m.group("what") or ""
    # the asker's count of the same units: 3个基本展位, 3家
    tail = re.escape(what[-2:]) if len(what) >= 2 else ""
    counts = {number(c.group(1)) for c in re.finditer(
        rf"(?<![\d.])(\d{{1,3}}|[一二两三四五六七八九十]{{1,3}}){m.group('unit')}[\u4e00-\u9fff]{{0,4}}?{tail}", asker)}
    counts.discard(None)
    if len(counts) != 1:
        return ""
    count = counts.pop() or 0.0
    if count < 2 or count != int(count):
        return ""
    total = first + (count - 1) * step
    return (f"首个{format_money(first)}、每增加一{m.group('unit')}{what}增加{format_money(step)}："
            f"您的{format_number(count)}{m.group('unit')}{what}最多共{total_said(total)}")


def support_sentence(support: Support, circumstances: Circumstances, cite: str = "",
                     asker: str = "", context: str = "") -> str:
    """「按利息的50%补助、单个企业最高100万元：您的40万元利息最多可补20万元[1]。」; without the
    asker's base, the terms alone; with tiers, the tier that fits the asker. ``asker``: the
    question's own words, for a base no ``Circumstances`` field names (``stated_base``);
    ``context``: the words of the clause the support is read from (``_per_unit``)."""
    head = terms(support)
    tier = matching_tier(support, circumstances, asker)
    _, verb = _kind(support)
    tail = ""
    if tier is not None:
        ratio = tier.ratio if tier.ratio is not None else support.ratio
        cap = tier.cap if tier.cap is not None else support.cap
        if tier.amount is not None:
            tail = f"您适用「{tier.when}」档，可{verb}{format_money(tier.amount)}"
        else:
            tail = f"您适用「{tier.when}」档"
            computed = _computed(support, ratio, cap, circumstances, asker)
            tail += f"，{computed}" if computed else ""
    else:
        if steps := stepped(support, asker):
            return f"{steps}{cite}。"  # the steps say the sum (its cap is the first step's)
        tail = _computed(support, support.ratio, support.cap, circumstances, asker) \
            or _per_unit(support, asker, context)
    body = f"{head}：{tail}" if tail else head
    return f"{body}{cite}。"


# ------------------------------------------------------------------ the figure, as numbers
@dataclass(frozen=True)
class Figure:
    """What the asker's figures give: ``value`` 元, from ``stated`` (their base, 元) at ``ratio``
    percent, held to ``cap`` (``capped`` when it bit); or the fixed ``value`` of ``tier``."""

    value: float
    stated: float | None = None
    ratio: float | None = None
    cap: float | None = None
    capped: bool = False
    tier: str | None = None


BASE_FIELDS = tuple(f for f, _ in _BASES)  # every field base_field can name


def base_field(support: Support) -> str | None:
    """The ``Circumstances`` field that states this support's base (its tiers' words when the
    base is not named), or None."""
    return _field(support.base or " ".join(t.when for t in support.tiers))


def figure(support: Support, circumstances: Circumstances, asker: str = "") -> Figure | None:
    """The figure ``support_sentence`` states, as numbers: a fitting tier's amount, or the
    stated base × ratio up to the cap; None when the asker's figures give none. ``asker``: the
    question's own words, for a base no ``Circumstances`` field names (``stated_base``)."""
    tier = matching_tier(support, circumstances, asker)
    if tier is not None and tier.amount is not None:
        return Figure(tier.amount, tier=tier.when)
    ratio = tier.ratio if tier is not None and tier.ratio is not None else support.ratio
    cap = tier.cap if tier is not None and tier.cap is not None else support.cap
    base = _base_value(support, circumstances, asker=asker)
    if ratio is None or base is None:
        return None
    value = base[0] * ratio / 100
    capped = cap is not None and value > cap
    return Figure(cap if capped and cap is not None else value, base[0], ratio, cap, capped,
                  tier.when if tier is not None else None)
