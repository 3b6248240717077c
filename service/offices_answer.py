"""Answers to "who" questions that need more than one clause's offices.

- A question that asks several roles (由谁初审、谁复审下达资金？ / 哪个部门认定？资金又是谁拨的？ /
  材料先交给谁？省属企业呢？) is split into its role asks; for each, the sentence of the answering
  document that names an office doing that role is quoted and cited (one statement per role).
- A short name the document defines (…就业指导中心（以下简称市高指中心）) is given with its
  full name at its first mention, citing the clause that defines it.
- A document's issuers, when its record lacks them: its own issuer lines (the header's line of
  names above the title, or the 落款 lines above the date).

Every office stated is in a cited clause: sentences are quoted, full names come from the cited
defining clause, issuers from the cited issuer line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from corpus.clean import SENTENCE, to_match
from corpus.models import Clause
from index.search import Hit
from question.places import MUNICIPALITIES, gazetteer
from question.roles import (
    Role,
    RoleAsk,
    asks_offices,
    clause_offices,
    label_of,
    role_asks,
    role_sentences,
    states_role,
)

# What an office's name ends in (as the issuer lines and definitions write it).
_UNIT = re.compile(r"(?:局|委|厅|办|部|办公室|办公厅|人民政府|政府|委员会|管委会|中心|署|院|行)$")


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


@dataclass(frozen=True)
class Statement:
    role: Role
    sentence: str
    hit: Hit


def role_statements(asks: Sequence[RoleAsk], question_match: str, hits: Sequence[Hit],
                    document: Sequence[Clause], retrieved: int = 8) -> list[Statement]:
    """For each role ask, the sentence of the document that best states an office doing it:
    among the document's retrieved hits first, then its other clauses (a procedure clause the
    question's words rank low). One statement per role ask, none repeated."""
    doc_id = document[0].doc_id if document else None
    seen = {h.clause.clause_id for h in hits[:retrieved]}
    candidates = [(h, True) for h in hits[:retrieved] if h.clause.doc_id == doc_id]
    candidates += [(Hit(c, 0.0, 0.0, 0.0, 99), False) for c in document if c.clause_id not in seen]
    q_grams = _bigrams(question_match)
    chosen: list[Statement] = []
    for ask in asks:
        ask_grams = _bigrams(ask.words)
        best: tuple[float, int, Statement] | None = None
        for order, (hit, retrieved_hit) in enumerate(candidates):
            offices = clause_offices(hit.clause)
            if not offices:
                continue
            for sentence in role_sentences(hit.clause):
                if not states_role(sentence, role := ask.role, offices):
                    continue
                score = len(_bigrams(sentence) & q_grams) + 3 * len(_bigrams(sentence) & ask_grams)
                score += 6 if retrieved_hit else 0
                # a label that says it outright: 初核机构：X
                if label_of(role).search(sentence):
                    score += 15
                if best is None or (score, -order) > (best[0], -best[1]):
                    best = (score, order, Statement(role, sentence, hit))
        if best is not None and not any(s.sentence == best[2].sentence for s in chosen):
            chosen.append(best[2])
    return chosen


# ---------------------------------------------------------------- short names

_ALIAS = re.compile(r"([\u4e00-\u9fff()（）]{4,40}?)[(（](?:以下简称|以下称|下称|简称)[“\"]?"
                    r"([\u4e00-\u9fff]{2,12})[”\"]?[)）]")
_NAME_START = re.compile(r"(?:^|[:：，,、；;。\s和及与由经向])([^:：，,、；;。\s和及与由经向]+)$")


# A definition of a short name for what is not an office name (…负责…的主管部门, 综试区).
_NOT_A_NAME = re.compile(r"的|负责|推进|设立|按照|根据")


def aliases_in(texts: Iterable[str]) -> dict[str, str]:
    """Short name -> full name, from the definitions a document makes (X（以下简称Y）)."""
    found: dict[str, str] = {}
    for text in texts:
        for m in _ALIAS.finditer(text):
            before = _NAME_START.search(m.group(1))
            full = (before.group(1) if before else m.group(1)).strip("()（）")
            short = m.group(2)
            if short != full and len(full) > len(short) and short not in found \
                    and _UNIT.search(full) and _UNIT.search(short) and not _NOT_A_NAME.search(full):
                found[short] = full
    return found


@lru_cache(maxsize=256)
def _document_aliases(clauses: tuple[Clause, ...]) -> tuple[tuple[str, str, str], ...]:
    out = []
    for clause in clauses:
        for short, full in aliases_in([clause.text_match]).items():
            out.append((short, full, clause.clause_id))
    return tuple(out)


def expand_aliases(lines: list[str], document: Sequence[Clause]) -> tuple[list[str], list[Clause]]:
    """The answer's lines with each defined short name followed, at its first mention, by its
    full name (市高指中心（广州市高校毕业生就业指导中心）); and the defining clauses, to cite."""
    by_id = {c.clause_id: c for c in document}
    defining: list[Clause] = []
    done: set[str] = set()
    out = list(lines)
    for short, full, clause_id in _document_aliases(tuple(document)):
        if short in done or any(full in line for line in out):
            continue
        for i, line in enumerate(out):
            at = line.find(short)
            if at >= 0:
                out[i] = f"{line[:at + len(short)]}（{full}）{line[at + len(short):]}"
                done.add(short)
                if by_id[clause_id] not in defining:
                    defining.append(by_id[clause_id])
                break
    return out, defining


