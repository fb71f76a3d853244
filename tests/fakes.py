"""Fakes for the seams (Embedder, Generator, Retriever, Store), used by the tests only.

Each passes the same contract suite as the real implementations (tests/test_contracts.py).
"""

from __future__ import annotations

import copy
import threading
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from assistant.llm.base import GenerationError
from corpus.metadata import title_key
from corpus.model import Chunk, Document, Status
from corpus.store import FileRecord, Successor, Validity, VersionRow, VersionState
from corpus.validity import in_force_ids
from indexing.embedders import l2_normalise, register_embedder

if TYPE_CHECKING:
    from assistant.retrieval.base import Filters, Hit
    from corpus.store import Store


class HashingEmbedder:
    """FAKE embedder for tests: hashed character n-gram counts, L2-normalised.

    Deterministic across processes (crc32, not Python's salted ``hash``) and
    instant, but it only measures surface character overlap - never use it to
    serve real queries.
    """

    def __init__(self, dim: int = 256, ngrams: tuple[int, ...] = (1, 2, 3)) -> None:
        self.dim = dim
        self.ngrams = tuple(ngrams)
        self.model_id = f"fake-hashing-v1/d{dim}/n{''.join(map(str, self.ngrams))}"

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        s = "".join(text.split())
        for n in self.ngrams:
            for i in range(len(s) - n + 1):
                h = zlib.crc32(s[i : i + n].encode("utf-8"))
                v[h % self.dim] += 1.0 if (h >> 31) & 1 else -1.0
        return v

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("pass a list of strings, not a single string")
        items = list(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        return l2_normalise(np.stack([self._vector(t) for t in items]))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts)


@dataclass
class FakeGroup:
    """What the discretion matcher reads of a violation group (assistant/discretion/advisor.py Group)."""

    violation: str
    terms: set[str] = field(default_factory=set)
    tiers: list = field(default_factory=list)
    no_penalty: bool = False  # an item of a 不予处罚 list


class ScriptedGenerator:
    """A fake for tests: answers with a fixed text (or raises), records the messages it was sent."""

    name = "scripted"

    def __init__(self, reply: str | None = None, fail: bool = False):
        self.reply, self.fail = reply or "", fail
        self.calls: list[list[dict[str, str]]] = []

    def stream(self, messages: list[dict[str, str]], max_tokens: int = 512) -> Iterator[str]:
        self.calls.append(messages)
        if self.fail:
            raise GenerationError("scripted failure")
        for i in range(0, len(self.reply), 8):
            yield self.reply[i:i + 8]


@dataclass(frozen=True)
class _FileRow:
    sha256: str
    size: int
    status: str  # ok | removed | failed | skipped
    reason: str
    doc_ids: tuple[str, ...]  # sorted


@dataclass(frozen=True)
class _DocRow:
    doc: Document  # without its body; never mutated (updates build a new one)
    source_status: str
    origin_rank: int | None
    duplicate_of: str | None = None
    version_status: str = ""  # what reconciliation decided, before repeal clauses
    version_basis: str = ""


