"""What a source hands to the chunkers: one document, plus table records when the file is a table."""

from __future__ import annotations

from dataclasses import dataclass, field

from corpus.model import DiscretionTier, Document

PAGE_MARKER = "<!-- PDF 第{}页 -->"


@dataclass
class Loaded:
    document: Document
    tiers: list[DiscretionTier] | None = None  # structured 裁量 rows, when the source had tables
    notes: list[str] = field(default_factory=list)  # e.g. "编码 GBK"
    rank: int = 2  # source preference when the same text arrives twice: 0 curated (front matter), 1 law DB, 2 other
