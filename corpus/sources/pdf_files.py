"""PDF sources via pdfplumber: page text (with page markers) and 裁量 tables."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from corpus.errors import IngestError
from corpus.sources.loaded import PAGE_MARKER, Loaded
from corpus.sources.text_files import _document


def _open(raw: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(io.BytesIO(raw))
        _ = pdf.pages  # forces the page tree to be read
        return pdf
    except PDFPasswordIncorrect as exc:
        raise IngestError("PDF 已加密（需要密码），无法读取") from exc
    except PDFSyntaxError as exc:
        raise IngestError("PDF 文件已损坏或不是有效的 PDF") from exc
    except Exception as exc:  # pdfminer raises a variety of errors on broken files
        name = exc.__class__.__name__
        if "Password" in name or "Encrypt" in name:
            raise IngestError("PDF 已加密（需要密码），无法读取") from exc
        raise IngestError(f"PDF 文件已损坏，无法解析（{name}）") from exc


def load_pdf(path: Path, raw: bytes, sha: str,
             on_page: Callable[[int, int], None] | None = None) -> Loaded:
    from corpus.chunking.discretion import tiers_from_pdf

    pdf = _open(raw)
    parts: list[str] = []
    try:
        total = len(pdf.pages)
        for i, page in enumerate(pdf.pages, 1):
            try:
                text = page.extract_text() or ""
            except Exception as exc:  # one broken page should not lose the others
                raise IngestError(f"PDF 第{i}页无法解析（{exc.__class__.__name__}）") from exc
            parts.append(PAGE_MARKER.format(i) + "\n\n" + text.strip())
            if on_page:
                on_page(i, total * 2)
    finally:
        pdf.close()
    body = "\n\n".join(parts)
    if not any(p.split("\n", 1)[-1].strip() for p in parts):
        raise IngestError("PDF 中没有可提取的文字（可能是扫描件，需要先做 OCR）")
    try:
        tiers = tiers_from_pdf(path, on_page=(lambda d, t: on_page(t + d, t * 2)) if on_page else None)
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(f"PDF 表格解析失败（{exc.__class__.__name__}）") from exc
    doc = _document(path, body, {}, sha)
    return Loaded(doc, tiers=tiers or None)
