"""``SQLiteStore``: the embedded ``Store`` (corpus/store.py) — one SQLite file holding documents, their
chunks and the ingested files.

Every file is written in its own transaction, so a crash mid-ingest leaves
the store as it was after the last complete file. Each thread gets its own
connection (WAL mode: readers never wait for the one writer), so a web server
can search while a background job ingests.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from corpus.metadata import title_key
from corpus.model import ArticleLink, Chunk, DiscretionTier, DocType, Document, Status
from corpus.store import FileRecord, Successor, Validity, VersionRow, VersionState

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, sha256 TEXT, size INTEGER, status TEXT, reason TEXT,
    doc_ids TEXT, ingested_at TEXT DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, title TEXT, title_key TEXT, doc_type TEXT, level TEXT, issuer TEXT,
    region TEXT, effective_date TEXT, version_date TEXT, status TEXT, source_status TEXT,
    source TEXT, sha256 TEXT, note TEXT, is_current INTEGER DEFAULT 1, duplicate_of TEXT,
    origin_rank INTEGER, body_chars INTEGER);
CREATE INDEX IF NOT EXISTS documents_key ON documents(title_key);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, doc_id TEXT, seq INTEGER, title TEXT, doc_type TEXT, path TEXT,
    article INTEGER, article_suffix INTEGER, paragraphs TEXT, heading TEXT, page INTEGER,
    text TEXT, record TEXT);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id, seq);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article);
CREATE TABLE IF NOT EXISTS successors (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT, successor_chunk_id TEXT, similarity REAL);
CREATE INDEX IF NOT EXISTS successors_doc ON successors(doc_id);
"""
# columns added after the first release: (table, column, type); added to older stores when opened
_MIGRATIONS = (("documents", "repealed_on", "TEXT DEFAULT ''"), ("documents", "repealed_by", "TEXT DEFAULT ''"),
               ("documents", "status_basis", "TEXT DEFAULT ''"), ("documents", "version_status", "TEXT DEFAULT ''"),
               ("documents", "version_basis", "TEXT DEFAULT ''"), ("documents", "superseded_on", "TEXT DEFAULT ''"),
               ("successors", "successor_doc_id", "TEXT DEFAULT ''"), ("chunks", "links", "TEXT"),
               ("documents", "planted", "TEXT DEFAULT ''"))

_DOC_COLS = ("id", "title", "doc_type", "level", "issuer", "region", "effective_date", "version_date",
             "status", "source", "sha256", "note", "is_current", "repealed_on", "repealed_by", "superseded_on",
             "status_basis", "source_status", "planted")


