"""Retrieval: direct article lookup, hybrid BM25 + dense search, general rules, re-ranking, query expansion."""

from assistant.retrieval.base import Filters, Hit, Query, QueryError, Retriever, validate_query
from assistant.retrieval.hybrid import FusionWeights, HybridRetriever
from indexing.remote_embedder import ModelServerError  # a model server (embeddings, re-ranking) is unusable

__all__ = ["Filters", "FusionWeights", "Hit", "HybridRetriever", "ModelServerError", "Query", "QueryError",
           "Retriever", "validate_query"]
