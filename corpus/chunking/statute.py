"""Statute chunker: one chunk per 条, with its 编/章/节 path and its 款 (项 kept inside their 款).

Lines are read with hard wraps inside sentences joined (:func:`corpus.normalize.joined_text_lines`), so a line
break that is only layout does not start a 款.

Text outside any article (promulgation notes, appendices) becomes section
chunks, so that a document's chunks together hold its whole body.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corpus.chunking.structure import article_of, heading_of, is_item
from corpus.model import Chunk, Document
from corpus.normalize import joined_text_lines

MAX_LOOSE_CHARS = 1500


@dataclass
class _Open:
    kind: str  # "article" | "loose"
    path: list[str]
    page: int | None
    lines: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    article: int | None = None
    suffix: int | None = None
    heading: str = ""


def _later(a: tuple[int, int], b: tuple[int, int] | None) -> bool:
    return b is None or a > b


def chunk_statute(doc: Document, min_articles: int = 1) -> list[Chunk] | None:
    """Chunk a statute; None when fewer than ``min_articles`` 条 are found."""
    chunks: list[Chunk] = []
    stack: list[tuple[int, str]] = []
    current: _Open | None = None
    last_art: tuple[int, int] | None = None
    n_articles = 0

    def path() -> list[str]:
        return [h for lvl, h in stack if lvl > 0]

    def close() -> None:
        nonlocal current
        if current and current.lines:
            chunks.extend(_emit(doc, current, len(chunks)))
        current = None

    for line, page in joined_text_lines(doc.body):
        h = heading_of(line)
        if h is not None:
            close()
            level, text = h
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, text))
            continue
        art = article_of(line)
        if art is not None:
            n, suffix, rest, has_sep = art
            key = (n, suffix or 0)
            sequential = last_art is None or n == last_art[0] + 1 or (n == last_art[0] and suffix)
            if _later(key, last_art) and (has_sep or sequential):
                close()
                current = _Open("article", path(), page, article=n, suffix=suffix)
                current.lines.append(line)
                if rest.strip():
                    current.paragraphs.append(rest.strip())
                last_art = key
                n_articles += 1
                continue
        if current is None:
            current = _Open("loose", path(), page, heading=(stack[-1][1] if stack else ""))
        current.lines.append(line)
        if current.kind == "article":
            if is_item(line) and current.paragraphs:
                current.paragraphs[-1] += "\n" + line
            else:
                current.paragraphs.append(line)
    close()
    if n_articles < min_articles:
        return None
    return chunks


def _emit(doc: Document, o: _Open, seq: int) -> list[Chunk]:
    if o.kind == "article":
        return [Chunk(doc_id=doc.id, title=doc.title, doc_type=doc.doc_type, text="\n".join(o.lines),
                      path=o.path, article=o.article, article_suffix=o.suffix, paragraphs=o.paragraphs,
                      page=o.page, seq=seq)]
    return [Chunk(doc_id=doc.id, title=doc.title, doc_type=doc.doc_type, text=piece, path=o.path,
                  heading=o.heading, page=o.page, seq=seq + i)
            for i, piece in enumerate(split_lines(o.lines, MAX_LOOSE_CHARS))]


def split_lines(lines: list[str], limit: int) -> list[str]:
    """Join lines into pieces of at most ``limit`` characters (a longer single line stays whole)."""
    pieces: list[str] = []
    buf: list[str] = []
    size = 0
    for line in lines:
        if buf and size + len(line) > limit:
            pieces.append("\n".join(buf))
            buf, size = [], 0
        buf.append(line)
        size += len(line) + 1
    if buf:
        pieces.append("\n".join(buf))
    return pieces
