"""The words of the fact extractor: vocabularies of Chinese official documents, as data.

Owns loading ``data/facts.json`` (subjects of conditions, kinds of support, titles an enterprise
holds, office and contact labels) and the word patterns built from it. Knows no grammar: the
rules that use the words are in ``amounts.py``, ``support.py`` and ``extract_facts.py``.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def vocab() -> dict[str, Any]:
    text = resources.files("corpus").joinpath("data/facts.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def patterns() -> dict[str, re.Pattern[str]]:
    v = vocab()
    subjects = {w: s for s, words in v["subjects"].items() for w in words}
    kinds = {w: k for k, words in v["support_kinds"].items() for w in words}
    titles = {w: t for t, words in v["titles"].items() for w in words}
    return {
        "subject": re.compile(alternation(list(subjects))),
        "kind": re.compile(alternation(list(kinds))),
        "title": re.compile(alternation(list(titles))),
        "title_trigger": re.compile(alternation(v["title_triggers"])),
    }


def lookup(table: str, word: str) -> str:
    return next(k for k, words in vocab()[table].items() if word in words)
