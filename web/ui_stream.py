"""Keeping the 问答 page alive while the model thinks: events of an answer stream, with a tick every second in
between, so the UI can show the sources found and the elapsed time before the first token (#23 item 8)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")
_END = object()


def ticking(events: Iterator[T], every: float = 1.0) -> Iterator[T | None]:
    """``events`` consumed in a worker thread; yields each event, or None when ``every`` seconds passed without
    one. An exception raised by ``events`` is raised here."""
    q: queue.Queue = queue.Queue()

    def pump() -> None:
        try:
            for event in events:
                q.put(event)
        except BaseException as exc:  # noqa: BLE001 — handed to the consumer
            q.put(exc)
        finally:
            q.put(_END)

    threading.Thread(target=pump, name="ui-answer", daemon=True).start()
    while True:
        try:
            item = q.get(timeout=every)
        except queue.Empty:
            yield None
            continue
        if item is _END:
            return
        if isinstance(item, BaseException):
            raise item
        yield item
