"""Background jobs (upload → ingest → re-index) with progress, run one at a time, kept across restarts.

One worker thread runs the jobs in order: ingests and index builds write the
same store and index directory, so they must not overlap. A job's function
gets a ``progress(stage, done, total)`` callback; its return value becomes the
job's ``result``, an exception its ``error`` (the message shown to the user).

With a ``journal`` (a small SQLite file in the data dir, :class:`JobJournal`) every job's state, progress,
result and error are written as they change, so a restart — even after ``kill -9`` — still lists them; a job
that was queued or running when the process died is marked failed with that reason (#23), and
:meth:`JobRunner.interrupted` hands the service what it may re-queue (an upload whose file is still there).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from assistant.service.audit import now_iso
from corpus.progress import ProgressFn
from pathlib import Path

log = logging.getLogger(__name__)

STAGE_ZH = {"queued": "排队中", "save": "保存文件", "parse": "解析切分", "ingest": "导入", "tokenize": "分词",
            "embed": "向量化", "write": "写入索引", "delete": "删除", "reload": "加载新索引", "done": "完成",
            "failed": "失败"}



@dataclass
class Job:
    id: str
    kind: str  # upload | delete | reindex
    status: str = "queued"  # queued | running | succeeded | failed
    stage: str = "queued"
    done: int = 0
    total: int = 0
    created_at: str = field(default_factory=now_iso)
    finished_at: str | None = None
    result: dict[str, Any] | None = None
    error: str | None = None
    description: str = ""
    payload: dict[str, Any] = field(default_factory=dict)  # what a restart needs to re-queue it ({"path": …})

    @property
    def fraction(self) -> float:
        if self.status == "succeeded":
            return 1.0
        return self.done / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "status": self.status, "stage": self.stage,
                "stage_zh": STAGE_ZH.get(self.stage, self.stage), "done": self.done, "total": self.total,
                "progress": round(self.fraction, 4), "created_at": self.created_at, "finished_at": self.finished_at,
                "result": self.result, "error": self.error, "description": self.description}


INTERRUPTED = "服务在任务执行期间停止（重启或崩溃），任务未完成"
_COLUMNS = ("id", "kind", "status", "stage", "done", "total", "created_at", "finished_at", "result", "error",
            "description", "payload")


class JobJournal:
    """Jobs in SQLite (``path``), one row each, rewritten on every change of state or stage (and at most once a
    second for progress within a stage)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._con = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._con.execute("PRAGMA journal_mode=WAL")
        self._con.execute("CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, kind TEXT, status TEXT, stage TEXT,"
                          " done INTEGER, total INTEGER, created_at TEXT, finished_at TEXT, result TEXT, error TEXT,"
                          " description TEXT, payload TEXT)")
        self._lock = threading.Lock()

    def save(self, job: Job) -> None:
        row = (job.id, job.kind, job.status, job.stage, job.done, job.total, job.created_at, job.finished_at,
               json.dumps(job.result, ensure_ascii=False, default=str) if job.result is not None else None,
               job.error, job.description, json.dumps(job.payload, ensure_ascii=False))
        with self._lock:
            self._con.execute(f"INSERT OR REPLACE INTO jobs({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * 12)})", row)

    def load(self, keep: int) -> list[Job]:
        with self._lock:
            rows = self._con.execute(f"SELECT {', '.join(_COLUMNS)} FROM jobs ORDER BY created_at DESC LIMIT ?",
                                     (keep,)).fetchall()
        jobs = []
        for r in reversed(rows):
            d = dict(zip(_COLUMNS, r))
            d["result"] = json.loads(d["result"]) if d["result"] else None
            d["payload"] = json.loads(d["payload"]) if d["payload"] else {}
            jobs.append(Job(**d))
        return jobs

    def prune(self, keep: int) -> None:
        with self._lock:
            self._con.execute("DELETE FROM jobs WHERE id NOT IN (SELECT id FROM jobs ORDER BY created_at DESC LIMIT ?)",
                              (keep,))

    def close(self) -> None:
        with self._lock:
            self._con.close()


