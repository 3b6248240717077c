"""Cantonese askers' words in Mandarin, so that one parser reads both.

Askers from Hong Kong and Macau write as they speak (我符唔符合申請條件, 打邊個號碼, 有冇補貼),
while the documents, theirs included, are in standard written Chinese. Each word here is
Cantonese only (唔, 冇, 嘅, 邊個…), so rewriting it never changes a Mandarin question. Matching
form: simplified, NFKC.
"""

from __future__ import annotations

import re

# Longer words first: 有冇 before 冇.
_WORDS = (("系唔系", "是不是"), ("系咪", "是不是"), ("有冇", "有没有"), ("冇", "没有"), ("唔", "不"),
          ("嘅", "的"), ("咗", "了"), ("喺", "在"), ("佢哋", "他们"), ("佢", "他"), ("哋", "们"),
          ("边个", "哪个"), ("边度", "哪里"), ("边间", "哪家"), ("乜嘢", "什么"), ("咩", "什么"),
          ("几多", "多少"), ("点样", "怎样"), ("点解", "为什么"), ("俾", "给"), ("畀", "给"))
_CANTONESE = re.compile("|".join(re.escape(w) for w, _ in _WORDS))
_MANDARIN = dict(_WORDS)


def mandarin(match: str) -> str:
    """``match`` (matching form) with its Cantonese words in Mandarin: 符唔符合 → 符不符合."""
    return _CANTONESE.sub(lambda m: _MANDARIN[m.group(0)], match)