class MemoryStore:
    """FAKE ``Store`` (corpus/store.py) in plain dicts, for tests: the whole protocol, no SQL.

    It behaves as SQLiteStore does wherever the protocol says what happens (the contract suite in
    tests/test_contracts.py runs on both; where SQLiteStore breaks the protocol, marked there as strict xfails,
    this fake follows the protocol). ``transaction()`` snapshots the three dicts and restores them when
    the block raises; the dicts hold immutable rows only, so a snapshot is three shallow copies. One re-entrant
    lock guards everything: a transaction holds it to its end, so other threads wait instead of seeing
    uncommitted writes. Every object handed out is a copy: a caller's edits never reach the store.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._local = threading.local()  # this thread's transaction depth
        # insertion order is the "table order": a replaced row moves to the end, as INSERT OR REPLACE does
        self._files: dict[str, _FileRow] = {}
        self._docs: dict[str, _DocRow] = {}
        self._chunks: dict[str, Chunk] = {}
        self._successors: dict[str, tuple[str, Successor]] = {}  # chunk id -> (doc id, successor)
        self._targets: dict[str, str] = {}  # doc id -> the document its articles are aligned with

    # ---- transactions -------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            depth = getattr(self._local, "depth", 0)
            self._local.depth = depth + 1
            snapshot = ((dict(self._files), dict(self._docs), dict(self._chunks), dict(self._successors),
                         dict(self._targets)) if depth == 0 else None)
            try:
                yield
            except BaseException:
                if snapshot is not None:  # nested: the outermost transaction rolls back
                    self._files, self._docs, self._chunks, self._successors, self._targets = snapshot
                raise
            finally:
                self._local.depth = depth

    # ---- files --------------------------------------------------------------------------------
    def file_record(self, path: str) -> FileRecord | None:
        with self._lock:
            row = self._files.get(path)
            if row is None or row.status not in ("ok", "removed"):
                return None
            return FileRecord(row.sha256, row.status, frozenset(row.doc_ids))

    def file_fingerprints(self) -> list[tuple[str, str]]:
        with self._lock:
            return [(p, r.sha256) for p, r in self._files.items() if r.status == "ok"]

    def file_doc_ids(self, path: str) -> list[str]:
        with self._lock:
            row = self._files.get(path)
            return list(row.doc_ids) if row else []

    def record_failure(self, path: str, sha: str, size: int, status: str, reason: str) -> None:
        with self.transaction():
            old = self._files.get(path)
            self._files[path] = _FileRow(sha, size, status, reason, old.doc_ids if old else ())

    def replace_file(self, path: str, fingerprint: str, size: int,
                     docs: list[tuple[Document, list[Chunk], int]]) -> None:
        with self.transaction():
            old = self._files.get(path)
            new = {d.id for d, _, _ in docs}
            for doc_id in set(old.doc_ids if old else ()) - new:
                if not self._referenced_elsewhere(doc_id, path):
                    self._delete_doc(doc_id)
            for doc, chunks, rank in docs:
                self._put_doc(doc, chunks, rank)
            self._files.pop(path, None)
            self._files[path] = _FileRow(fingerprint, size, "ok", "", tuple(sorted(new)))

    def remove_file(self, path: str) -> list[str]:
        with self.transaction():
            row = self._files.pop(path, None)
            ids = list(row.doc_ids) if row else []
            for doc_id in ids:
                if not self._referenced_elsewhere(doc_id, path):
                    self._delete_doc(doc_id)
        return ids

    def failures(self) -> list[tuple[str, str, str]]:
        with self._lock:
            return sorted((p, r.status, r.reason) for p, r in self._files.items() if r.status not in ("ok", "removed"))

    def _referenced_elsewhere(self, doc_id: str, path: str) -> bool:
        return any(doc_id in r.doc_ids for p, r in self._files.items() if p != path)

    def _delete_doc(self, doc_id: str) -> None:
        self._successors = {k: v for k, v in self._successors.items() if v[0] != doc_id}
        self._targets.pop(doc_id, None)
        self._chunks = {cid: c for cid, c in self._chunks.items() if c.doc_id != doc_id}
        self._docs.pop(doc_id, None)
        for other, row in list(self._docs.items()):
            if row.duplicate_of == doc_id:  # a duplicate of a document that is gone is a document again
                self._docs[other] = replace(row, duplicate_of=None)

    def _put_doc(self, doc: Document, chunks: list[Chunk], rank: int) -> None:
        kept = {cid: c for cid, c in self._chunks.items() if c.doc_id != doc.id}
        for c in chunks:
            kept[c.id] = replace(copy.deepcopy(c), doc_id=doc.id)
        stored = replace(doc, body="", is_current=True, declared_status=doc.status, repealed_on="", repealed_by="",
                         superseded_on="", status_basis="")
        self._docs.pop(doc.id, None)
        self._docs[doc.id] = _DocRow(stored, doc.status.value, rank)
        self._chunks = kept

    # ---- documents ----------------------------------------------------------------------------
    def document(self, doc_id: str) -> Document | None:
        with self._lock:
            row = self._docs.get(doc_id)
            return copy.deepcopy(row.doc) if row else None

    def _select(self, *, doc_type: str | None = None, title_key_eq: str | None = None,
                title_key_contains: str | None = None, title_contains: str | None = None,
                current_only: bool = False, include_duplicates: bool = False) -> list[_DocRow]:
        out = []
        for row in self._docs.values():
            d = row.doc
            if not include_duplicates and row.duplicate_of is not None:
                continue
            if current_only and not d.is_current:
                continue
            if doc_type is not None and d.doc_type.value != doc_type:
                continue
            if title_key_eq is not None and title_key(d.title) != title_key_eq:
                continue
            if title_key_contains and title_key_contains not in title_key(d.title):
                continue
            if title_contains and title_contains not in d.title:
                continue
            out.append(row)
        return out

    def documents(self, *, doc_type: str | None = None, title_key: str | None = None,
                  title_key_contains: str | None = None, title_contains: str | None = None,
                  current_only: bool = False, include_duplicates: bool = False) -> list[Document]:
        with self._lock:
            rows = self._select(doc_type=doc_type, title_key_eq=title_key, title_key_contains=title_key_contains,
                                title_contains=title_contains, current_only=current_only,
                                include_duplicates=include_duplicates)
            rows.sort(key=lambda r: (r.doc.title, r.doc.version_date))
            return [copy.deepcopy(r.doc) for r in rows]

    def document_page(self, *, doc_type: str | None = None, title_contains: str | None = None,
                      include_duplicates: bool = False, limit: int = 100, offset: int = 0
                      ) -> tuple[int, list[dict]]:
        with self._lock:
            rows = self._select(doc_type=doc_type, title_contains=title_contains,
                                include_duplicates=include_duplicates)
            rows.sort(key=lambda r: (r.doc.doc_type.value, r.doc.title, r.doc.version_date))
            page = rows[offset:offset + limit] if limit >= 0 else rows[offset:]
            return len(rows), [{**r.doc.to_dict(), "duplicate_of": r.duplicate_of,
                                "chunks": sum(1 for c in self._chunks.values() if c.doc_id == r.doc.id)}
                               for r in page]

    def delete_document(self, doc_id: str) -> list[str]:
        with self.transaction():
            paths = [p for p, r in self._files.items() if doc_id in r.doc_ids]
            for p in paths:
                row = self._files[p]
                ids = tuple(i for i in row.doc_ids if i != doc_id)
                self._files[p] = replace(row, doc_ids=ids, status="ok" if ids else "removed")
            self._delete_doc(doc_id)
        return paths

    def duplicates(self) -> list[Document]:
        with self._lock:
            rows = sorted((r for r in self._docs.values() if r.duplicate_of is not None),
                          key=lambda r: (r.doc.title, r.doc.version_date))
            return [copy.deepcopy(r.doc) for r in rows]

    # ---- chunks -------------------------------------------------------------------------------
    def _chunk_list(self, servable_only: bool = False) -> list[Chunk]:
        def keep(c: Chunk) -> bool:
            row = self._docs.get(c.doc_id)
            return row is not None and not (servable_only and row.duplicate_of is not None)

        return sorted((c for c in self._chunks.values() if keep(c)), key=lambda c: (c.doc_id, c.seq))

    def chunk(self, chunk_id: str) -> Chunk | None:
        with self._lock:
            c = self._chunks.get(chunk_id)
            return copy.deepcopy(c) if c is not None and c.doc_id in self._docs else None

    def chunks_of(self, doc_id: str, articles_only: bool = False) -> list[Chunk]:
        with self._lock:
            return [copy.deepcopy(c) for c in self._chunk_list()
                    if c.doc_id == doc_id and (c.article is not None or not articles_only)]

    def article_chunk(self, doc_id: str, article: int, suffix: int | None = None) -> Chunk | None:
        with self._lock:
            for c in self._chunk_list():
                if c.doc_id == doc_id and c.article == article and (
                        c.article_suffix == suffix if suffix else c.article_suffix is None):
                    return copy.deepcopy(c)
            return None

    def documents_with_article(self, article: int, suffix: int | None = None) -> list[str]:
        with self._lock:
            return sorted({c.doc_id for c in self._chunk_list(servable_only=True) if c.article == article and (
                c.article_suffix == suffix if suffix else c.article_suffix is None)})

    def servable_chunks(self) -> Iterator[Chunk]:
        with self._lock:
            return iter([copy.deepcopy(c) for c in self._chunk_list(servable_only=True)])

    def servable_chunk_ids(self) -> dict[str, str]:
        with self._lock:
            return {c.id: c.doc_id for c in self._chunk_list(servable_only=True)}

    def record_chunks(self) -> Iterator[Chunk]:
        with self._lock:
            return iter([copy.deepcopy(c) for c in self._chunk_list(servable_only=True) if c.record is not None])

    # ---- version reconciliation -----------------------------------------------------------------
    def version_rows(self) -> list[VersionRow]:
        with self._lock:
            out = []
            for row in self._docs.values():
                d = row.doc
                mine = [c for c in self._chunks.values() if c.doc_id == d.id]
                out.append(VersionRow(d.id, title_key(d.title), d.doc_type.value, d.effective_date, d.version_date,
                                      row.source_status, row.origin_rank if row.origin_rank is not None else 9,
                                      d.source, sum(1 for c in mine if c.record is not None), len(mine)))
            return out

    def set_version_states(self, states: list[VersionState]) -> None:
        with self.transaction():
            for s in states:
                row = self._docs.get(s.doc_id)
                if row is not None:
                    doc = replace(row.doc, is_current=bool(s.is_current), status=Status.parse(s.status),
                                  status_basis=s.basis, repealed_on="", repealed_by="", superseded_on="")
                    self._docs[s.doc_id] = replace(row, doc=doc, duplicate_of=s.duplicate_of, version_status=s.status,
                                                   version_basis=s.basis)

    def version_outcomes(self) -> dict[str, tuple[str, str]]:
        with self._lock:
            return {i: (r.version_status, r.version_basis) for i, r in self._docs.items() if r.duplicate_of is None}

    def set_validity(self, rows: list[Validity]) -> None:
        with self.transaction():
            for v in rows:
                row = self._docs.get(v.doc_id)
                if row is not None:
                    doc = replace(row.doc, status=Status.parse(v.status), repealed_on=v.repealed_on,
                                  repealed_by=v.repealed_by, superseded_on=v.superseded_on, status_basis=v.basis)
                    self._docs[v.doc_id] = replace(row, doc=doc)

    def chunks_containing(self, text: str) -> Iterator[Chunk]:
        with self._lock:
            return iter([copy.deepcopy(c) for c in self._chunk_list(servable_only=True) if text in c.text])

    def set_successors(self, doc_id: str, target_id: str, rows: list[Successor]) -> None:
        with self.transaction():
            self._successors = {k: v for k, v in self._successors.items() if v[0] != doc_id}
            self._targets.pop(doc_id, None)
            if not target_id:
                return
            self._targets[doc_id] = target_id
            for r in rows:
                self._successors[r.chunk_id] = (doc_id, r)

    def successor_targets(self) -> dict[str, str]:
        with self._lock:
            return dict(self._targets)

    def successor(self, chunk_id: str) -> Successor | None:
        with self._lock:
            found = self._successors.get(chunk_id)
            return found[1] if found else None

    def merge_metadata(self, head_id: str, duplicate_id: str, take_title: bool) -> None:
        with self.transaction():
            head, dup = self._docs.get(head_id), self._docs.get(duplicate_id)
            if head is None or dup is None:
                return
            h, d = head.doc, dup.doc
            title = d.title if take_title else h.title
            merged = replace(h, title=title, issuer=h.issuer or d.issuer,
                             effective_date=h.effective_date or d.effective_date,
                             version_date=h.version_date or d.version_date, note=h.note or d.note)
            self._docs[head_id] = replace(head, doc=merged)
            if title != h.title:
                for cid, c in list(self._chunks.items()):
                    if c.doc_id == head_id:
                        self._chunks[cid] = replace(c, title=title)

    # ---- state --------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        with self._lock:
            return {"files": sum(1 for r in self._files.values() if r.status == "ok"),
                    "documents": sum(1 for r in self._docs.values() if r.duplicate_of is None),
                    "duplicates": sum(1 for r in self._docs.values() if r.duplicate_of is not None),
                    "chunks": len(self._chunk_list(servable_only=True))}

    def chunk_counts_by_type(self) -> dict[str, int]:
        with self._lock:
            out: dict[str, int] = {}
            for c in self._chunk_list(servable_only=True):
                t = self._docs[c.doc_id].doc.doc_type.value
                out[t] = out.get(t, 0) + 1
            return out

    def close(self) -> None:
        pass


class FakeRetriever:
    """FAKE ``Retriever`` (assistant/retrieval/base.py) for tests: a fixed list of hits, whatever the query.

    ``search`` checks the query as every retriever must (QueryError, a ``Query`` passes as it is), clamps ``k``
    to 1–200, keeps the hits whose document type ``Filters.doc_types`` allows and — with ``current_only`` or
    ``as_of`` — whose document is in force (corpus.validity.in_force_ids over the store's documents), drops
    repeated chunks and returns the ``k`` best, best first. ``is_outside_corpus`` answers ``outside``.
    """

    def __init__(self, store: Store, hits: list[Hit], max_query_chars: int = 500, outside: bool = False):
        self.store = store
        self.hits = list(hits)
        self.max_query_chars = max_query_chars
        self.outside = outside
        self.queries: list[str] = []

    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        from assistant.retrieval.base import Filters, validate_query

        q = validate_query(query, self.max_query_chars)
        self.queries.append(q)
        f = filters or Filters()
        k = max(1, min(int(k), 200))
        hits = [h for h in self.hits if not f.doc_types or h.document.doc_type.value in f.doc_types]
        if f.as_of or f.current_only:
            live = in_force_ids(self.store.documents(), f.as_of)
            hits = [h for h in hits if h.document.id in live]
        out, seen = [], set()
        for h in sorted(hits, key=lambda h: -h.score):
            if h.chunk.id not in seen:
                seen.add(h.chunk.id)
                out.append(copy.deepcopy(h))
        return out[:k]

    def is_outside_corpus(self, query: str) -> bool:
        return bool(self.outside)

    def tokenize(self, text: str) -> list[str]:
        """Character bigrams: enough for the answerability check's word coverage."""
        t = "".join(text.split())
        return [t[i:i + 2] for i in range(len(t) - 1)]


def register_fakes() -> None:
    """Make ``E_ASSISTANT_EMBEDDER=hashing`` select :class:`HashingEmbedder` (tests only)."""
    register_embedder("hashing", lambda model_dir, threads: HashingEmbedder())