# ---------------------------------------------------------------- issuers


def _issuer_names(line: str) -> list[str]:
    """The office names a line of the original text holds, space-separated; none when any
    piece is not one."""
    names = [to_match(p) for p in re.split(r"[\s、]+", line.strip()) if p]
    if names and all(4 <= len(n) <= 30 and _UNIT.search(n) and re.fullmatch(r"[\u4e00-\u9fff()]+", n)
                     for n in names):
        return names
    return []


_DATE_LINE = re.compile(r"^[\d〇○零一二三四五六七八九十]{2,4}年[\d一二三四五六七八九十]{1,2}月"
                        r"[\d一二三四五六七八九十]{1,3}日")


def issuer_clause(document: Sequence[Clause]) -> tuple[Clause, list[str]] | None:
    """The document's own line of issuers: a clause before its body made only of office names
    (广州市XX局 广州市YY局 中共ZZ部, the header above 关于…的通知), else the 落款 lines right
    above a date."""
    ordered = sorted(document, key=lambda c: c.ordinal)
    body = next((i for i, c in enumerate(ordered) if c.numbered), len(ordered))
    for clause in ordered[:body]:
        lines = [line for line in clause.text.splitlines() if line.strip()]
        if lines and (names := [n for line in lines for n in _issuer_names(line)]) and \
                all(_issuer_names(line) for line in lines):
            return clause, names
    for clause in reversed(ordered):
        lines = [line.strip() for line in clause.text.splitlines() if line.strip()]
        for i, line in enumerate(lines):
            if _DATE_LINE.match(line) and i > 0:
                names = []
                for above in reversed(lines[:i]):
                    found = _issuer_names(above)
                    if not found:
                        break
                    names = found + names
                if names:
                    return clause, names
    return None


# ---------------------------------------------------------------- composition

def answer_roles(question_match: str, hits: Sequence[Hit], document: Sequence[Clause],
                 cited: Sequence[Hit] = (), asks: Sequence[RoleAsk] | None = None
                 ) -> tuple[list[str], list[Hit]] | None:
    """A question that asks two roles or more, or one role that no clause in ``cited`` states
    with its office (哪个部门受理？ answered by a clause that names none): one quoted sentence
    per role, each cited. None when the question asks no role, one the cited clauses state,
    or one the document states nowhere."""
    asks = role_asks(question_match) if asks is None else asks  # ``Query.roles``, parsed once
    if not asks_offices(asks):
        return None  # 归谁管 alone asks who is responsible, as any who-question does
    if len(asks) == 1 and any(
            states_role(sentence.strip(), asks[0].role, clause_offices(h.clause))
            for h in cited for sentence in SENTENCE.findall(h.clause.text_match)):
        return None
    statements = role_statements(asks, question_match, hits, document)
    if not statements:
        return None
    used: list[Hit] = []
    lines = []
    for statement in statements:
        hit = next((h for h in used if h.clause.clause_id == statement.hit.clause.clause_id), None)
        if hit is None:
            used.append(hit := statement.hit)
        lines.append(f"{statement.sentence.rstrip('。；;')}[{used.index(hit) + 1}]。")
    return lines, used


def with_full_names(lines: list[str], cited: list[Hit], document: Sequence[Clause]
                    ) -> tuple[list[str], list[Hit]]:
    """Short names the document defines, given with their full names (cited where defined)."""
    expanded, defining = expand_aliases(lines, document)
    if not defining:
        return lines, cited
    cited = list(cited)
    for clause in defining:
        if all(h.clause.clause_id != clause.clause_id for h in cited):
            cited.append(Hit(clause, 0.0, 0.0, 0.0, 99))
    marks = {c.clause_id: next(i for i, h in enumerate(cited, 1) if h.clause.clause_id == c.clause_id)
             for c in defining}
    # the defining clause's mark goes with the full name it gives
    out = []
    for line in expanded:
        for short, full, clause_id in _document_aliases(tuple(document)):
            if clause_id in marks:
                line = line.replace(f"{short}（{full}）", f"{short}（{full}[{marks[clause_id]}]）", 1)
        out.append(line)
    return out, cited


# The level an office works at, from how its name begins: 市外经贸局, 大连市财政局 (a city's),
# 区商务局 (a district's), 省工业和信息化厅 (a province's). 市场监督管理局 names no level.
_OFFICE_LEVEL = re.compile(r"^(?:[\u4e00-\u9fff]{2,7}?)?(?P<level>省|市|区|县|州|旗)(?!场|域|民|级)")
_COUNTY = frozenset("区县旗")


def office_level(name: str) -> str | None:
    """省, 市 or 县 (a district or county) for an office name that says its level."""
    m = _OFFICE_LEVEL.match(name)
    if not m:
        return None
    level = m.group("level")
    return "县" if level in _COUNTY else "市" if level == "州" else level


def asked_level(question_match: str, places: Sequence[str]) -> str | None:
    """The level of the one place a question names: as it writes it (大连市, 甘井子区), else as
    the gazetteer knows it (大连 a city, 越秀 a district, 辽宁 a province)."""
    if len(places) != 1:
        return None
    place = places[0]
    written = re.search(rf"{re.escape(place)}(省|市|区|县|旗)", question_match)
    if written:
        return "县" if written.group(1) in _COUNTY else written.group(1)
    g = gazetteer()
    if place in g.province or place in MUNICIPALITIES:
        return "市"
    if place in g.counties:
        return "县"
    return "省" if place in g.names else None
