"""Adding documents to, and removing them from, a live index (``POST/DELETE /v1/documents``,
``policyqa add`` / ``policyqa remove``).

The served corpus is the configured corpus directories plus ``<index_dir>/originals``, where every
added file is kept as given: ``originals/<doc_id>/<file name>`` (one folder per document, so a
document's file name, and so its ``source_file`` and ``doc_id``, survive a rebuild; a re-upload
of a name with the same ``doc_id`` replaces the document). ``policyqa build`` reads the same
served corpus, so a rebuild keeps added documents; ``remove`` deletes the original.

One request is all or nothing. Every file is read and parsed before anything is written; a
file of a type no reader handles refuses the request with 415 (``UnsupportedType``), a file of
a known type that cannot be read (damaged DOCX or PDF, undecodable text, a scan without a text
layer) with 422 (``Unparseable``); either names the file and the reason, and adds nothing.
Files that parse but add nothing are answered ``skipped`` with the reason (identical to the stored
original, the same text as another document, no text after cleaning, an id that belongs to a
document of the configured corpus); the others are ``ingested``. Then, holding the index's build
lock (``index.store.build_lock``: one build at a time across processes), the originals are put in
place, a new generation is built incrementally (unchanged clauses reuse their vectors) and
switched atomically; if the build fails, the originals are put back as they were. A change that
would drop documents of the live index besides the one removed (the service's corpus directories
are not those the index was built from) is refused with 409 ``corpus_mismatch``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from corpus.formats import READERS, UnsupportedFormat
from corpus.ingest import Corpus, ParsedDocument, ingest, parse_document
from corpus.load import load_file, load_paths
from corpus.models import Document, stable_doc_id
from corpus.validity import status as validity_status
from index.embed import Embedder
from service.errors import BadRequest, NotFound, PolicyQAError
from service.settings import Settings

ORIGINALS = "originals"
LOCK_WAIT_S = 30.0  # patience for another build before answering 503 index_locked


class UnsupportedType(BadRequest):
    status = 415
    code = "unsupported_type"


class Unparseable(BadRequest):
    status = 422
    code = "unparseable_file"


class Conflict(PolicyQAError):
    status = 409
    code = "conflict"


class IndexBusy(PolicyQAError):
    status = 503
    code = "index_locked"


@dataclass
class FileOutcome:
    file: str  # the file name as given (no directories)
    outcome: str  # ingested | skipped | refused (the request failed on this file) | not_added
    reason: str | None = None
    doc_id: str | None = None
    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    date_issued: str | None = None
    status: str | None = None  # in_force | expired | repealed | draft | unknown
    clauses: int | None = None
    replaced: bool = False  # an added document with this doc_id was replaced

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class AddResult:
    files: list[FileOutcome]
    generation: str | None  # the generation now live (None: nothing was built and none exists)
    built: bool = False
    embedded: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"files": [f.to_json() for f in self.files],
                "ingested": sum(f.outcome == "ingested" for f in self.files),
                "skipped": sum(f.outcome == "skipped" for f in self.files),
                "generation": self.generation, "built": self.built, "embedded": self.embedded,
                "seconds": round(self.seconds, 3)}


class RequestRefused(BadRequest):
    """415/422 for the whole request, with every file's outcome (``files``)."""

    def __init__(self, error: PolicyQAError, files: list[FileOutcome]) -> None:
        super().__init__(error.message, code=error.code)
        self.status = error.status
        self.files = files


@dataclass
class Upload:
    name: str
    data: bytes
    doc_id: str = field(init=False)

    def __post_init__(self) -> None:
        self.name = safe_name(self.name)
        self.doc_id = stable_doc_id(self.name)


