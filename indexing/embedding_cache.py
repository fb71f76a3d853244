"""On-disk cache of passage embeddings keyed by (model id, sha256 of the text).

A rebuild of the index only embeds texts it has not seen with the same model.
Storage is one SQLite file (WAL journal, float32 blobs). Each batch of new
vectors is committed in its own transaction, so a process that dies mid-build
loses at most the batch in flight and never leaves a half-written row; the
next build resumes from what was committed.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from indexing.embedders import Embedder
from corpus.progress import ProgressFn

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    model_id TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model_id, text_sha256)
) WITHOUT ROWID
"""
_TOKENS_SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    dictionary_hash TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    tokens TEXT NOT NULL,
    PRIMARY KEY (dictionary_hash, text_sha256)
) WITHOUT ROWID
"""
_SEP = "\x1f"
_MAX_VARS = 500  # stay well below SQLite's bound-parameter limit
# the word list of each dictionary whose token lists are cached: a rebuild with a changed word set re-tokenises
# only the texts containing a changed word (indexing/tokenize.py, the locality rule)
_DICTIONARIES_SCHEMA = """CREATE TABLE IF NOT EXISTS dictionaries (
    dictionary_hash TEXT PRIMARY KEY, rules_hash TEXT NOT NULL, words TEXT NOT NULL)"""



def text_key(text: str) -> str:
    """The cache key of a passage: hex sha256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """SQLite-backed store of float32 vectors; ``":memory:"`` gives a throwaway cache.

    Safe to share between threads of one process (a lock serialises access).
    ``hits`` / ``misses`` count lookups made through :meth:`embed_passages`.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            if self.path != ":memory:":
                self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute(_SCHEMA)
            self._conn.execute(_TOKENS_SCHEMA)
            self._conn.execute(_DICTIONARIES_SCHEMA)
        self.hits = 0
        self.misses = 0

    # -- raw access ---------------------------------------------------------

    def get_many(self, model_id: str, keys: Iterable[str], dim: int | None = None) -> dict[str, np.ndarray]:
        """Vectors found for ``keys`` (missing keys are absent; a dim mismatch counts as missing)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for i in range(0, len(wanted), _MAX_VARS):
                part = wanted[i : i + _MAX_VARS]
                marks = ",".join("?" * len(part))
                rows = self._conn.execute(
                    f"SELECT text_sha256, dim, vector FROM embeddings WHERE model_id=? AND text_sha256 IN ({marks})",
                    [model_id, *part],
                ).fetchall()
                for key, row_dim, blob in rows:
                    if (dim is not None and row_dim != dim) or len(blob) != 4 * row_dim:
                        continue
                    found[key] = np.frombuffer(blob, dtype=np.float32).copy()
        return found

    def put_many(self, model_id: str, items: Iterable[tuple[str, np.ndarray]]) -> int:
        """Store ``(key, vector)`` pairs in one transaction; returns how many were written."""
        rows = []
        for key, vec in items:
            v = np.ascontiguousarray(vec, dtype=np.float32).reshape(-1)
            rows.append((model_id, key, int(v.shape[0]), v.tobytes()))
        if not rows:
            return 0
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany(
                    "INSERT OR REPLACE INTO embeddings (model_id, text_sha256, dim, vector) VALUES (?, ?, ?, ?)",
                    rows,
                )
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        return len(rows)

    # -- BM25 token lists (jieba is the slow part of a rebuild) --------------

    def get_tokens(self, dictionary_hash: str, keys: list[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        with self._lock:
            for i in range(0, len(keys), _MAX_VARS):
                part = keys[i : i + _MAX_VARS]
                rows = self._conn.execute(
                    f"SELECT text_sha256, tokens FROM tokens WHERE dictionary_hash=? AND text_sha256 IN"
                    f" ({','.join('?' * len(part))})", [dictionary_hash, *part]).fetchall()
                for key, joined in rows:
                    found[key] = joined.split(_SEP) if joined else []
        return found

    def put_tokens(self, dictionary_hash: str, items: list[tuple[str, list[str]]]) -> None:
        if not items:
            return
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany(
                    "INSERT OR REPLACE INTO tokens (dictionary_hash, text_sha256, tokens) VALUES (?, ?, ?)",
                    [(dictionary_hash, k, _SEP.join(t)) for k, t in items])
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def put_dictionary(self, dictionary_hash: str, rules_hash: str, words: Iterable[str]) -> None:
        """Remember the word list of a dictionary whose token lists are cached."""
        with self._lock:
            self._conn.execute("INSERT OR REPLACE INTO dictionaries VALUES (?, ?, ?)",
                               (dictionary_hash, rules_hash, "\n".join(sorted(words))))

    def previous_dictionary(self, dictionary_hash: str, rules_hash: str) -> tuple[str, set[str]] | None:
        """Another cached dictionary with the same rules (its hash and words), the one with the most token lists;
        None when there is none."""
        with self._lock:
            row = self._conn.execute(
                "SELECT d.dictionary_hash, d.words FROM dictionaries d WHERE d.rules_hash=? AND d.dictionary_hash<>?"
                " ORDER BY (SELECT COUNT(*) FROM tokens t WHERE t.dictionary_hash=d.dictionary_hash) DESC LIMIT 1",
                (rules_hash, dictionary_hash)).fetchone()
        return (row[0], set(row[1].split("\n")) if row[1] else set()) if row else None

    def prune_tokens(self, dictionary_hash: str, keep: Iterable[str]) -> int:
        """Drop token lists of other dictionaries and of texts not in ``keep`` (text keys of the index just
        built); returns the rows removed. Nine rebuilds after title uploads grew the file from 208 to 610 MB
        before this (#23); freed pages are reused, so the file stays flat."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute("CREATE TEMP TABLE IF NOT EXISTS keep_keys (k TEXT PRIMARY KEY)")
                self._conn.execute("DELETE FROM keep_keys")
                self._conn.executemany("INSERT OR IGNORE INTO keep_keys VALUES (?)", [(k,) for k in keep])
                cur = self._conn.execute(
                    "DELETE FROM tokens WHERE dictionary_hash<>? OR text_sha256 NOT IN (SELECT k FROM keep_keys)",
                    (dictionary_hash,))
                removed = int(cur.rowcount)
                self._conn.execute("DELETE FROM keep_keys")
                self._conn.execute("DELETE FROM dictionaries WHERE dictionary_hash<>?", (dictionary_hash,))
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        return removed

    def token_rows(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM tokens").fetchone()[0])

    def count(self, model_id: str | None = None) -> int:
        """Number of cached vectors (for one model, or in total)."""
        with self._lock:
            if model_id is None:
                return int(self._conn.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])
            return int(
                self._conn.execute("SELECT COUNT(*) FROM embeddings WHERE model_id=?", (model_id,)).fetchone()[0]
            )

    def model_ids(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._conn.execute("SELECT DISTINCT model_id FROM embeddings ORDER BY 1")]

    def delete_model(self, model_id: str) -> int:
        """Drop every vector of one model; returns the number of rows removed."""
        with self._lock:
            cur = self._conn.execute("DELETE FROM embeddings WHERE model_id=?", (model_id,))
            return int(cur.rowcount)

    # -- the main entry point -----------------------------------------------

    def embed_passages(
        self,
        embedder: Embedder,
        texts: Sequence[str],
        batch_size: int = 64,
        progress: ProgressFn | None = None,
    ) -> np.ndarray:
        """Embed ``texts`` as passages, reusing cached vectors; returns ``(len(texts), dim)`` float32.

        Only texts missing from the cache reach the embedder, de-duplicated and
        in batches of ``batch_size``; each batch is committed before the next
        one starts. ``progress("embed", done, total)`` counts the new texts.
        """
        keys = [text_key(t) for t in texts]
        out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
        cached = self.get_many(embedder.model_id, keys, dim=embedder.dim)
        todo: dict[str, str] = {}
        for key, text in zip(keys, texts):
            if key not in cached and key not in todo:
                todo[key] = text
        with self._lock:
            self.hits += sum(1 for k in keys if k in cached)
            self.misses += len(todo)
        pending = list(todo.items())
        total = len(pending)
        if progress:
            progress("embed", 0, total)
        for start in range(0, total, batch_size):
            batch = pending[start : start + batch_size]
            vecs = embedder.embed_passages([t for _, t in batch])
            if vecs.shape != (len(batch), embedder.dim):
                raise ValueError(
                    f"embedder {embedder.model_id} returned shape {vecs.shape}, expected {(len(batch), embedder.dim)}"
                )
            self.put_many(embedder.model_id, ((k, v) for (k, _), v in zip(batch, vecs)))
            for (k, _), v in zip(batch, vecs):
                cached[k] = v
            if progress:
                progress("embed", min(start + batch_size, total), total)
        for i, key in enumerate(keys):
            out[i] = cached[key]
        return out

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "EmbeddingCache":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
