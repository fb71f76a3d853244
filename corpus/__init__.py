"""Documents and chunks: the bottom layer of e-assistant (imports nothing of ours)."""

from corpus.model import Chunk, DiscretionTier, DocType, Document, Status

__all__ = ["Chunk", "DiscretionTier", "DocType", "Document", "Status"]
