"""XLS/XLSX sources: 裁量 tables become tier records; other sheets become Markdown tables."""

from __future__ import annotations

from pathlib import Path

from corpus.errors import IngestError
from corpus.metadata import title_from_filename
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


def load_excel(path: Path, raw: bytes, sha: str) -> Loaded:
    from corpus.chunking.discretion import tiers_from_excel

    try:
        sheets = _sheet_rows(path)
        tiers = tiers_from_excel(path)
    except IngestError:
        raise
    except Exception as exc:  # xlrd/openpyxl/zipfile raise many types on broken files
        raise IngestError(f"Excel 文件损坏或格式不受支持（{exc.__class__.__name__}）") from exc
    title, _ = title_from_filename(path)
    lines = [f"# {title}"]
    for name, rows in sheets:
        rows = [r for r in rows if any(r)]
        if not rows:
            continue
        lines.append(f"## {name}")
        width = max(len(r) for r in rows)
        lines.append("| " + " | ".join(rows[0] + [""] * (width - len(rows[0]))) + " |")
        lines.append("|" + "---|" * width)
        lines += ["| " + " | ".join(c.replace("\n", " ") for c in r) + " |" for r in rows[1:]]
    if len(lines) == 1:
        raise IngestError("Excel 文件中没有数据")
    doc = make_document(path, "\n".join(lines), {"title": title}, sha, has_tiers=bool(tiers))
    return Loaded(doc, tiers=tiers or None)
