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
