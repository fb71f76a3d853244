"""The Generator protocol: chat messages in, streamed text out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol


class GenerationError(RuntimeError):
    """The LLM could not answer (unreachable, timed out, bad response); the pipeline falls back to extractive."""


class Generator(Protocol):
    name: str

    def stream(self, messages: list[dict[str, str]], max_tokens: int = 512) -> Iterator[str]:
        """Yield the answer's text in pieces; raise GenerationError on failure."""
        ...


class ScriptedGenerator:
    """A fake for tests: answers with a fixed text (or raises), records the messages it was sent."""

    name = "scripted"

    def __init__(self, reply: str | None = None, fail: bool = False):
        self.reply, self.fail = reply or "", fail
        self.calls: list[list[dict[str, str]]] = []

    def stream(self, messages: list[dict[str, str]], max_tokens: int = 512) -> Iterator[str]:
        self.calls.append(messages)
        if self.fail:
            raise GenerationError("scripted failure")
        for i in range(0, len(self.reply), 8):
            yield self.reply[i:i + 8]