def safe_name(name: str) -> str:
    """The file name without any directory, control characters or leading dots (hidden files
    are not read by the corpus loader); at most 200 characters, suffix kept."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip().lstrip(".").strip()
    if len(base) > 200:
        stem, dot, suffix = base.rpartition(".")
        base = (stem[: 200 - len(suffix) - 1] + dot + suffix) if dot and len(suffix) < 12 else base[:200]
    return base or "upload"


def originals_dir(settings: Settings) -> Path:
    return Path(settings.index_dir) / ORIGINALS


def served_paths(settings: Settings, corpus_dirs: Sequence[Path] | None = None) -> list[Path]:
    """What a build of this index reads: the corpus directories plus the added originals."""
    paths = [Path(p) for p in (corpus_dirs or settings.corpus_dirs)]
    originals = originals_dir(settings)
    if originals.is_dir() and originals not in paths:
        paths.append(originals)
    return paths


def document_status(meta: Any, as_of: date | None = None) -> str:
    return validity_status(meta.kind, meta.date_effective, meta.date_expires, meta.repealed_by,
                           as_of or date.today())


def _described(outcome: FileOutcome, parsed: ParsedDocument) -> FileOutcome:
    meta = parsed.meta
    outcome.title = meta.title
    outcome.doc_number = meta.doc_number
    outcome.issuer = meta.issuer
    outcome.date_issued = meta.date_issued
    outcome.status = document_status(meta)
    outcome.clauses = len(parsed.clauses)
    return outcome


def _stored(settings: Settings, doc_id: str) -> Path | None:
    """The stored original of an added document, if any."""
    folder = originals_dir(settings) / doc_id
    if not folder.is_dir():
        return None
    files = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    return files[0] if files else None


def validate(uploads: Sequence[Upload]) -> list[Document]:
    """Read and parse every upload; raise ``RequestRefused`` (415 or 422, naming each failing
    file) if any cannot be read. Nothing is written."""
    if not uploads:
        raise BadRequest("no files: send one or more files in the multipart field 'files'",
                         code="no_files")
    outcomes = [FileOutcome(u.name, "not_added", doc_id=u.doc_id) for u in uploads]
    documents: list[Document] = []
    worst: PolicyQAError | None = None
    for upload, outcome in zip(uploads, outcomes, strict=True):
        suffix = Path(upload.name).suffix.lower()
        try:
            # for a type no reader handles, extract() raises with a reason that names the
            # format (".doc: save it as .docx")
            document = load_file(Path(upload.name), upload.data, upload.doc_id)
            parse_document(document)  # the corpus stage must accept it too
            documents.append(document)
            continue
        except UnsupportedFormat as exc:
            reason = str(exc)
        except Exception as exc:  # noqa: BLE001 - any reader failure is this file's fault
            reason = f"could not be parsed ({exc.__class__.__name__})"
        outcome.outcome, outcome.reason = "refused", reason
        if suffix not in READERS:
            worst = UnsupportedType(f"{upload.name}: {reason}")
        elif not isinstance(worst, UnsupportedType):
            worst = Unparseable(f"{upload.name} could not be read: {reason}")
    if worst is not None:
        refused = [o for o in outcomes if o.outcome == "refused"]
        kind = "unsupported type" if isinstance(worst, UnsupportedType) else "unreadable"
        message = "; ".join(f"{o.file}: {o.reason}" for o in refused)
        prefix = f"nothing was added ({len(refused)} of {len(outcomes)} files refused, {kind}): "
        raise RequestRefused(type(worst)(prefix + message), outcomes)
    names = [u.doc_id for u in uploads]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise BadRequest(f"two files of this request map to the same doc_id: {', '.join(twice)}; "
                         "rename one", code="duplicate_doc_id")
    return documents


@contextmanager
def _locked(settings: Settings, wait: float):  # type: ignore[no-untyped-def]
    from index import store

    try:
        with store.build_lock(Path(settings.index_dir), wait):
            yield
    except store.IndexLocked as exc:
        raise IndexBusy(f"{exc}; try again later", headers={"Retry-After": "5"}) from exc


def _corpus_without(settings: Settings, exclude_originals: set[str],
                    corpus_dirs: Sequence[Path] | None) -> tuple[list[Document], list, set[str]]:
    """The served corpus's documents (less the added ones in ``exclude_originals``), its skipped
    files, and the doc ids that come from the configured corpus directories."""
    originals = originals_dir(settings)
    loaded = load_paths(served_paths(settings, corpus_dirs))
    documents, configured = [], set()
    for document in loaded.documents:
        inside = Path(document.path).is_relative_to(originals)
        if not inside:
            configured.add(document.doc_id)
        elif document.doc_id in exclude_originals:
            continue
        documents.append(document)
    return documents, loaded.skipped, configured


def _nothing_lost(settings: Settings, corpus: Corpus, leaving: set[str]) -> None:
    """Refuse (409) to switch to a generation that silently lacks documents of the live one:
    that happens when the service's corpus directories are not the ones the index was built
    from. Only ``leaving`` (documents removed on purpose) may go."""
    from index import store

    live = store.current_path(Path(settings.index_dir))
    if live is None:
        return
    try:
        before = {d["doc_id"] for d in store.read_manifest(live).get("documents", [])}
    except (store.IndexError_, KeyError, TypeError):
        return
    lost = sorted(before - leaving - {d.document.doc_id for d in corpus.documents})
    if lost:
        shown = ", ".join(lost[:5]) + (f" and {len(lost) - 5} more" if len(lost) > 5 else "")
        raise Conflict(f"the live index has documents that the configured corpus does not "
                       f"({shown}): set POLICYQA_CORPUS_DIRS to the corpus the index was built "
                       "from; nothing was changed", code="corpus_mismatch")


def _build(settings: Settings, corpus: Corpus, embedder: Embedder, spec: str) -> tuple[str, int]:
    from index.build import _build_locked  # the caller holds the build lock
    from index.store import no_checkpoint

    if settings.backend == "milvus":
        from index.milvus import MilvusIndex

        report = MilvusIndex(settings.milvus_uri).build([], embedder, spec, corpus=corpus)
    else:
        report = _build_locked([], Path(settings.index_dir), embedder, spec, None, corpus,
                               no_checkpoint)
    return report.generation.name, report.embedded


def live_generation(settings: Settings) -> str | None:
    from index import store

    live = store.current_path(Path(settings.index_dir))
    if live is None:
        return None
    try:
        return str(store.read_manifest(live).get("generation") or live.name)
    except store.IndexError_:
        return live.name


def embedder_spec(settings: Settings) -> str:
    """The live index's embedder spec (a rebuild must embed with the same model), else the
    configured one."""
    from index import store

    live = store.current_path(Path(settings.index_dir))
    if live is not None:
        try:
            info = store.read_manifest(live)["embedder"]
            return str(info.get("spec") or info["name"])
        except (store.IndexError_, KeyError, TypeError):
            pass
    return settings.embedder


def _stage(originals: Path) -> Path:
    """A hidden scratch folder beside the originals (the corpus loader skips hidden names);
    leftovers of dead processes are removed first."""
    from index.store import pid_alive

    for old in originals.glob(".incoming-*") if originals.is_dir() else ():
        pid = old.name.split("-")[1]
        if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    staging = originals / f".incoming-{os.getpid()}-{time.time_ns()}"
    staging.mkdir(parents=True)
    return staging


def _settle(corpus: Corpus, uploads: Sequence[Upload], final_docs: list[Document],
            outcomes: list[FileOutcome], replacing: set[str]) -> list[int]:
    """Each candidate's outcome in ``corpus``; returns the indexes of the ingested uploads."""
    parsed = {d.document.doc_id: d for d in corpus.documents}
    reasons = {s.path: s.reason for s in corpus.skipped}
    keep: list[int] = []
    for document in final_docs:
        i = next(j for j, u in enumerate(uploads) if u.doc_id == document.doc_id)
        found = parsed.get(document.doc_id)
        if found is not None and found.document.path == document.path:
            outcomes[i].outcome, outcomes[i].reason = "ingested", None
            outcomes[i].replaced = document.doc_id in replacing
            _described(outcomes[i], found)
            keep.append(i)
        else:
            outcomes[i].outcome = "skipped"
            reason = reasons.get(document.path, "not ingested")
            outcomes[i].reason = re.sub(r"(?:[^\s/]*/)+", "", reason)  # names, not paths
    return keep


