"""Section chunker for cases and headed procedures: one chunk per headed section.

Headings are Markdown headings, 【…】 lines and 编/章/节 lines. Long sections
are split on line boundaries. Used for cases (基本案情, 裁判结果, 裁判理由,
典型意义 … whichever headings exist), procedures without 第…条, and any
document without articles.
"""

from __future__ import annotations

import re

from corpus.chunking.statute import split_lines
from corpus.chunking.structure import BRACKET_HEADING, heading_of, text_lines
from corpus.model import Chunk, Document

MAX_SECTION_CHARS = 1500
# 「一、现场检查」 style step headings in procedures: short, numbered, no sentence end.
STEP_HEADING = re.compile(r"^[一二三四五六七八九十]+、\S.{0,30}$")


def chunk_sections(doc: Document, step_headings: bool = False) -> list[Chunk]:
    chunks: list[Chunk] = []
    stack: list[tuple[int, str]] = []
    lines: list[str] = []
    start_page: int | None = None

    def flush() -> None:
        nonlocal lines
        if not lines:
            return
        path = [h for lvl, h in stack if lvl > 0]
        heading = path[-1] if path else (stack[-1][1] if stack else "")
        for piece in split_lines(lines, MAX_SECTION_CHARS):
            chunks.append(Chunk(doc_id=doc.id, title=doc.title, doc_type=doc.doc_type, text=piece,
                                path=path, heading=heading, page=start_page, seq=len(chunks)))
        lines = []

    for line, page in text_lines(doc.body):
        h = heading_of(line)
        if h is None:
            b = BRACKET_HEADING.match(line)
            if b:
                h = (7, b.group(1))
            elif step_headings and STEP_HEADING.match(line) and not line.endswith(("。", "；", "：")):
                h = (6, line)
        if h is not None:
            flush()
            level, text = h
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, text))
            continue
        if not lines:
            start_page = page
        lines.append(line)
    flush()
    return chunks
