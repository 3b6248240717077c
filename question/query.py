"""A question, parsed once at the service edge into a frozen ``Query`` that search, answer
composition and eligibility read; none of them parses the question again.

Two texts: ``text`` is what retrieval reads (in a chat, a follow-up joined with the previous
question, see ``resolve_followup``); ``own`` is the asker's own last turn, which decides the
intent (when it has one) and the script of the answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from corpus.clean import to_match, to_simplified
from corpus.facts import Circumstances
from corpus.tokenize import tokenize
from question.cantonese import mandarin
from question.catalogue import EMPTY, Catalogue
from question.circumstances import asks_eligibility, parse_circumstances
from question.expansion import expansions
from question.intent import Detail, asked_details, classify
from question.places import asked_places
from question.roles import RoleAsk, role_asks

# A question that compares documents ("滨州和山东分别…", "国家层面和滨州各…").
# Asking whether two say the same (一样吗, 相同吗) or by how much one exceeds the other (比…高多少) compares.
_COMPARISON = re.compile(r"分别|各是|各自|各有|各为|几个文件|哪些文件|各个文件|各文件|对比|比较|异同|区别|不同之处|"
                         r"(?:啥|什么|何|哪些|哪里)不同|一样|相同|比[^，,。？?]{1,30}(?:高|低|多|少)(?:多少|几)|"
                         r"(?:是不是|哪个|谁)更(?:高|低|多|少|严|宽|优惠)")
# What a document is (its issuer, 文号, date, title), not what it says.
_ABOUT_DOCUMENT = re.compile(r"哪个(?:单位|部门|机关)(?:印发|发布|发文|发的|出的)|谁发的|谁印发|发文单位|发文机关|印发单位|发布单位|"
                            r"(?:哪|几)[^，,。？?]{0,5}(?:单位|部门|机关)[^，,。？?]{0,3}(?:联合)?(?:印发|发布)|"
                            r"联合印发|落款|"
                            r"什么时候(?:发|印发|发布|出台)|哪天(?:发|印发|发布)|发布时间|印发时间|成文日期|"
                            r"文号是|文号多少|什么文号|标题是|叫什么名字|全称")
# Whether a document is in force, or since / until when ("还有效吗", "什么时候开始施行", "执行到哪天").
_VALIDITY = re.compile(r"(?:还|是否|是不是)有效|有效吗|失效|废止|作废|过期了|还能用吗|还适用吗|还在执行|"
                       r"(?:什么时候|哪天|哪一天|何时|几号|哪年)(?:开始)?(?:施行|实施|执行|生效)|(?:施行|实施|执行|生效)(?:日期|时间)|"
                       r"有效期(?:多久|多长|几年|到|是)|执行(?:到|至)(?:哪|什么时候)|(?:执行|有效)期限")
_FOLLOWUP = re.compile(r"^(那|那么|这|它|该|其|此|上述|还有|另外|再)|呢[？?]?$|这项|这个|该项|它的|其中")


@dataclass(frozen=True)
class Query:
    text: str  # what retrieval reads
    match: str  # its matching form (simplified, NFKC)
    tokens: tuple[str, ...]  # BM25 tokens of ``match``
    own: str  # the asker's own words (the last turn)
    own_match: str
    intent: str
    detail: Detail | None  # the specific detail asked for (amount, date, …), read from ``match``
    places: tuple[str, ...]  # place names in ``match``
    documents: frozenset[str] = frozenset()  # indexed documents named by 文号 or title
    unknown_numbers: tuple[str, ...] = ()  # 文号 named that no indexed document has
    place_titles: tuple[tuple[str, str], ...] = ()  # (place, text named by it): 天津市的…条例
    defined: tuple[str, ...] = ()  # the quoted terms a definition is asked of: “量产”是怎么认定的
    quoted: tuple[str, ...] = ()  # short terms the asker quotes (省级“单项冠军”): what they ask about
    asks_basis: bool = False  # 依据的是哪个文件: the texts a measure rests on
    asks_address: bool = False  # 寄到哪, 地址在哪
    asks_successor: bool = False  # 到期以后，新办法…: what replaced a text
    asked_tier: tuple[str, str] | None = None  # (place, 省|市): 大连市级对…, 山西省里对…
    named: frozenset[str] = frozenset()  # documents named by 文号, title or place
    comparison: bool = False  # asks to compare documents
    about_document: bool = False  # asks what a document is (issuer, 文号, date, title)
    traditional: bool = False  # the asker writes traditional characters
    circumstances: Circumstances = field(default_factory=Circumstances)  # what the asker states
    asks_eligibility: bool = False  # states a situation and asks whether it qualifies
    asks_validity: bool = False  # asks whether a document is in force, or since / until when
    expansion: tuple[str, ...] = ()  # the genre's words for what it asks (question.expansion)
    details: tuple[Detail, ...] = ()  # every detail asked, ``detail`` first (担保费谁出？收多少？)
    roles: tuple[RoleAsk, ...] = ()  # the roles offices are asked for (谁初审、谁复审？), question.roles

    @property
    def search_tokens(self) -> tuple[str, ...]:
        """What BM25 reads: the question's words and the genre's words for them."""
        return self.tokens + self.expansion

    @property
    def compared(self) -> tuple[str, ...]:
        """The documents a comparison names, each to be cited (empty when none is compared)."""
        if (self.comparison and self.named) or len(self.documents) >= 2:
            return tuple(sorted(self.named))
        return ()

    @property
    def scope(self) -> tuple[str, ...]:
        """The documents the question is about alone (named by 文号 or title, no comparison):
        search keeps to them."""
        return tuple(sorted(self.documents)) if self.documents and not self.comparison else ()


def is_traditional(text: str) -> bool:
    cjk = "".join(c for c in text if "\u3400" <= c <= "\u9fff")
    return bool(cjk) and to_simplified(cjk) != cjk


# Asking what a term means: 是指什么, 具体指哪些人, 是什么意思, 怎么认定, 包括哪些.
_ASKS_DEFINITION = re.compile(r"是指|指的是|指什么|指哪|什么意思|什么含义|怎么认定|如何认定|怎样认定|怎么定义|"
                              r"如何界定|怎么界定|的定义|包括哪些|包括什么")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,16})[”\"」』]")


def defined_terms(q_match: str) -> tuple[str, ...]:
    """The terms a question asks the meaning of, when it quotes them (办法里说的“就业见习人员”
    具体是指哪些人): what a clause that defines them (…是指, 所称…) answers."""
    if not _ASKS_DEFINITION.search(q_match):
        return ()
    return tuple(dict.fromkeys(t.strip() for t in _QUOTED.findall(q_match) if t.strip()))


# Asking what a measure rests on: 依据的是哪个文件, 根据什么政策, 出自哪个文件.
_ASKS_BASIS = re.compile(r"(?:依据|根据|出自|来自|按照)(?:的)?(?:是)?(?:哪|什么)[^，,。？?]{0,3}(?:文件|政策|规定|办法|通知|条例)")
_ASKS_ADDRESS = re.compile(r"地址|寄到|寄往|邮寄|在哪")
# Asked for what replaced a text (新办法, 到期以后).
_ASKS_SUCCESSOR = re.compile(r"新(?:办法|政策|规定|文件|版本?|条例|细则|标准)|(?:到期|失效|废止|过期)(?:以?后|之后)")
# The tier of government a question asks about, said with the place: 大连市级对企业…, 山东省级
# 层面…, 山西省里对…: what the city itself gives, not what one of its districts does. A title held
# at a level (大连市级专精特新) is not asked this way: the words after 级 must ask of the government.
_TIER_ASKED = (r"(?P<level>省|市)(?:级|里)(?=对|给|的(?:补贴|奖励|政策|标准|规定|扶持|支持|资金)|层面|财政|政府|"
               r"部门|有没有|有|能|会|奖|补|出台|政策)")


def asked_tier(q_match: str, places: Iterable[str]) -> tuple[str, str] | None:
    """(place, 省 or 市) when the question asks what that tier of government gives."""
    for place in places:
        found = re.search(rf"{re.escape(place)}{_TIER_ASKED}", q_match)
        if found:
            return place, found.group("level")
    return None


def titles_by_place(q_match: str, places: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The texts a question names by a place and a kind of text (天津市的促进中小企业发展条例,
    山东省人才发展促进条例): (place, the words naming it). A demonstrative (甘井子这个…办法)
    refers to a text rather than naming it."""
    out = []
    for place in places:
        # a title's words: no particle, verb or pronoun of a sentence (天津的小微企业按照国家的办法
        # names no text)
        named = re.search(rf"{re.escape(place)}(?:省|市|区|县)?的?《?(?P<t>[\u4e00-\u9fff]{{2,24}}?)"
                          rf"(?:条例|办法|规定|细则|实施意见)", q_match)
        if named and not re.search(r"这|那|该|此|的|按|照|据|能|可|拿|给|要|有|是|在|了|吗|我|你|他|们",
                                   named.group("t")):
            out.append((place, named.group(0).replace("《", "")))
    return tuple(out)


