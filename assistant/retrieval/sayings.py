"""How officers and citizens say the act an article governs: everyday descriptions per article, matched by words.

An article says «在城市道路范围内……不得擅自……占用城市道路»; an officer types «推车摆摊占了人行道». The colloquial →
legal term list widens the *question* (every article holding the legal term gains); these descriptions belong to
one article each (document expansion), so a street word lifts the article it was written for.

The data (``data/article_sayings.jsonl``: ``{"title", "article", "says"}``) was written blind, article by article,
from the articles' text alone, by helper sessions that saw no evaluation question and no code (evals/README.md,
「Duty ↔ penalty links」, fifth round): up to four descriptions per article of the texts street officers enforce
most (生态环境法典 and the 城市道路 / 市容 / 绿化 regulations), 12–40 characters, no law name or article number, no run
of 6 characters shared with the article; none for articles that bind only a government or department.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np

DATA = Path(__file__).resolve().parent / "data" / "article_sayings.jsonl"
_STOP = set("的了是在和与及或等把被将对也都就还又")


def _bigrams(text: str) -> list[str]:
    t = re.sub(r"[^\u4e00-\u9fff0-9A-Za-z]", "", text)
    return sorted({t[i:i + 2] for i in range(len(t) - 1) if not (t[i] in _STOP and t[i + 1] in _STOP)})


@lru_cache(maxsize=4)
def load_article_sayings(path: Path = DATA) -> tuple[tuple[str, int, tuple[str, ...]], ...]:
    """((title, article number, descriptions), …) from the JSONL file, articles without descriptions left out;
    () when the file is missing (a deployment may remove it)."""
    if not path.is_file():
        return ()
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            says = tuple(s for s in row["says"] if s.strip())
            if says:
                out.append((row["title"], int(row["article"]), says))
    return tuple(out)


class ArticleSayings:
    """BM25 (``bm25s``, character bigrams, each once) over each article's descriptions.

    Args:
        entries: (title, article, descriptions) as :func:`load_article_sayings` returns them.
    """

    def __init__(self, entries: tuple[tuple[str, int, tuple[str, ...]], ...]):
        self.entries = entries
        self._index: bm25s.BM25 | None = None
        self._lock = threading.Lock()

    def _bm25(self) -> bm25s.BM25 | None:
        with self._lock:
            if self._index is None and self.entries:
                logging.getLogger("bm25s").setLevel(logging.WARNING)
                index = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
                index.index([_bigrams(" ".join(says)) or ["∅"] for _, _, says in self.entries], show_progress=False)
                self._index = index
        return self._index

    def best(self, query: str, k: int = 10) -> list[tuple[str, int, float]]:
        """The ``k`` articles whose descriptions share most words with ``query``: (title, article, BM25 score),
        best first, scores > 0 only; [] without data."""
        index = self._bm25()
        tokens = _bigrams(query)
        if index is None or not tokens:
            return []
        scores = index.get_scores(tokens)
        order = np.argsort(-scores, kind="stable")[:k]
        return [(self.entries[i][0], self.entries[i][1], float(scores[i])) for i in order if scores[i] > 0]


# articles whose descriptions join a query's candidates (5: pairs dev2 0.725, dev4 0.725 at weight 0.5; 10 and 20:
# 0.750 each)
SAYINGS_DEPTH = 10


class SaidArticles:
    """The index rows of the articles a question's words describe, for one retriever's index.

    Args:
        sayings: the descriptions' words index.
        store: the store the index was built from (its chunks give each article's rows).
        docs: the store's documents.
        ids: the index's chunk ids, in row order.
    """

    def __init__(self, sayings: ArticleSayings, store, docs: list, ids: list[str]):
        self.sayings, self.store, self.docs, self.ids = sayings, store, docs, ids
        self._rows: dict[tuple[str, int], np.ndarray] | None = None
        self._lock = threading.Lock()

    def rows(self, query: str, mask: np.ndarray) -> dict[int, float]:
        """{row: BM25 score of its article's descriptions} for the ``SAYINGS_DEPTH`` articles whose descriptions
        best share the query's words, every version the store holds, rows ``mask`` allows only."""
        found = self.sayings.best(query, SAYINGS_DEPTH)
        if not found:
            return {}
        with self._lock:
            if self._rows is None:
                self._rows = self._article_rows({(t, a) for t, a, _ in self.sayings.entries})
        out: dict[int, float] = {}
        for title, article, score in found:
            for row in self._rows.get((title, article), ()):
                if mask[row] and score > out.get(int(row), 0.0):
                    out[int(row)] = score
        return out

    def _article_rows(self, wanted: set[tuple[str, int]]) -> dict[tuple[str, int], np.ndarray]:
        titles = {t for t, _ in wanted}
        row_of = {cid: row for row, cid in enumerate(self.ids)}
        rows: dict[tuple[str, int], list[int]] = {}
        for doc in self.docs:
            if doc.title in titles:
                for chunk in self.store.chunks_of(doc.id, articles_only=True):
                    key = (doc.title, chunk.article)
                    if key in wanted and chunk.id in row_of:
                        rows.setdefault(key, []).append(row_of[chunk.id])
        return {k: np.asarray(v, dtype=np.int64) for k, v in rows.items()}


@lru_cache(maxsize=1)
def default_sayings() -> ArticleSayings:
    """The shipped descriptions (one index per process)."""
    return ArticleSayings(load_article_sayings())