class JobRunner:
    """``journal``: where jobs are kept across restarts (None: in memory only). Jobs the journal lists as queued
    or running belonged to a process that died: they are marked failed (:data:`INTERRUPTED`) and returned by
    :meth:`interrupted`."""

    def __init__(self, keep: int = 200, journal: JobJournal | None = None):
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="e-assistant-job")
        self._jobs: dict[str, Job] = {}
        self._futures: list[Future] = []
        self._lock = threading.Lock()
        self._keep = keep
        self.journal = journal
        self._interrupted: list[Job] = []
        if journal is not None:
            for job in journal.load(keep):
                if job.status in ("queued", "running"):
                    job.status, job.error, job.finished_at = "failed", INTERRUPTED, now_iso()
                    job.stage = "failed"
                    journal.save(job)
                    self._interrupted.append(job)
                self._jobs[job.id] = job

    def interrupted(self) -> list[Job]:
        """The jobs a previous process left unfinished (already marked failed), oldest first."""
        return list(self._interrupted)

    def record(self, job: Job) -> None:
        """Write ``job`` as it is now to the journal (no-op without one); a failure is logged, not raised."""
        if self.journal is not None:
            try:
                self.journal.save(job)
            except Exception:  # the journal is a record (SQLite or the shared database): it must not fail the job
                log.exception("could not record job %s", job.id)

    def submit(self, kind: str, fn: Callable[[ProgressFn], dict[str, Any]], description: str = "",
               payload: dict[str, Any] | None = None) -> Job:
        job = Job(id=uuid.uuid4().hex[:12], kind=kind, description=description, payload=payload or {})
        with self._lock:
            self._jobs[job.id] = job
            if len(self._jobs) > self._keep:  # forget the oldest finished jobs
                for old in [j for j in self._jobs.values() if j.finished_at][: len(self._jobs) - self._keep]:
                    self._jobs.pop(old.id, None)
        self.record(job)
        if self.journal is not None:
            self.journal.prune(self._keep)
        last = [0.0]

        def progress(stage: str, done: int, total: int) -> None:
            changed = stage != job.stage
            job.stage, job.done, job.total = stage, done, total
            if changed or time.monotonic() - last[0] > 1.0:
                last[0] = time.monotonic()
                self.record(job)

        def run() -> None:
            job.status = "running"
            self.record(job)
            try:
                job.result = fn(progress)
                job.status, job.stage = "succeeded", "done"
            except Exception as exc:  # the job fails; the server and the old index keep serving
                job.status, job.stage = "failed", "failed"
                job.error = str(exc) or exc.__class__.__name__
                log.exception("job %s (%s) failed", job.id, job.kind)
            finally:
                job.finished_at = now_iso()
                self.record(job)

        future = self._pool.submit(run)
        with self._lock:
            self._futures = [f for f in self._futures if not f.done()] + [future]
        return job

    def get(self, job_id: str) -> Job | None:
        """A job of this process, or (with a shared journal, #24) of another replica."""
        with self._lock:
            found = self._jobs.get(job_id)
        if found is None and hasattr(self.journal, "find"):
            return self.journal.find(job_id)
        return found

    def list(self) -> list[Job]:
        with self._lock:
            return list(self._jobs.values())

    def wait_idle(self, timeout: float = 600.0) -> None:
        """Block until every job submitted so far has finished (tests, shutdown)."""
        self._pool.submit(lambda: None).result(timeout=timeout)

    def shutdown(self, timeout: float = 30.0) -> bool:
        """Cancel queued jobs and wait up to ``timeout`` s for the running one; True when none is left running.

        Jobs cannot be interrupted: a job still running after the timeout is left to end with the process
        (an index build writes to a temporary directory and is swapped in only when complete).
        """
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            pending = [f for f in self._futures if not f.done()]
        if not pending:
            return True
        _, still = wait(pending, timeout=timeout)
        if still:
            running = [f"{j.id} ({j.kind})" for j in self.list() if j.status == "running"]
            log.warning("still running at shutdown after %.0f s: %s", timeout, ", ".join(running))
        return not still
