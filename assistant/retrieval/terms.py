"""Colloquial → legal term expansion for BM25 queries (摊贩 → 占道经营, 第一次 → 初次 …).

The word list lives in ``assistant/retrieval/data/colloquial_terms.tsv`` so that domain
experts can extend it without touching code. Expansion only adds search terms;
it never changes what an answer says.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

TERMS_FILE = Path(__file__).parent / "data" / "colloquial_terms.tsv"


@lru_cache(maxsize=4)
def load_terms(path: Path = TERMS_FILE) -> tuple[tuple[str, str], ...]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        spoken, legal = line.split("\t", 1)
        pairs.append((spoken.strip(), legal.strip()))
    pairs.sort(key=lambda p: -len(p[0]))  # longest first: 要罚款吗 before 罚
    return tuple(pairs)


GAP = "…"  # in a spoken key: up to GAP_CHARS characters of the same clause («不让…进» matches «不让我们进»)
GAP_CHARS = 4


@lru_cache(maxsize=1024)
def _gapped(spoken: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in spoken.split(GAP)]
    return re.compile(f"[^，。；,;！？!?\\s]{{0,{GAP_CHARS}}}".join(parts))


def _says(spoken: str, query: str) -> bool:
    return _gapped(spoken).search(query) is not None if GAP in spoken else spoken in query


def key_start(spoken: str, query: str) -> int | None:
    """Where a spoken key of the list first matches in ``query`` (character offset), None when it does not."""
    if GAP in spoken:
        m = _gapped(spoken).search(query)
        return m.start() if m else None
    at = query.find(spoken)
    return at if at >= 0 else None


@lru_cache(maxsize=4096)  # the advisor expands each clause for its words and again for their legal terms
def expand(query: str, path: Path = TERMS_FILE) -> str:
    """Extra legal terms for ``query`` (space-separated; empty when none apply).

    A spoken key matches literally, or — written with «…» — with up to ``GAP_CHARS`` characters of one clause
    between its parts.
    """
    extra: list[str] = []
    for _, legal in matched_terms(query, path):
        for term in legal.split():
            if term not in query and term not in extra:
                extra.append(term)
    return " ".join(extra)


def matched_terms(query: str, path: Path = TERMS_FILE) -> list[tuple[str, str]]:
    """The (spoken key, legal terms) lines of the list that ``query`` says, longest key first."""
    return [(spoken, legal) for spoken, legal in load_terms(path) if _says(spoken, query)]


TOPICS_FILE = Path(__file__).parent / "data" / "topics.tsv"


@lru_cache(maxsize=4)
def load_topics(path: Path = TOPICS_FILE) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(spoken keys, title words) per line of topics.tsv."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        spoken, words = line.split("\t", 1)
        out.append((tuple(k.strip() for k in spoken.split("|") if k.strip()), tuple(words.split())))
    return tuple(out)


def topic_words(query: str, path: Path = TOPICS_FILE) -> tuple[str, ...]:
    """Title words of the regulations the query's everyday words point to («绿化带» → 城市绿化; «小广告» → 市容 …),
    in file order, without repeats; empty when no topic applies."""
    out: list[str] = []
    for keys, words in load_topics(path):
        if any(_says(k, query) for k in keys):
            out.extend(w for w in words if w not in out)
    return tuple(out)
