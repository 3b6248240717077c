"""The Milvus backend: the same clauses, vectors and BM25 text in a Milvus collection.

Owns what FAISS + bm25s + the generation directories own for the default backend:

- ``build``: a new collection per build (``policyqa_<generation>``), rows = passages (clause
  windows) with the clause JSON, the dense vector and the BM25 text (Milvus's own BM25 function
  over our jieba tokens, space-joined for its whitespace analyzer, so both backends' BM25 sees
  the same words); vectors of unchanged passages are reused from the live collection by
  content hash. The switch is a pointer row in ``policyqa_meta`` upserted in
  one write (readers resolve it per generation load); where the server supports aliases the
  ``policyqa_live`` alias is moved too. Milvus Lite 2.5 (the real Milvus core, used in tests)
  has no aliases, so the pointer row is the source of truth everywhere. A failed build drops its
  collection and leaves the pointer alone.
- ``sync``: incremental, in place on the live collection: upsert passages whose text changed or
  that are new (only those are embedded), delete those of removed clauses, by stable ids.
- ``load``: the clause list and manifest (as ``LoadedIndex``) with a ``MilvusBackend``.
- ``MilvusBackend``: the ``index.backend.Backend`` seam over the collection: dense + BM25
  candidates with the filters as an expression; ranking, confidence and the rest are the
  shared code in ``index.search``, so both backends answer alike.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from corpus.clean import to_match
from corpus.ingest import Corpus, ingest_paths
from corpus.models import Clause
from corpus.tokenize import tokenize
from index import dense, store
from index.backend import Candidates, Filters
from index.build import (
    EMBED_BATCH,
    BuildReport,
    EmptyCorpus,
    lexical_text,
    manifest_for,
    passage_texts,
    text_hash,
)
from index.embed import Embedder
from index.search import LoadedIndex, is_searchable

META = "policyqa_meta"
ALIAS = "policyqa_live"
PREFIX = "policyqa_"
KEEP = 2  # the live collection and the one before it
BATCH = 500
_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def client_for(uri: str) -> Any:
    """One client per URI per process (a Milvus Lite file is locked to one process)."""
    from pymilvus import MilvusClient

    with _clients_lock:
        if uri not in _clients:
            if not uri.startswith(("http://", "https://", "tcp://")):
                Path(uri).parent.mkdir(parents=True, exist_ok=True)
            _clients[uri] = MilvusClient(uri)
        return _clients[uri]


def _bm25_text(clause: Clause) -> str:
    # Our own jieba tokens (policy dictionary, stop words, 县(市、区) folding) joined by spaces
    # for Milvus's whitespace analyzer, so both backends' BM25 sees the same words.
    return " ".join(tokenize(lexical_text(clause)))


def _ensure_meta(client: Any) -> None:
    from pymilvus import DataType

    if client.has_collection(META):
        return
    schema = client.create_schema(auto_id=False)
    schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=256)
    schema.add_field("value", DataType.VARCHAR, max_length=65535)
    schema.add_field("vec", DataType.FLOAT_VECTOR, dim=2)  # Milvus wants one vector field
    index = client.prepare_index_params()
    index.add_index("vec", index_type="FLAT", metric_type="L2")
    client.create_collection(META, schema=schema, index_params=index)
    client.load_collection(META)


def create_collection(client: Any, name: str, dim: int, rows: int) -> None:
    from pymilvus import DataType, Function, FunctionType

    schema = client.create_schema(auto_id=False)
    schema.add_field("pk", DataType.VARCHAR, is_primary=True, max_length=600)
    schema.add_field("clause_id", DataType.VARCHAR, max_length=512)
    schema.add_field("part", DataType.INT64)
    schema.add_field("doc_id", DataType.VARCHAR, max_length=256)
    schema.add_field("source_file", DataType.VARCHAR, max_length=512)
    schema.add_field("kind", DataType.VARCHAR, max_length=64)
    schema.add_field("offices", DataType.VARCHAR, max_length=4096)  # "|a|b|" for LIKE filters
    schema.add_field("searchable", DataType.BOOL)
    schema.add_field("text_hash", DataType.VARCHAR, max_length=64)
    schema.add_field("text", DataType.VARCHAR, max_length=65535, enable_analyzer=True,
                     analyzer_params={"tokenizer": "whitespace"})
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
    schema.add_field("clause_json", DataType.VARCHAR, max_length=65535)
    schema.add_function(Function(name="bm25", function_type=FunctionType.BM25,
                                 input_field_names=["text"], output_field_names=["sparse"]))
    index = client.prepare_index_params()
    if dense.index_type(rows) == "flat":
        index.add_index("dense", index_type="FLAT", metric_type="IP")
    else:
        index.add_index("dense", index_type="IVF_FLAT", metric_type="IP",
                        params={"nlist": int(2 * math.sqrt(rows))})
    index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
    client.create_collection(name, schema=schema, index_params=index)


def _clause_json(clause: Clause) -> str:
    return json.dumps(clause.to_json(), ensure_ascii=False)


def _rows(clause: Clause, vectors: list[np.ndarray], hashes: list[str]) -> list[dict[str, Any]]:
    clause_json = _clause_json(clause)
    offices = "|" + "|".join(clause.offices) + "|" if clause.offices else ""
    return [{
        "pk": f"{clause.clause_id}#{n}", "clause_id": clause.clause_id, "part": n,
        "doc_id": clause.doc_id, "source_file": clause.source_file, "kind": clause.kind,
        "offices": offices, "searchable": is_searchable(clause),
        "text_hash": hashes[n], "text": _bm25_text(clause) if n == 0 else "",
        "dense": vectors[n].tolist(), "clause_json": clause_json,
    } for n in range(len(vectors))]


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def filter_expr(filters: Filters) -> str:
    """The Milvus boolean expression for ``Filters`` (always excluding unsearchable rows)."""
    parts = ["searchable == true"]
    if filters.doc_ids:
        listed = ", ".join(_quote(d) for d in filters.doc_ids)
        parts.append(f"(doc_id in [{listed}] or source_file in [{listed}])")
    if filters.kinds:
        parts.append(f"kind in [{', '.join(_quote(k) for k in filters.kinds)}]")
    if filters.offices:
        like = [f"offices like {_quote('%' + to_match(o).replace('%', '') + '%')}"
                for o in filters.offices]
        parts.append("(" + " or ".join(like) + ")")
    return " and ".join(parts)


class MilvusIndex:
    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.client = client_for(uri)

    # --- the live pointer -------------------------------------------------------------
    def _get(self, key: str) -> str | None:
        if not self.client.has_collection(META):
            return None
        rows = self.client.get(META, ids=[key], output_fields=["value"])
        return str(rows[0]["value"]) if rows else None

    def _put(self, **values: str) -> None:
        _ensure_meta(self.client)
        self.client.upsert(META, [{"key": k, "value": v, "vec": [0.0, 0.0]}
                                  for k, v in values.items()])

    def live(self) -> str | None:
        return self._get("live")

    def manifest(self, collection: str) -> dict[str, Any]:
        raw = self._get(f"manifest:{collection}")
        if raw is None:
            raise store.IndexCorrupt(f"Milvus collection {collection} has no manifest")
        manifest: dict[str, Any] = json.loads(raw)
        return manifest

    def _switch(self, collection: str, manifest: dict[str, Any]) -> None:
        self._put(**{f"manifest:{collection}": json.dumps(manifest, ensure_ascii=False)})
        self._put(live=collection)  # one row write: readers see the old or the new name
        # Servers with aliases also get the alias; Milvus Lite 2.5 answers UNIMPLEMENTED (and
        # pymilvus logs it as an error, hence the muted logger).
        quiet = logging.getLogger("pymilvus")
        level, quiet.level = quiet.level, logging.CRITICAL
        try:
            self.client.alter_alias(collection, ALIAS)
        except Exception:  # noqa: BLE001 - optional; the pointer row is the source of truth
            try:
                self.client.create_alias(collection, ALIAS)
            except Exception:  # noqa: BLE001
                pass
        finally:
            quiet.setLevel(level)

    def _cleanup(self) -> None:
        live = self.live()
        built = sorted(c for c in self.client.list_collections() if c.startswith(PREFIX) and c != META)
        for old in built[:-KEEP]:
            if old != live:
                self.client.drop_collection(old)

    # --- vectors of the live collection, by content hash --------------------------------
    def _live_passages(self, embedder: Embedder) -> tuple[dict[str, str], dict[str, np.ndarray]]:
        """One scan of the live collection: passage id → text hash, and text hash → vector
        (vectors only when the live collection was built with this embedder)."""
        live = self.live()
        if live is None:
            return {}, {}
        same = self.manifest(live)["embedder"]["name"] == embedder.name
        hashes: dict[str, str] = {}
        vectors: dict[str, np.ndarray] = {}
        for row in self._scan(live, ["pk", "text_hash", "dense"] if same else ["pk", "text_hash"]):
            hashes[row["pk"]] = row["text_hash"]
            if same:
                vectors[row["text_hash"]] = np.asarray(row["dense"], dtype=np.float32)
        return hashes, vectors

    def _scan(self, collection: str, fields: list[str], expr: str = "") -> list[dict[str, Any]]:
        iterator = self.client.query_iterator(collection, batch_size=1000, filter=expr,
                                              output_fields=fields)
        rows: list[dict[str, Any]] = []
        while batch := iterator.next():
            rows.extend(batch)
        iterator.close()
        return rows

    @staticmethod
    def _rows_for(embedder: Embedder, clauses: list[Clause],
                  cache: dict[str, np.ndarray]) -> tuple[list[dict[str, Any]], int]:
        """The rows of these clauses' passages; passages whose text hash is not in ``cache``
        are embedded, in batches. Returns (rows, passages embedded)."""
        plan = [(c, passage_texts(c)) for c in clauses]
        hashed = [(c, texts, [text_hash(embedder.name, t) for t in texts]) for c, texts in plan]
        todo = {h: t for _, texts, hashes in hashed for t, h in zip(texts, hashes, strict=True)
                if h not in cache}
        pending = list(todo.items())
        for start in range(0, len(pending), EMBED_BATCH):
            batch = pending[start:start + EMBED_BATCH]
            for (h, _), vector in zip(batch, embedder.embed_passages([t for _, t in batch]), strict=True):
                cache[h] = vector
        rows = [row for c, _, hashes in hashed for row in _rows(c, [cache[h] for h in hashes], hashes)]
        return rows, len(todo)

    # --- build and sync -----------------------------------------------------------------
    def build(self, corpus_paths: Sequence[Path | str], embedder: Embedder, spec: str,
              corpus: Corpus | None = None) -> BuildReport:
        started = time.perf_counter()
        corpus = corpus if corpus is not None else ingest_paths(corpus_paths)
        if not corpus.clauses:
            raise EmptyCorpus(f"no document could be read from {list(map(str, corpus_paths))}")
        _, cache = self._live_passages(embedder)
        generation = store.new_generation_id()
        name = PREFIX + generation.replace("-", "_")
        rows, embedded = self._rows_for(embedder, corpus.clauses, cache)
        passages = len(rows)
        create_collection(self.client, name, embedder.dim, len(rows))
        try:
            for start in range(0, len(rows), BATCH):
                self.client.insert(name, rows[start:start + BATCH])
            self.client.flush(name)
            self.client.load_collection(name)
            manifest = manifest_for(generation, corpus, embedder, spec, passages)
            manifest["backend"] = {"name": "milvus", "collection": name}
            self._switch(name, manifest)
        except BaseException:
            self.client.drop_collection(name)
            raise
        self._cleanup()
        return BuildReport(generation=Path(name), documents=len(corpus.documents),
                           clauses=len(corpus.clauses), passages=passages, embedded=embedded,
                           skipped=corpus.skipped, seconds=time.perf_counter() - started)

    def sync(self, corpus_paths: Sequence[Path | str], embedder: Embedder, spec: str) -> dict[str, int]:
        """Bring the live collection to the corpus in place: upsert new or changed passages,
        delete the passages of removed clauses. Returns counts."""
        live = self.live()
        if live is None:
            report = self.build(corpus_paths, embedder, spec)
            return {"upserted": report.passages, "deleted": 0, "embedded": report.embedded}
        corpus = ingest_paths(corpus_paths)
        if not corpus.clauses:
            raise EmptyCorpus(f"no document could be read from {list(map(str, corpus_paths))}")
        existing, cache = self._live_passages(embedder)
        # A clause whose text is unchanged may still say more (its facts, read by a newer
        # extractor, or its metadata): its rows are rewritten, from the vector cache.
        stored = {r["clause_id"]: r["clause_json"]
                  for r in self._scan(live, ["clause_id", "clause_json"], "part == 0")}
        changed: list[Clause] = []
        wanted: set[str] = set()
        passages = 0
        for clause in corpus.clauses:
            hashes = [text_hash(embedder.name, t) for t in passage_texts(clause)]
            passages += len(hashes)
            pks = [f"{clause.clause_id}#{n}" for n in range(len(hashes))]
            wanted.update(pks)
            if any(existing.get(pk) != h for pk, h in zip(pks, hashes, strict=True)) \
                    or stored.get(clause.clause_id) != _clause_json(clause):
                changed.append(clause)
        upserts, embedded = self._rows_for(embedder, changed, cache)
        removed = [pk for pk in existing if pk not in wanted]
        for start in range(0, len(upserts), BATCH):
            self.client.upsert(live, upserts[start:start + BATCH])
        if removed:
            self.client.delete(live, ids=removed)
        self.client.flush(live)
        manifest = manifest_for(store.new_generation_id(), corpus, embedder, spec, passages)
        manifest["backend"] = {"name": "milvus", "collection": live}
        self._switch(live, manifest)
        return {"upserted": len(upserts), "deleted": len(removed), "embedded": embedded}

    # --- load ---------------------------------------------------------------------------
    def load(self, expect_embedder: str | None = None) -> LoadedIndex:
        live = self.live()
        if live is None or not self.client.has_collection(live):
            raise store.IndexMissing(f"no Milvus index at {self.uri}: run 'policyqa build' "
                                     "with POLICYQA_BACKEND=milvus first")
        manifest = self.manifest(live)
        embedder = manifest["embedder"]
        if expect_embedder and embedder.get("name") != expect_embedder:
            raise store.IndexCorrupt(f"index was built with embedder {embedder.get('name')!r}, "
                                     f"not {expect_embedder!r}")
        self.client.load_collection(live)
        rows = self._scan(live, ["clause_json"], "part == 0")
        clauses = [Clause.from_json(json.loads(r["clause_json"])) for r in rows]
        clauses.sort(key=lambda c: (c.doc_id, c.ordinal))
        if len(clauses) != manifest.get("clause_count"):
            raise store.IndexCorrupt(f"Milvus collection {live} holds {len(clauses)} clauses, its "
                                     f"manifest says {manifest.get('clause_count')}")
        return LoadedIndex(path=Path(self.uri), manifest=manifest, clauses=clauses,
                           backend=MilvusBackend(self, live, [c.clause_id for c in clauses]))


class MilvusBackend:
    """Candidates from a Milvus collection (dense and BM25, the filters as an expression)."""

    def __init__(self, milvus: MilvusIndex, collection: str, clause_ids: list[str]) -> None:
        self.milvus = milvus
        self.collection = collection
        self.clause_ids = clause_ids  # clause row of the LoadedIndex -> clause id
        self.by_id = {clause_id: i for i, clause_id in enumerate(clause_ids)}

    def candidates(self, vector: np.ndarray, tokens: tuple[str, ...], filters: Filters,
                   allowed: np.ndarray | None, n: int) -> Candidates:
        client, by_id = self.milvus.client, self.by_id
        expr = filter_expr(filters)
        found = client.search(self.collection, data=[vector.tolist()], anns_field="dense",
                              limit=n * 2, filter=expr, output_fields=["clause_id"],
                              search_params={"metric_type": "IP", "params": {"nprobe": dense.NPROBE}})
        best: dict[int, float] = {}
        for hit in found[0]:
            row = by_id.get(hit["entity"]["clause_id"])
            if row is not None:
                best[row] = max(best.get(row, -1.0), float(hit["distance"]))
        lexical: dict[int, float] = {}
        text = " ".join(tokens)
        if text:
            found = client.search(self.collection, data=[text], anns_field="sparse",
                                  limit=n, filter=expr, output_fields=["clause_id"],
                                  search_params={"metric_type": "BM25"})
            for hit in found[0]:
                row = by_id.get(hit["entity"]["clause_id"])
                if row is not None and row not in lexical:
                    lexical[row] = float(hit["distance"])
        ranking = sorted(lexical, key=lexical.__getitem__, reverse=True)
        return Candidates(ranking, lexical, best)

    def cosines(self, rows: list[int], vector: np.ndarray) -> dict[int, float]:
        if not rows:
            return {}
        ids = [self.clause_ids[i] for i in rows]
        found = self.milvus.client.query(
            self.collection, filter=f"clause_id in [{', '.join(_quote(c) for c in ids)}]",
            output_fields=["clause_id", "dense"])
        out: dict[int, float] = {}
        for row in found:
            i = self.by_id[row["clause_id"]]
            out[i] = max(out.get(i, -1.0), float(np.asarray(row["dense"], dtype=np.float32) @ vector))
        return out


__all__ = ["MilvusBackend", "MilvusIndex", "filter_expr"]
