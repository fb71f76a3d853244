"""PDF 裁量 tables: pdfplumber page extraction (tables with cell geometry, heading lines), in
one or two processes; the rules that turn pages into tiers are in
:mod:`corpus.chunking.discretion_assemble`.
"""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from corpus.chunking.discretion import join_layout_text
from corpus.chunking.discretion_assemble import Cell, Heading, PageData, Table, assemble
from corpus.model import DiscretionTier

_CHAPTER = re.compile(r"^第[一二三四五六七八九十百]+章\s*\S.*$")
_ITEM = re.compile(r"^([一二三四五六七八九十百]+)、\s*\S")
_SECTION = re.compile(r"§\s*(\d+(?:\s*[.．]\s*\d+)+)\s*裁量标准")
_LEADER = re.compile(r"\.{4,}|…{2,}")
# A closing bracket of the wrapped text next door that pdfplumber puts in this cell: 「） 有排污」.
_LEAKED_BRACKET = re.compile(r"^[）)]\s+")


@dataclass
class PdfResult:
    page_texts: list[str]
    tiers: list[DiscretionTier]
    prose_texts: list[str] | None = None  # per page, the text outside its tables


def extract_page(page, number: int) -> PageData:
    """Tables (cells with x extents) and heading lines of one pdfplumber page, in reading order."""
    placed: list[tuple[float, Table | Heading]] = []
    prose: list[str] = []  # the page's lines outside its tables
    boxes = []
    for found in page.find_tables():
        boxes.append(found.bbox)
        rows = []
        for row, texts in zip(found.rows, found.extract()):
            rows.append([Cell(box[0], box[2], _LEAKED_BRACKET.sub("", join_layout_text(text or "")))
                         for box, text in zip(row.cells, texts) if box is not None])
            if len(boxes) == 1 and len(rows) == 1:
                _measure(page, [b for b in row.cells if b is not None], rows[0])
        placed.append((found.bbox[1], Table(rows)))
    for line in page.extract_text_lines():
        mid = (line["top"] + line["bottom"]) / 2
        if any(b[1] <= mid <= b[3] for b in boxes):
            continue
        text = line["text"].strip()
        if _LEADER.search(text):
            continue  # table of contents
        prose.append(text)
        if _CHAPTER.match(text):
            placed.append((line["top"], Heading("chapter", re.sub(r"\s+", " ", text))))
        elif (m := _ITEM.match(text)):
            placed.append((line["top"], Heading("item", m.group(1))))
        elif (m := _SECTION.search(text)):
            placed.append((line["top"], Heading("section", "§" + re.sub(r"\s", "", m.group(1)).replace("．", "."))))
    placed.sort(key=lambda p: p[0])
    return PageData(number, [e for _, e in placed], page.extract_text() or "", "\n".join(t for t in prose if t))


def _measure(page, boxes, cells: list[Cell]) -> None:
    for box, cell in zip(boxes, cells):
        if not cell.text:
            continue
        x0, top, x1, bottom = box
        chars = [c for c in page.chars
                 if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
        if chars:
            cell.gap_top = min(c["top"] for c in chars) - top
            cell.gap_bottom = bottom - max(c["bottom"] for c in chars)


def _extract_range(pdf, first: int, last: int, tick: Callable[[], None] | None = None) -> list[PageData]:
    """Pages first..last (1-based, inclusive) of an open pdfplumber document."""
    out = []
    for number in range(first, last + 1):
        page = pdf.pages[number - 1]
        out.append(extract_page(page, number))
        page.close()  # drop the page's cached layout objects
        if tick:
            tick()
    return out


def read_discretion_pdf(path: Path, on_page: Callable[[int, int], None] | None = None,
                        workers: int | None = None) -> PdfResult:
    """Page texts and tiers of a PDF in one pass over its pages.

    Parsing a page (pdfminer) takes ~0.1 s and dominates. With ``workers`` = 2 (the default when
    the PDF has 40+ pages and the machine 2+ CPUs) the second half of the pages is read by a child
    interpreter (``python -m corpus.chunking.discretion_pdf``) while this process reads the first
    half; if the child fails, its pages are read here, so a corrupt PDF raises its own error."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        total = len(pdf.pages)
        if workers is None:
            workers = 2 if total >= 40 and (os.cpu_count() or 1) >= 2 else 1
        split = total // 2 if workers > 1 and total > 1 else total
        child = _Child(Path(path), split + 1, total) if split < total else None
        done = 0

        def tick() -> None:
            nonlocal done
            done += 1
            if on_page:
                on_page(done + (child.progress if child else 0), total)

        try:
            pages = _extract_range(pdf, 1, split, tick)
            rest = child.result(on_wait=lambda: on_page and on_page(done + child.progress, total)) if child else []
            if child and rest is None:  # the child failed: read its pages here
                child = None
                rest = _extract_range(pdf, split + 1, total, tick)
        finally:
            if child:
                child.stop()
    if on_page and child:
        on_page(total, total)
    pages += rest
    return PdfResult([p.text for p in pages], assemble(pages), [p.prose for p in pages])


class _Child:
    """A child interpreter extracting pages first..last; its stdout is the pickled page list,
    each page done is one line on its stderr (for progress)."""

    def __init__(self, path: Path, first: int, last: int) -> None:
        self.progress = 0
        self._out = b""
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "corpus.chunking.discretion_pdf", str(path), str(first), str(last)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                cwd=str(Path(__file__).resolve().parents[2]))
        except OSError:
            self._proc = None
            return
        self._threads = [threading.Thread(target=self._read_out, daemon=True),
                         threading.Thread(target=self._read_err, daemon=True)]
        for t in self._threads:
            t.start()

    def _read_out(self) -> None:
        self._out = self._proc.stdout.read()

    def _read_err(self) -> None:
        for line in self._proc.stderr:
            if line.strip() == b"page":
                self.progress += 1

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()

    def result(self, on_wait: Callable[[], object], stall: float = 120.0) -> list[PageData] | None:
        """The child's pages, or None when it failed or made no progress for ``stall`` seconds."""
        if self._proc is None:
            return None
        seen, since = -1, time.monotonic()
        while self._proc.poll() is None:
            time.sleep(0.1)
            on_wait()
            if self.progress != seen:
                seen, since = self.progress, time.monotonic()
            elif time.monotonic() - since > stall:
                self.stop()
                return None
        for t in self._threads:
            t.join()
        if self._proc.returncode != 0:
            return None
        try:
            pages = pickle.loads(self._out)
        except Exception:  # noqa: BLE001 — any garbage from the child means: do it here
            return None
        return pages if isinstance(pages, list) else None


def _main(argv: list[str]) -> int:
    import pdfplumber

    path, first, last = argv[0], int(argv[1]), int(argv[2])

    def tick() -> None:
        sys.stderr.buffer.write(b"page\n")
        sys.stderr.buffer.flush()

    with pdfplumber.open(path) as pdf:
        pages = _extract_range(pdf, first, last, tick)
    sys.stdout.buffer.write(pickle.dumps(pages, protocol=pickle.HIGHEST_PROTOCOL))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
