"""Which words of a question are places: jieba tags words ``ns`` by its dictionary, and some
of those are common words (东西, 中外). A place counts when the question writes it with an
administrative suffix (南山区, 龙岩市), or it is a provincial- or prefecture-level name
(question/data/places.txt, general knowledge), or an indexed document's title or issuer names
it (the catalogue). The gazetteer also knows a city's province and common short names
(呼市 = 呼和浩特), so a question about 佛山 is not refused where 广东's documents are indexed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from corpus.tokenize import tagged_places


@dataclass(frozen=True)
class Gazetteer:
    names: frozenset[str]  # every province, city and alias
    province: dict[str, str]  # city -> its province
    full: dict[str, str]  # alias -> the name documents write

    def forms(self, name: str) -> tuple[str, ...]:
        """How documents may write a place a question names, and the province it lies in."""
        full = self.full.get(name, name)
        return tuple(dict.fromkeys(f for f in (name, full, self.province.get(full)) if f))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    text = resources.files("question").joinpath("data/places.txt").read_text(encoding="utf-8")
    names: set[str] = set()
    province: dict[str, str] = {}
    full: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "=" in line:
            short, _, long = (part.strip() for part in line.partition("="))
            full[short] = long
            names.add(short)
            continue
        head, _, rest = line.partition(":")
        names.add(head.strip())
        for city in rest.split():
            names.add(city)
            province[city] = head.strip()
    return Gazetteer(frozenset(names), province, full)


def asked_places(q_match: str, known: Iterable[str] = ()) -> tuple[str, ...]:
    """The places a (matching-form) question names, without their suffixes; ``known``: the
    places the indexed documents' titles and issuers name."""
    known = set(known)
    names = gazetteer().names
    return tuple(name for name, suffixed in tagged_places(q_match)
                 if suffixed or name in names or name in known)


def covered(place: str, corpus_text: str) -> bool:
    """Whether the indexed texts mention ``place``, by any form or by its province."""
    return any(form in corpus_text for form in gazetteer().forms(place))
