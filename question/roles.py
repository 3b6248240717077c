"""The roles a "who" question asks offices for (初审, 复审, 认定, 拨付, 受理…), and whether a
sentence states an office doing one.

A question that asks several (由谁初审、谁复审下达资金？ / 哪个部门认定？资金又是谁拨的？ /
材料先交给谁？省属企业呢？) is split into its role asks, parsed once with the question: ranking
brings a clause stating each into view, and the answer quotes one sentence per role.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from corpus.clean import SENTENCE
from corpus.facts import Office
from corpus.models import Clause


@dataclass(frozen=True)
class Role:
    """One role an office plays in a procedure: the words a question asks it with, and the
    words a clause states it with."""

    name: str
    asked: re.Pattern[str]
    stated: re.Pattern[str]


# Most specific first: 初审 and 复审 are kinds of 审核, and a word asked is read once.
_SPECIFIC: tuple[Role, ...] = (
    Role("初审", re.compile(r"初审|初核|初步审核|初步审查"), re.compile(r"初审|初核|初步审核|初步审查")),
    Role("复审", re.compile(r"复审|复核"), re.compile(r"复审|复核")),
    Role("认定", re.compile(r"认定|评审|评定|审定|评选"), re.compile(r"认定|评审|评定|审定|评选")),
    Role("拨付", re.compile(r"拨|下达资金|发到|发钱|发放|兑现|出钱|付款|(?:资金|钱|款)[^，。？?]{0,4}谁|谁出"),
         re.compile(r"拨付|拨款|核拨|拨至|拨到|下达(?:资金|到|至)|兑现|发放")),
    Role("下达计划", re.compile(r"下达(?:项目)?计划|(?:项目)?计划[^，。？?]{0,4}(?:谁|哪)[^，。？?]{0,4}下达"),
         re.compile(r"下达(?:项目|年度|资金)?计划")),
    Role("受理", re.compile(r"受理|(?:交给|交到|交|报给|送给|递交给|提交给|报到|送到|向)(?:谁|哪)|"
                          r"找谁(?:申请|申报|办)|(?:申报|申请|提交|报送)(?:到|给)(?:谁|哪)"),
         re.compile(r"受理|提交|申报|报送|递交|提出(?:申请|补贴申请)|报名")),
    Role("审核", re.compile(r"审核|审查|审批|核实|审(?!计)"), re.compile(r"审核|审查|审批|批准|核实|核定")),
)
# Who manages it (归谁管): beside another role asked (核定拨付的是谁？项目组织又归谁管？), the office
# a sentence gives 组织管理 to.
MANAGING = Role("组织管理", re.compile(r"归谁管|谁来管|谁管|(?:哪个|什么)部门管"),
                re.compile(r"组织管理|组织实施|组织开展|(?<!财务)管理"))
ROLES = (*_SPECIFIC, MANAGING)
# What makes a stretch of a question ask "who" (谁, 哪个部门 …), or continue the last ask with a
# new subject (省属企业呢？).
_ASKS_WHO = re.compile(r"谁|哪个|哪些|哪家|哪级|哪一级|什么部门|什么单位|什么机构|哪两|哪几")
_CONTINUES = re.compile(r"呢[？?]?$|^(?:那|又|再)")
# A stretch that asks for materials or conditions (交哪些材料, 需要什么条件) asks no office.
_ASKS_WHAT = re.compile(r"(?:哪些|什么|哪几[种项样个])(?:材料|资料|文件|手续|证明|证件|条件|表格)")
_ASK_SPLIT = re.compile(r"[，,。；;？?！!、]")


@dataclass(frozen=True)
class RoleAsk:
    role: Role
    words: str  # the stretch of the question that asks it (its subject: 省属企业呢)


def role_asks(question_match: str) -> list[RoleAsk]:
    """The roles a question asks offices for, in its order; a stretch that only changes the
    subject (省属企业呢) asks the previous role again."""
    asks: list[RoleAsk] = []
    for part in (p for p in _ASK_SPLIT.split(question_match) if p.strip()):
        if _ASKS_WHAT.search(part):
            continue  # 要交哪些材料 asks what, not to whom
        found: list[tuple[int, Role]] = []
        rest = part
        for role in ROLES:
            for m in role.asked.finditer(rest):
                found.append((m.start(), role))
            rest = role.asked.sub(lambda m: "＿" * len(m.group()), rest)
        if any(role is not MANAGING for _, role in found):
            found = [(at, role) for at, role in found if role is not MANAGING]  # 初审归谁管: who does 初审
        if found and (_ASKS_WHO.search(part) or (asks and not _ASKS_WHO.search(part))):
            for _, role in sorted(found, key=lambda x: x[0]):
                if not any(a.role is role and a.words == part for a in asks):
                    asks.append(RoleAsk(role, part))
        elif asks and _CONTINUES.search(part) and not _ASKS_WHO.search(part):
            asks.append(RoleAsk(asks[-1].role, part))
    return asks


def clause_offices(clause: Clause) -> list[str]:
    names = list(clause.offices)
    names += [f.name for f in clause.facts if isinstance(f, Office) and f.name not in names]
    return names


def states_role(sentence: str, role: Role, offices: Sequence[str]) -> bool:
    """The sentence names an office before the role word (X负责初审, 经X初核, 向X提交): the
    office is the one doing it, not one it is reported to afterwards."""
    if label := label_of(role).search(sentence):  # 初核机构：X, 受理部门：X
        return any(name in sentence[label.end():] for name in offices)
    return any(0 <= sentence.find(name) < m.start() for m in role.stated.finditer(sentence)
               for name in offices)


@lru_cache(maxsize=16)
def label_of(role: Role) -> re.Pattern[str]:
    return re.compile(rf"(?:{role.stated.pattern})(?:机构|部门|单位|机关|窗口)\s*[:：]")


# A label on a line of its own over its value (二、受理部门\n县区就业服务部门): one statement.
_LABEL_LINE = re.compile(r"(?m)^([^\n]{0,12}(?:机构|部门|单位|机关|窗口))\n")


def role_sentences(clause: Clause) -> list[str]:
    """The clause's sentences (matching form), a label on its own line joined to its value."""
    return [s.strip() for s in SENTENCE.findall(_LABEL_LINE.sub(r"\1:", clause.text_match))]


def states(clause: Clause, role: Role) -> bool:
    """Whether a sentence of the clause names an office doing ``role``."""
    offices = clause_offices(clause)
    return bool(offices) and any(states_role(s, role, offices) for s in role_sentences(clause))


def asks_offices(asks: Sequence[RoleAsk]) -> bool:
    """Whether the asks want statements of roles: two or more, or one besides 归谁管 alone
    (which asks who is responsible, as any who-question does)."""
    return bool(asks) and not (len(asks) == 1 and asks[0].role is MANAGING)
