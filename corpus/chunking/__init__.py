"""Chunkers per doc_type: statutes by 条, discretion tables by tier, cases and procedures by section."""

from __future__ import annotations

from dataclasses import replace

from corpus.chunking.sections import chunk_sections
from corpus.chunking.statute import chunk_statute
from corpus.model import Chunk, DiscretionTier, DocType, Document
from corpus.references import link_articles

# Bumped whenever a chunker change alters the chunks of an unchanged file, so that the next ingest
# re-chunks it (ingest compares file sha + this version). 2: 第二条 中华人民共和国… is an article;
# 3: …and a spaced citation-like line (第十条 的规定…) starts an article only in sequence; 4: the national-law
# DB's wrapped lines joined, headings and stray spaces removed, two lost article starts of 生态环境法典 restored;
# 5: every source normalised (radical look-alikes, spaced article numbers, wraps inside sentences joined), DOCX
# numbering and content controls read, titles and types from the documents' own words, table notes kept as notes;
# 6: the title key of a 修正案 keeps its year (宪法修正案（1999年） is an instrument of its own, not a version);
# 7: statute articles carry their cross-references (duty ↔ penalty, citations; corpus/references.py); 8: acts are
# aligned in penalty articles that also state a number, at the lower threshold set on the dev halves; 9: lead
# clauses, catch-alls and criminal codes no longer aligned as acts; 10: more acts read from penalty articles
# (「A或者未B」 as two acts, 「X的，Y的，」 openings one act each, 「违反……关于X的规定」); 「有本法第九条规定的禁止
# 情形」 states the duty as 「违反本法第九条规定」 does; 11: instructions planted for a language model are removed
# before cutting (corpus/planted.py); 12: removal orders (责令停止建设, 限期拆除, 可以拆除) make a penalty article
# (城乡规划法 第六十五条 punishes building without a 乡村建设规划许可证 with no fine); 13: a later paragraph's own
# act (生态环境法典 第一千一百六十九条第三款 「个人擅自倾倒……建筑垃圾的」), 「违反本法有关X的规定」 stripped from an act,
# 「A或者使用B」 as two acts (第一千一百一十七条: 煤炭 → 第二百零四条, 石油焦 → 第二百零六条).
CHUNKER_VERSION = 13

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


def isolate_planted(doc: Document, tiers: list[DiscretionTier] | None = None) -> None:
    """Remove instructions planted for a language model from the document's body, title, front-matter fields and
    table rows, in place, keeping them in ``doc.planted`` (see corpus/planted.py)."""
    from corpus.planted import strip_planted, strip_planted_fields, strip_planted_title

    removed: list[str] = []
    for name in ("body", "title", "note", "issuer", "level"):
        clean, gone = (strip_planted_title if name == "title" else strip_planted)(getattr(doc, name))
        if gone:
            if name == "title" and not clean:
                clean = "（标题含疑似AI指令，已隔离）"
            setattr(doc, name, clean.strip() if name != "body" else clean)
            removed += gone
    for tier in tiers or []:
        removed += strip_planted_fields(tier)
    if removed:
        doc.planted = list(dict.fromkeys([*doc.planted, *removed]))


def chunk_document(doc: Document, tiers: list[DiscretionTier] | None = None) -> list[Chunk]:
    """Cut a document along its legal structure.

    ``tiers``: the 裁量 rows a loader read from the file's tables (PDF, Excel), if any; their document's ``body``
    then holds the text around the tables (or the tables as Markdown tables). For a discretion document the tiers
    (given, or read from its Markdown tables or flattened table text) become one chunk each, and the text around
    real tables — the title, articles or notes before and after them — becomes article or section chunks before
    them, so nothing the file says outside its tables is lost."""
    isolate_planted(doc, tiers)
    prose: str | None = None
    if doc.doc_type == DocType.DISCRETION:
        if tiers is None:
            from corpus.chunking.discretion import tiers_from_markdown

            tiers = tiers_from_markdown(doc.body)
            if tiers and has_discretion_tables(doc.body):
                prose = without_discretion_tables(doc.body)
        else:
            prose = without_discretion_tables(doc.body)
        if tiers:
            return _with_prose(doc, prose, tiers)
    if doc.doc_type == DocType.CASE:
        return chunk_sections(doc)
    if doc.doc_type in (DocType.PROCEDURE, DocType.DISCRETION):
        return chunk_statute(doc, MIN_ARTICLES_FOR_STRUCTURE) or chunk_sections(doc, step_headings=True)
    if tiers:  # a table file of another type that still holds 裁量 rows
        return _with_prose(doc, without_discretion_tables(doc.body), tiers)
    chunks = chunk_statute(doc)
    if chunks:
        link_articles(chunks)
        return chunks
    return chunk_sections(doc)


def _with_prose(doc: Document, prose: str | None, tiers: list[DiscretionTier]) -> list[Chunk]:
    chunks: list[Chunk] = []
    if prose and prose.strip():
        around = replace(doc, body=prose)  # same id: the chunks belong to ``doc``
        chunks = chunk_statute(around) or chunk_sections(around)
    chunks += tier_chunks(doc, tiers)
    for i, c in enumerate(chunks):
        c.seq = i
    return chunks


def _pipe_blocks(body: str):
    """(is a 裁量 table, lines) for the runs of Markdown table lines and of other lines of ``body``, in order."""
    from corpus.chunking.discretion import is_discretion_header
    from corpus.chunking.discretion_text import _split_pipe_row

    block: list[str] = []
    in_table = False
    for line in body.splitlines():
        is_row = line.lstrip().startswith("|")
        if is_row != in_table and block:
            yield in_table and is_discretion_header(_split_pipe_row(block[0])), block
            block = []
        in_table = is_row
        block.append(line)
    if block:
        yield in_table and is_discretion_header(_split_pipe_row(block[0])), block


def has_discretion_tables(body: str) -> bool:
    """Whether ``body`` holds a Markdown table with a 裁量 header."""
    return "|" in body and any(is_table for is_table, _ in _pipe_blocks(body))


def without_discretion_tables(body: str) -> str:
    """``body`` without its Markdown 裁量 tables (other tables and all other lines kept)."""
    if "|" not in body:
        return body
    return "\n".join(line for is_table, lines in _pipe_blocks(body) if not is_table for line in lines)