def add_documents(settings: Settings, uploads: Sequence[Upload], embedder: Embedder,
                  spec: str | None = None, wait: float = LOCK_WAIT_S,
                  corpus_dirs: Sequence[Path] | None = None) -> AddResult:
    """Validate, store and index ``uploads``; see the module docstring for the rules."""
    started = time.perf_counter()
    new_documents = validate(uploads)
    spec = spec or embedder_spec(settings)
    originals = originals_dir(settings)
    outcomes = [FileOutcome(u.name, "skipped", doc_id=u.doc_id) for u in uploads]
    for outcome, document in zip(outcomes, new_documents, strict=True):
        _described(outcome, parse_document(document))  # what the file says, ingested or not
    with _locked(settings, wait):
        replacing: set[str] = set()
        candidates: list[tuple[int, Document]] = []
        for i, (upload, document) in enumerate(zip(uploads, new_documents, strict=True)):
            stored = _stored(settings, upload.doc_id)
            if stored is not None:
                if hashlib.sha1(stored.read_bytes()).hexdigest() == document.sha1:
                    outcomes[i].reason = "unchanged: identical to the stored original"
                    continue
                replacing.add(upload.doc_id)
            candidates.append((i, document))
        existing, skipped, configured = _corpus_without(settings, replacing, corpus_dirs)
        final_docs: list[Document] = []
        for i, document in candidates:
            if document.doc_id in configured:
                outcomes[i].reason = (f"doc_id {document.doc_id} belongs to a document of the "
                                      "configured corpus, which an upload cannot replace; "
                                      "rename the file")
                continue
            path = originals / document.doc_id / uploads[i].name
            final_docs.append(Document(document.doc_id, document.source_file, str(path),
                                       document.encoding, document.raw_text, document.sha1,
                                       document.fields))
        corpus = ingest([*existing, *final_docs], skipped)
        keep = _settle(corpus, uploads, final_docs, outcomes, replacing)
        kept_ids = {uploads[i].doc_id for i in keep}
        if replacing - kept_ids:
            # A replacement that was skipped (say, a duplicate of another document) leaves the
            # stored version in place: settle again with it back in the corpus.
            replacing &= kept_ids
            existing, skipped, _ = _corpus_without(settings, replacing, corpus_dirs)
            final_docs = [d for d in final_docs if d.doc_id in kept_ids]
            corpus = ingest([*existing, *final_docs], skipped)
            keep = _settle(corpus, uploads, final_docs, outcomes, replacing)
        if not keep:
            return AddResult(outcomes, live_generation(settings),
                             seconds=time.perf_counter() - started)
        _nothing_lost(settings, corpus, set())
        staging = _stage(originals)
        moved: list[tuple[Path, Path | None]] = []  # (folder put in place, old one moved aside)
        try:
            for i in keep:
                upload = uploads[i]
                (staging / upload.doc_id).mkdir()
                (staging / upload.doc_id / upload.name).write_bytes(upload.data)
            for i in keep:
                doc_id = uploads[i].doc_id
                target = originals / doc_id
                aside = None
                if target.exists():
                    aside = staging / f".old-{doc_id}"
                    os.rename(target, aside)
                os.rename(staging / doc_id, target)
                moved.append((target, aside))
            generation, embedded = _build(settings, corpus, embedder, spec)
        except BaseException:
            for target, aside in reversed(moved):  # the originals as they were
                shutil.rmtree(target, ignore_errors=True)
                if aside is not None:
                    os.rename(aside, target)
            raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return AddResult(outcomes, generation, built=True, embedded=embedded,
                     seconds=time.perf_counter() - started)


