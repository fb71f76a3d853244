"""The ``Store`` protocol: where documents, their chunks and the ingested files live.

Everything above ``corpus/`` (ingest, version reconciliation, lookup, retrieval, the advisor, the quiz,
the service) talks to the store through these named methods only — no SQL leaves the implementation —
so a second implementation (PostgreSQL for many replicas) can take its place. ``SQLiteStore``
(``corpus/sqlite_store.py``) is the embedded default; every implementation passes the contract suite in
``tests/test_contracts.py``.

Vocabulary: a *servable* document is one that is not a duplicate of another (``duplicate_of`` is empty);
only servable documents are indexed and searched. A *file record* remembers what one source (a file path,
or the national-law DB) contributed, with its fingerprint (sha256 + chunker version), so unchanged files
are skipped and deleted documents stay deleted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from corpus.model import Chunk, Document


@dataclass(frozen=True)
class FileRecord:
    """What the store remembers of a source that was ingested (``ok``) or whose documents were deleted
    (``removed``)."""

    fingerprint: str  # sha256 of the bytes + "+c" + chunker version ("" for a failure)
    status: str  # ok | removed
    doc_ids: frozenset[str]


@dataclass(frozen=True)
class VersionRow:
    """One document as version reconciliation sees it (``corpus/versions.py``)."""

    id: str
    title_key: str
    doc_type: str
    effective_date: str
    version_date: str
    source_status: str  # the status the source declared (front matter, law DB)
    origin_rank: int  # lower is better: curated sources before the national-law DB
    source: str
    n_records: int  # chunks with a structured 裁量 record
    n_chunks: int


@dataclass(frozen=True)
class VersionState:
    """The outcome of reconciliation for one document."""

    doc_id: str
    duplicate_of: str | None
    is_current: bool
    status: str
    basis: str = ""  # where the status comes from (shown to the user)


@dataclass(frozen=True)
class Validity:
    """A document's validity derived from evidence (corpus/currency.py)."""

    doc_id: str
    status: str  # the status before any dated repeal
    repealed_on: str  # YYYY-MM-DD the repeal takes effect, "" when none is known
    repealed_by: str  # title of the repealing document
    superseded_on: str  # YYYY-MM-DD a newer version or an amending decision took effect, "" when none
    basis: str  # the evidence, as shown: 「依据《…》第…条，自…起废止」


@dataclass(frozen=True)
class Successor:
    """Where an article of a repealed or amended document went: the most similar article of its successor."""

    chunk_id: str
    successor_chunk_id: str
    similarity: float  # 0–1 (IDF-weighted character-bigram cosine of the two articles' texts, corpus/succession.py)


