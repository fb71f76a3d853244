"""Lexical retrieval: BM25 (``bm25s``) over :class:`~indexing.tokenize.LegalTokenizer` tokens.

Scoring is done by ``bm25s`` (sparse precomputed BM25 matrix, numpy backend).
Filtering to an allowed set of chunk ids is exact: the full score vector is
computed once (cheap: it only touches the postings of the query tokens) and
the top k is selected among the allowed positions only, so a restrictive
filter never returns fewer hits than exist.

On disk (one directory): the bm25s files, ``ids.json`` (chunk id per row) and
``dictionary.json`` (the tokenizer's user words and hash, so loading rebuilds
exactly the tokenizer the index was built with).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from indexing.tokenize import LegalTokenizer

_IDS = "ids.json"
_DICT = "dictionary.json"


def _quiet_bm25s() -> None:
    logging.getLogger("bm25s").setLevel(logging.WARNING)


def top_k(scores: np.ndarray, k: int, positions: np.ndarray | None = None) -> list[tuple[int, float]]:
    """Best ``k`` (position, score) pairs with score > 0, highest first, ties by position.

    ``positions`` restricts the candidates to those rows.
    """
    cand = np.arange(len(scores)) if positions is None else positions
    if k <= 0 or len(cand) == 0:
        return []
    vals = scores[cand]
    keep = vals > 0
    cand, vals = cand[keep], vals[keep]
    if len(cand) > k:
        part = np.argpartition(-vals, k - 1)[:k]
        cand, vals = cand[part], vals[part]
    order = np.lexsort((cand, -vals))
    return [(int(cand[i]), float(vals[i])) for i in order]


class BM25Index:
    """BM25 over chunk texts; rows are addressed by chunk id."""

    def __init__(self, retriever, ids: Sequence[str], tokenizer: LegalTokenizer) -> None:
        self.retriever = retriever
        self.ids: list[str] = list(ids)
        self.tokenizer = tokenizer
        self._pos = {cid: i for i, cid in enumerate(self.ids)}
        if len(self._pos) != len(self.ids):
            raise ValueError("duplicate chunk ids in BM25 index")

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def vocab_size(self) -> int:
        return len(self.retriever.vocab_dict)

    @classmethod
    def build(
        cls,
        docs: Iterable[tuple[str, str]],
        tokenizer: LegalTokenizer | None = None,
        k1: float = 1.2,
        b: float = 0.75,
        method: str = "lucene",
    ) -> "BM25Index":
        """Index ``(chunk_id, text)`` pairs."""
        tokenizer = tokenizer or LegalTokenizer()
        pairs = list(docs)
        ids = [cid for cid, _ in pairs]
        corpus_tokens = [tokenizer.tokenize(text) for _, text in pairs]
        return cls.from_tokens(ids, corpus_tokens, tokenizer, k1=k1, b=b, method=method)

    @classmethod
    def from_tokens(
        cls,
        ids: Sequence[str],
        corpus_tokens: list[list[str]],
        tokenizer: LegalTokenizer,
        k1: float = 1.2,
        b: float = 0.75,
        method: str = "lucene",
    ) -> "BM25Index":
        """Index pre-tokenised texts (tokens must come from ``tokenizer``)."""
        import bm25s

        _quiet_bm25s()
        if not ids:
            raise ValueError("cannot build a BM25 index over zero documents")
        retriever = bm25s.BM25(k1=k1, b=b, method=method)
        retriever.index(corpus_tokens, show_progress=False)
        return cls(retriever, ids, tokenizer)

    def search(self, query: str, k: int = 10, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Top ``k`` ``(chunk_id, score)`` for ``query``; ``allowed`` restricts the candidates.

        Chunks with score 0 (no query token in common) are never returned.
        """
        return self.search_tokens(self.tokenizer.tokenize(query), k, allowed)

    def search_tokens(self, tokens: list[str], k: int = 10, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """As :meth:`search` for an already tokenised query."""
        token_ids = self.retriever.get_tokens_ids([t for t in tokens if t])
        if not token_ids or k <= 0:
            return []
        positions = None
        if allowed is not None:
            positions = np.fromiter(
                sorted(self._pos[c] for c in allowed if c in self._pos), dtype=np.int64
            )
            if len(positions) == 0:
                return []
        scores = self.retriever.get_scores_from_ids(token_ids)
        return [(self.ids[i], s) for i, s in top_k(scores, k, positions)]

    def search_positions(self, tokens: list[str], k: int, positions: np.ndarray | None) -> list[tuple[int, float]]:
        """Top ``k`` (row, score) among ``positions`` (rows precomputed by the caller, e.g. per filter)."""
        scores = self.scores(tokens)
        if scores is None or k <= 0:
            return []
        return top_k(scores, k, positions)

    def scores(self, tokens: list[str]) -> np.ndarray | None:
        """The BM25 score of every row for a tokenised query (None when no token is in the vocabulary)."""
        token_ids = self.retriever.get_tokens_ids([t for t in tokens if t])
        if not token_ids:
            return None
        return self.retriever.get_scores_from_ids(token_ids)

    def save(self, directory: str | Path) -> None:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        self.retriever.save(str(d), show_progress=False)
        (d / _IDS).write_text(json.dumps(self.ids, ensure_ascii=False), encoding="utf-8")
        meta = {
            "dictionary_hash": self.tokenizer.dictionary_hash,
            "hmm": self.tokenizer.hmm,
            "word_freq": self.tokenizer.word_freq,
            "stopwords": sorted(self.tokenizer.stopwords),
            "words": list(self.tokenizer.words),
        }
        (d / _DICT).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path, tokenizer: LegalTokenizer | None = None, mmap: bool = False) -> "BM25Index":
        """Load an index; without ``tokenizer`` the saved dictionary is used to rebuild it.

        A passed ``tokenizer`` must have the same dictionary hash as the index.
        """
        import bm25s

        _quiet_bm25s()
        d = Path(directory)
        meta = json.loads((d / _DICT).read_text(encoding="utf-8"))
        if tokenizer is None:
            tokenizer = LegalTokenizer(
                meta["words"], stopwords=meta["stopwords"], hmm=meta["hmm"], word_freq=meta["word_freq"]
            )
        if tokenizer.dictionary_hash != meta["dictionary_hash"]:
            raise ValueError(
                f"tokenizer dictionary {tokenizer.dictionary_hash} does not match the index's "
                f"{meta['dictionary_hash']} (different words, rules or jieba version): rebuild the index"
            )
        retriever = bm25s.BM25.load(str(d), mmap=mmap, show_progress=False)
        ids = json.loads((d / _IDS).read_text(encoding="utf-8"))
        if len(ids) != retriever.scores["num_docs"]:
            raise ValueError(f"{d}: {len(ids)} ids but {retriever.scores['num_docs']} BM25 rows")
        return cls(retriever, ids, tokenizer)
