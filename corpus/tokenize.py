"""Query and clause tokens for BM25: jieba (search mode) over the matching form, with a policy
user dictionary and stop words.

Owns the vocabulary side of retrieval. Text must already be in matching form (simplified,
NFKC); the tokenizer does not convert scripts.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from importlib import resources

_WORD = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    text = resources.files("corpus").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _tokenizer() -> object:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    with resources.as_file(resources.files("corpus").joinpath("data/userdict.txt")) as path:
        tokenizer.load_userdict(str(path))
    tokenizer.initialize()
    return tokenizer


def tokenize(text: str) -> list[str]:
    """Search-mode words (a long word also yields its dictionary sub-words), lower-cased,
    without punctuation and stop words."""
    return list(_tokenize(text))


# Answer composition tokenises the same clause sentences for many questions; jieba's DAG is
# most of a query's non-embedding time, so results are cached (bounded).
# Policy documents write "counties, cities and districts" as 县(市、区) / 区、县(市); people type
# 县市区 / 区县市. One form for both sides.
_ADMIN_LEVELS = re.compile(r"([县区市])\(([县区市])、([县区市])\)|([县区市])、([县区市])\(([县区市])\)")


def fold_admin_levels(text: str) -> str:
    return _ADMIN_LEVELS.sub(lambda m: "".join(g for g in m.groups() if g), text)


@lru_cache(maxsize=50_000)
def _tokenize(text: str) -> tuple[str, ...]:
    text = fold_admin_levels(text)
    tokenizer = _tokenizer()
    with _lock:  # jieba's lazy structures are not safe to build from several threads at once
        words = list(tokenizer.cut_for_search(text))  # type: ignore[attr-defined]
    stop = _stopwords()
    return tuple(w.lower() for w in words if _WORD.search(w) and w not in stop and w.strip())


_SUFFIXES = frozenset({"省", "市", "县", "区", "州", "镇", "乡", "自治区", "自治州", "地区", "新区"})
_PLACE_SUFFIX = re.compile(r"(?<=..)(?:省|市|自治区|区|县)$")


@lru_cache(maxsize=10_000)
def tagged_words(text: str) -> tuple[tuple[str, str], ...]:
    """(word, part-of-speech tag) by jieba's default dictionary, which knows place names."""
    import jieba.posseg

    with _lock:
        return tuple((w.word, w.flag) for w in jieba.posseg.cut(text, HMM=False))  # HMM costs 2 ms


def word_frequency(word: str) -> int:
    """How often jieba's default dictionary saw ``word``: a common word (和平, 长安) is not taken
    for the place of the same name unless tagged or suffixed as one."""
    import jieba

    with _lock:
        jieba.dt.check_initialized()
    return int(jieba.dt.FREQ.get(word) or 0)


def places(text: str) -> list[str]:
    """Place names (jieba's ``ns`` tag) in matching-form text, without a trailing 省/市/区/县 so
    that 滨州市 in a title and 滨州 in a question meet."""
    return [name for name, _ in tagged_places(text)]


@lru_cache(maxsize=10_000)
def tagged_places(text: str) -> tuple[tuple[str, bool], ...]:
    """(place name without its suffix, whether the text wrote the suffix) for each word jieba
    tags ``ns``. jieba's tag is a guess (it tags 东西 ``ns``): callers that must not mistake a
    word for a place check the name (question.places)."""
    words = tagged_words(text)
    found: list[tuple[str, bool]] = []
    for n, (word, flag) in enumerate(words):
        if flag == "ns" and len(word) >= 2:
            name = _PLACE_SUFFIX.sub("", word)
            # the suffix may be a word of its own (柳河 | 县)
            suffixed = name != word or (n + 1 < len(words) and words[n + 1][0] in _SUFFIXES)
            if name not in (seen[0] for seen in found):
                found.append((name, suffixed))
    return tuple(found)
