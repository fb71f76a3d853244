"""The audit and feedback logs of replicas sharing a PostgreSQL store (#24): one table, ``service_log``, that every
replica appends to, instead of a JSONL file per replica's data dir. Same interface as
assistant/service/audit.py's logs (``append``, ``read``, and the audit's ``record`` / ``record_answer``)."""

from __future__ import annotations

import json
import threading
from typing import Any

from assistant.service.audit import AuditLog, JsonlLog
from corpus.pg import Link, where



class SharedLog(JsonlLog):
    """Records of one ``kind`` («audit», «feedback») in the shared database at ``url`` (psycopg 3). Appends commit
    at once; a replica that dies loses at most the record it was writing."""

    def __init__(self, url: str, kind: str, replica: str = ""):
        self.url, self.kind, self.replica = url, kind, replica  # each record names the replica that wrote it
        self.path = f"{where(url)}#service_log/{kind}"  # where it is, for messages (no password)
        self._lock = threading.Lock()
        self._link = Link(url)  # reconnects after a server restart; migrates (the service_log table)

    @property
    def _con(self):
        return self._link.con

    def append(self, record: dict[str, Any]) -> dict[str, Any]:
        if self.replica:
            record.setdefault("replica", self.replica)
        line = json.dumps(record, ensure_ascii=False, default=str)
        with self._lock:
            self._con.execute("INSERT INTO service_log(kind, record) VALUES (%s, %s::jsonb)", (self.kind, line))
        return record

    def read(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The last ``limit`` records (all when None), oldest first, from every replica."""
        with self._lock:
            rows = self._con.execute(
                "SELECT record FROM (SELECT n, record FROM service_log WHERE kind=%s ORDER BY n DESC"
                + (" LIMIT %s" if limit is not None else "") + ") last ORDER BY n",
                (self.kind, limit) if limit is not None else (self.kind,)).fetchall()
        return [r[0] for r in rows]

    def close(self) -> None:
        with self._lock:
            self._link.close()


class SharedAuditLog(SharedLog, AuditLog):
    """The audit log (who asked what, through which channel, from which sources) of all replicas in one table."""
