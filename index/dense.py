"""The FAISS side: build, save, load and filtered inner-product search over unit vectors.

Exact search (``IndexFlatIP``) up to ``EXACT_LIMIT`` vectors; past that an HNSW graph
(``IndexHNSWFlat``, M=32, efSearch=128), which keeps p95 search well under 50 ms at 1M vectors
on two cores where exact search would not.
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

EXACT_LIMIT = 50_000
HNSW_M = 32
HNSW_EF_SEARCH = 128


def build(vectors: np.ndarray) -> faiss.Index:
    dim = vectors.shape[1]
    if len(vectors) <= EXACT_LIMIT:
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def save(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load(path: Path) -> faiss.Index:
    # Read into memory rather than mmap: a file replaced or truncated under a reader must not
    # be able to kill the serving process (SIGBUS).
    index = faiss.read_index(str(path))
    if isinstance(index, faiss.IndexHNSW):
        index.hnsw.efSearch = HNSW_EF_SEARCH
    return index


def search(index: faiss.Index, query: np.ndarray, k: int,
           allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(scores, row ids) of the best ``k`` rows, optionally only among ``allowed`` row ids."""
    k = max(1, min(k, index.ntotal))
    params = None
    if allowed is not None:
        if len(allowed) == 0:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        selector = faiss.IDSelectorBatch(np.ascontiguousarray(allowed, dtype=np.int64))
        params = (faiss.SearchParametersHNSW(sel=selector, efSearch=max(HNSW_EF_SEARCH, k))
                  if isinstance(index, faiss.IndexHNSW) else faiss.SearchParameters(sel=selector))
    scores, ids = index.search(np.ascontiguousarray(query[None, :], dtype=np.float32), k,
                               params=params)
    keep = ids[0] >= 0
    return scores[0][keep], ids[0][keep]
