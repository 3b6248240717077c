"""The BM25 side (bm25s) over jieba tokens of each clause's matching form."""

from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np


def build(token_lists: list[list[str]]) -> bm25s.BM25:
    retriever = bm25s.BM25(k1=1.2, b=0.75)
    # bm25s rejects an empty corpus row; a lone placeholder keeps row numbers aligned.
    retriever.index([tokens or ["\u2400"] for tokens in token_lists], show_progress=False)
    return retriever


def save(retriever: bm25s.BM25, directory: Path) -> None:
    retriever.save(str(directory), show_progress=False)


def load(directory: Path) -> bm25s.BM25:
    return bm25s.BM25.load(str(directory), show_progress=False)


def scores(retriever: bm25s.BM25, tokens: list[str]) -> np.ndarray:
    """BM25 score of every clause for the query tokens (zeros when none is in the vocabulary)."""
    known = [t for t in tokens if t in retriever.vocab_dict]
    if not known:
        return np.zeros(retriever.scores["num_docs"], dtype=np.float32)
    return np.asarray(retriever.get_scores(known), dtype=np.float32)
