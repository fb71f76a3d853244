"""``PostgresStore``: the ``Store`` protocol (corpus/store.py) on PostgreSQL, for deployments where several
``serve`` replicas share one store (#24). ``E_ASSISTANT_STORE_URL=postgresql://…`` selects it.

It runs the SQLite store's own queries (corpus/sqlite_store.py), so the two cannot drift apart: each statement is
translated once to PostgreSQL's dialect (:func:`to_postgres`) — ``?`` placeholders become ``%s``, ``INSERT OR
REPLACE`` becomes ``INSERT … ON CONFLICT (key) DO UPDATE``, ``instr`` becomes ``strpos`` — and the contract
suite every Store passes (tests/test_contracts.py) runs against a real PostgreSQL server. Each thread has its own
connection in autocommit mode; :meth:`transaction` opens an explicit transaction, so a crash mid-file leaves the
store as it was after the last complete file, as with SQLite. Needs ``psycopg`` 3 (the ``postgres`` extra).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from corpus.migrations import migrate
from corpus.sqlite_store import SQLiteStore

# the primary key of each table, for INSERT OR REPLACE → ON CONFLICT
_KEYS = {"files": "path", "documents": "id", "chunks": "id", "successors": "chunk_id"}
_UPSERT = re.compile(r"INSERT OR REPLACE INTO (\w+)\s*\(([^)]*)\)\s*VALUES\s*(\([^)]*\))", re.S)


@lru_cache(maxsize=256)
def to_postgres(sql: str) -> str:
    """One SQLite statement of corpus/sqlite_store.py in PostgreSQL's dialect.

    >>> to_postgres("INSERT OR REPLACE INTO files(path, sha256) VALUES (?,?)")
    'INSERT INTO files(path, sha256) VALUES (%s,%s) ON CONFLICT (path) DO UPDATE SET sha256=EXCLUDED.sha256'
    """
    def upsert(m: re.Match) -> str:
        table, cols, values = m.group(1), [c.strip() for c in m.group(2).split(",")], m.group(3)
        key = _KEYS[table]
        sets = ", ".join(f"{c}=EXCLUDED.{c}" for c in cols if c != key)
        return f"INSERT INTO {table}({', '.join(cols)}) VALUES {values} ON CONFLICT ({key}) DO UPDATE SET {sets}"

    sql = _UPSERT.sub(upsert, sql)
    sql = re.sub(r"instr\(([^,]+), \?\) > 0", r"strpos(\1, ?) > 0", sql)
    return sql.replace("%", "%%").replace("?", "%s")


class _Connection:
    """A psycopg connection that takes the SQLite store's statements (translated) and behaves as its code expects."""

    def __init__(self, raw):
        self.raw = raw
        self.in_transaction = False

    def execute(self, sql: str, params: tuple | list = ()):
        cur = self.raw.cursor()
        cur.execute(to_postgres(sql), tuple(params))
        return cur

    def executemany(self, sql: str, rows) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            with self.raw.cursor() as cur:
                cur.executemany(to_postgres(sql), rows)

    def begin(self) -> None:
        self.raw.execute("BEGIN")
        self.in_transaction = True

    def commit(self) -> None:
        if self.in_transaction:
            self.raw.execute("COMMIT")
        self.in_transaction = False

    def rollback(self) -> None:
        if self.in_transaction:
            self.raw.execute("ROLLBACK")
        self.in_transaction = False

    def close(self) -> None:
        self.raw.close()


class PostgresStore(SQLiteStore):
    """The ``Store`` protocol on a PostgreSQL database (``url``: ``postgresql://user@host:port/db``).

    Raises ``psycopg.OperationalError`` when the server cannot be reached, and ImportError (with the install
    hint) when psycopg is missing.
    """

    def __init__(self, url: str):
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:  # pragma: no cover - the extra is in the test install
            raise ImportError("使用 PostgreSQL 需要安装 psycopg：pip install 'e-assistant[postgres]'") from exc
        self.url = url
        self.path = url  # what the SQLite store calls its location (shown in status output)
        self._local = threading.local()
        self._opened: list[tuple[threading.Thread, _Connection]] = []
        self._lock = threading.Lock()
        migrate(self.con.raw)  # the numbered SQL files of corpus/migrations/postgres, once per database

    def _connect(self) -> _Connection:  # type: ignore[override]
        """A connection of its own for this thread, in autocommit mode (:meth:`transaction` begins explicitly)."""
        import psycopg

        return _Connection(psycopg.connect(self.url, autocommit=True))

    @staticmethod
    def _begin(con: _Connection) -> None:  # type: ignore[override]
        """Open the outermost transaction (the connection is in autocommit mode between them)."""
        con.begin()
