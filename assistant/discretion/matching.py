"""Which violations (违法行为) of the 裁量基准 tables the facts of a case describe: lexical and by meaning.

Officers do not type the tables' wording («检查时企业拖着不让我们进厂» for «以拖延……的方式阻挠……监督检查»),
so three kinds of evidence are joined:

- **words**: character-bigram BM25 (``bm25s``) over each violation's text, its table chapter and its tiers' 情节,
  each bigram once; the facts' words are widened with the colloquial → legal term list the search uses
  (``assistant/retrieval/data/colloquial_terms.tsv``: 危废 → 危险废物, 没盖 → 未密闭 覆盖 …);
- **coverage**: the best share, over the facts' clauses, of a clause's idf-weighted bigrams the violation holds;
- **meaning**: the cosine between the facts and the violation text under the deployment's embedder (the same
  one the search uses; USE by default, a model server where one is configured).

A violation is a candidate when (a) its coverage reaches ``MIN_COVERAGE``; or (b) its cosine is at least
``MIN_DENSE`` and within ``DENSE_MARGIN`` of the best, with coverage ≥ ``MIN_SEARCH_COVERAGE``; or (c) the
project's search finds it among its first ``SEARCH_DEPTH`` violations, with coverage ≥ ``MIN_SEARCH_COVERAGE``
and cosine ≥ ``MIN_SEARCH_DENSE``. Candidates are ranked by
``BM25/max BM25 + SEARCH_WEIGHT/(1 + the violation's rank in the search)`` (adding the cosine to the rank
gained nothing on dev). Without an embedder only words and coverage count.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from collections.abc import Callable
from typing import TYPE_CHECKING

import bm25s
import numpy as np

from assistant.discretion.facts import bigrams, normalise_classes
from assistant.retrieval.base import Filters, QueryError
from assistant.retrieval.terms import expand

if TYPE_CHECKING:
    from assistant.discretion.advisor import Group
    from assistant.retrieval.base import Retriever
    from indexing.embedders import Embedder

# A violation covers the facts when it holds ≥ 45 % of one clause's idf-weighted bigrams (tuned on the dev split
# of evals/data/discretion_eval.jsonl: below it 「摊贩占道经营」 matched 生态环境 rows).
MIN_COVERAGE = 0.45
# Meaning-based candidates (calibrated on the dev split of evals/data/discretion_officer.jsonl, see evals/README.md)
MIN_DENSE = 0.45
DENSE_MARGIN = 0.06
SEARCH_DEPTH = 5  # groups of the search's first hits that count as found
SEARCH_WEIGHT = 0.3
MIN_SEARCH_COVERAGE = 0.1  # a violation the search finds needs this much coverage …
MIN_SEARCH_DENSE = 0.4  # … and this cosine to count
_CLAUSE = re.compile(r"[，,。；;！!？?\n]")


@dataclass
class Candidate:
    """One violation group that may fit the facts, with the evidence for it."""

    score: float  # fused score (comparable within one call only)
    coverage: float  # 0–1
    dense: float  # cosine, 0 without an embedder
    group: "Group"


class ViolationMatcher:
    """Ranks the violation groups for facts. ``embedder`` may be None (words only)."""

    def __init__(self, groups: list["Group"], embedder: "Embedder | None" = None,
                 search: "Callable[[str], list[str]] | None" = None,
                 query_vector: "Callable[[str], np.ndarray] | None" = None):
        self.groups = groups
        self.embedder = embedder
        self.search = search
        # the retriever's memo of query vectors: the facts were just embedded by the search, not again here
        self.query_vector = query_vector or (lambda text: self.embedder.embed_queries([text])[0])
        self._group_of = {t.chunk.id: i for i, g in enumerate(groups) for t in g.tiers}
        self._df: Counter = Counter()
        for g in groups:
            self._df.update(g.terms)
        self._n = max(1, len(groups))
        # one field, each bigram once: on the dev split of the record-text set this ranks as the earlier
        # hand-written BM25 with 情节 bigrams at weight 0.3 did (top-1 tier 0.871 vs 0.872)
        self._bm25 = _bm25([sorted(g.terms) for g in groups])
        self._vectors: np.ndarray | None = None
        self._lock = threading.Lock()

    def _idf(self, term: str) -> float:
        """Lucene's BM25 idf of a bigram over the violation groups (as bm25s computes it)."""
        df = self._df.get(term, 0)
        return math.log(1 + (self._n - df + 0.5) / (df + 0.5))

    def _group_vectors(self) -> np.ndarray | None:
        if self.embedder is None or not self.groups:
            return None
        with self._lock:
            if self._vectors is None:
                texts = [normalise_classes(g.violation)[:200] for g in self.groups]
                self._vectors = np.asarray(self.embedder.embed_passages(texts), dtype=np.float32)
        return self._vectors

    def dense_scores(self, facts: str) -> np.ndarray | None:
        """Cosine of the facts against every group's violation text (None without an embedder)."""
        vectors = self._group_vectors()
        if vectors is None:
            return None
        return vectors @ np.asarray(self.query_vector(facts), dtype=np.float32)

    def rank(self, facts: str) -> list[Candidate]:
        """The candidate violations for ``facts`` (already class-normalised), best first.

        Returns:
            Candidates whose coverage reaches MIN_COVERAGE or whose meaning is close enough (see the module
            docstring); an empty list when nothing in the tables is close.
        """
        clauses = [c for c in (bigrams(p + " " + expand(p)) for p in _CLAUSE.split(facts)) if c]
        terms = sorted(set().union(*clauses)) if clauses else []
        if not terms or self._bm25 is None:
            return []
        weights = {t: self._idf(t) for t in terms}
        lexical = self._bm25.get_scores(terms)
        top_lexical = float(lexical.max()) or 1.0
        dense = self.dense_scores(facts)
        best_dense = float(dense.max()) if dense is not None else 0.0
        searched: dict[int, int] = {}  # group → its rank among the groups the project's search finds
        if self.search is not None:
            for chunk_id in self.search(facts):
                i = self._group_of.get(chunk_id)
                if i is not None and i not in searched:
                    searched[i] = len(searched)
        out = []
        for i, g in enumerate(self.groups):
            have = g.terms
            coverage = max((sum(weights[t] for t in c if t in have) / (sum(weights[t] for t in c) or 1.0)
                            for c in clauses), default=0.0) if lexical[i] > 0 else 0.0
            cos = float(dense[i]) if dense is not None else 0.0
            found = searched.get(i)
            # meaning alone is not enough (an uncovered 油烟 case is as close to 排放大气污染物 as many right
            # matches are): the violation must share some words with the facts as well
            close = (dense is not None and cos >= MIN_DENSE and cos >= best_dense - DENSE_MARGIN
                     and coverage >= MIN_SEARCH_COVERAGE)
            found_close = (found is not None and found < SEARCH_DEPTH and coverage >= MIN_SEARCH_COVERAGE
                           and (dense is None or cos >= MIN_SEARCH_DENSE))
            if coverage < MIN_COVERAGE and not close and not found_close:
                continue
            score = float(lexical[i]) / top_lexical
            if found is not None:
                score += SEARCH_WEIGHT / (1 + found)
            out.append(Candidate(score, coverage, cos, g))
        out.sort(key=lambda c: (-c.score, c.group.violation))
        return out


def search_with(retriever: "Callable[[], Retriever]", k: int = 30) -> "Callable[[str], list[str]]":
    """A ``search`` for :class:`ViolationMatcher` that asks the project's retriever (BM25 + dense + term
    expansion over the 裁量 records, repealed tables included: the advisor ranks those last itself).

    Args:
        retriever: returns the current retriever (the service swaps it when the index is rebuilt).
        k: hits asked for (chunk ids; several may belong to one violation).
    """
    filters = Filters(doc_types=frozenset({"discretion"}), current_only=False)

    def search(facts: str) -> list[str]:
        try:
            return [h.chunk.id for h in retriever().search(facts, k=k, filters=filters)]
        except QueryError:
            return []

    return search


def _bm25(corpus: list[list[str]]) -> bm25s.BM25 | None:
    """A bm25s index over token lists (Lucene BM25, k1 1.2, b 0.75 — the values the advisor was tuned with);
    None for an empty corpus."""
    if not any(corpus):
        return None
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    index = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    index.index(corpus, show_progress=False)
    return index
