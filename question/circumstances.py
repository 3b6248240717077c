"""The asker's circumstances, read from a question: 「我们去年营收8000万，近两年研发费用占营收5%
左右」 → revenue 8e7 元, rd_share 5 %.

Owns which stated figure is which (revenue, R&D expense or share, staff, the company's age,
interest paid, investment, place, titles, industry) and whether a question asks if its
circumstances qualify (``asks_eligibility``). Numbers are read by ``question.numbers``; the
askers' words are in ``question.vocabulary``. Text is in matching form (simplified, NFKC).
It does not judge eligibility (``service/eligibility.py`` does).
"""

from __future__ import annotations

import re
from datetime import date

from corpus.facts import Circumstances
from question import vocabulary as v
from question.intent import ASKING_WORDS
from question.numbers import money, people, percents, periods
from question.places import gazetteer

_SEGMENT = re.compile(r"[^,，。;；!！?？\n]+")


def _alternation(words: list[str] | tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_MONEY_WORD = re.compile(_alternation([w for ws in v.MONEY_SUBJECTS.values() for w in ws]))
_FIELD_OF = {w: f for f, ws in v.MONEY_SUBJECTS.items() for w in ws}
_TITLE_WORD = re.compile(_alternation([w for ws in v.TITLES.values() for w in ws]))
_TITLE_OF = {w: t for t, ws in v.TITLES.items() for w in ws}


def _money_fields(segment: str, found: dict[str, float]) -> None:
    words = list(_MONEY_WORD.finditer(segment))
    for q in money(segment):
        if q.unit != "元":
            continue  # the fields are in 元
        before = [w for w in words if w.end() <= q.start]
        after = [w for w in words if w.start() >= q.end and w.start() - q.end <= 3]
        word = before[-1] if before else after[0] if after else None
        if word is None:
            continue
        field = _FIELD_OF[word.group(0)]
        if field == "investment" and segment[max(0, word.start() - 2):word.start()].endswith("研发"):
            field = "rd_expense"
        if field == "revenue" and re.search(v.SHARE_WORDS, segment[word.end():q.start]):
            continue  # 研发费用占营收5%: a share's base, not a sum
        found.setdefault(field, q.value)


def _share(segment: str) -> float | None:
    if "研发" not in segment and "R&D" not in segment:
        return None
    for q in percents(segment):
        rd = max(segment.rfind("研发", 0, q.start), segment.rfind("R&D", 0, q.start))
        if rd >= 0 and re.search(v.SHARE_WORDS, segment[rd:q.start]):
            return q.value
    return None


def _staff(segment: str) -> int | None:
    for q in people(segment):
        head = segment[:q.start]
        if re.search(v.NOT_STAFF, head):
            continue
        if re.search(v.STAFF_WORDS, head) or re.match(r"(?:个|名|位)?(?:员工|职工|工人|雇员)",
                                                       segment[q.end - 1:q.end + 3]) \
                or re.match(v.STAFF_SIZED, segment[q.end:]):
            return int(q.value)
    return None


def _age(segment: str, today: date | None) -> float | None:
    founded = re.search(v.FOUNDED, segment)
    if not founded:
        return None
    for q in periods(segment):
        if q.unit == "年" and q.start >= founded.start() and not re.match(v.FUTURE, segment[q.end:]):
            return q.value
    if today and (m := re.search(rf"(?:{v.FOUNDED})(?:于|在|是)?(?P<y>(?:19|20)\d\d)年", segment)):
        return float(today.year - int(m.group("y")))
    return None


_PLACE_PATTERNS = (
    re.compile(r"(?:注册|登记|落户|坐落)(?:地|地址)?(?:在|于|是)(?P<p>[\u4e00-\u9fff]{2,10})"),
    re.compile(r"(?:位于|地处)(?P<p>[\u4e00-\u9fff]{2,10})"),
    re.compile(r"在(?P<p>[\u4e00-\u9fff]{2,8}?)(?:注册|成立|设立|落户|创办|开|办|经营|的(?:公司|企业|工厂|厂|门店|店)|$)"),
    re.compile(r"(?:我们|我司|公司|企业|我)是(?P<p>[\u4e00-\u9fff]{2,4}?)(?:的|本地)"),
    re.compile(rf"(?P<p>[\u4e00-\u9fff]{{2,6}}?{v.PLACE_SUFFIX})(?:的)?(?:企业|公司|工厂)"),
)
_PLACE_TAIL = re.compile(r"(?:的|了|这边|那边|这里|本地|里|注册|成立|这个|那个)+$")


def _known_head(words: str) -> str:
    """The places the gazetteer knows that ``words`` start with, one after another (上海被行政处罚
    → 上海, 广州天河 → 广州天河); empty when they start with none."""
    g = gazetteer()
    head = ""
    while found := next((words[:n] for n in range(len(words), 1, -1) if g.knows(words[:n])), None):
        head, words = head + found, words[len(found):]
    return head


def _place(segment: str) -> str | None:
    for pattern in _PLACE_PATTERNS:
        for m in pattern.finditer(segment):
            place = _PLACE_TAIL.sub("", m.group("p"))
            if pattern in (_PLACE_PATTERNS[2], _PLACE_PATTERNS[3]):
                # 在… is where anything happens (在电商平台上开网店, 在上海被行政处罚了), and 我们是…的
                # says anything of us (我们是复审通过的): the words are a place when they start with
                # places the gazetteer knows (kept with a named zone or town of theirs: 苏州工业园区)
                # or end as a place does (高新区)
                head = _known_head(place)
                zone = re.fullmatch(rf"[\u4e00-\u9fff]{{0,6}}{v.PLACE_SUFFIX}", place[len(head):])
                place = place if zone else head
            if len(place) >= 2 and not any(w in place for w in v.NOT_PLACE) \
                    and not re.search(r"[一二三四五六七八九十\d]|新认定|认定|级", place):
                return place
    return None


def _titles(text: str) -> tuple[str, ...]:
    """Titles the asker says they hold (我们是高企, 新认定的小巨人, 高企、专精特新); not those denied
    (不是高企), asked about (够不够小巨人的…要求, 能申报专精特新吗) or only named (高新技术企业认定
    的材料)."""
    found: list[str] = []
    last_end = -10
    for m in _TITLE_WORD.finditer(text):
        head = text[max(0, m.start() - 8):m.start()]
        segment = next(s for s in _SEGMENT.finditer(text) if s.start() <= m.start() < s.end())
        before = text[segment.start():m.start()]
        listed = m.start() - last_end <= 2 and re.fullmatch(r"[、和及与]?", text[last_end:m.start()])
        # …or the question opens by describing the asker (九龙坡的高企，我们是…): a first
        # segment that asks nothing, in a question that speaks in the first person
        opening = segment.start() == 0 and segment.end() < len(text) \
            and _FIRST_PERSON.search(text[segment.end():]) is not None \
            and not re.search(ASKING_WORDS, segment.group(0)) \
            and not re.match(r"的?(?:认定|申报|申请|评定|评审|条件|标准|政策|奖励|补贴)", text[m.end():])
        held = re.search(v.TITLE_HELD, head) or listed or (
            (_FIRST_PERSON.search(before) or opening) and not _ASK.search(segment.group(0)))
        if re.search(v.TITLE_DENIAL, head) or not held:
            continue
        if re.search(v.TITLE_TARGET, head) and not re.search(v.TITLE_HELD, head):
            continue
        last_end = m.end()
        title = _TITLE_OF[m.group(0)]
        level = re.search(rf"({'|'.join(v.TITLE_LEVELS)})(?:的)?$", text[max(0, m.start() - 4):m.start()])
        if level and title not in ("高新技术企业",):
            name = level.group(1)
            title = ("国家级" if name == "国家" else name) + title
        if title not in found:
            found.append(title)
    return tuple(found)


def _industry(segment: str) -> str | None:
    if m := re.search(rf"{v.INDUSTRY_HEAD}(?P<i>[\u4e00-\u9fff]{{2,8}}?){v.INDUSTRY_TAIL}", segment):
        return m.group("i")
    if m := re.search(r"(?:开了?|办了?|是)(?:一)?(?:家|个)(?P<i>[\u4e00-\u9fff]{1,6}?(?:店|厂|所|馆|"
                      r"民宿|工作室|机构|中心))", segment):
        return m.group("i")
    return None


def degrees(text: str) -> tuple[str, ...]:
    """The degrees a text names as such (not as a floor: 本科及以上), highest first."""
    return tuple(name for name, pattern in v.EDUCATION
                 if any(not re.match(v.EDUCATION_FLOOR, text[m.end():])
                        for m in re.finditer(pattern, text)))


def parse_circumstances(text: str, today: date | None = None) -> Circumstances:
    """What the asker states about their enterprise. ``today`` turns 成立于2021年 into an age
    (without it only stated lengths count: 成立两年半)."""
    found: dict[str, float] = {}
    rd_share = staff = age = None
    place = industry = None
    for seg in _SEGMENT.findall(text):
        _money_fields(seg, found)
        rd_share = rd_share if rd_share is not None else _share(seg)
        staff = staff if staff is not None else _staff(seg)
        age = age if age is not None else _age(seg, today)
        place = place or _place(seg)
        industry = industry or _industry(seg)
    return Circumstances(
        revenue=found.get("revenue"), rd_expense=found.get("rd_expense"), rd_share=rd_share,
        staff=staff, age_years=age, interest_paid=found.get("interest_paid"),
        investment=found.get("investment"), place=place, titles=_titles(text), industry=industry,
        education=next(iter(degrees(text)), None))


# ------------------------------------------------------------------ does it ask for a verdict?

# A yes/no question about qualifying: 够不够, 能不能申请, 符合吗, 能拿吗, 可以吗, 还能…吗, 有没有问题.
_ASK = re.compile(
    r"够不够|够吗|够格|达标吗|能不能|能否|可不可以|可以吗|行不行|行吗|符合吗|符不符合|是否符合|"
    r"满足吗|是否满足|算不算|算吗|适用吗|适不适用|是否适用|管不管|包不包括|"
    r"有没有问题|有问题吗|有没有影响|有影响吗|"
    r"会不会有影响|受影响吗|会影响|有没有资格|有资格吗|是不是(?:只要|都|就)|"
    r"(?:能|可以|可|还能|还可以|还认|还算|还有|允许|准许)[^,，。;；?？]{0,20}吗|还认吗|还算吗|"
    r"算(?:是)?[^,，。;；?？]{1,12}还是|(?<![怎么如何计核换])(?:算|属于)(?:是)?[^,，。;；?？]{2,12}吗|"
    r"有没有[^,，。;；?？]{0,12}(?:扶持|支持|补贴|补助|奖励|优惠|照顾|配套|政策)|"
    r"符合(?:要求|条件|规定|标准)?吗|是不是适用|是不是属于|"
    r"(?:能|可以)(?:申请|享受|拿|领|申报)(?:什么|哪些)")
# Whether a document is still in force is asked about the document, not the asker.
_VALIDITY = re.compile(r"(?:还|是否|是不是)?有效(?:吗|期)|失效|废止|还能用吗|还适用吗|还在执行")
# The asker states a situation of their own (我们是…, 公司成立…, 我今年47岁, 我们没进…库).
_FIRST_PERSON = re.compile(r"我们|我司|我方|咱们|咱|本公司|本企业|我(?!市|省|区|县|国)|公司|工厂|厂里|团队")
_STATES = re.compile(r"是|有|已|刚|才|只|没|未|拿了|拿过|签|开了|办了|注册|成立|交了|做了|招了|"
                     r"卖|打算|准备|想|\d|[一二两三四五六七八九十]")


def asks_eligibility(text: str) -> bool:
    """True when the question states the asker's circumstances or situation and asks whether
    they qualify (够不够 / 能不能申请 / 符合吗 / 能拿吗 / 可以吗 / 还能…吗 / 有没有问题)."""
    ask = _ASK.search(text)
    if not ask or _VALIDITY.search(text):
        return False
    if not parse_circumstances(text).empty():
        return True
    person = _FIRST_PERSON.search(text)
    if person and _STATES.search(text[person.end():]):
        return True
    # a situation told in its own phrase before the question (我们的设备更新换代很快，能…吗;
    # 拿了…奖励，三年后想迁走，有没有问题)
    head = text[:ask.start()]
    before = _SEGMENT.findall(head)
    if before and not re.search(r"[,，。;；!！?？]$", head):
        before = before[:-1]  # the asking phrase itself
    return any(len(seg) >= 4 and (_STATES.search(seg) or _FIRST_PERSON.search(seg))
               for seg in before)


# A phrase that asks for something (最多奖多少, 找哪个部门, 怎么申请) tells no situation either.
# 什么 after a negation is no question (也没发过什么论文).
_ASKS_FOR = re.compile(r"多少|几(?:个|年|次|成|万|倍|家|项|天|月)|(?<![没不无])(?<![没不无].)(?<![没不无]..)什么|"
                       r"哪|怎么|怎样|如何|吗|呢")


def situation(text: str) -> str:
    """The phrases of a question that tell the asker's situation: the question without its
    asking phrases (能申请这个奖励吗, 一次性最多奖多少), or the whole question when every
    phrase asks."""
    told = [seg for seg in _SEGMENT.findall(text) if not _ASK.search(seg) and not _ASKS_FOR.search(seg)]
    return "，".join(told) if told else text
