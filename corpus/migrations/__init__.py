"""Versioned schema of a shared PostgreSQL store (#24): plain numbered SQL files in ``postgres/``
(``0001_store.sql``, ``0002_service.sql``, …), applied in order, each pending one once, all pending ones in one
transaction under an advisory lock — replicas starting together apply them once, and a failing file leaves the
database as it was. ``schema_migrations`` records (version, name, applied_at).

To change the schema: add the next numbered file (never edit an applied one), and for the embedded SQLite store
the same column in corpus/sqlite_store.py's ``SCHEMA`` / ``_MIGRATIONS``; the contract suite
(tests/test_contracts.py) runs against both stores, so a drift between them fails there.
``e-assistant store migrate`` applies them by hand (``--status`` lists them); every PostgreSQL component applies
pending ones when it opens the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "postgres"
LOCK = 7345000  # pg_advisory_xact_lock key: one migrator at a time
_NAME = re.compile(r"^(\d{4})_([\w-]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations(folder: Path = FOLDER) -> list[Migration]:
    """The numbered SQL files of ``folder``, in order. Raises ValueError on a badly named file or a repeated
    number."""
    out: dict[int, Migration] = {}
    for path in sorted(folder.glob("*.sql")):
        m = _NAME.match(path.name)
        if m is None:
            raise ValueError(f"迁移文件名应为「四位序号_名称.sql」：{path.name}")
        version = int(m.group(1))
        if version in out:
            raise ValueError(f"迁移序号重复：{path.name} 与 {out[version].name}")
        out[version] = Migration(version, m.group(2), path.read_text(encoding="utf-8"))
    return [out[v] for v in sorted(out)]


def applied(con) -> dict[int, str]:
    """{version: applied_at (ISO text)} of a psycopg connection's database; empty before the first migration."""
    exists = con.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()[0]
    if not exists:
        return {}
    return {v: str(at) for v, at in con.execute("SELECT version, applied_at FROM schema_migrations")}


def migrate(con, folder: Path = FOLDER) -> list[Migration]:
    """Apply the pending migrations on ``con`` (a psycopg 3 connection in autocommit mode) in one transaction;
    returns the ones applied now (empty when the database is current). Raises psycopg.Error from a failing file
    (nothing of this call is kept)."""
    todo = migrations(folder)
    with con.transaction():
        con.execute(f"SELECT pg_advisory_xact_lock({LOCK})")
        con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                    " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
        done = applied(con)
        pending = [m for m in todo if m.version not in done]
        for m in pending:
            con.execute(m.sql)
            con.execute("INSERT INTO schema_migrations(version, name) VALUES (%s, %s)", (m.version, m.name))
    return pending


def migrate_url(url: str) -> list[Migration]:
    """:func:`migrate` on the database at ``url`` (its own short connection)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        return migrate(con)
