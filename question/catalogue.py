"""What a question can name: the indexed documents' 文号, titles and places.

Built once per index generation from its manifest's document records (``Catalogue.of``), read
by ``question.query.parse``. Keys are in ``to_key`` form (matching form without spaces and
punctuation), so 《》, brackets and spacing do not matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from corpus.clean import to_key, to_match
from corpus.meta import DOC_NUMBER
from corpus.tokenize import places

BOOK_TITLE = re.compile(r"《([^》]{4,80})》")  # a title in 《》, as askers and texts quote one
_ASKING = re.compile(r"^(?:请问|问一下|关于|根据|按照|依据|对于|查询|查一下|查|看看|看)+")
TITLE_MIN = 8  # characters of a title (from 关于 on) a question must repeat to name its document
_NATIONAL = "中华人民共和国"
NATIONAL_MIN = 5  # 劳动合同法, 中小企业促进法: a national law's name without its country, long enough to be one


@dataclass(frozen=True)
class DocumentRefs:
    documents: frozenset[str] = frozenset()  # indexed documents the question names by 文号 or title
    unknown_numbers: tuple[str, ...] = ()  # 文号 it names that no indexed document has


@dataclass(frozen=True)
class Catalogue:
    doc_keys: Mapping[str, tuple[str, str]]  # doc id -> (文号, title) as to_key
    by_number: Mapping[str, frozenset[str]]  # 文号 as to_key -> doc ids
    title_cores: tuple[tuple[str, str], ...]  # (doc id, title from 关于 on) long enough to name it
    doc_places: Mapping[str, tuple[str, ...]]  # places named in title and issuer

    @classmethod
    def of(cls, documents: Iterable[Mapping[str, Any]]) -> Catalogue:
        documents = list(documents)
        doc_keys = {d["doc_id"]: (to_key(d.get("doc_number") or ""), to_key(d.get("title") or ""))
                    for d in documents}
        by_number: dict[str, set[str]] = {}
        for doc, (number, _) in doc_keys.items():
            if number:
                by_number.setdefault(number, set()).add(doc)
        title_cores = tuple((doc, core) for doc, (_, title) in doc_keys.items()
                            if len(core := title.split("关于", 1)[-1]) >= TITLE_MIN)
        # a national law is named without its country (中小企业促进法 for 中华人民共和国中小企业促进法)
        title_cores += tuple((doc, short) for doc, (_, title) in doc_keys.items()
                             if title.startswith(_NATIONAL)
                             and len(short := title.removeprefix(_NATIONAL)) >= NATIONAL_MIN)
        doc_places = {
            d["doc_id"]: tuple(places(to_match(f"{d.get('title') or ''} {d.get('issuer') or ''}")))
            for d in documents}
        return cls(doc_keys, {k: frozenset(v) for k, v in by_number.items()}, title_cores,
                   doc_places)

    @property
    def places(self) -> frozenset[str]:
        """Every place the documents' titles and issuers name."""
        return frozenset(p for found in self.doc_places.values() for p in found)

    def refs(self, q_match: str) -> DocumentRefs:
        """Documents a question names by 文号 or by title (in 《》, or from 关于… on, unquoted)."""
        found: set[str] = set()
        unknown: list[str] = []
        for match in DOC_NUMBER.finditer(q_match):
            number = to_key(match.group())
            # the pattern may take in words before the issuer's abbreviation: try each suffix
            hits = next((self.by_number[number[i:]] for i in range(len(number))
                         if number[i:] in self.by_number), frozenset())
            found |= hits
            if not hits:
                unknown.append(_ASKING.sub("", match.group().strip()))
        q_key = to_key(q_match)
        found |= {doc for doc, core in self.title_cores if core in q_key}
        for quoted in (to_key(t) for t in BOOK_TITLE.findall(q_match)):
            if len(quoted) >= TITLE_MIN:
                found |= {doc for doc, (_, title) in self.doc_keys.items() if quoted in title}
            elif len(quoted) >= 4:  # a short title in 《》 names the text whose title it is
                found |= {doc for doc, (_, title) in self.doc_keys.items() if quoted == title}
        return DocumentRefs(frozenset(found), tuple(unknown))

    def named_by_place(self, asked: Iterable[str]) -> frozenset[str]:
        """Documents whose title or issuer names a place the question names; empty when it
        names none, or names places every document shares (then the place does not
        discriminate)."""
        asked = set(asked)
        if not asked:
            return frozenset()
        named = {doc for doc, found in self.doc_places.items() if asked & set(found)}
        return frozenset(named) if len(named) < len(self.doc_places) else frozenset()


EMPTY = Catalogue({}, {}, (), {})
