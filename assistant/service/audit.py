"""The audit log (执法监督): every question, its sources and the answer, and every admin operation.

One JSON object per line in ``<data_dir>/audit.jsonl``, appended under a lock
and flushed at once, so a crash loses at most the line being written. Feedback
(👍/👎 on an answer) goes to its own JSONL file the same way.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


class JsonlLog:
    """Append-only JSONL file, safe to write from many threads."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def append(self, record: dict[str, Any]) -> dict[str, Any]:
        line = json.dumps(record, ensure_ascii=False, default=str)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # owner-only (0600): the log holds who asked what (#23)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as f:
                f.write(line + "\n")
        return record

    def read(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The last ``limit`` records (all when None), read from the end of the file without blocking
        writers; a torn last line is ignored."""
        if not self.path.exists():
            return []
        if limit is None:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        else:
            lines = self._tail(limit)
        out = []
        for line in lines:
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return out


    def _tail(self, n: int, block: int = 1 << 16) -> list[str]:
        with self.path.open("rb") as f:
            f.seek(0, 2)
            end = pos = f.tell()
            data = b""
            while pos > 0 and data.count(b"\n") <= n:
                pos = max(0, pos - block)
                f.seek(pos)
                data = f.read(end - pos)
        lines = data.decode("utf-8", "replace").splitlines()
        if pos > 0:
            lines = lines[1:]  # the first line read may be cut
        return lines[-n:]


class AuditLog(JsonlLog):
    """Who asked what, when, through which channel; what was answered from which sources."""

    def record(self, action: str, user: str, channel: str, **fields: Any) -> dict[str, Any]:
        entry = {"id": uuid.uuid4().hex[:16], "time": now_iso(), "action": action, "user": user or "anonymous",
                 "channel": channel}
        entry.update(fields)
        return self.append(entry)

    def record_answer(self, answer: Any, user: str, channel: str, **fields: Any) -> dict[str, Any]:
        """An ``Answer`` (assistant.answer.pipeline) with its sources and citations."""
        sources = [{"n": i.n, "title": i.hit.document.title, "article": i.hit.chunk.article,
                    "paragraph": i.hit.paragraph, "chunk_id": i.hit.chunk.id} for i in answer.context]
        return self.record("ask", user, channel, question=answer.question, standalone_query=answer.standalone_query,
                           answer=answer.answer, backend=answer.backend, sources=sources,
                           citations=[c.model_dump(include={"n", "title", "article", "paragraph", "verified"})
                                      for c in answer.citations],
                           unverified=len(answer.unverified), warnings=answer.warnings, notices=answer.notices,
                           **fields)
