"""PDF sources via pdfplumber: page text (with page markers) and 裁量 tables, in one pass."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from corpus.errors import IngestError
from corpus.sources.loaded import PAGE_MARKER, Loaded
from corpus.sources.document import make_document


def _is_password_error(exc: BaseException) -> bool:
    seen = [exc, *(a for a in getattr(exc, "args", ()) if isinstance(a, BaseException))]
    if exc.__cause__:
        seen.append(exc.__cause__)
    return any("Password" in e.__class__.__name__ or "Encrypt" in e.__class__.__name__ for e in seen)


def check_pdf(raw: bytes) -> int:
    """Open the PDF once to classify problems; returns its page count."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            return len(pdf.pages)
    except Exception as exc:  # pdfminer wraps its many error types in PdfminerException
        if _is_password_error(exc):
            raise IngestError("PDF 已加密（需要密码），无法读取") from exc
        raise IngestError(f"PDF 文件已损坏或不是有效的 PDF（{exc.__class__.__name__}）") from exc


def load_pdf(path: Path, raw: bytes, sha: str,
             on_page: Callable[[int, int], None] | None = None) -> Loaded:
    from corpus.chunking.discretion_pdf import read_discretion_pdf

    if check_pdf(raw) == 0:
        raise IngestError("PDF 没有页面")
    try:
        result = read_discretion_pdf(path, on_page=on_page)
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(f"PDF 解析失败（{exc.__class__.__name__}）") from exc
    parts = [PAGE_MARKER.format(i) + "\n\n" + (text or "").strip()
             for i, text in enumerate(result.page_texts, 1)]
    if not any((t or "").strip() for t in result.page_texts):
        raise IngestError("PDF 中没有可提取的文字（可能是扫描件，需要先做 OCR）")
    # a PDF whose tables hold 裁量 tiers is a discretion standard, whatever its file is called
    doc = make_document(path, "\n\n".join(parts), {}, sha, has_tiers=bool(result.tiers))
    return Loaded(doc, tiers=result.tiers or None)
