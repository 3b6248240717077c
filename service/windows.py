"""Time in eligibility: dated windows (2024年10月18日至2026年12月31日期间, 2019年8月5日以来,
截至…前) and commitments over years (承诺5年内不迁离高新区) held against what an asker says
(9月底签的合同, 2019年6月卖出去的, 三年后想迁到郑州).

Owns which dates of a question belong to the event a window bounds (签订, 发票, 付款, 购置,
销售, 注册, 投产…: a window on invoices does not judge a founding date) and the acts a
commitment forbids (迁离, 注销, 转让, 改变用途) in the clause's words and the asker's.
Returns ``(status, the clause's words, the asker's words)`` like ``service.bounds``; sentences
and questions are in matching form.
"""

from __future__ import annotations

import re

from question.numbers import NUM, DateSpan, dates, number
from service.terms import official, shared, weight

Found = tuple[str, str, str]
_PHRASE = re.compile(r"[^,，、:：]+")

# ------------------------------------------------------------------ commitment
_ACTS = {"迁离": r"迁离|迁出|迁移|搬离|迁往|外迁|变更注册地|注册地迁", "注销": r"注销|撤销|撤离",
         "转让": r"转让|出售|转卖|卖掉",
         "改变用途": r"改变[^,;。]{0,4}用途|挪作他用|改作他用|改变[^,;。]{0,4}性质"}
# how askers say the same acts (改成仓库出租 changes a use)
_SAID_ACTS = {"迁离": r"迁离", "注销": r"注销|关掉|关门", "转让": r"转让|卖给|转给|卖掉",
              "改变用途": r"改成|改为|改作|改做|挪作|挪用|出租|转租"}
_COMMIT = re.compile(rf"(?P<n>{NUM})年(?:内|以内|之内)(?:[^,;。]{{0,8}}?)(?:不得?|不会|禁止)?"
                     rf"(?:[^,;。]{{0,4}}?)(?P<act>{'|'.join(_ACTS.values())})")
_ELAPSED = re.compile(rf"(?:(?P<a>{NUM})年(?:后|以后|之后|了|多)|过(?P<b>{NUM})年|第(?P<c>{NUM})年|"
                      rf"满(?P<d>{NUM})年|(?P<e>{NUM})年期满)")


# 迁到/搬到 Y names where a move goes: into the place the commitment binds, it does not leave it.
_INTO = re.compile(r"(?:迁到|迁往|迁去|迁入|迁来|搬到|搬去|搬来|挪到)(?P<to>[^,，。;；!！?？]{0,12})")


def _moves_in(told: str, bound: str) -> bool:
    """The asker's move goes into ``bound``, the place the sentence forbids leaving (迁到新乡高新区
    against 不迁离高新区; 迁到郑州 leaves it)."""
    m = _INTO.search(told)
    if not m or not bound or re.search(r"迁离|迁出|搬离|搬出|搬走|迁走|外迁", told):
        return False
    return weight(shared(bound, m.group("to"))) >= 1


def commitment(sentence: str, told: str) -> Found | None:
    """承诺N年内不迁离… against a stated move: within the years → not_met, after them or told as
    not happening (没有迁走的打算) → met."""
    m = _COMMIT.search(sentence)
    if not m or not re.search(r"承诺|不得|不迁|退还|追回|收回", sentence):
        return None
    years = number(m.group("n"))
    act = next(k for k, p in _ACTS.items() if re.fullmatch(p, m.group("act")))
    said = official(told)
    stated = re.search(f"{_ACTS[act]}|{_SAID_ACTS[act]}", said)
    if not stated or years is None:
        return None
    bound = re.match(r"[^,;。或和及、]{0,12}", sentence[m.end():])
    if act == "迁离" and _moves_in(told, bound.group(0) if bound else ""):
        # 迁到高新区: a move into the place the commitment binds keeps it
        into = _INTO.search(told)
        assert into is not None
        return "met", m.group(0), told[max(0, into.start() - 6):into.end()]
    if re.search(r"(?:不|没有|不会|没)(?:打算|想|准备)?$", said[max(0, stated.start() - 4):stated.start()]):
        return "met", m.group(0), said[max(0, stated.start() - 6):stated.end()]
    elapsed = [number(next(g for g in e.groups() if g)) for e in _ELAPSED.finditer(said)]
    elapsed_years = [e for e in elapsed if e is not None]
    required = sentence[max(0, m.start() - 6):m.end()]
    stated_words = said[max(0, stated.start() - 10):stated.end() + 6]
    if elapsed_years and max(elapsed_years) >= years:
        return "met", required, stated_words
    return "not_met", required, stated_words


