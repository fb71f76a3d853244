"""An embedder behind an OpenAI-compatible ``/v1/embeddings`` endpoint (vLLM, Xinference, TEI, Ollama, llama.cpp).

A deployment with a GPU serves a stronger encoder (bge-m3 …) and points ``E_ASSISTANT_EMBEDDER=openai`` at it;
nothing else changes. Texts go in batches of ``batch_size``; every request has ``timeout`` seconds. A server
that is down, slow or answers something else raises :class:`ModelServerError` with a Chinese message that names
the address — the index build and the search show it as it is.
"""

from __future__ import annotations

import hashlib
import json
import httpx
import numpy as np

from indexing.embedders import _as_list, l2_normalise


class ModelServerError(RuntimeError):
    """A model server (embeddings or re-ranking) cannot be used; the message says which and why, in Chinese."""


def endpoint(base_url: str, path: str) -> str:
    """``base_url`` (with or without a trailing ``/v1``) joined with ``path`` («embeddings», «rerank»)."""
    base = base_url.rstrip("/")
    return f"{base}/{path}" if base.endswith("/v1") else f"{base}/v1/{path}"


def post_json(url: str, payload: dict, api_key: str | None, timeout: float, what: str) -> object:
    """POST ``payload`` to ``url`` and return the decoded JSON. Raises ModelServerError (``what`` names the
    service: 「向量服务」「重排序服务」) when the server cannot be reached, times out, answers an HTTP error or not JSON."""
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        response = httpx.post(url, json=payload, headers=headers, timeout=timeout)
    except httpx.TimeoutException as exc:
        raise ModelServerError(f"{what}（{url}）在 {timeout:.0f} 秒内没有响应，请检查服务负载或调大超时。") from exc
    except httpx.HTTPError as exc:
        raise ModelServerError(f"无法连接{what}（{url}）：{exc.__class__.__name__}。请确认服务已启动、地址和端口正确。") from exc
    if response.status_code >= 400:
        raise ModelServerError(f"{what}（{url}）返回错误 {response.status_code}：{response.text[:200]}")
    try:
        return response.json()
    except (json.JSONDecodeError, ValueError) as exc:
        raise ModelServerError(f"{what}（{url}）返回的不是 JSON：{response.text[:120]}") from exc


class OpenAIEmbedder:
    """The :class:`~indexing.embedders.Embedder` protocol over ``POST {base_url}/v1/embeddings``.

    ``model``: the name the server knows the model by; ``query_prefix`` / ``passage_prefix`` are prepended to
    queries / passages (bge-m3 needs none; e5 models want «query: » / «passage: »). ``dim`` is asked of the
    server with one short text when first needed. ``model_id`` = «openai:<model>» plus a digest of the prefixes,
    so an index built with another model or prefixes is rebuilt (and one moved to another host is not). Rows come back L2-normalised.
    """

    def __init__(self, base_url: str, model: str, api_key: str | None = None, timeout: float = 30.0,
                 batch_size: int = 32, query_prefix: str = "", passage_prefix: str = ""):
        if not base_url:
            raise ValueError("OpenAIEmbedder needs base_url")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.url = endpoint(base_url, "embeddings")
        self.model, self.api_key, self.timeout, self.batch_size = model, api_key, timeout, batch_size
        self.query_prefix, self.passage_prefix = query_prefix, passage_prefix
        prefixes = hashlib.sha256(f"{query_prefix}\x1f{passage_prefix}".encode()).hexdigest()[:8]
        self.model_id = f"openai:{model}#{prefixes}"
        self._dim: int | None = None
        self.requests = 0  # how many requests were sent (batching is visible in tests)

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self._embed(["维度"]).shape[1])
        return self._dim

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed([self.passage_prefix + t for t in _as_list(texts)])

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed([self.query_prefix + t for t in _as_list(texts)])

    def _embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        rows: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start:start + self.batch_size]
            data = post_json(self.url, {"model": self.model, "input": batch, "encoding_format": "float"},
                             self.api_key, self.timeout, "向量服务")
            self.requests += 1
            try:
                items = sorted(data["data"], key=lambda item: item.get("index", 0))
                vectors = [item["embedding"] for item in items]
            except (KeyError, TypeError) as exc:
                raise ModelServerError(f"向量服务（{self.url}）的响应缺少 data[].embedding：{str(data)[:120]}") from exc
            if len(vectors) != len(batch):
                raise ModelServerError(f"向量服务（{self.url}）返回了 {len(vectors)} 个向量，应为 {len(batch)} 个。")
            rows.extend(vectors)
        out = l2_normalise(np.asarray(rows, dtype=np.float32))
        if self._dim is None:
            self._dim = int(out.shape[1])
        elif out.shape[1] != self._dim:
            raise ModelServerError(f"向量服务（{self.url}）的向量维度从 {self._dim} 变成了 {out.shape[1]}：服务换了模型？")
        return out
