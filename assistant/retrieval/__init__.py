"""Retrieval: direct article lookup, hybrid BM25 + dense search, general rules, re-ranking, query expansion."""

from assistant.retrieval.base import Filters, Hit, Query, QueryError, Retriever, validate_query
from assistant.retrieval.hybrid import FusionWeights, HybridRetriever

__all__ = ["Filters", "FusionWeights", "Hit", "HybridRetriever", "Query", "QueryError", "Retriever", "validate_query"]