# ------------------------------------------------------------------ window
_EVENTS = {"签订": r"签订|签署|签约|合同", "发票": r"发票|开票|开具", "付款": r"付款|支付|到账|到款|付的",
           "购置": r"购置|购买|采购|买", "销售": r"销售|售|卖", "注册": r"注册|成立|设立|登记|落户|迁入",
           "投产": r"投产|建成|竣工|开工|投用|运营|开业|施工", "认定": r"认定|获评|评为|评上|入选",
           "申报": r"申报|申请|提交|报送", "毕业": r"毕业", "入职": r"入职|招用|录用|聘用"}
_VALIDITY = re.compile(r"施行|实施|有效期|印发|发布|废止|执行|起算")


def _events(text: str) -> set[str]:
    return {k for k, p in _EVENTS.items() if re.search(p, text)}


def _windows(sentence: str) -> list[tuple[DateSpan | None, DateSpan | None]]:
    found: list[tuple[DateSpan | None, DateSpan | None]] = []
    ds = dates(sentence)
    skip = False
    for i, d in enumerate(ds):
        if skip:
            skip = False
            continue
        nxt = ds[i + 1] if i + 1 < len(ds) else None
        after, before = sentence[d.end:d.end + 6], sentence[max(0, d.start - 5):d.start]
        if nxt and re.fullmatch(r"(?:\(含\))?(?:至|到|-|—|–|~|～|起至)-?", sentence[d.end:nxt.start]):
            found.append((d, nxt))
            skip = True
        elif re.match(r"(?:\(含\))?(?:以来|以后|之后|后|起)", after):
            found.append((d, None))
        elif re.match(r"(?:\(含\))?(?:以前|之前|前|止)", after) or \
                re.search(r"(?:截至|截止(?:到|至)?|不晚于|不迟于)$", before):
            found.append((None, d))
    return found


def window(sentence: str, question: str) -> Found | None:
    """A dated window against the asker's dates of the same event: a date outside → not_met,
    inside → met; a date partly inside, or of another event, decides nothing."""
    if _VALIDITY.search(sentence):
        return None
    windows = _windows(sentence)
    if not windows:
        return None
    events = _events(sentence)
    statuses: list[tuple[str, str]] = []
    for phrase in _PHRASE.finditer(question):
        text = phrase.group(0)
        for d in dates(text):
            said = _events(text)
            bare_year = d.lo.month == 1 and d.lo.day == 1 and d.hi.month == 12 and d.hi.day == 31
            if (bare_year and not said) or (said and events and not said & events) or \
                    (events and not said):
                continue
            for lo, hi in windows:
                start, end = (lo.lo if lo else None), (hi.hi if hi else None)
                if (start and d.hi < start) or (end and d.lo > end):
                    statuses.append(("not_met", text))
                elif (not start or d.lo >= start) and (not end or d.hi <= end):
                    statuses.append(("met", text))
    if not statuses:
        return None
    failing = [s for s in statuses if s[0] == "not_met"]
    required = next((p.group(0) for p in _PHRASE.finditer(sentence) if dates(p.group(0))), sentence)
    if failing:
        return "not_met", required, failing[0][1]
    return "met", required, statuses[0][1]
