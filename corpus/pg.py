"""Connections to a shared PostgreSQL store (#24) that survive the server going away: a restart, a fail-over or a
network blip must cost a replica at most the requests made while the server is down, never a restart of its own.

:class:`Link` is one autocommit connection, checked (``SELECT 1``) when it was last used more than a second ago
and opened again when it is closed, broken or fails the check; pending schema migrations are applied on the first
open. :class:`StoreUnavailable` is what every caller sees when the server cannot be reached, with a Chinese
message (the password is never in it).
"""

from __future__ import annotations

import re
import threading
import time


class StoreUnavailable(ConnectionError):
    """The shared PostgreSQL store cannot be reached now; ``str(err)`` is the message for users."""


def where(url: str) -> str:
    """host:port/db of ``url`` without the user and password, for messages."""
    return re.sub(r"^[a-z]+://(?:[^@/]*@)?", "", url).split("?")[0]


def unavailable(url: str, exc: BaseException) -> StoreUnavailable:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return StoreUnavailable(f"无法连接 PostgreSQL 知识库（{where(url)}）：{reason}；请检查数据库服务和 E_ASSISTANT_STORE_URL")


def connect(url: str, timeout: float = 10.0):
    """A new autocommit psycopg connection; raises StoreUnavailable."""
    import psycopg

    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(timeout)))
    except psycopg.OperationalError as exc:
        raise unavailable(url, exc) from exc


class Link:
    """One connection to ``url``, opened again after the server went away. ``con`` gives a live connection or
    raises StoreUnavailable; use it under the owner's lock (one statement or transaction at a time)."""

    CHECK_AFTER = 1.0  # seconds since the last use before a connection is checked again

    def __init__(self, url: str):
        from corpus.migrations import migrate

        self.url = url
        self._lock = threading.Lock()
        self._con = connect(url)
        self._used = time.monotonic()
        migrate(self._con)

    @property
    def con(self):
        import psycopg

        with self._lock:
            con = self._con
            if con is not None and not con.closed and not con.broken:
                if time.monotonic() - self._used < self.CHECK_AFTER:
                    self._used = time.monotonic()
                    return con
                try:
                    con.execute("SELECT 1")
                    self._used = time.monotonic()
                    return con
                except psycopg.Error:
                    con.close()
            self._con = connect(self.url)
            self._used = time.monotonic()
            return self._con

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
