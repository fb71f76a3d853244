"""Search indexes over corpus chunks: BM25 (bm25s + jieba) and dense vectors (FAISS).

Imports only :mod:`corpus` among our packages.
"""

from indexing.build import IndexHandle, Manifest, build_index, index_text, load_index
from indexing.embedders import Embedder, make_embedder
from indexing.embedding_cache import EmbeddingCache

__all__ = [
    "Embedder",
    "EmbeddingCache",
    "IndexHandle",
    "Manifest",
    "build_index",
    "index_text",
    "load_index",
    "make_embedder",
]
