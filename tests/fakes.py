"""Fakes for the seams (Embedder, Generator, Retriever), used by the tests only.

Each passes the same contract suite as the real implementations (tests/test_contracts.py).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence

import numpy as np

from assistant.llm.base import GenerationError
from indexing.embedders import l2_normalise, register_embedder


class HashingEmbedder:
    """FAKE embedder for tests: hashed character n-gram counts, L2-normalised.

    Deterministic across processes (crc32, not Python's salted ``hash``) and
    instant, but it only measures surface character overlap - never use it to
    serve real queries.
    """

    def __init__(self, dim: int = 256, ngrams: tuple[int, ...] = (1, 2, 3)) -> None:
        self.dim = dim
        self.ngrams = tuple(ngrams)
        self.model_id = f"fake-hashing-v1/d{dim}/n{''.join(map(str, self.ngrams))}"

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        s = "".join(text.split())
        for n in self.ngrams:
            for i in range(len(s) - n + 1):
                h = zlib.crc32(s[i : i + n].encode("utf-8"))
                v[h % self.dim] += 1.0 if (h >> 31) & 1 else -1.0
        return v

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("pass a list of strings, not a single string")
        items = list(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        return l2_normalise(np.stack([self._vector(t) for t in items]))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts)


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


def register_fakes() -> None:
    """Make ``E_ASSISTANT_EMBEDDER=hashing`` select :class:`HashingEmbedder` (tests only)."""
    register_embedder("hashing", lambda model_dir, threads: HashingEmbedder())
