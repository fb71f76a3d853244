"""Chunkers per doc_type: statutes by 条, discretion tables by tier, cases and procedures by section."""

from __future__ import annotations

from corpus.chunking.sections import chunk_sections
from corpus.chunking.statute import chunk_statute
from corpus.model import Chunk, DiscretionTier, DocType, Document

# Bumped whenever a chunker change alters the chunks of an unchanged file, so that the next ingest
# re-chunks it (ingest compares file sha + this version). 2: 第二条 中华人民共和国… is an article;
# 3: …and a spaced citation-like line (第十条 的规定…) starts an article only in sequence; 4: the national-law
# DB's wrapped lines joined, headings and stray spaces removed, two lost article starts of 生态环境法典 restored;
# 5: every source normalised (radical look-alikes, spaced article numbers, wraps inside sentences joined), DOCX
# numbering and content controls read, titles and types from the documents' own words, table notes kept as notes.
CHUNKER_VERSION = 5

# A procedure or discretion text counts as article-structured from this many 第…条 on.
MIN_ARTICLES_FOR_STRUCTURE = 3


def tier_chunks(doc: Document, tiers: list[DiscretionTier]) -> list[Chunk]:
    """One chunk per 裁量 tier (one table row), the structured record attached."""
    chunks = []
    for i, tier in enumerate(tiers):
        path = [tier.category] if tier.category else []
        chunks.append(Chunk(doc_id=doc.id, title=doc.title, doc_type=doc.doc_type, text=tier.render(),
                            path=path, heading=tier.violation[:80], page=tier.page, seq=i, record=tier))
    return chunks


def chunk_document(doc: Document, tiers: list[DiscretionTier] | None = None) -> list[Chunk]:
    """Cut a document along its legal structure."""
    if doc.doc_type == DocType.DISCRETION:
        if tiers is None:
            from corpus.chunking.discretion import tiers_from_markdown

            tiers = tiers_from_markdown(doc.body)
        if tiers:
            return tier_chunks(doc, tiers)
    if doc.doc_type == DocType.CASE:
        return chunk_sections(doc)
    if doc.doc_type in (DocType.PROCEDURE, DocType.DISCRETION):
        return chunk_statute(doc, MIN_ARTICLES_FOR_STRUCTURE) or chunk_sections(doc, step_headings=True)
    if tiers:  # a table file of another type that still holds 裁量 rows
        return tier_chunks(doc, tiers)
    return chunk_statute(doc) or chunk_sections(doc)
