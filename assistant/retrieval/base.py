"""What every retriever takes and returns: the query check, filters, hits, and the ``Retriever`` protocol."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from corpus.model import DUTY, PENALTY, Chunk, Document
from corpus.store import Store

FIXED_VIA = ("lookup", "successor", "rule")  # hits placed by citation, succession or rule, not by score
PAIRED = (PENALTY, DUTY)  # 罚则, 违反条款: the relations that bring an article's partner into the results (corpus/references.py)


class QueryError(ValueError):
    """A query that cannot be searched; the message is shown to the user."""


class Query(str):
    """A query that passed :func:`validate_query` (stripped, not empty, within the length limit)."""


def validate_query(query: str | None, max_chars: int = 500) -> Query:
    """The query stripped of surrounding blanks, as a :class:`Query`.

    Raises QueryError (message in Chinese) when it is empty, longer than ``max_chars`` characters, or has no
    letter, digit or Chinese character. The service checks each request once, at its edge; a ``Query``
    passed further down is returned as it is, so the layers below do not check it again.
    """
    if isinstance(query, Query):
        return query
    return Query(checked_text(query, max_chars, empty="查询为空：请输入问题、关键词或条文（如「行政处罚法第三十三条」）。",
                              too_long="查询过长（{n} 字），上限为 {max} 字：请精简后再试。",
                              only_marks="查询只有标点或符号：请输入文字。"))


def checked_text(text: str | None, max_chars: int, *, empty: str, too_long: str, only_marks: str) -> str:
    """``text`` stripped of surrounding blanks; QueryError with ``empty``, ``too_long`` (``{n}``: its length, ``{max}``:
    ``max_chars``, in characters) or ``only_marks`` (no letter, digit or Chinese character) when it is so."""
    t = (text or "").strip()
    if not t:
        raise QueryError(empty)
    if len(t) > max_chars:
        raise QueryError(too_long.format(n=len(t), max=max_chars))
    if not re.search(r"[0-9A-Za-z\u4e00-\u9fff]", t):
        raise QueryError(only_marks)
    return t


@dataclass(frozen=True)
class Filters:
    """Which documents a search may return (hashable: retrievers cache one row mask per distinct filter)."""

    doc_types: frozenset[str] | None = None  # DocType values; None: all
    region: str | None = None  # national texts always match; 广东 matches 广东江门
    law: str | None = None  # title or abbreviation
    current_only: bool = True  # only versions in force today
    as_of: str | None = None  # YYYY-MM-DD: the versions in force on that date (overrides current_only)


@dataclass
class Hit:
    """One retrieved chunk with its document, its score (higher is better; comparable within one result
    list only) and how it was found."""

    chunk: Chunk
    document: Document
    score: float
    via: str  # lookup | successor | rule | hybrid | bm25 | dense | rerank | discretion | linked
    paragraph: int | None = None  # 款 cited by the query, for lookups
    relation: str = ""  # for ``via="linked"``: how it relates to the hit before it («罚则»: it punishes that duty)

    @property
    def pairs(self) -> list[str]:
        """「罚则：第一千一百八十九条」 / 「违反条款：第五百九十二条」: the duty ↔ penalty partners of this article, strongest
        first (stated before aligned), as answers and the UI show them next to it."""
        links = sorted((x for x in self.chunk.links if x.relation in PAIRED), key=lambda x: (x.how != "stated", -x.score))
        return [x.shown for x in links]

    def to_dict(self, on: str | None = None) -> dict:
        """The JSON of a hit (``search --json``, ``/api/search``); ``status`` as of ``on`` (None: today)."""
        c, d = self.chunk, self.document
        return {"title": d.title, "article": c.article, "article_suffix": c.article_suffix,
                "paragraph": self.paragraph, "doc_type": d.doc_type.value, "issuer": d.issuer or None,
                "status": d.status_on(on).value,
                "status_basis": d.status_basis or None,
                "effective_date": d.effective_date or None, "text": c.text, "score": round(self.score, 6),
                "chunk_id": c.id, "source": d.source, "path": c.path, "heading": c.heading or None,
                "page": c.page, "region": d.region, "via": self.via, "relation": self.relation or None,
                "pairs": self.pairs,
                "record": c.record.to_dict() if c.record else None}


class Retriever(Protocol):
    """The seam between answering and search (HybridRetriever; a list-backed fake in tests)."""

    store: Store  # where the hits come from (answers verify their citations against it)
    max_query_chars: int

    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        """The ``k`` best hits for ``query`` (1 ≤ k ≤ 200), best first; QueryError for a query that cannot
        be searched."""
        ...

    def is_outside_corpus(self, query: str) -> bool:
        """Whether the encoder places ``query`` far from everything in the corpus (one piece of evidence the
        answerability decision weighs, answer/answerability.py)."""
        ...

    def tokenize(self, text: str) -> list[str]:
        """The words the search sees in ``text`` (jieba with the legal dictionary for HybridRetriever)."""
        ...
