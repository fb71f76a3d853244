"""Articles a query cites (《…》第N条, 处罚法33条, 2017年行政处罚法第二十九条): looked up directly, in force on the
filter's date, each followed by the article in force in its place when it is no longer (#3, #17, #21)."""

from __future__ import annotations

import re

from assistant.retrieval.base import Filters, Hit
from corpus.citations import find_citations
from corpus.lookup import documents_with_article, find_article, find_version_article, resolve_title
from corpus.metadata import region_applies, title_key
from corpus.model import Document
from corpus.store import Store
from corpus.succession import current_successor
from corpus.validity import in_force_ids

_YEAR_BEFORE = re.compile(r"((?:19|20)\d{2})\s*$")
_VERSION_WORD = re.compile(r"^(?:年版的|年版|年的|版的|年|版)")


def allowed(doc: Document, f: Filters) -> bool:
    """Whether a document found by citation passes the type and region filters (as the row mask does)."""
    if f.doc_types and doc.doc_type.value not in f.doc_types:
        return False
    return region_applies(doc.region, f.region)


def cited_articles(store: Store, q: str, f: Filters) -> list[Hit]:
    """The cited articles, in force on the filter's date. An article cited from a text no longer in force
    is still shown — it is what was asked for, and its status says so — followed by the article in force
    in its place (``via="successor"``), so that nothing else stands in for it."""
    hits: list[Hit] = []
    dated = f.current_only or bool(f.as_of)
    for cite in find_citations(q):
        title = cite.title or f.law
        if not title:  # 「本规定第十条」: the only document in force that has the article, else none
            docs = documents_with_article(store, cite.article, cite.suffix, f.as_of)
            if len(docs) != 1:
                continue
            title = docs[0].title
        label = f"第{cite.article}条" + (f"之{cite.suffix}" if cite.suffix else "")
        found = later = None
        year = _version_year(store, q, cite) if cite.title else None
        if year:  # 「2017年行政处罚法第二十九条」: the version of that year, then the article in force now
            found = find_version_article(store, title, year, cite.article, cite.suffix)
            versions = store.documents(title_key=title_key(found[0].title)) if found else []
            if found is not None and found[0].id in in_force_ids(versions, f.as_of):
                found = None  # that year's version is the one in force: the ordinary lookup below
            elif found is not None:
                later = current_successor(store, found[1].id, f.as_of)
        if found is None:
            found = find_article(store, title, label, current_only=dated, on=f.as_of, region=f.region)
            if found is None and dated:
                found = find_article(store, title, label, current_only=False, region=f.region)
                later = current_successor(store, found[1].id, f.as_of) if found else None
        if found is None or not allowed(found[0], f):
            continue
        for hit in (Hit(found[1], found[0], 1.0, "lookup", cite.paragraph),
                    Hit(later[1], later[0], 1.0, "successor") if later else None):
            if hit is not None and not any(h.chunk.id == hit.chunk.id for h in hits):
                hits.append(hit)
    return hits


def _version_year(store: Store, q: str, cite) -> str | None:
    """「2017年行政处罚法第二十九条」, 「2017版处罚法第29条」, 「2017年版的行政处罚法第二十九条」 → "2017": a version
    named by its year. The year must stand right before the title and the rest of the title must be one
    (「2026年发现违反大气污染防治法第九十九条」 names an act's year, not a version)."""
    year = _YEAR_BEFORE.search(q[max(0, cite.start - 6):cite.start])
    word = _VERSION_WORD.match(cite.title)
    if not year or not word:
        return None
    rest = cite.title[word.end():]
    return year.group(1) if rest and store.documents(title_key=resolve_title(rest)) else None
