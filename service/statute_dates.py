"""When a law or regulation was passed, promulgated, put in force and amended, read from its own
lines: the header a statute opens with (「2002年6月29日…会议通过」「2017年9月1日…会议修订」
「2019年10月22日中华人民共和国国务院令第722号公布」) and its closing article (本法自…起施行).

A question may ask one of these events or several (什么时候通过、什么时候施行；第几号令公布的？
哪天起施行？；后来修改过吗？); each asked one is answered by the line that states it, cited. A
year that names the version (2017年修订的…法, 2020年通过的…条例) asks nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.clean import to_match
from corpus.models import Clause

# What the question calls each event, and how a statute's own line states it.
_ASKED = {
    "通过": re.compile(r"通过"),
    "公布": re.compile(r"公布|颁布|发布|几号令"),
    "施行": re.compile(r"施行|实施|生效"),
    "修改": re.compile(r"修改|修订|修正|改过|改了|原来的文本|原文本"),
}
# The phrase asks when (or, for an amendment, whether or how often) it happened.
_WHEN = re.compile(r"什么时候|什么时间|哪天|哪一天|何时|哪年|哪一年|几月|几号|日期|第几号|几号令")
_WHETHER = re.compile(r"吗|几次|有没有|是否|多少次|什么时候|哪年|哪一年|还是")
# 2017年修订的…, 2020年通过的…: the year names which version is meant.
_VERSION = re.compile(r"\d{4}年(?:版)?$")
_PHRASE = re.compile(r"[^，,。；;！!？?\n、]+")
# A header line: a full date, then who did it, then the event (通过, 修订, 第一次修正, 公布).
_LINE = re.compile(r"^[(（]?(\d{4}年\d{1,2}月\d{1,2}日)[^。\n]{0,120}?(通过|公布|发布|修订|修正)[)）]?\s*$")
_IN_FORCE_ON = re.compile(r"自\d{4}年\d{1,2}月\d{1,2}日起(?:施行|实施)")
_IN_FORCE = re.compile(rf"[^。；;\n]*{_IN_FORCE_ON.pattern}[^。；;\n]*")
_EVENT_OF = {"通过": "通过", "公布": "公布", "发布": "公布", "修订": "修改", "修正": "修改"}


@dataclass(frozen=True)
class Statement:
    """One event as the statute states it: the event, the sentence, the clause it is in."""

    event: str
    sentence: str
    clause: Clause


def asked_events(own_match: str) -> list[str]:
    """The events the question asks about, in the question's order."""
    found: list[tuple[int, str]] = []
    for phrase in _PHRASE.finditer(own_match):
        text = phrase.group()
        for event, pattern in _ASKED.items():
            for word in pattern.finditer(text):
                if _VERSION.search(text[:word.start()]):
                    continue  # 2017年修订的中小企业促进法: which version, not what is asked
                asks = _WHETHER if event == "修改" else _WHEN
                if asks.search(text):
                    found.append((phrase.start() + word.start(), event))
                    break
    return list(dict.fromkeys(event for _, event in sorted(found)))


def statements(clauses: Sequence[Clause]) -> list[Statement]:
    """Every event a document's clauses state, in the document's order."""
    found: list[Statement] = []
    for clause in clauses:
        for line in clause.text_match.splitlines():
            line = line.strip()
            if match := _LINE.match(line):
                found.append(Statement(_EVENT_OF[match.group(2)], line.strip("()（） "), clause))
            elif match := _IN_FORCE.search(line):
                found.append(Statement("施行", match.group().strip(), clause))
    return found


def answer_lines(events: Sequence[str], stated: Sequence[Statement],
                 title: str) -> tuple[str, list[Clause]] | None:
    """One sentence answering each asked event the document states (the latest amendment for
    修改, whose line says which it is: 第三次修正), with the clauses it cites; None when the
    document states none of them."""
    parts: list[str] = []
    cited: list[Clause] = []
    for event in events:
        own = [s for s in stated if s.event == event]
        if not own:
            continue
        statement = own[-1] if event == "修改" else own[0]
        if statement.clause not in cited:
            cited.append(statement.clause)
        mark = f"[{cited.index(statement.clause) + 1}]"
        sentence = statement.sentence.rstrip("。；;")
        if event == "施行":
            said = _IN_FORCE_ON.search(sentence)
            sentence = said.group() if said else sentence
        elif event == "修改":
            sentence = f"最近一次修改为{sentence}"
        parts.append(f"{'' if parts else f'《{to_match(title)}》'}{sentence}{mark}")
    if not parts:
        return None
    return "；".join(parts) + "。", cited
