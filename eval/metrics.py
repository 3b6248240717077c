"""Pure metric functions: each returns the score and the per-question values behind it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.clean import to_key, to_simplified


@dataclass(frozen=True)
class Retrieved:
    source_file: str
    key: str  # to_key of the clause text


def supports(clause: Retrieved, doc: str, quote: str) -> bool:
    return clause.source_file == doc and quote in clause.key


def first_full_support(ranking: Sequence[Retrieved], evidence: Sequence[tuple[str, str]],
                       limit: int = 10) -> int | None:
    """1-based rank at which every evidence item is supported by some clause so far."""
    pending = list(evidence)
    if not pending:
        return None
    for rank, clause in enumerate(ranking[:limit], start=1):
        pending = [e for e in pending if not supports(clause, *e)]
        if not pending:
            return rank
    return None


def first_support(ranking: Sequence[Retrieved], evidence: Sequence[tuple[str, str]],
                  limit: int = 10) -> int | None:
    """1-based rank of the first clause that supports any evidence item (what MRR@10 scores)."""
    for rank, clause in enumerate(ranking[:limit], start=1):
        if any(supports(clause, *e) for e in evidence):
            return rank
    return None


def recall_at(ranks: Sequence[int | None], k: int) -> float:
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks) if ranks else 0.0


def mrr(ranks: Sequence[int | None]) -> float:
    return sum(1.0 / r for r in ranks if r) / len(ranks) if ranks else 0.0


def citation_precision(cited: Sequence[Retrieved], evidence: Sequence[tuple[str, str]]) -> float | None:
    if not cited:
        return None
    good = sum(1 for c in cited if any(supports(c, *e) for e in evidence))
    return good / len(cited)


_CN_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千]+")


def _digits(found: re.Match[str]) -> str:
    from corpus.quantities import cn_number

    value = cn_number(found.group())
    return found.group() if value is None else f"{value:g}"


def fact_key(text: str) -> str:
    """A fact as the gold README compares it: t2s, NFKC, Chinese numerals read as digits on
    both sides (三年 = 3年, 一亿元 = 1亿元, 百分之五十 = 50%), only letters, digits, . and %."""
    folded = to_simplified(unicodedata.normalize("NFKC", text))
    folded = re.sub(r"百分之([零〇一二两三四五六七八九十百]+|[\d.]+)", r"\1%", folded)
    folded = _CN_NUMERAL.sub(_digits, folded)
    return re.sub(r"[^0-9A-Za-z\u3400-\u9fff.%]", "", folded)


def contains_all(answer: str, items: Sequence[str], key=to_key) -> bool:  # type: ignore[no-untyped-def]
    text = key(answer)
    return all(key(item) in text for item in items)


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low, high = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
