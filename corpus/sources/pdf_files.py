"""PDF sources via pdfplumber: page text (with page markers) and 裁量 tables in one pass; scans OCR'd (optional)."""

from __future__ import annotations

import io
import re
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


_PAGE_NUMBER = re.compile(r"^[-—－–\s]*(?:第\s*)?[0-9０-９]{1,4}(?:\s*页)?(?:\s*[/／共]\s*[0-9０-９]{1,4}\s*页?)?[-—－–\s]*$")


def strip_page_numbers(text: str) -> str:
    """A page's text without the printed page number on its first or last line (「- 3 -」, 「3」, 「第3页 共10页」)."""
    lines = (text or "").strip().splitlines()
    while lines and _PAGE_NUMBER.match(lines[-1]):
        lines.pop()
    while lines and _PAGE_NUMBER.match(lines[0]):
        lines.pop(0)
    return "\n".join(lines)


def load_pdf(path: Path, raw: bytes, sha: str,
             on_page: Callable[[int, int], None] | None = None) -> Loaded:
    """A PDF's pages as one document (page markers between pages). A PDF whose tables hold 裁量 tiers is a
    discretion standard whatever its file is called; its body is then the text outside the tables, which becomes
    chunks beside the tiers. Pages without a text layer are OCR'd when the OCR extra is installed
    (:mod:`corpus.sources.ocr`; the document's note says so, with the confidence); without it a PDF with no text
    at all raises IngestError saying it is a scan."""
    from corpus.chunking.discretion_pdf import read_discretion_pdf

    if check_pdf(raw) == 0:
        raise IngestError("PDF 没有页面")
    try:
        result = read_discretion_pdf(path, on_page=on_page)
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(f"PDF 解析失败（{exc.__class__.__name__}）") from exc
    texts = [strip_page_numbers(t) for t in (result.prose_texts if result.tiers and result.prose_texts
                                              else result.page_texts)]
    notes: list[str] = []
    note = ""
    blank = [i for i, t in enumerate(result.page_texts, 1) if not (t or "").strip()]
    if blank:
        from corpus.sources.ocr import ocr_available, ocr_note, ocr_pdf

        if ocr_available():
            pages = ocr_pdf(path, blank, on_page=on_page)
            for page in pages:
                texts[page.number - 1] = page.text
            note = ocr_note(pages)
            if note:
                notes.append(f"OCR：{len([p for p in pages if p.lines])} 页")
        elif len(blank) == len(texts):
            raise IngestError("PDF 中没有可提取的文字（扫描件）：安装可选的 OCR 扩展 rapidocr-onnxruntime 后重新导入"
                              "即可识别")
    if not any(t.strip() for t in texts) and not result.tiers:
        raise IngestError("PDF 中没有可提取的文字（扫描件，OCR 也未识别出文字）")
    parts = [PAGE_MARKER.format(i) + "\n\n" + t for i, t in enumerate(texts, 1)]
    doc = make_document(path, "\n\n".join(parts), {"note": note} if note else {}, sha,
                        has_tiers=bool(result.tiers))
    return Loaded(doc, tiers=result.tiers or None, notes=notes)
