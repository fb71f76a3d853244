"""Replicas sharing one store (#24): each ``serve`` keeps its own search index (derived data) and follows the
shared store. :class:`CorpusWatcher` compares, every ``interval`` seconds, the corpus the index was built from
with the store's servable chunks (the sha256 the index manifest records) and, when another replica changed
the store, re-builds the index in the job queue — the previous index serves until the new one is swapped in.

On PostgreSQL the check runs as soon as the store says it changed: a trigger (corpus/migrations/postgres/
0003_notify.sql) sends ``NOTIFY e_assistant_corpus`` when a transaction that changed documents or chunks commits,
and :class:`StoreListener` wakes the watcher. The periodic check stays as the fallback (a notification that came
while this replica's own job ran, a dropped listening connection): it costs one id listing per interval (≈ 0.1 s
for 69k chunks) and bounds the time from an upload on one replica to search on every other by ``interval`` + one
rebuild; with the notification it is one rebuild.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class CorpusWatcher:
    """``current()``: the corpus hash of the index being served; ``stored()``: the store's corpus hash now;
    ``busy()``: whether a job (upload, deletion, rebuild) is queued or running; ``rebuild()``: queue a rebuild.
    ``interval`` in seconds."""

    def __init__(self, current: Callable[[], str], stored: Callable[[], str], busy: Callable[[], bool],
                 rebuild: Callable[[], object], interval: float, tick: Callable[[], object] | None = None,
                 wait: Callable[[float], bool] | None = None):
        self.current, self.stored, self.busy, self.rebuild = current, stored, busy, rebuild
        self.tick = tick  # called every interval first: heartbeats and adopting other replicas' orphaned jobs
        self.interval = interval
        # wait(seconds) -> True when the store announced a change before the time ran out (StoreListener.wait)
        self.wait = wait
        self.notified = 0
        self.refreshes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="e-assistant-corpus-watcher", daemon=True)

    def start(self) -> "CorpusWatcher":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def check(self) -> bool:
        """One check: True when a rebuild was queued (the store changed under this replica's index)."""
        if self.busy():
            return False  # this replica's own job rebuilds when it ends
        try:
            changed = self.stored() != self.current()
        except Exception as exc:  # noqa: BLE001 - a store that cannot be read now is tried again next interval
            log.warning("corpus check failed: %s", exc)
            return False
        if changed:
            self.rebuild()
            self.refreshes += 1
        return changed

    def _run(self) -> None:
        due = time.monotonic() + self.interval
        while not self._stop.is_set():
            left = max(0.0, due - time.monotonic())
            if self.wait is not None and self.wait(left):
                self.notified += 1
                if not self._stop.is_set():
                    self.check()
                continue
            if self._stop.wait(max(0.0, due - time.monotonic())):
                return
            due = time.monotonic() + self.interval
            if self.tick is not None:
                try:
                    self.tick()
                except Exception as exc:  # noqa: BLE001 - tried again next interval
                    log.warning("replica tick failed: %s", exc)
            self.check()


class StoreListener:
    """``LISTEN e_assistant_corpus`` on its own connection to the PostgreSQL store at ``url``. :meth:`wait` blocks
    up to ``timeout`` seconds and says whether a change was announced; a lost connection is opened again on the
    next call (until then the watcher's periodic check carries on alone)."""

    CHANNEL = "e_assistant_corpus"

    def __init__(self, url: str):
        self.url = url
        self._con = None

    def _listening(self):
        if self._con is None or self._con.closed:
            import psycopg

            self._con = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
            self._con.execute(f"LISTEN {self.CHANNEL}")
        return self._con

    def wait(self, timeout: float) -> bool:
        try:
            con = self._listening()
            got = any(True for _ in con.notifies(timeout=timeout, stop_after=1))
            if got:  # several statements of one change come together: take them all as one
                for _ in con.notifies(timeout=0.2):
                    pass
            return got
        except Exception as exc:  # noqa: BLE001 - the periodic check covers the gap
            log.warning("corpus notifications unavailable: %s", exc)
            if self._con is not None:
                self._con.close()
            self._con = None
            time.sleep(min(timeout, 1.0))
            return False


def watch_store(service) -> CorpusWatcher | None:
    """A started watcher for ``service`` (an AssistantService) when its settings ask for one:
    ``replica_refresh_seconds`` (default 5 s with a PostgreSQL store, off with SQLite, whose one file has one
    writer); None otherwise. The rebuild goes through the service's job queue like any other."""
    interval = service.settings.replica_refresh_seconds
    if interval is None:
        interval = 5.0 if service.settings.store_url else 0.0
    if interval <= 0:
        return None
    from assistant.retrieval.factory import servable_ids_hash

    def current() -> str:
        retriever = service._retriever
        return retriever.index.manifest.corpus_hash if retriever is not None else ""

    journal = service.jobs.journal
    stale = max(3.0, 6 * interval)  # seconds without a heartbeat before another replica takes a job

    def tick() -> None:
        if hasattr(journal, "beat"):
            from assistant.service.shared_jobs import adopt_orphans

            journal.beat([j.id for j in service.jobs.list() if j.status in ("queued", "running")])
            adopt_orphans(service, stale)

    return CorpusWatcher(current, lambda: servable_ids_hash(service.store),
                         lambda: any(j.status in ("queued", "running") for j in service.jobs.list()),
                         lambda: service.jobs.submit("reindex", lambda progress: service._rebuild(progress),
                                                     description="同步其他副本对知识库的更改"),
                         interval, tick, StoreListener(url).wait if (url := service.settings.store_url) else None).start()


def default_replica_name(settings) -> str:
    """host name and data dir: stable across restarts of one replica, distinct between replicas."""
    import socket

    return f"{socket.gethostname()}:{settings.data_dir.resolve()}"


def job_journal(settings):
    """Where jobs are kept: the shared table of a PostgreSQL store (assistant/service/shared_jobs.py), else the
    SQLite journal in the data dir."""
    if settings.store_url:
        from assistant.service.shared_jobs import SharedJobJournal

        return SharedJobJournal(settings.store_url, settings.replica_name or default_replica_name(settings))
    from assistant.service.jobs import JobJournal

    return JobJournal(settings.jobs_path)


def service_logs(settings):
    """(audit, feedback): one table for every replica of a PostgreSQL store, else JSONL files in the data dir."""
    if settings.store_url:
        from assistant.service.shared_logs import SharedAuditLog, SharedLog

        name = settings.replica_name or default_replica_name(settings)
        return SharedAuditLog(settings.store_url, "audit", name), SharedLog(settings.store_url, "feedback", name)
    from assistant.service.audit import AuditLog, JsonlLog

    return AuditLog(settings.audit_path), JsonlLog(settings.feedback_path)
