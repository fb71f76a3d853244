"""Wiring: settings → store → index → retriever, building what is missing or stale."""

from __future__ import annotations

import hashlib
import logging

from assistant.llm.factory import make_generator
from assistant.retrieval.expansion import LLMQueryExpander, QueryExpander
from assistant.retrieval.base import QueryError
from assistant.retrieval.hybrid import FusionWeights, HybridRetriever
from assistant.retrieval.rerank import EmbeddingReranker, HttpReranker
from assistant.settings import Settings
from assistant.storage import open_store, refresh_store
from corpus.lookup import ABBREVIATIONS
from corpus.progress import ProgressFn
from corpus.store import Store
from indexing.build import EmptyIndexError, IndexHandle, build_index, load_index, read_manifest
from indexing.embedders import Embedder, make_embedder
from indexing.embedding_cache import EmbeddingCache
from indexing.tokenize import LegalTokenizer

log = logging.getLogger(__name__)


class EmptyKnowledgeBase(QueryError):
    """The store holds nothing to search (no document ingested, or every file failed): a normal state, said plainly."""


def servable_ids_hash(store: Store) -> str:
    """sha256 over the sorted ids of the servable chunks: the corpus an index was built from."""
    ids = store.servable_chunk_ids()
    return hashlib.sha256("\n".join(sorted(set(ids))).encode("utf-8")).hexdigest()


def make_settings_embedder(settings: Settings) -> Embedder:
    """The dense encoder the settings name; for ``openai`` the model server's client (indexing/remote_embedder.py)."""
    options = {}
    if settings.embedder == "openai":
        options = dict(base_url=settings.embedder_base_url, model=settings.embedder_model,
                       api_key=settings.embedder_api_key, timeout=settings.model_server_timeout,
                       batch_size=settings.embedder_batch, query_prefix=settings.embedder_query_prefix,
                       passage_prefix=settings.embedder_passage_prefix)
    return make_embedder(settings.embedder, settings.embedder_model_dir, threads=settings.threads, **options)


def index_is_current(settings: Settings, store: Store, embedder: Embedder) -> bool:
    try:
        manifest = read_manifest(settings.index_dir)
    except (FileNotFoundError, ValueError, KeyError):
        return False
    # an index tokenised under other rules (an upgrade that changed the tokenizer) is rebuilt, not refused on load
    return (manifest.model_id == embedder.model_id and manifest.corpus_hash == servable_ids_hash(store)
            and manifest.tokenizer_rules == LegalTokenizer().rules_hash)


def open_embedding_cache(settings: Settings) -> EmbeddingCache:
    """The embedding cache in the data dir, and with a PostgreSQL store also the vectors every replica shares
    (indexing/shared_embedding_cache.py, #24)."""
    if settings.store_url:
        from indexing.shared_embedding_cache import SharedEmbeddingCache

        return SharedEmbeddingCache(settings.embedding_cache_path, settings.store_url)
    return EmbeddingCache(settings.embedding_cache_path)


def ensure_index(settings: Settings, store: Store, embedder: Embedder, progress: ProgressFn | None = None,
                 force: bool = False) -> IndexHandle:
    """Load the index, (re)building it first when missing, stale or ``force``d.

    A failed build raises and leaves the previous index in place (build_index swaps atomically); a store without
    a servable chunk raises :class:`EmptyKnowledgeBase` (a QueryError: its one-line Chinese message is shown).
    """
    if force or not index_is_current(settings, store, embedder):
        cache = open_embedding_cache(settings)
        try:
            extra = set(ABBREVIATIONS) | set(ABBREVIATIONS.values())
            build_index(store.servable_chunks(), settings.index_dir, embedder, cache, extra_words=extra,
                        progress=progress)
        except EmptyIndexError as exc:
            failed = sum(status == "failed" for _, status, _ in store.failures())
            why = f"（{failed} 个文件导入失败）" if failed else ""
            raise EmptyKnowledgeBase(f"知识库为空，没有可检索的内容{why}：请先导入文档。") from exc
        finally:
            cache.close()
    return load_index(settings.index_dir, embedder=embedder)


def open_retriever(settings: Settings, progress: ProgressFn | None = None, mode: str | None = None,
                   ingest_if_empty: bool = True) -> HybridRetriever:
    reranker = make_reranker(settings)
    store = open_store(settings)
    if ingest_if_empty:
        refresh_store(settings, store, progress=progress)
    mode = mode or settings.retrieval_mode
    embedder = make_settings_embedder(settings)
    index = ensure_index(settings, store, embedder, progress=progress)
    return make_retriever(settings, store, index, embedder, mode, reranker=reranker,
                          expander=make_query_expander(settings, progress))


def make_retriever(settings: Settings, store: Store, index: IndexHandle, embedder: Embedder,
                   mode: str | None = None, reranker: EmbeddingReranker | None = None,
                   expander: QueryExpander | None = None) -> HybridRetriever:
    """The retriever the settings describe (mode, fusion, query length limit), re-ranked by ``reranker`` and
    with BM25 words from ``expander`` if given."""
    mode = mode or settings.retrieval_mode
    return HybridRetriever(store, index, embedder if mode != "bm25" else None, mode=mode,
                           weights=FusionWeights(method=settings.fusion), max_query_chars=settings.max_query_chars,
                           reranker=reranker, expander=expander)


def make_query_expander(settings: Settings, progress: ProgressFn | None = None, required: bool = False,
                        pause: float = 30.0) -> LLMQueryExpander | None:
    """The LLM query expander for ``query_expansion=llm``, drafting with the answer backend's LLM (with the
    expansion's own short timeout). If that LLM cannot start, searches go without it — or, when
    ``required``, the error is raised."""
    if settings.query_expansion == "none":
        return None
    try:
        generator = make_generator(expansion_settings(settings), progress=progress)
    except RuntimeError as exc:  # e.g. the bundled model is missing
        if required:
            raise
        log.warning("query expansion is off: its LLM could not start (%s)", exc)
        return None
    return LLMQueryExpander(generator, pause=pause)


def expansion_settings(settings: Settings) -> Settings:
    """The settings for the expansion's generator: the answer backend with the shorter expansion timeout."""
    return settings.replaced(llm_timeout=min(settings.llm_timeout, settings.query_expansion_timeout))


def make_reranker(settings: Settings) -> EmbeddingReranker | HttpReranker | None:
    """The second-stage re-ranker the settings ask for (None for ``rerank=none``; a model server's /v1/rerank for
    ``rerank=http``)."""
    if settings.rerank == "none":
        return None
    if settings.rerank == "http":
        return HttpReranker(settings.rerank_base_url, settings.rerank_model, api_key=settings.rerank_api_key,
                            timeout=settings.model_server_timeout, depth=settings.rerank_depth,
                            weight=settings.rerank_weight)
    embedder = make_embedder(settings.rerank, settings.embedder_model_dir, threads=settings.threads)
    return EmbeddingReranker(embedder, open_embedding_cache(settings),
                             depth=settings.rerank_depth, weight=settings.rerank_weight)
