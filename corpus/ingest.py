"""Ingest: files and the national-law DB → documents and chunks in the store, incrementally.

Each file is loaded, chunked and written in its own transaction; a file whose
sha256 is unchanged is skipped; a file that fails is reported with its reason
and whatever it contributed before stays in the store.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from corpus.chunking import CHUNKER_VERSION, chunk_document
from corpus.errors import IngestError, SkippedFile
from corpus.metadata import title_key
from corpus.sources import iter_files, load_file
from corpus.sources.law_db import SOURCE_PREFIX, file_sha256, iter_law_db
from corpus.store import Store
from corpus.currency import derive_validity
from corpus.model import Status
from corpus.store import Validity
from corpus.succession import link_successors
from corpus.versions import reconcile
from corpus.progress import ProgressFn

LAW_DB_RANK = 1


def fingerprint(sha: str) -> str:
    """What the store keeps per file: its sha256 and the chunker version that cut it."""
    return f"{sha}+c{CHUNKER_VERSION}"


def _previous(store: Store, key: str, sha: str, force: bool) -> tuple[bool, set[str] | None]:
    """(unchanged, documents to keep) for a file whose content hashes to ``sha``.

    Unchanged: same bytes cut by this chunker, or same bytes whose documents were all deleted.
    Same bytes cut by an older chunker are cut again but keep only the documents still in the
    store, so a re-cut never brings back a deleted document; None: keep whatever the file holds.
    """
    record = None if force else store.file_record(key)
    if record is None:
        return False, None
    same_bytes = record.fingerprint.partition("+c")[0] == sha
    if record.fingerprint == fingerprint(sha) or (same_bytes and record.status == "removed"):
        return True, None
    return False, (set(record.doc_ids) if same_bytes else None)


@dataclass
class FileResult:
    path: str
    status: str  # ingested | unchanged | failed | skipped
    reason: str = ""
    documents: int = 0
    chunks: Counter = field(default_factory=Counter)  # by doc_type
    notes: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0
    reconcile: dict[str, int] = field(default_factory=dict)
    validity: list[Validity] = field(default_factory=list)  # documents whose status the new evidence changed

    def by_status(self, status: str) -> list[FileResult]:
        return [r for r in self.results if r.status == status]

    @property
    def chunks_by_type(self) -> Counter:
        total: Counter = Counter()
        for r in self.results:
            total.update(r.chunks)
        return total


def ingest(store: Store, roots: Iterable[Path], law_db: Path | None = None, max_bytes: int = 50 << 20,
           progress: ProgressFn | None = None, force: bool = False) -> IngestReport:
    start = time.perf_counter()
    report = IngestReport()
    before = validity_state(store)  # files replaced below lose their derived status until settle sets it again
    files = list(iter_files([Path(r) for r in roots]))
    total = len(files) + (1 if law_db else 0)
    touched: set[str] = set()
    done = 0
    if law_db:
        report.results.append(_ingest_law_db(store, law_db, touched, force))
        done += 1
        if progress:
            progress(law_db.name, done, total)
    for path in files:
        report.results.append(ingest_file(store, path, max_bytes, touched, force))
        done += 1
        if progress:
            progress(path.name, done, total)
    if touched:
        report.reconcile, report.validity = settle(store, touched, before)
    else:  # nothing new; a store settled by an older method still gets the current validity and correspondence
        before = validity_state(store)
        with store.transaction():
            written = derive_validity(store)
            link_successors(store)
        report.validity = [v for v in written if before.get(v.doc_id) != (
            Status.parse(v.status), v.repealed_on, v.repealed_by, v.superseded_on, v.basis)]
    report.seconds = time.perf_counter() - start
    return report


def validity_state(store: Store) -> dict[str, tuple]:
    """doc id → (status, repealed_on, repealed_by, superseded_on, basis) as stored: what ``settle`` compares with."""
    return {d.id: (d.status, d.repealed_on, d.repealed_by, d.superseded_on, d.status_basis) for d in store.documents()}


def settle(store: Store, touched: set[str] | None,
           before: dict[str, tuple] | None = None) -> tuple[dict[str, int], list[Validity]]:
    """After documents were added or removed: reconcile versions and duplicates of the ``touched`` title keys
    (None: all), then apply every repeal and amendment clause of the store (corpus/currency.py) and derive the
    article correspondence of repealed and amended documents (corpus/succession.py).

    ``before`` (``validity_state`` taken before the store was changed; default: now) is what "changed" means.
    Returns the reconcile counts and the documents whose validity changed.
    """
    if before is None:
        before = validity_state(store)
    with store.transaction():  # all three or none: a crash leaves the store as it was
        stats = reconcile(store, touched)
        written = derive_validity(store)
        link_successors(store)
    # what the new evidence changed — not what reconciliation reset and the evidence then set back
    changed = [v for v in written if before.get(v.doc_id) != (Status.parse(v.status), v.repealed_on, v.repealed_by,
                                                                v.superseded_on, v.basis)]
    return stats, changed


def stale_sources(store: Store, law_db: Path | None = None) -> tuple[list[Path], bool]:
    """(files still on disk, whether ``law_db``) that an older chunker cut: ingest them again to re-cut."""
    current = fingerprint("")
    db_key = _law_db_key(law_db) if law_db else None
    stale = [path for path, sha in store.file_fingerprints() if sha and not sha.endswith(current)]
    files = [Path(p) for p in stale if not p.startswith(SOURCE_PREFIX) and Path(p).is_file()]
    return files, db_key in stale


def _law_db_key(db: Path) -> str:
    return f"{SOURCE_PREFIX}:{db}"


def ingest_file(store: Store, path: Path, max_bytes: int = 50 << 20, touched: set[str] | None = None,
                force: bool = False) -> FileResult:
    key = str(path.resolve())
    try:
        size = path.stat().st_size
        if size > max_bytes:  # checked before reading, so a huge file is never loaded into memory
            raise IngestError(f"文件过大：{size / 2**20:.1f} MB，超过上限 {max_bytes / 2**20:.0f} MB")
        raw = path.read_bytes() if size else b""
        import hashlib

        sha = hashlib.sha256(raw).hexdigest()
        unchanged, _ = _previous(store, key, sha, force or not size)
        if unchanged:
            return FileResult(key, "unchanged")
        loaded = load_file(path, raw=raw, max_bytes=max_bytes)
        chunks = chunk_document(loaded.document, loaded.tiers)
        if not chunks:
            raise IngestError("没有切分出任何内容块")
    except SkippedFile as exc:
        return FileResult(key, "skipped", str(exc))
    except IngestError as exc:
        store.record_failure(key, "", path.stat().st_size if path.exists() else 0, "failed", str(exc))
        return FileResult(key, "failed", str(exc))
    except OSError as exc:
        return FileResult(key, "failed", f"无法读取文件：{exc.strerror or exc}")
    except Exception as exc:  # a parser bug on one file must not stop the others
        reason = f"解析出错（{exc.__class__.__name__}: {str(exc)[:120]}）"
        store.record_failure(key, "", size, "failed", reason)
        return FileResult(key, "failed", reason)
    store.replace_file(key, fingerprint(sha), size, [(loaded.document, chunks, loaded.rank)])
    if touched is not None:
        touched.add(title_key(loaded.document.title))
    result = FileResult(key, "ingested", documents=1, notes=loaded.notes)
    result.chunks[loaded.document.doc_type.value] += len(chunks)
    return result


def _ingest_law_db(store: Store, db: Path, touched: set[str], force: bool) -> FileResult:
    key = _law_db_key(db)
    try:
        sha = file_sha256(db)
        unchanged, keep = _previous(store, key, sha, force)
        if unchanged:
            return FileResult(key, "unchanged")
        docs = []
        result = FileResult(key, "ingested")
        for doc in iter_law_db(db):
            if keep is not None and doc.id not in keep:
                continue  # deleted from the store before this re-cut
            chunks = chunk_document(doc)
            docs.append((doc, chunks, LAW_DB_RANK))
            touched.add(title_key(doc.title))
            result.chunks[doc.doc_type.value] += len(chunks)
        result.documents = len(docs)
        store.replace_file(key, fingerprint(sha), db.stat().st_size, docs)
        return result
    except Exception as exc:  # a broken package DB must not stop the file ingest
        store.record_failure(key, "", 0, "failed", f"国家法律库读取失败（{exc.__class__.__name__}: {exc}）")
        return FileResult(key, "failed", f"国家法律库读取失败（{exc.__class__.__name__}）")
