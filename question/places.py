"""Which words of a question are places: jieba tags words ``ns`` by its dictionary, and some
of those are common words (东西, 中外). A place counts when the question writes it with an
administrative suffix (南山区, 龙岩市), or it is a provincial- or prefecture-level name
(question/data/places.txt, general knowledge), or an indexed document's title or issuer names
it (the catalogue)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from corpus.tokenize import tagged_places


@lru_cache(maxsize=1)
def gazetteer() -> frozenset[str]:
    text = resources.files("question").joinpath("data/places.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def asked_places(q_match: str, known: Iterable[str] = ()) -> tuple[str, ...]:
    """The places a (matching-form) question names, without their suffixes; ``known``: the
    places the indexed documents' titles and issuers name."""
    known = set(known)
    names = gazetteer()
    return tuple(name for name, suffixed in tagged_places(q_match)
                 if suffixed or name in names or name in known)
