"""The store the settings name: opened, filled with the default corpus when empty, re-cut when an older
chunker cut its files."""

from __future__ import annotations

from pathlib import Path

from assistant.settings import Settings
from corpus.ingest import IngestReport, ingest, stale_sources
from corpus.progress import ProgressFn
from corpus.sources.law_db import default_law_db
from corpus.sqlite_store import SQLiteStore
from corpus.store import Store


def open_store(settings: Settings) -> Store:
    """The store the settings name: PostgreSQL at ``store_url`` when set (#24), else the SQLite store at
    ``<data_dir>/corpus.db`` (created empty when missing)."""
    if settings.store_url:
        from corpus.postgres_store import PostgresStore

        return PostgresStore(settings.store_url, pool_size=settings.store_pool_size)
    return SQLiteStore(settings.store_path)


def run_ingest(settings: Settings, store: Store, roots: list[Path] | None = None,
               progress: ProgressFn | None = None) -> IngestReport:
    """Ingest ``roots`` (default: the settings' corpus) and, when enabled, the national-law DB."""
    db = default_law_db() if settings.law_db else None
    return ingest(store, roots if roots is not None else list(settings.corpus), law_db=db,
                  max_bytes=settings.max_bytes, progress=progress)


def refresh_store(settings: Settings, store: Store, progress: ProgressFn | None = None) -> IngestReport | None:
    """Ingest the defaults into an empty store; re-cut the files an older chunker cut (None: nothing to do)."""
    if store.counts()["chunks"] == 0:
        return run_ingest(settings, store, progress=progress)
    db = default_law_db() if settings.law_db else None
    files, law_db_stale = stale_sources(store, db)
    if not files and not law_db_stale:
        return None
    return ingest(store, files, law_db=db if law_db_stale else None, max_bytes=settings.max_bytes, progress=progress)
