"""Jobs of replicas sharing a PostgreSQL store (#24): one ``shared_jobs`` table every replica writes its jobs to,
with the replica that owns each and a heartbeat; uploaded bytes in ``shared_uploads`` so another replica can run
an upload again. A job whose owner stopped beating (killed mid-job) is taken by exactly one other replica
(``SELECT … FOR UPDATE SKIP LOCKED``): marked failed with the reason, and an upload queued again there.

The same interface as assistant/service/jobs.py's :class:`JobJournal` (``save``, ``load``, ``prune``, ``close``)
plus ``find`` (a job of any replica), ``beat``, ``orphans`` and the upload bytes.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from assistant.service.jobs import _COLUMNS, Job
from corpus.pg import Link



def _job(row: tuple) -> Job:
    d = dict(zip(_COLUMNS, row))
    d["result"] = json.loads(d["result"]) if d["result"] else None
    d["payload"] = json.loads(d["payload"]) if d["payload"] else {}
    return Job(**d)


class SharedJobJournal:
    """Jobs in the shared database at ``url``; ``replica`` names this replica (stable across its restarts, so a
    restarted replica finds its own interrupted jobs as before)."""

    def __init__(self, url: str, replica: str):
        self.replica = replica
        self._lock = threading.Lock()
        self._link = Link(url)  # reconnects after a server restart; migrates (shared_jobs, shared_uploads)

    @property
    def _con(self):
        return self._link.con

    def save(self, job: Job) -> None:
        row = (job.id, job.kind, job.status, job.stage, job.done, job.total, job.created_at, job.finished_at,
               json.dumps(job.result, ensure_ascii=False, default=str) if job.result is not None else None,
               job.error, job.description, json.dumps(job.payload, ensure_ascii=False), self.replica)
        cols = ", ".join(_COLUMNS)
        sets = ", ".join(f"{c}=EXCLUDED.{c}" for c in _COLUMNS if c != "id")
        with self._lock:
            self._con.execute(f"INSERT INTO shared_jobs({cols}, owner) VALUES ({', '.join(['%s'] * 13)})"
                              f" ON CONFLICT (id) DO UPDATE SET {sets}, owner=EXCLUDED.owner, heartbeat=now()", row)

    def load(self, keep: int) -> list[Job]:
        """This replica's own jobs (the newest ``keep``), oldest first: what it ran before a restart."""
        with self._lock:
            rows = self._con.execute(f"SELECT {', '.join(_COLUMNS)} FROM shared_jobs WHERE owner=%s"
                                     " ORDER BY created_at DESC LIMIT %s", (self.replica, keep)).fetchall()
        return [_job(r) for r in reversed(rows)]

    def find(self, job_id: str) -> Job | None:
        """A job of any replica."""
        with self._lock:
            row = self._con.execute(f"SELECT {', '.join(_COLUMNS)} FROM shared_jobs WHERE id=%s", (job_id,)).fetchone()
        return _job(row) if row else None

    def prune(self, keep: int) -> None:
        with self._lock:
            self._con.execute("DELETE FROM shared_jobs WHERE owner=%s AND id NOT IN (SELECT id FROM shared_jobs"
                              " WHERE owner=%s ORDER BY created_at DESC LIMIT %s)", (self.replica, self.replica, keep))
            self._con.execute("DELETE FROM shared_uploads WHERE job_id NOT IN (SELECT id FROM shared_jobs)")

    def beat(self, job_ids: list[str]) -> None:
        """This replica is alive and running ``job_ids``."""
        if job_ids:
            with self._lock:
                self._con.execute("UPDATE shared_jobs SET heartbeat=now() WHERE owner=%s AND id = ANY(%s)",
                                  (self.replica, job_ids))

    def orphans(self, stale_seconds: float) -> list[tuple[Job, str]]:
        """Jobs of other replicas left queued or running with no heartbeat for ``stale_seconds``: each taken by
        this replica alone (row locks, SKIP LOCKED), marked failed with the reason, returned with the owner."""
        with self._lock, (con := self._con).transaction():  # one connection for the whole transaction
            rows = con.execute(
                f"SELECT {', '.join(_COLUMNS)}, owner FROM shared_jobs WHERE status IN ('queued', 'running')"
                " AND owner<>%s AND heartbeat < now() - make_interval(secs => %s) FOR UPDATE SKIP LOCKED",
                (self.replica, stale_seconds)).fetchall()
            out = []
            for row in rows:
                job, owner = _job(row[:-1]), row[-1]
                job.status, job.stage = "failed", "failed"
                job.error = f"副本 {owner} 在任务执行期间停止（超过 {stale_seconds:g} 秒无心跳），由副本 {self.replica} 接手"
                con.execute("UPDATE shared_jobs SET status=%s, stage=%s, error=%s, finished_at=now()::text"
                            " WHERE id=%s", (job.status, job.stage, job.error, job.id))
                out.append((job, owner))
        return out

    def note(self, job_id: str, error: str) -> None:
        """Set the reason of a job of any replica (an adopted one: where it went)."""
        with self._lock:
            self._con.execute("UPDATE shared_jobs SET error=%s WHERE id=%s", (error, job_id))

    def save_upload(self, job_id: str, name: str, original: str, data: bytes) -> None:
        with self._lock:
            self._con.execute("INSERT INTO shared_uploads VALUES (%s, %s, %s, %s) ON CONFLICT (job_id) DO NOTHING",
                              (job_id, name, original, data))

    def upload(self, job_id: str) -> tuple[str, str, bytes] | None:
        """(file name, original name, bytes) of an upload job, when they were stored."""
        with self._lock:
            row = self._con.execute("SELECT name, original, data FROM shared_uploads WHERE job_id=%s",
                                    (job_id,)).fetchone()
        return (row[0], row[1] or "", bytes(row[2])) if row else None

    def close(self) -> None:
        with self._lock:
            self._link.close()


def adopt_orphans(service: Any, stale_seconds: float) -> list[str]:
    """Take the jobs other replicas left behind (see :meth:`SharedJobJournal.orphans`): an upload whose bytes are
    stored is queued again here; the rest stay failed with the reason. Returns the new job ids."""
    journal = service.jobs.journal
    out = []
    for old, owner in journal.orphans(stale_seconds):
        found = journal.upload(old.id) if old.kind == "upload" else None
        if found is not None:
            name, original, data = found
            new = service.upload(original or name, data, user="system", channel="replica")
            journal.note(old.id, f"{old.error}；已重新排队为任务 {new.id}")
            out.append(new.id)
        service.audit.record("job_adopted", "system", "replica", job=old.id, kind=old.kind, owner=owner,
                             requeued=out[-1] if found is not None else None)
    return out