class SQLiteStore:
    """The ``Store`` protocol on one SQLite file (WAL; one connection per thread)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._opened: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._lock = threading.Lock()
        self.con.executescript(SCHEMA)
        for table, column, kind in _MIGRATIONS:
            have = {r[1] for r in self.con.execute(f"PRAGMA table_info({table})")}
            if column not in have:
                self.con.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
        self.con.commit()

    @property
    def con(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use by :meth:`_connect`)."""
        con = getattr(self._local, "con", None)
        if con is None:
            con = self._connect()
            self._local.con = con
            with self._lock:
                # worker threads come and go (thread pools retire idle ones): close what dead threads opened
                dead = [c for t, c in self._opened if not t.is_alive()]
                self._opened = [(t, c) for t, c in self._opened if t.is_alive()]
                self._opened.append((threading.current_thread(), con))
            for c in dead:
                c.close()
        return con

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        return con

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for _, con in opened:
            con.close()
        self._local = threading.local()

    # ---- files -------------------------------------------------------------------------
    def file_record(self, path: str) -> FileRecord | None:
        row = self.con.execute("SELECT sha256, status, doc_ids FROM files WHERE path=? AND status IN ('ok', 'removed')",
                               (path,)).fetchone()
        return FileRecord(row[0] or "", row[1], frozenset(json.loads(row[2] or "[]"))) if row else None

    def file_fingerprints(self) -> list[tuple[str, str]]:
        return [(p, s or "") for p, s in self.con.execute("SELECT path, sha256 FROM files WHERE status='ok'")]

    def file_doc_ids(self, path: str) -> list[str]:
        row = self.con.execute("SELECT doc_ids FROM files WHERE path=?", (path,)).fetchone()
        return json.loads(row[0]) if row and row[0] else []

    def record_failure(self, path: str, sha: str, size: int, status: str, reason: str) -> None:
        """Remember a failed or skipped file; documents it produced earlier stay in place."""
        with self.transaction():
            self.con.execute(
                "INSERT INTO files(path, sha256, size, status, reason, doc_ids) VALUES (?,?,?,?,?,"
                " COALESCE((SELECT doc_ids FROM files WHERE path=?), '[]'))"
                " ON CONFLICT(path) DO UPDATE SET sha256=excluded.sha256, size=excluded.size,"
                " status=excluded.status, reason=excluded.reason, ingested_at=CURRENT_TIMESTAMP",
                (path, sha, size, status, reason, path))

    def replace_file(self, path: str, fingerprint: str, size: int,
                     docs: list[tuple[Document, list[Chunk], int]]) -> None:
        with self.transaction():
            row = self.con.execute("SELECT doc_ids FROM files WHERE path=?", (path,)).fetchone()
            old = set(json.loads(row[0])) if row and row[0] else set()
            new = {d.id for d, _, _ in docs}
            for doc_id in old - new:
                if not self._referenced_elsewhere(doc_id, path):
                    self._delete_doc(doc_id)
            for doc, chunks, rank in docs:
                self._put_doc(doc, chunks, rank)
            self.con.execute(
                "INSERT OR REPLACE INTO files(path, sha256, size, status, reason, doc_ids) VALUES (?,?,?,?,?,?)",
                (path, fingerprint, size, "ok", "", json.dumps(sorted(new))))

    def remove_file(self, path: str) -> list[str]:
        with self.transaction():
            row = self.con.execute("SELECT doc_ids FROM files WHERE path=?", (path,)).fetchone()
            ids = json.loads(row[0]) if row and row[0] else []
            for doc_id in ids:
                if not self._referenced_elsewhere(doc_id, path):
                    self._delete_doc(doc_id)
            self.con.execute("DELETE FROM files WHERE path=?", (path,))
        return ids

    def delete_document(self, doc_id: str) -> list[str]:
        with self.transaction():
            rows = self.con.execute("SELECT path, doc_ids FROM files WHERE doc_ids LIKE ?",
                                    (f'%"{doc_id}"%',)).fetchall()
            for path, ids_json in rows:
                ids = [i for i in json.loads(ids_json or "[]") if i != doc_id]
                status = "ok" if ids else "removed"
                self.con.execute("UPDATE files SET doc_ids=?, status=? WHERE path=?",
                                 (json.dumps(sorted(ids)), status, path))
            self._delete_doc(doc_id)
        return [r[0] for r in rows]

    def document_page(self, *, doc_type: str | None = None, title_contains: str | None = None,
                      include_duplicates: bool = False, limit: int = 100, offset: int = 0
                      ) -> tuple[int, list[dict]]:
        where, params = self._where(doc_type=doc_type, title_contains=title_contains,
                                    include_duplicates=include_duplicates, alias="d.")
        total = self.con.execute(f"SELECT count(*) FROM documents d WHERE {where}", params).fetchone()[0]
        cols = ", ".join(f"d.{c}" for c in _DOC_COLS)
        rows = self.con.execute(
            f"SELECT {cols}, d.duplicate_of, (SELECT count(*) FROM chunks c WHERE c.doc_id=d.id)"
            f" FROM documents d WHERE {where} ORDER BY d.doc_type, d.title, d.version_date LIMIT ? OFFSET ?",
            (*params, limit, offset)).fetchall()
        out = []
        for r in rows:
            doc = _doc_from_row(r[: len(_DOC_COLS)])
            out.append({**doc.to_dict(), "duplicate_of": r[-2], "chunks": r[-1]})
        return total, out

    @staticmethod
    def _where(*, doc_type: str | None = None, title_key: str | None = None, title_key_contains: str | None = None,
               title_contains: str | None = None, current_only: bool = False, include_duplicates: bool = False,
               alias: str = "") -> tuple[str, tuple]:
        where, params = ["1=1"], []
        if not include_duplicates:
            where.append(f"{alias}duplicate_of IS NULL")
        if current_only:
            where.append(f"{alias}is_current=1")
        for column, value in (("doc_type", doc_type), ("title_key", title_key)):
            if value is not None:
                where.append(f"{alias}{column}=?")
                params.append(value)
        for column, value in (("title_key", title_key_contains), ("title", title_contains)):
            if value:  # literally: instr() has no wildcards (LIKE would take % and _ as such)
                where.append(f"instr({alias}{column}, ?) > 0")
                params.append(value)
        return " AND ".join(where), tuple(params)

    def _referenced_elsewhere(self, doc_id: str, path: str) -> bool:
        rows = self.con.execute("SELECT doc_ids FROM files WHERE path<>? AND doc_ids LIKE ?",
                                (path, f'%"{doc_id}"%')).fetchall()
        return bool(rows)

    def _delete_doc(self, doc_id: str) -> None:
        self.con.execute("DELETE FROM successors WHERE doc_id=?", (doc_id,))
        self.con.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
        self.con.execute("DELETE FROM documents WHERE id=?", (doc_id,))
        self.con.execute("UPDATE documents SET duplicate_of=NULL WHERE duplicate_of=?", (doc_id,))

    def _put_doc(self, doc: Document, chunks: list[Chunk], rank: int) -> None:
        self.con.execute("DELETE FROM chunks WHERE doc_id=?", (doc.id,))
        self.con.execute(
            "INSERT OR REPLACE INTO documents(id, title, title_key, doc_type, level, issuer, region,"
            " effective_date, version_date, status, source_status, source, sha256, note, is_current,"
            " duplicate_of, origin_rank, body_chars, planted) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,NULL,?,?,?)",
            (doc.id, doc.title, title_key(doc.title), doc.doc_type.value, doc.level, doc.issuer, doc.region,
             doc.effective_date, doc.version_date, doc.status.value, doc.status.value, doc.source,
             doc.sha256, doc.note, rank, len(doc.body),
             json.dumps(doc.planted, ensure_ascii=False) if doc.planted else ""))
        self.con.executemany(
            "INSERT OR REPLACE INTO chunks(id, doc_id, seq, title, doc_type, path, article, article_suffix,"
            " paragraphs, heading, page, text, record, links) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(c.id, doc.id, c.seq, c.title, c.doc_type.value, json.dumps(c.path, ensure_ascii=False),
              c.article, c.article_suffix, json.dumps(c.paragraphs, ensure_ascii=False), c.heading, c.page,
              c.text, json.dumps(c.record.to_dict(), ensure_ascii=False) if c.record else None,
              json.dumps([link.to_dict() for link in c.links], ensure_ascii=False) if c.links else None)
             for c in chunks])

    # ---- reading -----------------------------------------------------------------------
    def _documents(self, where: str, params: tuple = ()) -> list[Document]:
        rows = self.con.execute(f"SELECT {', '.join(_DOC_COLS)} FROM documents WHERE {where}"
                                " ORDER BY title, version_date", params).fetchall()
        return [_doc_from_row(r) for r in rows]

    def documents(self, *, doc_type: str | None = None, title_key: str | None = None,
                  title_key_contains: str | None = None, title_contains: str | None = None,
                  current_only: bool = False, include_duplicates: bool = False) -> list[Document]:
        return self._documents(*self._where(doc_type=doc_type, title_key=title_key,
                                            title_key_contains=title_key_contains, title_contains=title_contains,
                                            current_only=current_only, include_duplicates=include_duplicates))

    def document(self, doc_id: str) -> Document | None:
        docs = self._documents("id=?", (doc_id,))
        return docs[0] if docs else None

    def duplicates(self) -> list[Document]:
        return self._documents("duplicate_of IS NOT NULL")

    def _chunks(self, where: str = "1=1", params: tuple = ()) -> Iterator[Chunk]:
        cur = self.con.execute(
            "SELECT c.id, c.doc_id, c.seq, c.title, c.doc_type, c.path, c.article, c.article_suffix,"
            " c.paragraphs, c.heading, c.page, c.text, c.record, c.links FROM chunks c"
            f" JOIN documents d ON d.id=c.doc_id WHERE {where} ORDER BY c.doc_id, c.seq", params)
        for row in cur:
            yield _chunk_from_row(row)

    def documents_with_article(self, article: int, suffix: int | None = None) -> list[str]:
        same = "c.article_suffix=?" if suffix else "c.article_suffix IS NULL"
        rows = self.con.execute("SELECT DISTINCT c.doc_id FROM chunks c JOIN documents d ON d.id=c.doc_id"
                                f" WHERE c.article=? AND {same} AND d.duplicate_of IS NULL ORDER BY c.doc_id",
                                (article, suffix) if suffix else (article,))
        return [r[0] for r in rows]

    def servable_chunks(self) -> Iterator[Chunk]:
        return self._chunks("d.duplicate_of IS NULL")

    def servable_chunk_ids(self) -> dict[str, str]:
        return dict(self.con.execute("SELECT c.id, c.doc_id FROM chunks c JOIN documents d ON d.id=c.doc_id"
                                     " WHERE d.duplicate_of IS NULL"))

    def record_chunks(self) -> Iterator[Chunk]:
        return self._chunks("d.duplicate_of IS NULL AND c.record IS NOT NULL")

    def chunk(self, chunk_id: str) -> Chunk | None:
        return next(self._chunks("c.id=?", (chunk_id,)), None)

    def chunks_of(self, doc_id: str, articles_only: bool = False) -> list[Chunk]:
        return list(self._chunks("c.doc_id=?" + (" AND c.article IS NOT NULL" if articles_only else ""), (doc_id,)))

    def article_chunk(self, doc_id: str, article: int, suffix: int | None = None) -> Chunk | None:
        if suffix:
            return next(self._chunks("c.doc_id=? AND c.article=? AND c.article_suffix=?", (doc_id, article, suffix)),
                        None)
        return next(self._chunks("c.doc_id=? AND c.article=? AND c.article_suffix IS NULL", (doc_id, article)), None)

    # ---- version reconciliation ------------------------------------------------------------
    def version_rows(self) -> list[VersionRow]:
        rows = self.con.execute(
            "SELECT d.id, d.title_key, d.doc_type, d.effective_date, d.version_date, d.source_status,"
            " d.origin_rank, d.source, (SELECT count(*) FROM chunks c WHERE c.doc_id=d.id AND c.record IS NOT NULL),"
            " (SELECT count(*) FROM chunks c WHERE c.doc_id=d.id) FROM documents d").fetchall()
        return [VersionRow(i, k or "", t, e or "", v or "", s or "", r if r is not None else 9, src or "", nr, nc)
                for i, k, t, e, v, s, r, src, nr, nc in rows]

    def set_version_states(self, states: list[VersionState]) -> None:
        with self.transaction():
            self.con.executemany("UPDATE documents SET duplicate_of=?, is_current=?, status=?, status_basis=?,"
                                 " version_status=?, version_basis=?, repealed_on='', repealed_by='', superseded_on=''"
                                 " WHERE id=?",
                                 [(s.duplicate_of, int(s.is_current), s.status, s.basis, s.status, s.basis, s.doc_id)
                                  for s in states])

    def version_outcomes(self) -> dict[str, tuple[str, str]]:
        return {i: (s or "", b or "") for i, s, b in self.con.execute(
            "SELECT id, version_status, version_basis FROM documents WHERE duplicate_of IS NULL")}

    def set_validity(self, rows: list[Validity]) -> None:
        with self.transaction():
            self.con.executemany("UPDATE documents SET status=?, repealed_on=?, repealed_by=?, superseded_on=?,"
                                 " status_basis=? WHERE id=?",
                                 [(v.status, v.repealed_on, v.repealed_by, v.superseded_on, v.basis, v.doc_id)
                                  for v in rows])

    def chunks_containing(self, text: str) -> Iterator[Chunk]:
        return self._chunks("d.duplicate_of IS NULL AND instr(c.text, ?) > 0", (text,))

    def set_successors(self, doc_id: str, target_id: str, rows: list[Successor]) -> None:
        with self.transaction():
            self.con.execute("DELETE FROM successors WHERE doc_id=?", (doc_id,))
            if not target_id:
                return
            # with no article matched, one placeholder row remembers that the document was aligned with the target
            self.con.executemany("INSERT OR REPLACE INTO successors(chunk_id, doc_id, successor_chunk_id, similarity,"
                                 " successor_doc_id) VALUES (?,?,?,?,?)",
                                 [(r.chunk_id, doc_id, r.successor_chunk_id, r.similarity, target_id) for r in rows]
                                 or [(f"doc:{doc_id}", doc_id, "", 0.0, target_id)])

    def successor_targets(self) -> dict[str, str]:
        return dict(self.con.execute("SELECT DISTINCT doc_id, successor_doc_id FROM successors"))

    def successor(self, chunk_id: str) -> Successor | None:
        row = self.con.execute("SELECT successor_chunk_id, similarity FROM successors WHERE chunk_id=? AND"
                               " successor_chunk_id<>''", (chunk_id,)).fetchone()
        return Successor(chunk_id, row[0], row[1]) if row else None

    def merge_metadata(self, head_id: str, duplicate_id: str, take_title: bool) -> None:
        cols = "SELECT title, issuer, effective_date, version_date, note FROM documents WHERE id=?"
        h = self.con.execute(cols, (head_id,)).fetchone()
        d = self.con.execute(cols, (duplicate_id,)).fetchone()
        if h is None or d is None:
            return
        title = d[0] if take_title else h[0]
        merged = [title] + [hv or dv for hv, dv in zip(h[1:], d[1:])]
        with self.transaction():
            self.con.execute("UPDATE documents SET title=?, title_key=?, issuer=?, effective_date=?, version_date=?,"
                             " note=? WHERE id=?", (merged[0], title_key(merged[0]), *merged[1:], head_id))
            if title != h[0]:
                self.con.execute("UPDATE chunks SET title=? WHERE doc_id=?", (title, head_id))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Writes of this thread inside the block commit together (the outermost block commits, or rolls back
        on an exception); nested blocks join it. ``BEGIN IMMEDIATE`` takes the write lock at once, so the
        first write cannot fail half-way for a lock another connection holds."""
        depth = getattr(self._local, "depth", 0)
        con = self.con
        if depth == 0:
            self._begin(con)
        self._local.depth = depth + 1
        try:
            yield
        except BaseException:
            self._local.depth = depth
            if depth == 0:
                con.rollback()
            raise
        self._local.depth = depth
        if depth == 0:
            con.commit()

    @staticmethod
    def _begin(con) -> None:
        """Open the outermost transaction (the write lock at once: ``BEGIN IMMEDIATE``)."""
        if con.in_transaction:  # a write outside any block left one open: settle it first
            con.commit()
        con.execute("BEGIN IMMEDIATE")

    # ---- state -------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        c = self.con
        out = {"files": c.execute("SELECT count(*) FROM files WHERE status='ok'").fetchone()[0],
               "documents": c.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NULL").fetchone()[0],
               "duplicates": c.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL").fetchone()[0],
               "chunks": c.execute("SELECT count(*) FROM chunks c JOIN documents d ON d.id=c.doc_id"
                                   " WHERE d.duplicate_of IS NULL").fetchone()[0]}
        return out

    def chunk_counts_by_type(self) -> dict[str, int]:
        rows = self.con.execute("SELECT d.doc_type, count(*) FROM chunks c JOIN documents d ON d.id=c.doc_id"
                                " WHERE d.duplicate_of IS NULL GROUP BY d.doc_type").fetchall()
        return dict(rows)

    def failures(self) -> list[tuple[str, str, str]]:
        return self.con.execute("SELECT path, status, reason FROM files WHERE status NOT IN ('ok', 'removed')"
                                " ORDER BY path").fetchall()


def _doc_from_row(r: tuple) -> Document:
    d = dict(zip(_DOC_COLS, r))
    d["is_current"] = bool(d["is_current"])
    d["status"] = Status.parse(d["status"])
    d["declared_status"] = Status.parse(d.pop("source_status"))
    for key in ("repealed_on", "repealed_by", "superseded_on", "status_basis"):
        d[key] = d[key] or ""
    d["planted"] = json.loads(d["planted"]) if d["planted"] else []
    return Document(**d)


def _chunk_from_row(r: tuple) -> Chunk:
    (cid, doc_id, seq, title, doc_type, path, article, suffix, paragraphs, heading, page, text, record, links) = r
    return Chunk(id=cid, doc_id=doc_id, seq=seq, title=title, doc_type=DocType(doc_type),
                 path=json.loads(path or "[]"), article=article, article_suffix=suffix,
                 paragraphs=json.loads(paragraphs or "[]"), heading=heading or "", page=page, text=text,
                 record=DiscretionTier(**json.loads(record)) if record else None,
                 links=[ArticleLink.from_dict(x) for x in json.loads(links)] if links else [])