def remove_document(settings: Settings, doc_id: str, embedder: Embedder,
                    spec: str | None = None, wait: float = LOCK_WAIT_S,
                    corpus_dirs: Sequence[Path] | None = None) -> dict[str, Any]:
    """Delete an added document's original and switch to a generation without it. 404 for an
    unknown id; 409 for a document of the configured corpus (remove its file there and run
    ``policyqa build``) or for the last document."""
    from index.build import EmptyCorpus

    started = time.perf_counter()
    spec = spec or embedder_spec(settings)
    originals = originals_dir(settings)
    with _locked(settings, wait):
        target = originals / doc_id if re.fullmatch(r"[0-9A-Za-z_\-]+", doc_id) else None
        if target is None or not target.is_dir():
            _, _, configured = _corpus_without(settings, set(), corpus_dirs)
            if doc_id in configured:
                raise Conflict(f"document {doc_id} comes from the configured corpus, not from an "
                               "upload: remove its file there and rebuild", code="not_removable")
            raise NotFound(f"no added document {doc_id!r}", code="document_not_found")
        existing, skipped, _ = _corpus_without(settings, {doc_id}, corpus_dirs)
        corpus = ingest(existing, skipped)
        if not corpus.clauses:
            raise Conflict(f"document {doc_id} is the only document: an index needs at least one",
                           code="last_document")
        _nothing_lost(settings, corpus, {doc_id})
        stored = _stored(settings, doc_id)
        staging = _stage(originals)
        aside = staging / doc_id
        os.rename(target, aside)
        try:
            generation, embedded = _build(settings, corpus, embedder, spec)
        except EmptyCorpus as exc:
            os.rename(aside, target)
            raise Conflict(str(exc), code="last_document") from exc
        except BaseException:
            os.rename(aside, target)
            raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return {"doc_id": doc_id, "removed": True, "file": stored.name if stored else None,
            "generation": generation, "embedded": embedded,
            "seconds": round(time.perf_counter() - started, 3)}


__all__ = ["AddResult", "Conflict", "FileOutcome", "IndexBusy", "RequestRefused", "Unparseable",
           "UnsupportedType", "Upload", "add_documents", "document_status", "originals_dir",
           "remove_document", "served_paths", "validate"]
