"""Rank helpers for the violation matcher (assistant/discretion/matching.py): ranks from scores, a few entries ranked
by a lifted score among the others' base scores, and a bm25s index over token lists."""

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
