"""Rank helpers for the violation matcher (assistant/discretion/matching.py) and the advisor: ranks from scores, a
few entries ranked by a lifted score among the others' base scores, a bm25s index over token lists, and candidates
moved ahead of others in the places they held (``moved_ahead``)."""

from __future__ import annotations

import logging

import bm25s
import numpy as np


def ranks(scores: np.ndarray) -> np.ndarray:
    """0-based rank of each entry, highest score first (ties keep index order)."""
    order = np.argsort(-np.asarray(scores), kind="stable")
    out = np.empty(len(order), dtype=int)
    out[order] = np.arange(len(order))
    return out


def lifted_ranks(base: np.ndarray, lifted: np.ndarray, which: np.ndarray) -> np.ndarray:
    """``ranks(base)``, except that each entry where ``which`` holds takes the rank its ``lifted`` score would
    have among the others' ``base`` scores (each lifted alone: they do not push one another down)."""
    out = ranks(base)
    ordered = np.sort(np.asarray(base))
    # the base scores above each lifted one (its own base score is never above: lifted ≥ base)
    out[which] = len(ordered) - np.searchsorted(ordered, np.asarray(lifted)[which], side="right")
    return out


def bm25_index(corpus: list[list[str]]) -> bm25s.BM25 | None:
    """A bm25s index over token lists (Lucene BM25, k1 1.2, b 0.75 — the values the advisor was tuned with);
    None for an empty corpus."""
    if not any(corpus):
        return None
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    index = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    index.index(corpus, show_progress=False)
    return index


def moved_ahead(ranked: list[tuple], ahead: list[int], behind: list[int]) -> list[tuple]:
    """``ranked`` (score, coverage, group) entries, best first, with the entries at ``ahead`` placed before those at
    ``behind`` (each keeping its order) in the places they all held; each place keeps its score, so the scores stay
    in descending order (the advisor cuts at a share of the best). The other entries do not move.

    Args:
        ranked: the candidates as (score, coverage, group) tuples.
        ahead, behind: indices into ``ranked``, disjoint, each ascending.
    """
    places = sorted(ahead + behind)
    out = list(ranked)
    for place, i in zip(places, ahead + behind):
        out[place] = (ranked[place][0], *ranked[i][1:])
    return out
