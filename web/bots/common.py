"""What both chat channels share: deduplication of retried callbacks, compact phone rendering, splitting,
and the dispatcher that answers a message in the background through the one answer pipeline."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

from assistant.answer.pipeline import Answer
from assistant.retrieval import QueryError
from assistant.service.service import AssistantService
from corpus.model import Status

log = logging.getLogger(__name__)

EMPTY_QUESTION = "请直接发送要咨询的问题，例如：摊贩第一次占道经营，当场改正了，要罚款吗？"
FAILED = "抱歉，暂时无法回答，请稍后再试。"
_MENTION = re.compile(r"@\S+\s*")


class SeenIds:
    """Message ids seen recently (a bounded, time-limited set): platforms retry callbacks."""

    def __init__(self, ttl: float = 7200.0, max_items: int = 100_000):
        self.ttl, self.max_items = ttl, max_items
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        """True the first time ``key`` is offered (within the TTL), False for every repeat."""
        now = time.monotonic()
        with self._lock:
            while self._seen and (len(self._seen) > self.max_items or next(iter(self._seen.values())) < now - self.ttl):
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now
            return True


def strip_mentions(text: str) -> str:
    return _MENTION.sub("", text or "").strip()


def compact_answer(answer: Answer, max_sources: int = 4) -> str:
    """The answer for a phone screen: text, then the verified sources in one line each, then warnings."""
    lines = [answer.answer.strip()]
    seen: set[tuple] = set()
    basis = []
    for c in answer.citations:
        key = (c.title, c.article, c.article_suffix, c.paragraph)
        if key in seen or len(basis) >= max_sources:
            continue
        seen.add(key)
        where = c.label
        mark = "✔已核验" if c.verified else "✘未核实"
        status = f"（{Status.shown(c.status)}）" if c.status and c.status != Status.CURRENT.value else ""
        basis.append(f"[{c.n or '-'}]《{c.title}》{where}{status} {mark}")
    if basis:
        lines.append("—— 依据 ——\n" + "\n".join(basis))
    if answer.unverified:
        lines.append(f"✘ {len(answer.unverified)} 处引用未通过核验，已在文中标记。")
    lines.extend(f"⚠ {w}" for w in answer.warnings)
    lines.extend(f"ℹ {n}" for n in answer.notices)
    return "\n\n".join(line for line in lines if line)


def split_text(text: str, max_bytes: int) -> list[str]:
    """Pieces of at most ``max_bytes`` UTF-8 bytes, cut at line ends where possible."""
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line.encode("utf-8")) > max_bytes:  # a single over-long line: cut it by characters
            cut = len(line)
            while len(line[:cut].encode("utf-8")) > max_bytes:
                cut = cut * 3 // 4
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:cut])
            line = line[cut:]
        if len((current + line).encode("utf-8")) > max_bytes:
            parts.append(current)
            current = ""
        current += line
    if current.strip():
        parts.append(current)
    return [p.strip("\n") for p in parts if p.strip()]


class Dispatcher:
    """Answers messages in worker threads, at most once per message id."""

    def __init__(self, service: AssistantService, channel: str, workers: int = 2):
        self.service, self.channel = service, channel
        self.seen = SeenIds()
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"bot-{channel}")
        self._pending: set[Future] = set()
        self._lock = threading.Lock()

    def submit(self, msg_id: str, user: str, text: str, reply: Callable[[str], None]) -> Future | None:
        """Queue an answer; None when ``msg_id`` was seen before (a platform retry)."""
        if not self.seen.first_time(msg_id):
            return None
        future = self.pool.submit(self._answer, user, text, reply)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future) -> None:
        with self._lock:
            self._pending.discard(future)

    def _answer(self, user: str, text: str, reply: Callable[[str], None]) -> None:
        question = strip_mentions(text)
        try:
            if not question:
                reply(EMPTY_QUESTION)
                return
            try:
                # 「9月25日立案的，最晚什么时候作出决定？」: the computed date, not only the article
                deadline = self.service.deadline_reply(question, user=f"{self.channel}:{user}", channel=self.channel)
                if deadline is not None:
                    reply(deadline)
                    return
                answer = self.service.ask(question, user=f"{self.channel}:{user}", channel=self.channel)
                reply(compact_answer(answer))
            except QueryError as exc:
                reply(str(exc))
        except Exception:  # a failed send or answer must not kill the worker; the platform user sees nothing more
            log.exception("%s: answering %s failed", self.channel, user)
            try:
                reply(FAILED)
            except Exception:
                log.exception("%s: sending the failure notice failed", self.channel)

    def wait_idle(self, timeout: float = 120.0) -> None:
        """Block until queued answers are done (tests, shutdown)."""
        with self._lock:
            pending = list(self._pending)
        wait(pending, timeout=timeout)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
