"""Query expansion from the genre's vocabulary (question/data/expansions.json, versioned):
the words policy documents write for what an asker says colloquially (找谁 → 责任单位, 牵头)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from corpus.tokenize import tokenize


@dataclass(frozen=True)
class Vocabulary:
    version: str
    groups: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]  # (asked phrases, written words)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = json.loads(resources.files("question").joinpath("data/expansions.json")
                      .read_text(encoding="utf-8"))
    return Vocabulary(data["version"], tuple((tuple(g["asked"]), tuple(g["written"]))
                                             for g in data["groups"]))


def expansions(q_match: str, tokens: tuple[str, ...]) -> tuple[str, ...]:
    """BM25 words to add to ``tokens``: those of every group whose asked phrase the
    (matching-form) question contains, tokenised as clauses are, without words it has."""
    have = set(tokens)
    added: list[str] = []
    for asked, written in vocabulary().groups:
        if any(phrase in q_match for phrase in asked):
            for word in written:
                for token in tokenize(word):
                    if token not in have:
                        have.add(token)
                        added.append(token)
    return tuple(added)
