"""Passage vectors shared by the replicas of one PostgreSQL store (#24): a replica never re-embeds a text another
replica (or its own earlier life) embedded with the same model. The token lists of BM25 stay in the replica's
local cache (they follow its own dictionary); the vectors are looked up locally first, then in the shared
``shared_embeddings`` table, and every new vector is written to both."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterable

import numpy as np

from corpus.pg import Link
from indexing.embedding_cache import EmbeddingCache



class SharedEmbeddingCache(EmbeddingCache):
    """``path``: the replica's local cache (SQLite); ``url``: the shared PostgreSQL database (psycopg 3)."""

    def __init__(self, path: str | Path, url: str) -> None:
        super().__init__(path)
        self._link = Link(url)  # reconnects after a server restart; migrates (the shared_embeddings table)
        self._shared_lock = threading.Lock()

    @property
    def _shared(self):
        return self._link.con

    def get_many(self, model_id: str, keys: Iterable[str], dim: int | None = None) -> dict[str, np.ndarray]:
        wanted = list(dict.fromkeys(keys))
        found = super().get_many(model_id, wanted, dim)
        missing = [k for k in wanted if k not in found]
        if missing:
            with self._shared_lock:
                rows = self._shared.execute("SELECT text_sha256, dim, vector FROM shared_embeddings"
                                            " WHERE model_id=%s AND text_sha256 = ANY(%s)", (model_id, missing)).fetchall()
            fetched = {k: np.frombuffer(bytes(blob), dtype=np.float32).copy() for k, d, blob in rows
                       if (dim is None or d == dim) and len(blob) == 4 * d}
            if fetched:
                super().put_many(model_id, fetched.items())  # kept locally from now on
            found.update(fetched)
        return found

    def put_many(self, model_id: str, items: Iterable[tuple[str, np.ndarray]]) -> int:
        items = [(k, np.ascontiguousarray(v, dtype=np.float32).reshape(-1)) for k, v in items]
        written = super().put_many(model_id, items)
        if items:
            with self._shared_lock, self._shared.cursor() as cur:
                cur.executemany("INSERT INTO shared_embeddings VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                                [(model_id, k, int(v.shape[0]), v.tobytes()) for k, v in items])
        return written

    def close(self) -> None:
        super().close()
        with self._shared_lock:
            self._link.close()
