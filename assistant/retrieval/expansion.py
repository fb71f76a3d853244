"""Query expansion by a hypothetical answer (HyDE-style, for BM25 only).

Layperson questions and statutes use different words (老板 / 用人单位, 赔钱 / 损害赔偿). The
LLM drafts a short answer in statutory wording (``prompts/expand.vN.md``); its words — with
law names and article numbers removed, because a small model names wrong or repealed laws —
are added to the BM25 query. The draft is never shown, quoted or cited: it only changes
which articles are found, and every answer still rests on the retrieved text.

Off by default (``E_ASSISTANT_QUERY_EXPANSION=llm`` turns it on): it costs one LLM call per
question (≈ 3–7 s with the bundled model on 2 cores). After a failure (the LLM down, or
busy past its timeout) searches go without it for ``pause`` seconds instead of each waiting.
See evals/README.md for what it gains.
"""

from __future__ import annotations

import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Protocol

from assistant.llm.base import GenerationError, Generator
from assistant.llm.prompts import load_prompt

log = logging.getLogger(__name__)

_LAW_NAME = re.compile(r"《[^》]{0,60}》")
_ARTICLE = re.compile(r"第[一二三四五六七八九十百千零〇两\d]+[条款项编章节](?:之[一二三四五六七八九十\d]+)?")
_LEAD_IN = re.compile(r"(?:根据|依照|按照|依据)\s*(?:的\s*)?(?:相关|有关)?(?:法律)?(?:规定)?[，,：:]?"
                      r"|(?:相关|有关)(?:法律)?规定[，,：:]?")


class QueryExpander(Protocol):
    def expand(self, query: str) -> str:
        """Extra search words for ``query`` ("" when there are none)."""
        ...


def statutory_words(draft: str, max_chars: int = 300) -> str:
    """The draft without law names, article numbers and 「根据……规定」 lead-ins, cut to ``max_chars``."""
    text = _LAW_NAME.sub(" ", draft)
    text = _ARTICLE.sub(" ", text)
    text = _LEAD_IN.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()[:max_chars]


class LLMQueryExpander:
    """Expands a question with the statutory words of an LLM's draft answer (cached per question)."""

    def __init__(self, generator: Generator, max_tokens: int = 110, cache_size: int = 1024,
                 prompt_version: int | None = None, pause: float = 30.0, clock: Callable[[], float] = time.monotonic):
        self.generator, self.max_tokens, self.cache_size = generator, max_tokens, cache_size
        self.template, self.prompt_version = load_prompt("expand", prompt_version)
        self.pause, self.clock = pause, clock
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._lock = Lock()
        self._paused_until = float("-inf")
        self.failures = 0

    def expand(self, query: str) -> str:
        with self._lock:
            if query in self._cache:
                self._cache.move_to_end(query)
                return self._cache[query]
            if self.clock() < self._paused_until:  # the LLM failed a moment ago: do not make every search wait
                return ""
        messages = [{"role": "user", "content": self.template.replace("{question}", query)}]
        try:
            draft = "".join(self.generator.stream(messages, max_tokens=self.max_tokens))
        except GenerationError as exc:  # search goes on without the expansion; not cached, so tried again later
            with self._lock:
                self.failures += 1
                self._paused_until = self.clock() + self.pause
                failures = self.failures
            if failures == 1 or failures % 100 == 0:
                log.warning("query expansion failed (%d times), searching without it for %.0f s: %s",
                            failures, self.pause, exc)
            return ""
        words = statutory_words(draft)
        with self._lock:
            self._cache[query] = words
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return words
