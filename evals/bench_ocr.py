"""Benchmark: OCR speed of scanned PDF pages (the optional OCR extra), on pages like a scanned regulation.

Prints numbers; asserts nothing. ``python -m evals.bench_ocr [--pages N] [--pdf SCAN.pdf]``: without ``--pdf`` it
draws N A4 pages of 30 lines of Chinese legal-style text each (150 dpi images, no text layer) with a system CJK font,
then times :func:`corpus.sources.ocr.ocr_pdf` (render + detect + recognise) and reports pages/s and the mean
confidence. The text is synthetic, not a legal text.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

LINES = ["第{n}条　违反本办法规定，擅自设置户外广告设施的，由城市管理部门责令限期改正；",
         "逾期不改正的，处五百元以上二千元以下罚款。情节严重的，处二千元以上一万元以下罚款。"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--pdf", type=Path, default=None)
    args = parser.parse_args()
    from corpus.numerals import int_to_cn
    from corpus.sources.ocr import _engine, ocr_pdf
    from tests.office_builders import cjk_font_path, write_scanned_pdf

    with tempfile.TemporaryDirectory() as tmp:
        pdf = args.pdf
        if pdf is None:
            font = cjk_font_path()
            if font is None:
                raise SystemExit("没有中文字体（apt-get install fonts-noto-cjk）")
            pages, n = [], 1
            for _ in range(args.pages):
                page = []
                while len(page) < 24:
                    page += [LINES[0].format(n=int_to_cn(n)), LINES[1]]
                    n += 1
                pages.append(page)
            pdf = write_scanned_pdf(Path(tmp) / "scan.pdf", pages, font)
        t0 = time.perf_counter()
        _engine()
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = ocr_pdf(pdf)
        seconds = time.perf_counter() - t0
    chars = sum(len(p.text) for p in result)
    conf = sum(p.confidence for p in result) / max(1, len(result))
    print(f"OCR: {len(result)} pages in {seconds:.1f} s = {len(result) / seconds:.2f} pages/s "
          f"({chars / seconds:.0f} characters/s, mean confidence {conf:.3f}); model load {load:.1f} s; "
          f"{os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
