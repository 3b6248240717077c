"""The FAISS side: build, save, load and filtered inner-product search over unit vectors.

Exact search (``IndexFlatIP``) up to ``EXACT_LIMIT`` vectors. Past that an inverted file
(``IndexIVFFlat``, nlist = 2·√N lists trained on a sample, ``NPROBE`` lists searched): 1M
vectors build in ~40 s on two cores, where an HNSW graph of them had not finished after 25
minutes, and p95 search stays well under 50 ms (see the README's benchmark). A filtered search whose
allowed set is small is done exactly by the caller over the stored vectors, so selective filters
never lose recall to unprobed lists.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import faiss
import numpy as np

EXACT_LIMIT = 50_000
NPROBE = 32
TRAIN_PER_LIST = 40  # faiss's k-means wants at least ~39 points per list


def index_type(count: int) -> str:
    return "flat" if count <= EXACT_LIMIT else "ivf"


def build(vectors: np.ndarray, seed: int = 0) -> faiss.Index:
    count, dim = vectors.shape
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    index: Any  # faiss's stubs type each index class apart
    if index_type(count) == "flat":
        index = faiss.IndexFlatIP(dim)
    else:
        nlist = int(2 * math.sqrt(count))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
        sample = np.random.default_rng(seed).choice(count, min(count, nlist * TRAIN_PER_LIST),
                                                    replace=False)
        index.train(vectors[np.sort(sample)])
        index.nprobe = NPROBE
    index.add(vectors)
    return index


def save(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load(path: Path) -> faiss.Index:
    # Read into memory rather than mmap: a file replaced or truncated under a reader must not
    # be able to kill the serving process (SIGBUS).
    index = faiss.read_index(str(path))
    if isinstance(index, faiss.IndexIVF):
        index.nprobe = NPROBE
    return index


def search(index: faiss.Index, query: np.ndarray, k: int,
           allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(scores, row ids) of the best ``k`` rows, optionally only among ``allowed`` row ids."""
    k = max(1, min(k, index.ntotal))
    params: Any = None  # faiss's stubs do not know the parameters' keywords
    if allowed is not None:
        if len(allowed) == 0:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        selector = faiss.IDSelectorBatch(np.ascontiguousarray(allowed, dtype=np.int64))
        make: Any = faiss.SearchParametersIVF if isinstance(index, faiss.IndexIVF) \
            else faiss.SearchParameters
        params = make(sel=selector, nprobe=NPROBE) if isinstance(index, faiss.IndexIVF) \
            else make(sel=selector)
    scores, ids = index.search(np.ascontiguousarray(query[None, :], dtype=np.float32), k,
                               params=params)
    keep = ids[0] >= 0
    return scores[0][keep], ids[0][keep]


def exact(vectors: np.ndarray, rows: np.ndarray, query: np.ndarray,
          k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact top ``k`` among ``rows`` of the stored vectors (a selective filter's search)."""
    scores = vectors[rows] @ query
    k = min(k, len(rows))
    top = np.argpartition(-scores, k - 1)[:k] if k < len(rows) else np.arange(len(rows))
    top = top[np.argsort(-scores[top])]
    return scores[top].astype(np.float32), rows[top]
