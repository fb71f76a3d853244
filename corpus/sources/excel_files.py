"""XLS/XLSX sources: 裁量 tables become tier records; other sheets become Markdown tables."""

from __future__ import annotations

from pathlib import Path

from corpus.errors import IngestError
from corpus.metadata import looks_like_title, title_from_filename
from corpus.sources.loaded import Loaded
from corpus.sources.document import make_document


def _sheet_rows(path: Path) -> list[tuple[str, list[list[str]]]]:
    if path.suffix.lower() == ".xls":
        import xlrd

        book = xlrd.open_workbook(str(path))
        return [(s.name, [[str(c).strip() for c in s.row_values(r)] for r in range(s.nrows)])
                for s in book.sheets()]
    import openpyxl

    book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    return [(ws.title, [["" if c is None else str(c).strip() for c in row] for row in ws.iter_rows(values_only=True)])
            for ws in book.worksheets]


def _sheet_lines(name: str, rows: list[list[str]]) -> tuple[list[str], str]:
    """(Markdown lines, title row text) of one sheet: rows of one text above the table (a merged title row, a
    category such as 一、《…法》) as headings, other rows above it as text lines, the rest as a Markdown table from its header row (the 裁量 header
    when there is one, else the first row)."""
    from corpus.chunking.discretion import is_discretion_header

    rows = [r for r in rows if any(r)]
    if not rows:
        return [], ""
    start = next((i for i, r in enumerate(rows) if is_discretion_header(r)), None)
    lines, title = [f"## {name}"], ""
    if start is not None:
        for r in rows[:start]:
            texts = list(dict.fromkeys(c for c in r if c))
            line = " ".join(texts)
            title = title or (line if len(texts) == 1 and looks_like_title(line) else "")
            lines.append(f"### {line}" if len(texts) == 1 else line)  # a title or category row heads the table
        rows = rows[start:]
    width = max(len(r) for r in rows)
    lines.append("| " + " | ".join(c.replace("\n", " ") for c in rows[0] + [""] * (width - len(rows[0]))) + " |")
    lines.append("|" + "---|" * width)
    lines += ["| " + " | ".join(c.replace("\n", " ") for c in r) + " |" for r in rows[1:]]
    return lines, title


def load_excel(path: Path, raw: bytes, sha: str) -> Loaded:
    """An XLS/XLSX file as one document: its sheets as Markdown tables (:func:`_sheet_lines`) and, when a sheet
    has a 裁量 header, its tiers (:func:`corpus.chunking.discretion.tiers_from_excel`; the document is then a
    discretion standard whatever the file is called). The title is a merged title row that reads as a title
    (「某市扬尘污染违法行为罚款裁量基准」), else the file name."""
    from corpus.chunking.discretion import tiers_from_excel

    try:
        sheets = _sheet_rows(path)
        tiers = tiers_from_excel(path)
    except IngestError:
        raise
    except Exception as exc:  # xlrd/openpyxl/zipfile raise many types on broken files
        raise IngestError(f"Excel 文件损坏或格式不受支持（{exc.__class__.__name__}）") from exc
    lines: list[str] = []
    title = ""
    for name, rows in sheets:
        sheet, sheet_title = _sheet_lines(name, rows)
        lines += sheet
        title = title or sheet_title
    if not lines:
        raise IngestError("Excel 文件中没有数据")
    title = title or title_from_filename(path)[0]
    doc = make_document(path, "\n".join([f"# {title}"] + lines), {}, sha, has_tiers=bool(tiers))
    return Loaded(doc, tiers=tiers or None)
