"""``PostgresStore``: the ``Store`` protocol (corpus/store.py) on PostgreSQL, for deployments where several
``serve`` replicas share one store (#24). ``E_ASSISTANT_STORE_URL=postgresql://…`` selects it.

It runs the SQLite store's own queries (corpus/sqlite_store.py), so the two cannot drift apart: each statement is
translated once to PostgreSQL's dialect (:func:`to_postgres`) — ``?`` placeholders become ``%s``, ``INSERT OR
REPLACE`` becomes ``INSERT … ON CONFLICT (key) DO UPDATE``, ``instr`` becomes ``strpos`` — and the contract
suite every Store passes (tests/test_contracts.py) runs against a real PostgreSQL server. Connections come from a
pool (psycopg_pool) in autocommit mode, so N replicas hold at most N × ``pool_size`` of the server's
``max_connections``; :meth:`transaction` holds one connection for an explicit transaction, so a crash mid-file
leaves the store as it was after the last complete file, as with SQLite. Needs ``psycopg`` 3 and
``psycopg-pool`` (the ``postgres`` extra).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from corpus.migrations import migrate
from corpus.pg import connect, unavailable
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


class _Rows:
    """The rows of one statement, fetched before its connection went back to the pool (what the SQLite store's
    code reads from a cursor: iteration, ``fetchone``, ``fetchall``, ``rowcount``)."""

    def __init__(self, rows: list[tuple], rowcount: int):
        self._rows, self._next, self.rowcount = rows, 0, rowcount

    def fetchone(self):
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchall(self) -> list[tuple]:
        rest, self._next = self._rows[self._next:], len(self._rows)
        return rest

    def __iter__(self):
        return iter(self.fetchall())


class _Connection:
    """One thread's handle on the pool, taking the SQLite store's statements (translated): a statement outside a
    transaction borrows a pooled connection for itself; a transaction holds one from ``begin`` to ``commit`` /
    ``rollback``."""

    def __init__(self, pool):
        self.pool = pool
        self._held = None  # (context manager, connection) during a transaction

    @property
    def in_transaction(self) -> bool:
        return self._held is not None

    def _run(self, fn):
        if self._held is not None:
            return fn(self._held[1])
        with self.pool.connection() as raw:
            return fn(raw)

    def execute(self, sql: str, params: tuple | list = ()) -> _Rows:
        def go(raw) -> _Rows:
            cur = raw.execute(to_postgres(sql), tuple(params))
            return _Rows(cur.fetchall() if cur.description else [], cur.rowcount)

        return self._run(go)

    def executemany(self, sql: str, rows) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            def go(raw) -> None:
                with raw.cursor() as cur:
                    cur.executemany(to_postgres(sql), rows)

            self._run(go)

    def begin(self) -> None:
        ctx = self.pool.connection()
        raw = ctx.__enter__()
        raw.execute("BEGIN")
        self._held = (ctx, raw)

    def _end(self, statement: str) -> None:
        if self._held is None:
            return
        ctx, raw = self._held
        self._held = None
        try:
            raw.execute(statement)
        finally:
            ctx.__exit__(None, None, None)

    def commit(self) -> None:
        self._end("COMMIT")

    def rollback(self) -> None:
        self._end("ROLLBACK")

    def close(self) -> None:
        self.rollback()


class PostgresStore(SQLiteStore):
    """The ``Store`` protocol on a PostgreSQL database (``url``: ``postgresql://user@host:port/db``), through a pool
    of at most ``pool_size`` connections (psycopg_pool; a statement waits up to 10 s for a free one, and a
    connection is checked before use, so a restarted server costs no replica a restart).

    Raises corpus.pg.StoreUnavailable (a Chinese message) when the server cannot be reached, and ImportError (with
    the install hint) when psycopg is missing.
    """

    def __init__(self, url: str, pool_size: int = 8):
        try:
            import psycopg  # noqa: F401
            from psycopg_pool import ConnectionPool, PoolTimeout
        except ImportError as exc:  # pragma: no cover - the extra is in the test install
            raise ImportError("使用 PostgreSQL 需要安装 psycopg 和 psycopg-pool：pip install 'e-assistant[postgres]'") from exc
        self.url = url
        self.path = url  # what the SQLite store calls its location (shown in status output)
        self._local = threading.local()
        self._opened: list[tuple[threading.Thread, _Connection]] = []
        self._lock = threading.Lock()
        connect(url).close()  # an unreachable server or a wrong password: StoreUnavailable, in Chinese, at once
        # connections are checked before use and replaced when the server went away (a restart, a fail-over)
        self._pool = ConnectionPool(url, min_size=1, max_size=pool_size, kwargs={"autocommit": True}, timeout=10,
                                    open=False, name="e-assistant-store", check=ConnectionPool.check_connection)
        try:
            self._pool.open(wait=True, timeout=15)
            with self._pool.connection() as raw:
                migrate(raw)  # the numbered SQL files of corpus/migrations/postgres, once per database
        except PoolTimeout as exc:
            self._pool.close()
            raise unavailable(url, exc) from exc

    def _connect(self) -> _Connection:  # type: ignore[override]
        """This thread's handle on the pool (:meth:`transaction` holds one connection while it lasts)."""
        return _Connection(self._pool)

    @staticmethod
    def _begin(con: _Connection) -> None:  # type: ignore[override]
        """Open the outermost transaction on a connection held from the pool until it ends."""
        con.begin()

    def close(self) -> None:
        super().close()
        self._pool.close()
