"""DOCX sources, read from the document XML in reading order (python-docx opens the package, lxml walks it).

What python-docx's simple API (``Document.paragraphs`` / ``table.rows[i].cells``) loses, and this reader keeps:

* automatic numbering — 「第一章」「第一条」「（一）」 that exist only as list numbering (:mod:`.docx_numbering`);
* content controls (``w:sdt``) around paragraphs, runs, table rows and cells — their content is read where it
  stands, so a row keeps its columns under the right headers;
* merged cells: a ``w:gridSpan`` cell repeats its text over the columns it spans, a ``w:vMerge`` continuation takes
  the text of the cell it continues, ``w:gridBefore`` leaves its columns empty;
* tracked deletions and field codes are left out; hyperlinks and tracked insertions are read.

Title paragraphs become ``#``, headings ``##``…; tables become Markdown tables (a 裁量 table's rows then parse as
tiers like any other Markdown table).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from docx.oxml.ns import qn

from corpus.errors import IngestError
from corpus.sources.document import make_document
from corpus.sources.docx_numbering import Numbering
from corpus.sources.loaded import Loaded

_WRAPPERS = {qn("w:sdt"), qn("w:customXml"), qn("w:smartTag")}
_SKIP_TEXT_IN = {qn("w:del"), qn("w:moveFrom"), qn("w:instrText"), qn("w:delText"), qn("w:txbxContent")}
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _unwrap(el):
    """The content elements inside content controls / custom XML wrappers, in order (the element itself if none)."""
    if el.tag in _WRAPPERS:
        content = el.find(qn("w:sdtContent")) if el.tag == qn("w:sdt") else el
        for child in (content if content is not None else []):
            if child.tag in (qn("w:sdtPr"), qn("w:sdtEndPr"), qn("w:customXmlPr")):
                continue
            yield from _unwrap(child)
    else:
        yield el


def paragraph_text(p) -> str:
    """The visible text of a ``w:p``: runs wherever they sit (content controls, hyperlinks, insertions), tabs and
    breaks as spaces; deleted text, field codes and text boxes left out."""
    out: list[str] = []
    for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen")):
        parent, skip = el.getparent(), False
        while parent is not None and parent is not p:
            if parent.tag in _SKIP_TEXT_IN or parent.tag == _MC_FALLBACK:
                skip = True
                break
            parent = parent.getparent()
        if skip:
            continue
        if el.tag == qn("w:t"):
            out.append(el.text or "")
        elif el.tag == qn("w:noBreakHyphen"):
            out.append("-")
        else:
            out.append(" ")
    return "".join(out)


class _Reader:
    def __init__(self, docx) -> None:
        try:
            numbering_el = docx.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            numbering_el = None
        self.numbering = Numbering(numbering_el, docx.styles.element)
        self.style_names = {s.style_id: (s.name or "") for s in docx.styles}
        self.title = ""

    def block(self, el, lines: list[str]) -> None:
        for item in _unwrap(el):
            if item.tag == qn("w:p"):
                line = self.paragraph(item)
                if line:
                    lines.append(line)
            elif item.tag == qn("w:tbl"):
                table = self.table(item)
                if table:
                    lines.append(table)

    def paragraph(self, p, in_table: bool = False) -> str:
        label = self.numbering.label(p)
        text = (label + paragraph_text(p).strip()).strip()
        if not text or in_table:
            return text
        ppr = p.find(qn("w:pPr"))
        style_id = ppr.find(qn("w:pStyle")).get(qn("w:val")) if ppr is not None and ppr.find(qn("w:pStyle")) is not None else ""
        style = self.style_names.get(style_id, style_id).lower()
        if style.startswith("title"):
            self.title = self.title or text
            return "# " + text
        if style.startswith("heading"):
            level = re.sub(r"\D", "", style) or "1"
            return "#" * min(int(level) + 1, 4) + " " + text
        return text

    def cell_text(self, tc) -> str:
        parts: list[str] = []
        for child in tc:
            for item in _unwrap(child):
                if item.tag == qn("w:p"):
                    t = self.paragraph(item, in_table=True)
                    if t:
                        parts.append(t)
                elif item.tag == qn("w:tbl"):  # a nested table: its text, row by row
                    for tr in item.iter(qn("w:tr")):
                        parts.append(" ".join(self.cell_text(c) for c in tr.iter(qn("w:tc"))))
        return " ".join(parts).replace("|", "｜").strip()

    def table(self, tbl) -> str:
        """A ``w:tbl`` as a Markdown table; merged cells filled (see the module docstring)."""
        grid: list[list[str]] = []
        for child in tbl:
            for tr in _unwrap(child):
                if tr.tag != qn("w:tr"):
                    continue
                row: list[str] = []
                trpr = tr.find(qn("w:trPr"))
                before = trpr.find(qn("w:gridBefore")) if trpr is not None else None
                if before is not None:
                    row += [""] * int(before.get(qn("w:val")) or 0)
                for cell_el in tr:
                    for tc in _unwrap(cell_el):
                        if tc.tag != qn("w:tc"):
                            continue
                        tcpr = tc.find(qn("w:tcPr"))
                        span_el = tcpr.find(qn("w:gridSpan")) if tcpr is not None else None
                        span = int(span_el.get(qn("w:val")) or 1) if span_el is not None else 1
                        vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
                        col = len(row)
                        if vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue"):
                            above = grid[-1][col] if grid and col < len(grid[-1]) else ""
                            text = above
                        else:
                            text = self.cell_text(tc)
                        row += [text] * max(1, span)
                grid.append(row)
        grid = [r for r in grid if any(c.strip() for c in r)]
        if not grid:
            return ""
        width = max(len(r) for r in grid)
        rows = [r + [""] * (width - len(r)) for r in grid]
        md = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        md += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(md)


def load_docx(path: Path, raw: bytes, sha: str) -> Loaded:
    from docx import Document as DocxDocument

    try:
        docx = DocxDocument(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError("DOCX 文件损坏或不是有效的 Word 文档") from exc
    reader = _Reader(docx)
    lines: list[str] = []
    for el in docx.element.body:
        reader.block(el, lines)
    body = "\n\n".join(lines)
    if not body.strip():
        raise IngestError("DOCX 中没有可读正文")
    return Loaded(make_document(path, body, {}, sha, title_hint=reader.title))
