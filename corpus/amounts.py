"""Conditions read from the quantities of one sentence, and the role each quantity plays.

Owns the role a number plays in official-document language: a threshold an enterprise must meet
(营业收入2000万元以上, 研发费用占比不低于6%, 设立三年以上, 30人(含)以下 → a ``Condition``), or
what a measure gives (an amount, a cap or a ratio, which ``support.py`` groups into measures).
Categorical conditions (注册地, 资质, 信用, 行业) are read from their own phrases. Sentences are in
matching form (simplified, NFKC: ``，`` is ``,``, ``（`` is ``(``); the words are data
(``fact_words.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.fact_words import lookup, patterns
from corpus.facts import Condition
from corpus.quantities import Quantity, money, people, percents, periods

PENALTY = re.compile(r"罚款|罚金|处以|没收|吊销|责令|滞纳金|赔偿")
_SUPPORT_CONTEXT = re.compile(r"给予|予以|奖励|奖补|补贴|补助|资助|扶持|贴息|返还|减免|免征|补偿|支持|"
                              r"安家费|津贴|贷款|担保|兑现")
# Before a number: what makes it a bound on the enterprise (达到50万元, 不低于6%).
# Before a number: the words that bound it, longest first (不低于 before 低于, 不超过 before 超过).
_BOUND_WORDS = {
    "不低于": ">=", "不少于": ">=", "不小于": ">=", "达到": ">=", "达": ">=", "至少": ">=", "满": ">=",
    "在": ">=", "≥": ">=", "超过": ">", "高于": ">", "大于": ">", "多于": ">",
    "不高于": "<=", "不超过": "<=", "不大于": "<=", "不多于": "<=", "未超过": "<=", "≤": "<=",
    "低于": "<", "少于": "<", "小于": "<", "未满": "<", "不满": "<", "不足": "<", "未达到": "<",
    "不到": "<", "不得低于": ">=", "不得少于": ">=", "不应低于": ">=", "不得超过": "<=", "不得高于": "<=",
}
# 达 bounds a number (比例达30%) unless it ends another verb (下达一年内, 送达).
_BOUND_BEFORE = re.compile(
    "(" + "|".join(re.escape(w) if w != "达" else "(?<![下送抵传表通发直到])达"
                   for w in sorted(_BOUND_WORDS, key=len, reverse=True)) + r")(?:了)?$")
AFTER = re.compile(r"^(?:\((?P<inc1>含|不含)\))?(?:及|或|和)?(?P<dir>以上|以下|以内|之内)(?:\((?P<inc2>含|不含)\))?")
_WITHIN = re.compile(r"^(?:\(含\))?内")  # 在3年内, 注册登记3年内
_RANGE_JOIN = re.compile(r"^(?:\(含\))?(?:及以上|以上)?(?:\(含\))?(?:至|到|-|—|–|~|～)(?:不超过|不足|低于)?$")
_CAP_BEFORE = re.compile(r"(?:最高不超过|最高不高于|最高可达|最高|最多|上限为?|封顶|限额为?|不超过|不高于|至多|"
                         r"总额|累计)(?:可|可以)?(?:为|给予|奖励|补贴|补助|资助|扶持|支持|获得)?$")
_SCOPE = re.compile(r"(?:上一?年度|上一?年|近[一二三两四五\d]{1,2}年|最近[一二三两\d]个(?:会计|纳税|完整)?年度|"
                    r"连续[一二三两\d]个?(?:会计)?年度?|前[一二三两\d]年|当年|年度|年均|每年)")
_SHARE_WORDS = re.compile(r"占|比例|比重|占比|强度")
_CONDITION_CONTEXT = re.compile(r"条件|符合|应当|须|需|要求|可以?申请|可享受|方可|申报|认定|具备|以上的|以下的|的,|的企业")
GIVE = re.compile(r"给予|予以|奖励|补贴|补助|资助|贴息|返还|扶持|奖补|按")


@dataclass
class Role:
    q: Quantity
    role: str  # threshold | amount | cap | ratio
    comparator: str = ""
    upper: Quantity | None = None  # between
    first: Quantity | None = None  # a range's lower end, when the role is its upper one (10%~15%)
    listed: bool = False  # said in a list after one of the same role (25万元、35万元)


def quantities(sentence: str) -> list[Quantity]:
    found = money(sentence) + percents(sentence) + people(sentence) + periods(sentence)
    found.sort(key=lambda q: (q.start, -q.end))
    kept: list[Quantity] = []
    for q in found:
        if not kept or q.start >= kept[-1].end:
            kept.append(q)
    return kept


def _bound(sentence: str, q: Quantity) -> str:
    before = sentence[max(0, q.start - 6):q.start]
    after = sentence[q.end:q.end + 10]
    if m := AFTER.match(after):
        inclusive = "不含" not in (m.group("inc1") or "", m.group("inc2") or "")
        if m.group("dir") == "以上":
            return ">=" if inclusive else ">"
        return "<=" if inclusive else "<"
    if _WITHIN.match(after) and (before.endswith("在") or q.unit == "年" and
                                 _subject_before(sentence, q, word="成立年限")):
        return "<="
    if m := _BOUND_BEFORE.search(before):
        return _BOUND_WORDS[m.group(1)]
    return ""


_PHRASE_COMPARATOR = re.compile(r"(不高于|不超过|不大于|低于|少于|不低于|不少于|达到|超过|高于)[^,;:。、]{0,22}$")
_LIST_JOIN = re.compile(r"^(?:\(含\))?(?:及以上|以上|以下)?(?:\(含\))?[、和及或](?:分别)?$")


def classify(sentence: str, found: list[Quantity]) -> list[Role]:
    """The role of each quantity: ``threshold`` (with its comparator), ``amount``, ``cap`` or
    ``ratio``; numbers that play none (a count of projects, a date's year) are left out."""
    support = bool(_SUPPORT_CONTEXT.search(sentence))
    roles: list[Role] = []
    skip: set[int] = set()
    for i, q in enumerate(found):
        if i in skip:
            continue
        nxt = found[i + 1] if i + 1 < len(found) else None
        before = sentence[max(0, q.start - 8):q.start]
        if nxt and nxt.unit == q.unit and _RANGE_JOIN.match(sentence[q.end:nxt.start]):
            skip.add(i + 1)
            given = re.search(r"按|参照|比照", sentence[max(0, q.start - 20):q.start]) or \
                re.match(r"^的?(?:比例)?(?:给予|予以|奖励|补贴|补助|资助|奖补|贴息)", sentence[nxt.end:nxt.end + 6])
            if _CAP_BEFORE.search(before) or (q.unit == "%" and support and (
                    given or not _subject_before(sentence, q))):
                roles.append(Role(nxt, "ratio" if q.unit == "%" else "cap", first=q))
            else:
                roles.append(Role(q, "threshold", "between", nxt))
            continue
        if sentence[max(0, q.start - 2):q.start] == "(含":
            continue  # 60%以上(含60%): the bound said again
        previous = roles[-1] if roles else None
        if previous and previous.role in ("cap", "ratio", "amount") and previous.q.unit == q.unit \
                and _LIST_JOIN.match(sentence[previous.q.end:q.start]):
            roles.append(Role(q, previous.role, listed=True))  # 最高分别不超过25万元、35万元
            continue
        comparator = _bound(sentence, q)
        if q.unit not in ("元", "%", "人", "年", "岁"):  # 1000万美元以上
            if comparator:
                roles.append(Role(q, "threshold", comparator))
        elif q.unit in ("元", "%"):
            subject = _subject_before(sentence, q)
            capped = _CAP_BEFORE.search(before)
            phrase = _PHRASE_COMPARATOR.search(sentence[max(0, q.start - 28):q.start])
            if comparator in (">=", ">") or (comparator and not support):
                roles.append(Role(q, "threshold", comparator))
            elif comparator and capped and support and not subject:
                roles.append(Role(q, "ratio" if q.unit == "%" else "cap"))
            elif comparator:
                roles.append(Role(q, "threshold", comparator))
            elif q.unit == "%" and phrase and not GIVE.search(
                    sentence[max(0, q.start - 20):q.end + 6]):
                word = phrase.group(1)  # 裁员率不高于参保职工总数20%
                roles.append(Role(q, "threshold", "<=" if word.startswith(("不高", "不超", "不大"))
                                   else "<" if word in ("低于", "少于") else
                                   ">" if word in ("超过", "高于") else ">="))
            elif support and q.unit == "元":
                roles.append(Role(q, "cap" if capped else "amount"))
            elif support and q.unit == "%" and not _SHARE_WORDS.search(before[-4:]):
                roles.append(Role(q, "ratio"))
        elif comparator and not re.search(r"期限|期间|时间|最长|最短|每满",
                                          sentence[max(0, q.start - 8):q.start]):
            roles.append(Role(q, "threshold", comparator))  # not 补贴期限不超过2年, 每满一年
    return roles


def _subject_before(sentence: str, q: Quantity, stop: int = 0, word: str | None = None,
                    first: bool = False) -> tuple[str, int] | None:
    """The subject word nearest before ``q`` in its phrase: (word, start)."""
    window_start = max(stop, q.start - 24)
    window = sentence[window_start:q.start]
    cut = max(window.rfind(c) for c in ",;:、。")
    if cut >= 0:
        window_start += cut + 1
        window = window[cut + 1:]
    best = None
    for m in patterns()["subject"].finditer(window):
        if word is None or lookup("subjects", m.group(0)) == word:
            best = (m.group(0), window_start + m.start())
            if first:
                break
    return best


def _subject_for(word: str | None, q: Quantity, sentence: str) -> str:
    if word is None:
        return "other"
    subject = lookup("subjects", word)
    if q.unit == "%":
        return "研发费用占比" if subject == "研发费用" else "other"
    wanted = {"从业人员": "人", "成立年限": "年"}.get(subject, "元")
    return subject if wanted == q.unit else "other"


_SIZEAFTER = re.compile(r"^(?:\(含\))?(?:及|或)?(?:以上|以下)?(?:\(含\))?的?[\u4e00-\u9fff]{0,4}(?:企业|单位|公司|商户)")


# A parenthesis that sets other enterprises their own bound (…达到在职职工人数10%(超过100人的
# 企业达到5%)): its figures are those enterprises' variant, not conditions on every applicant.
_VARIANT = re.compile(r"\((?P<x>[^()]{0,20}?的(?:企业|单位|公司|项目)[^()]{0,20})\)")


def _in_variant(sentence: str, q: Quantity) -> bool:
    return any(m.start("x") <= q.start < m.end("x") for m in _VARIANT.finditer(sentence))


def conditions(sentence: str, roles: list[Role]) -> list[Condition]:
    if PENALTY.search(sentence):
        return []
    out: list[Condition] = []
    last: tuple[str, str | None, int] | None = None  # subject, scope, end of the previous one
    for r in roles:
        if r.role != "threshold" or _in_variant(sentence, r.q):
            continue
        q, end = r.q, (r.upper or r.q).end
        after = AFTER.match(sentence[end:end + 10]) or _WITHIN.match(sentence[end:end + 10])
        end_all = end + (after.end() if after else 0)
        found = _subject_before(sentence, q, stop=last[2] if last else 0)
        if q.unit == "%":  # 研发费用占营业收入比例: the share's subject is the first word, not the last
            found = _subject_before(sentence, q, stop=last[2] if last else 0,
                                    word="研发费用", first=True) or found
        subject = _subject_for(found[0] if found else None, q, sentence)
        phrase = max(sentence.rfind(c, 0, q.start) for c in ",;:、") + 1
        start, scope = (found[1] if found else max(phrase, q.start - 24)), None
        if found:
            head = sentence[max(0, found[1] - 10):found[1]]
            scopes = list(_SCOPE.finditer(head))
            if scopes:
                scope, start = scopes[-1].group(0), found[1] - len(head) + scopes[-1].start()
        elif last and _LIST_JOIN.match(sentence[last[2]:q.start]):
            subject, scope = last[0], last[1]  # 50亿元及以上、30亿元及以上: one subject, a list
        elif q.unit == "人" and _SIZEAFTER.match(sentence[end:end + 14]):
            subject = "从业人员"  # 30人(含)以下的参保企业
        if subject == "other" and q.unit != "岁" and not _CONDITION_CONTEXT.search(sentence):
            last = None
            continue
        unit = "年" if q.unit == "岁" else q.unit
        upper = r.upper.value if r.comparator == "between" and r.upper is not None else None
        out.append(Condition(subject, r.comparator, q.value, upper, unit,  # type: ignore[arg-type]
                             scope=scope, text=sentence[start:end_all]))
        last = (subject, scope, end_all)
    return out + categorical(sentence)


_PLACE = re.compile(r"(?:工商)?(?:注册(?:地|地址)?|登记注册|注册登记|注册纳税|税务登记|总部(?:和主营业务)?|户籍)"
                    r"(?:和税务登记|和纳税|及纳税)?(?:均|须|应|必须)?(?:在|于)"
                    r"(?P<place>[\u4e00-\u9fff()]{2,14}?)(?:行政区域|辖区|范围)?(?:内|的|,|、|且|并|或|$)")
_PLACEAFTER = re.compile(r"在(?P<place>本市|本区|本县|本省|我市|我区|我县|[\u4e00-\u9fff]{2,8}?(?:市|区|县|园区|新区|开发区))"
                          r"(?:行政区域|辖区|范围)?内?(?:依法)?(?:注册|登记注册|注册登记|设立|登记)")
_CREDIT = re.compile(r"(?:未被?|没有被?|不在|无)(?:列入|纳入)?[^,;。]{0,12}?(?:失信|经营异常名录|黑名单|不良信用|"
                     r"违法违规|严重违法|重大违法)[^,;。]{0,20}|(?:信用|纳税信用)(?:等级|评价)?(?:为|达到)?(?:良好|A级|B级以上|A级以上)|"
                     r"(?:无|没有)(?:不良|严重)?(?:信用|失信)记录")
_INDUSTRY = re.compile(r"(?:属于|从事)(?!国家|我|本|有关|相关|特殊|其他|其)(?P<ind>[\u4e00-\u9fff、]{2,12}?)"
                       r"(?:行业|产业|领域)")


def categorical(sentence: str) -> list[Condition]:
    out: list[Condition] = []
    bare = re.sub(r"[“”\"'‘’《》]", "", sentence)
    for pattern in (_PLACE, _PLACEAFTER):
        for m in pattern.finditer(sentence):
            place = m.group("place").strip("()")
            if place and not re.match(r"(?:中国境内|境内|境外|本人|户籍)", place):
                out.append(Condition("注册地", "in", values=(place,), text=m.group(0)))
                break
        if out:
            break
    titles, span = _titles(bare)
    if titles:
        out.append(Condition("资质", "in", values=titles, text=span))
    for m in _CREDIT.finditer(sentence):
        out.append(Condition("信用", "in", values=(m.group(0),), text=m.group(0)))
    for m in _INDUSTRY.finditer(sentence):
        out.append(Condition("行业", "in", values=(m.group("ind"),), text=m.group(0)))
    return out


def _titles(bare: str) -> tuple[tuple[str, ...], str]:
    """Titles an enterprise must hold: 新认定的/被评为/获得… X, X称号, and the titles listed
    right after one (认定为省级专精特新企业、国家级专精特新小巨人企业)."""
    pats = patterns()
    titles: list[str] = []
    start = end = -1
    for m in pats["title"].finditer(bare):
        trigger = pats["title_trigger"].search(bare[max(0, m.start() - 12):m.start()])
        listed = end >= 0 and m.start() - end <= 10 and re.search(r"[、和及或]", bare[end:m.start()])
        if trigger or listed or re.match(r"(?:称号|认定|资格|资质)", bare[m.end():m.end() + 2]):
            titles.append(lookup("titles", m.group(0)))
            start = m.start() if start < 0 else start
            end = m.end()
    titles = [t for t in dict.fromkeys(titles) if not _covered(t, titles)]
    if not titles:
        return (), ""
    lead = list(pats["title_trigger"].finditer(bare[max(0, start - 12):start]))
    return tuple(titles), bare[max(0, start - 12) + lead[0].start() if lead else start:end]


def _covered(title: str, titles: list[str]) -> bool:
    """专精特新 inside 专精特新小巨人企业 is the same title, said once."""
    return any(title != other and title.removesuffix("企业") in other for other in titles)