def parse(text: str, catalogue: Catalogue = EMPTY, own: str | None = None,
          today: date | None = None) -> Query:
    """``text`` as retrieval reads it; ``own`` the asker's own turn when it differs (chat);
    ``today`` dates what the asker says in years (成立于2021年)."""
    own = own or text
    match, own_match = mandarin(to_match(text)), mandarin(to_match(own))
    intent = classify(own_match)
    if intent == "general":
        intent = classify(match)
    refs = catalogue.refs(match)
    found_places = asked_places(match, catalogue.places)
    tokens = tuple(tokenize(match))
    details = asked_details(match)
    return Query(
        text=text, match=match, tokens=tokens, expansion=expansions(match, tokens), own=own, own_match=own_match,
        intent=intent, detail=next(iter(details), None), details=details, places=found_places,
        documents=refs.documents, unknown_numbers=refs.unknown_numbers,
        place_titles=titles_by_place(match, found_places),
        defined=defined_terms(match),
        quoted=tuple(dict.fromkeys(t.strip() for t in _QUOTED.findall(match) if 2 <= len(t.strip()) <= 8)),
        asks_basis=bool(_ASKS_BASIS.search(own_match)),
        asks_address=bool(_ASKS_ADDRESS.search(own_match)),
        asks_successor=bool(_ASKS_SUCCESSOR.search(own_match)),
        asked_tier=asked_tier(own_match, found_places),
        named=catalogue.named_by_place(found_places) | refs.documents,
        comparison=bool(_COMPARISON.search(match)),
        about_document=bool(_ABOUT_DOCUMENT.search(match)),
        traditional=is_traditional(own),
        circumstances=parse_circumstances(own_match, today),
        asks_eligibility=asks_eligibility(own_match),
        asks_validity=bool(_VALIDITY.search(own_match)),
        roles=tuple(role_asks(match)),
    )


def resolve_followup(messages: list[tuple[str, str]]) -> str:
    """The retrieval text for the last user turn: a follow-up ("那这项工作谁负责？") is read
    together with the previous user question, which names what "这项工作" is."""
    users = [content for role, content in messages if role == "user"]
    current = users[-1].strip()
    if len(users) < 2:
        return current
    q = to_match(current)
    if _FOLLOWUP.search(q) or len(q) <= 8:
        return f"{users[-2].strip()} {current}"
    return current
