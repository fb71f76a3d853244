"""OCR of scanned PDF pages (pages without a text layer), with RapidOCR's ONNX models — an optional extra
(``pip install 'e-assistant[ocr]'``: ``rapidocr-onnxruntime`` ships its PP-OCR models inside the wheel, so nothing
is downloaded at run time).

Pages are rendered with pypdfium2 (pdfplumber's renderer), recognised line by line, and the boxes put back in
reading order: boxes whose vertical centres fall within one another's height form a line, left to right. Each
page's text comes with the mean confidence of its lines, so the document can say it was OCR'd and how sure the
recogniser was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

RENDER_SCALE = 2.0  # 144 dpi: small 宋体 in scans is read reliably from here on
_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]) +(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])")


@dataclass
class OcrPage:
    number: int  # 1-based
    text: str
    confidence: float  # mean over the page's lines (0 when none was found)
    lines: int


def ocr_available() -> bool:
    """Whether the OCR extra is installed."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


_ENGINE = None


def _engine():
    global _ENGINE
    if _ENGINE is None:
        from rapidocr_onnxruntime import RapidOCR

        _ENGINE = RapidOCR()
    return _ENGINE


def order_lines(result: list) -> list[tuple[str, float]]:
    """RapidOCR's ``[[box, text, score], …]`` as (line text, mean score) in reading order: boxes on one line (their
    vertical centres within half a box height of each other) joined left to right, no blank between Chinese."""
    boxes = []
    for box, text, score in result or []:
        ys = [p[1] for p in box]
        xs = [p[0] for p in box]
        boxes.append(((min(ys) + max(ys)) / 2, max(ys) - min(ys), min(xs), str(text), float(score)))
    boxes.sort(key=lambda b: (b[0], b[2]))
    lines: list[list[tuple]] = []
    for b in boxes:
        if lines and abs(b[0] - lines[-1][0][0]) <= max(b[1], lines[-1][0][1]) / 2:
            lines[-1].append(b)
        else:
            lines.append([b])
    out = []
    for line in lines:
        line.sort(key=lambda b: b[2])
        text = _CJK_GAP.sub("", " ".join(b[3].strip() for b in line if b[3].strip()))
        if text:
            out.append((text, sum(b[4] for b in line) / len(line)))
    return out


def ocr_pdf(path: Path, pages: list[int] | None = None,
            on_page: Callable[[int, int], None] | None = None) -> list[OcrPage]:
    """OCR the given pages (1-based; None: all) of a PDF. Raises ImportError when the OCR extra is missing."""
    import numpy as np
    import pypdfium2

    engine = _engine()
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        numbers = pages or list(range(1, len(pdf) + 1))
        out = []
        for done, number in enumerate(numbers, 1):
            page = pdf[number - 1]
            image = page.render(scale=RENDER_SCALE).to_pil().convert("RGB")
            result, _ = engine(np.asarray(image)[:, :, ::-1])  # BGR, as OpenCV reads images
            lines = order_lines(result)
            out.append(OcrPage(number, "\n".join(t for t, _ in lines),
                               round(sum(s for _, s in lines) / len(lines), 3) if lines else 0.0, len(lines)))
            page.close()
            if on_page:
                on_page(done, len(numbers))
        return out
    finally:
        pdf.close()


def ocr_note(pages: list[OcrPage]) -> str:
    """The document note of an OCR'd PDF: which pages, their mean confidence, the least sure page."""
    read = [p for p in pages if p.lines]
    if not read:
        return ""
    mean = sum(p.confidence for p in read) / len(read)
    worst = min(read, key=lambda p: p.confidence)
    return (f"扫描件，正文由 OCR 识别（{len(read)} 页，平均置信度 {mean:.2f}，最低为第{worst.number}页 "
            f"{worst.confidence:.2f}），引用前请与原件核对")