class Store(Protocol):
    # ---- files ------------------------------------------------------------------------------
    def file_record(self, path: str) -> FileRecord | None:
        """The record of a source last ingested (``ok``) or emptied by deletions (``removed``); None for an
        unknown or failed source."""
        ...

    def file_fingerprints(self) -> list[tuple[str, str]]:
        """(path, fingerprint) of every source ingested ``ok``."""
        ...

    def file_doc_ids(self, path: str) -> list[str]:
        """The documents a source contributed (empty for an unknown source)."""
        ...

    def record_failure(self, path: str, sha: str, size: int, status: str, reason: str) -> None:
        """Remember a failed or skipped source (``size`` in bytes); documents it produced earlier stay."""
        ...

    def replace_file(self, path: str, fingerprint: str, size: int,
                     docs: list[tuple[Document, list[Chunk], int]]) -> None:
        """Atomically replace what ``path`` contributed with ``docs`` [(document, chunks, origin rank)];
        documents no other source holds are deleted with their chunks."""
        ...

    def remove_file(self, path: str) -> list[str]:
        """Forget a source and the documents only it holds; returns its document ids."""
        ...

    def failures(self) -> list[tuple[str, str, str]]:
        """(path, status, reason) of every source that failed or was skipped."""
        ...

    # ---- documents ----------------------------------------------------------------------------
    def document(self, doc_id: str) -> Document | None:
        ...

    def documents(self, *, doc_type: str | None = None, title_key: str | None = None,
                  title_key_contains: str | None = None, title_contains: str | None = None,
                  current_only: bool = False, include_duplicates: bool = False) -> list[Document]:
        """Documents matching every given condition, ordered by title then version date. ``current_only``:
        only the version marked current among versions of one title; servable documents unless
        ``include_duplicates``."""
        ...

    def document_page(self, *, doc_type: str | None = None, title_contains: str | None = None,
                      include_duplicates: bool = False, limit: int = 100, offset: int = 0
                      ) -> tuple[int, list[dict]]:
        """(total, one page) for listings: each document's fields plus ``duplicate_of`` and ``chunks``."""
        ...

    def delete_document(self, doc_id: str) -> list[str]:
        """Delete one document and its chunks; returns the sources that held it. A source left with no
        document is kept as ``removed``, so an unchanged re-ingest does not bring the document back."""
        ...

    def duplicates(self) -> list[Document]:
        """Documents stored as duplicates of another (never served)."""
        ...

    # ---- chunks -------------------------------------------------------------------------------
    def chunk(self, chunk_id: str) -> Chunk | None:
        ...

    def chunks_of(self, doc_id: str, articles_only: bool = False) -> list[Chunk]:
        """The document's chunks in order (only those with an article number when ``articles_only``)."""
        ...

    def article_chunk(self, doc_id: str, article: int, suffix: int | None = None) -> Chunk | None:
        """第``article``条(之``suffix``) of a document."""
        ...

    def documents_with_article(self, article: int, suffix: int | None = None) -> list[str]:
        """Ids of the servable documents (all versions, duplicates left out) that have 第``article``条(之
        ``suffix``), sorted. Used to resolve 「本规定第十条」 when only one document could be meant."""
        ...

    def servable_chunks(self) -> Iterator[Chunk]:
        """Chunks of every servable document (all versions), by document then position."""
        ...

    def servable_chunk_ids(self) -> dict[str, str]:
        """chunk id → document id for every servable chunk."""
        ...

    def record_chunks(self) -> Iterator[Chunk]:
        """Servable chunks that carry a structured 裁量 record (tiers and 不予处罚 items)."""
        ...

    # ---- version reconciliation -----------------------------------------------------------------
    def version_rows(self) -> list[VersionRow]:
        ...

    def set_version_states(self, states: list[VersionState]) -> None:
        """Write reconciliation outcomes (one transaction)."""
        ...

    def version_outcomes(self) -> dict[str, tuple[str, str]]:
        """doc id → (status, basis) as version reconciliation left them, before repeal clauses are applied."""
        ...

    def set_validity(self, rows: list[Validity]) -> None:
        """Write derived validity (status, repeal date and document, evidence) for these documents."""
        ...

    def chunks_containing(self, text: str) -> Iterator[Chunk]:
        """Servable chunks whose text contains ``text`` (e.g. 「废止」 when repeal clauses are looked for)."""
        ...

    def set_successors(self, doc_id: str, target_id: str, rows: list[Successor]) -> None:
        """Replace the article correspondence of one document with the text ``target_id`` (its chunks → their
        successors); ``target_id`` "" and no rows forget it. ``target_id`` is stored as given and returned by
        ``successor_targets``: corpus/succession.py writes ``"<document id>|<alignment method>"`` so that a new
        method re-aligns stores made with the old one."""
        ...

    def successor_targets(self) -> dict[str, str]:
        """doc id → the ``target_id`` its articles were aligned with, for every document that has a correspondence."""
        ...

    def successor(self, chunk_id: str) -> Successor | None:
        """Where an article went, when its document was repealed or amended and a successor is stored."""
        ...

    def merge_metadata(self, head_id: str, duplicate_id: str, take_title: bool) -> None:
        """Fill the kept document's empty issuer/dates/note from its duplicate; with ``take_title`` the
        duplicate's title replaces the kept one (on the document and its chunks)."""
        ...

    def transaction(self) -> AbstractContextManager[None]:
        """A context in which the writes of this thread commit together (or not at all)."""
        ...

    # ---- state --------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """{"files", "documents", "duplicates", "chunks"}: ok sources, servable documents, duplicates,
        servable chunks."""
        ...

    def chunk_counts_by_type(self) -> dict[str, int]:
        ...

    def close(self) -> None:
        ...
