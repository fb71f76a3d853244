"""Background jobs (upload → ingest → re-index) with progress, run one at a time.

One worker thread runs the jobs in order: ingests and index builds write the
same store and index directory, so they must not overlap. A job's function
gets a ``progress(stage, done, total)`` callback; its return value becomes the
job's ``result``, an exception its ``error`` (the message shown to the user).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from assistant.service.audit import now_iso
from corpus.progress import ProgressFn

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


class JobRunner:
    def __init__(self, keep: int = 200):
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="e-assistant-job")
        self._jobs: dict[str, Job] = {}
        self._futures: list[Future] = []
        self._lock = threading.Lock()
        self._keep = keep

    def submit(self, kind: str, fn: Callable[[ProgressFn], dict[str, Any]], description: str = "") -> Job:
        job = Job(id=uuid.uuid4().hex[:12], kind=kind, description=description)
        with self._lock:
            self._jobs[job.id] = job
            if len(self._jobs) > self._keep:  # forget the oldest finished jobs
                for old in [j for j in self._jobs.values() if j.finished_at][: len(self._jobs) - self._keep]:
                    self._jobs.pop(old.id, None)

        def progress(stage: str, done: int, total: int) -> None:
            job.stage, job.done, job.total = stage, done, total

        def run() -> None:
            job.status = "running"
            try:
                job.result = fn(progress)
                job.status, job.stage = "succeeded", "done"
            except Exception as exc:  # the job fails; the server and the old index keep serving
                job.status, job.stage = "failed", "failed"
                job.error = str(exc) or exc.__class__.__name__
                log.exception("job %s (%s) failed", job.id, job.kind)
            finally:
                job.finished_at = now_iso()

        future = self._pool.submit(run)
        with self._lock:
            self._futures = [f for f in self._futures if not f.done()] + [future]
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

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
