"""裁量基准 tables → :class:`DiscretionTier` records (one per table row / list item).

Entry points:

* :func:`tiers_from_pdf` — pdfplumber tables: page extraction in
  :mod:`corpus.chunking.discretion_pdf`, merged cells / page breaks in
  :mod:`corpus.chunking.discretion_assemble`.
* :func:`tiers_from_excel` — .xls (xlrd, merged ranges filled) and .xlsx (openpyxl).
* :func:`tiers_from_markdown` — pipe tables, plus the flattened-text layouts handled in
  :mod:`corpus.chunking.discretion_text`; [] for prose.
* :func:`tiers_from_rows` — the shared row logic for Excel sheets and Markdown pipe tables.

Header cells are mapped to roles by meaning (:func:`column_role`), so the Guangdong layout
(违反条款 / 处罚依据 / 违法行为 / 违法程度 / 近一年同类违法行为情况 / 罚款), the Jiangmen
layout (序号 违法行为 法律依据 类别 裁量情节 裁量标准 备注) and 不予处罚 lists
(序号 类别 违法行为 违反条款 不予处罚的情节) all go through the same tier builder.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from corpus.amounts import parse_yuan_range
from corpus.model import DiscretionTier, squash
from corpus.chunking.table_notes import note_of_row, with_notes
from corpus.normalize import normalize_chars

# Roles a header cell can take. Order matters: the first matching pattern wins.
_ROLE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("seq", re.compile(r"^(序号|编号)$")),
    ("no_penalty", re.compile(r"不予(行政)?处罚的?(情节|情形|条件)|^免予处罚")),
    ("provision", re.compile(r"违反(的)?条款|违法条款")),
    ("basis", re.compile(r"处罚依据")),
    ("law", re.compile(r"法律依据|法规依据|^依据$")),
    ("violation", re.compile(r"^违法行为(名称)?$")),
    ("prior", re.compile(r"近.{1,3}年.{0,2}同类违法")),
    ("amount", re.compile(r"罚款|处罚标准|裁量标准|处罚幅度|裁量幅度|裁量权重")),
    ("grade", re.compile(r"^(类别|等级|档次|裁量(等级|档次|阶次))$")),
    ("aspect", re.compile(r"^裁量(要素|因素)$")),
    ("detail", re.compile(r"^(裁量|违法)?情[节形]$")),
    ("note", re.compile(r"^(备注|说明)$")),
]
# Factor columns whose values read well without their label (违法程度：较重 → 较重).
_PLAIN_FACTORS = {"违法程度", "违法行为", ""}
# Amount headers that need no label in range_text (the value says it all).
_PLAIN_AMOUNTS = {"罚款", "罚款金额", "处罚标准", "裁量标准", "处罚幅度", "裁量幅度"}
_EMPTY_VALUES = {"——", "—", "-", "/", "无", "／"}

_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
# Extraction blanks between Chinese and digits/Latin (「2 万元」, 「B 类」); blanks between two
# Chinese characters are kept (「第四款 国家对…」 separates the article number from its text).
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0]+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z%.])[ \t\u00a0]+(?=[{_CJK}])")
_WS = re.compile(r"[ \t\u00a0\u3000]+")


def clean_cell(text: object, keep_newlines_as_space: bool = True) -> str:
    """Normalise one cell: str() it, 1.0 → "1", newlines → space (or nothing), runs of blanks → one."""
    if text is None:
        return ""
    if isinstance(text, float):
        text = str(int(text)) if text.is_integer() else str(text)
    s = normalize_chars(str(text))
    s = re.sub(r"[ \t]*\n[ \t]*", " " if keep_newlines_as_space else "", s)
    return _WS.sub(" ", s).strip()


def join_layout_text(text: str) -> str:
    """Text whose line breaks are layout only (PDF cells, flattened PDF text): drop the breaks,
    and the blanks between Chinese and digits/Latin (「2 万元以上 3 万元」 → 「2万元以上3万元」)."""
    s = re.sub(r"\s*\n\s*", "", normalize_chars(text or ""))
    s = _SPACE_NEAR_CJK.sub("", s)
    return _WS.sub(" ", s).strip()


def column_role(label: str) -> str:
    """The role of a header cell: seq, violation, provision, basis, law, prior, amount, grade,
    aspect, detail (裁量情节), note, no_penalty, or factor (anything else: a circumstance dimension)."""
    key = squash(label)
    for role, pattern in _ROLE_PATTERNS:
        if pattern.search(key):
            return role
    return "factor"


def is_discretion_header(cells: Sequence[str | None]) -> bool:
    """True for the header row of a 裁量 table or a 不予处罚 list: a 违法行为 column plus a
    penalty column (罚款 / 裁量标准 / 裁量权重 …) or a 不予处罚的情节 column."""
    roles = [column_role(c or "") for c in cells if c and squash(c)]
    return "violation" in roles and ("amount" in roles or "no_penalty" in roles)


@dataclass
class Column:
    label: str
    role: str
    sublabel: str = ""  # e.g. 限期内改正 under a 裁量权重 header with two weight columns


def columns_from_header(header: Sequence[str | None]) -> list[Column]:
    """Roles for a header row. The second 违法行为 column is a factor; an unlabeled column right
    after a penalty column is a second penalty column; 类别 is the list category in 不予处罚 lists."""
    cols: list[Column] = []
    labels = [re.sub(r"[（(](万元|万|元)[)）]$", "", squash(h or "")) for h in header]
    no_penalty_list = any(column_role(lb) == "no_penalty" for lb in labels)
    for label in labels:
        role = column_role(label)
        if role == "violation" and any(c.role == "violation" for c in cols):
            role = "factor"
        if not label and cols and cols[-1].role == "amount":
            cols.append(Column(cols[-1].label, "amount"))
            continue
        if role == "grade" and no_penalty_list:
            role = "group"
        cols.append(Column(label, role))
    return cols


_VIOLATED_REF = re.compile(r"违反本(法|条例|办法|规定|决定)((?:第[^，。；,;规]{1,12}?[条款项])+(?:[、和及]第[^，。；,;规]{1,12}?[条款项])*)(?:的)?规定")
_TITLE = re.compile(r"《[^》]{2,60}》")


def violated_provision_from_basis(basis: str) -> str:
    """「《广东省环境保护条例》第六十七条第一款：违反本条例第二十三条第二款规定，…」 →
    「《广东省环境保护条例》第二十三条第二款」; "" when the text names no violated article."""
    m = _VIOLATED_REF.search(basis or "")
    title = _TITLE.search(basis or "")
    if not m or not title or title.start() > m.start():
        return ""
    return title.group(0) + m.group(2)


def _value(text: str) -> str:
    return "" if text in _EMPTY_VALUES else text


def build_tier(cols: Sequence[Column], values: Sequence[str], *, category: str = "", page: int | None = None,
               seq: str = "", provision: str = "", basis: str = "", extra: dict[str, str] | None = None,
               spanning: Collection[int] = ()) -> DiscretionTier | None:
    """One tier from one row of resolved cell values (merged cells already filled).

    ``provision`` / ``basis`` are block-level texts (the Guangdong 违反条款 / 处罚依据 rows);
    row columns with those roles override them. ``spanning`` holds the columns whose cell also
    covers the next column (a PDF cell merged across columns): their value is written without the
    column label (「造成重大生态环境影响…的」 spans 违法程度 and 近一年同类违法行为情况). Returns None
    when the row has no violation or no penalty text (sub-header rows, blank rows)."""
    violation, grade, group = "", "", ""
    parts: list[str] = []
    priors: list[str] = []
    amounts: list[tuple[Column, str]] = []
    notes: list[str] = []
    no_penalty = ""
    kind = "no_penalty" if any(c.role == "no_penalty" for c in cols) else "tier"
    aspect = ""
    for i, (col, raw) in enumerate(zip(cols, values)):
        value = (raw or "").strip()
        role = col.role
        if i in spanning and role == "amount":
            col = Column(col.label, role)  # one value for all sub-columns: no sub-label
        elif i in spanning and role in ("factor", "prior", "aspect"):
            role = "detail"
        if role == "seq":
            seq = value or seq
        elif role == "violation":
            violation = value
        elif role == "provision":
            provision = _value(value) or provision
        elif role == "basis":
            basis = _value(value) or basis
        elif role == "law":
            if _value(value):
                basis = value
                provision = provision or violated_provision_from_basis(value)
        elif role == "no_penalty":
            no_penalty = value
        elif role == "amount":
            amounts.append((col, value))
        elif role == "note":
            if value:
                notes.append(value)
        elif role == "grade":
            grade = value
        elif role == "group":
            group = value
        elif not _value(value):
            continue
        elif role == "prior" and value.endswith("的") and "同类" not in value:
            parts.append(value)  # 「造成重大生态环境影响或者不良社会影响的」 in a 同类违法 column
        elif role == "aspect":
            if aspect:
                parts.append(aspect)
            aspect = value
        elif role == "prior":
            priors.append(value if "同类" in value else f"{col.label}：{value}")
        else:  # factor / detail
            plain = role == "detail" or col.label in _PLAIN_FACTORS or value.endswith("的")
            label = aspect or ("" if plain else col.label)
            parts.append(f"{label}：{value}" if label else value)
            if "同类违法" in aspect:
                priors.append(f"{aspect}：{value}")
            aspect = ""
    if aspect:
        parts.append(aspect)
    circumstance = "；".join(parts)
    if grade:
        circumstance = f"{grade}：{circumstance}" if circumstance else grade
    if kind == "no_penalty":
        range_text = no_penalty
    else:
        range_text = _range_text(amounts)
    if not violation or not range_text:
        return None
    first_amount = next((v for _, v in amounts if _value(v)), "")
    lo, hi = parse_yuan_range(first_amount) if kind == "tier" else (None, None)
    more = dict(extra or {})
    if notes:
        more["备注"] = "；".join(notes)
    return DiscretionTier(violation=violation, violated_provision=provision, penalty_basis=basis,
                          circumstance=circumstance, prior_violation="；".join(priors), range_text=range_text,
                          min_yuan=lo, max_yuan=hi, page=page, category=group or category, seq=seq,
                          kind=kind, extra=more)


def _range_text(amounts: list[tuple[Column, str]]) -> str:
    amounts = [(c, v) for c, v in amounts if _value(v)]
    if not amounts:
        return ""
    if len(amounts) == 1 and amounts[0][0].label in _PLAIN_AMOUNTS:
        return amounts[0][1]
    out = []
    for col, value in amounts:
        label = col.label + (f"（{col.sublabel}）" if col.sublabel else "")
        out.append(f"{label}：{value}" if label not in _PLAIN_AMOUNTS else value)
    return "；".join(out)


# --------------------------------------------------------------------------- rows (Excel, Markdown)

# Columns carried down from the row above when a cell is empty (merged in the source):
_CARRY_IN_GROUP = {"violation", "grade", "amount", "note", "aspect", "factor", "prior", "no_penalty"}
_CARRY_ACROSS_GROUPS = {"law", "basis", "provision", "group"}  # one merged cell may span several 序号


def tiers_from_rows(header: Sequence[str | None], rows: Sequence[Sequence[object]], *, category: str = "",
                    page: int | None = None) -> list[DiscretionTier]:
    """Tiers from a header and its data rows, cells already normalised to text.

    Empty cells are treated as merged with the cell above (the Markdown export leaves merged
    cells empty; the Jiangmen sheet also has unmerged blanks inside a 序号 group): violation-level
    and tier-level columns carry down within one 序号 (or one 违法行为 when there is no 序号),
    法律依据 / 违反条款 / 类别-of-a-list carry on across groups. The 裁量情节 (detail) column never
    carries, so every row with its own circumstance becomes its own tier, with the penalty of its
    merged 类别/裁量标准 cell (also into a row that starts a new 类别 without its own penalty,
    as the .xls merges it that way, e.g. 3-13 类别 5). Note rows (「备注：…」, 「注：本表中"以上"包括本数」) are no
    tiers: they go to every tier of the table (:func:`with_notes`)."""
    cols = columns_from_header(header)
    seq_i = next((i for i, c in enumerate(cols) if c.role == "seq"), None)
    vio_i = next((i for i, c in enumerate(cols) if c.role == "violation"), None)
    held: dict[int, str] = {}
    group_key = None
    tiers: list[DiscretionTier] = []
    notes: list[str] = []
    for raw in rows:
        values = [clean_cell(v) for v in raw]
        note = note_of_row(values)
        if note:  # a note on the table, not a tier
            notes.append(note)
            continue
        values = values[: len(cols)] + [""] * (len(cols) - len(values))
        if not any(values):
            continue
        key = values[seq_i] if seq_i is not None else (values[vio_i] if vio_i is not None else "")
        if key and key != group_key:
            group_key = key
            held = {i: v for i, v in held.items() if cols[i].role in _CARRY_ACROSS_GROUPS}
        for i, col in enumerate(cols):
            if col.role not in _CARRY_IN_GROUP | _CARRY_ACROSS_GROUPS and col.role != "seq":
                continue
            if values[i]:
                held[i] = values[i]
            else:
                values[i] = held.get(i, "")
        tier = build_tier(cols, values, category=category, page=page)
        if tier:
            tiers.append(tier)
    return with_notes(tiers, notes)


# --------------------------------------------------------------------------- Excel

def _xls_sheets(path: Path) -> list[tuple[str, list[list[str]]]]:
    import xlrd

    book = xlrd.open_workbook(str(path), formatting_info=True)
    sheets = []
    for sheet in book.sheets():
        grid = [[clean_cell(sheet.cell_value(r, c)) for c in range(sheet.ncols)] for r in range(sheet.nrows)]
        for r0, r1, c0, c1 in sheet.merged_cells:
            # The top-left cell is the visible one; covered cells may hold stale hidden values.
            value = grid[r0][c0] if r0 < len(grid) and c0 < len(grid[r0]) else ""
            for r in range(r0, min(r1, len(grid))):
                for c in range(c0, min(c1, len(grid[r]))):
                    grid[r][c] = value
        sheets.append((sheet.name, grid))
    return sheets


def _xlsx_sheets(path: Path) -> list[tuple[str, list[list[str]]]]:
    import openpyxl

    book = openpyxl.load_workbook(str(path), data_only=True)  # not read_only: merged ranges needed
    sheets = []
    for ws in book.worksheets:
        grid = [[clean_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
        for rng in ws.merged_cells.ranges:
            r0, c0 = rng.min_row - 1, rng.min_col - 1
            value = grid[r0][c0] if r0 < len(grid) and c0 < len(grid[r0]) else ""
            for r in range(r0, min(rng.max_row, len(grid))):
                for c in range(c0, min(rng.max_col, len(grid[r]))):
                    grid[r][c] = value
        sheets.append((ws.title, grid))
    return sheets


def tiers_from_excel(path: Path) -> list[DiscretionTier]:
    """Tiers from every sheet of an .xls/.xlsx 裁量 table; [] when no sheet has a 裁量 header.

    Merged ranges are filled from their top-left cell first, then :func:`tiers_from_rows` runs on
    each header's rows. The category of a tier is the sheet's title row above the header
    (e.g. 一、《中华人民共和国环境影响评价法》), else the sheet name."""
    path = Path(path)
    sheets = _xls_sheets(path) if path.suffix.lower() == ".xls" else _xlsx_sheets(path)
    tiers: list[DiscretionTier] = []
    for name, grid in sheets:
        tiers += _tiers_from_grid(grid, default_category=name)
    return tiers


def _tiers_from_grid(grid: list[list[str]], default_category: str) -> list[DiscretionTier]:
    out: list[DiscretionTier] = []
    header: list[str] | None = None
    category, title = default_category, ""
    body: list[list[str]] = []
    for row in grid:
        if is_discretion_header(row):
            if header is not None:
                out += tiers_from_rows(header, body, category=category)
            header, body = row, []
            category = title or default_category
        elif header is None:
            texts = list(dict.fromkeys(c for c in row if c))
            if len(texts) == 1:  # a merged title row
                title = texts[0]
        else:
            body.append(row)
    if header is not None:
        out += tiers_from_rows(header, body, category=category)
    return out


# --------------------------------------------------------------------------- Markdown

_FRONT_MATTER = re.compile(r"\A---\s*\n.*?\n---\s*\n", re.S)


def tiers_from_markdown(body: str) -> list[DiscretionTier]:
    """Tiers from a Markdown discretion document (YAML front matter allowed).

    * Pipe tables with a 裁量 / 不予处罚 header (the Jiangmen 参照表) → :func:`tiers_from_rows`,
      category = the table's ## heading. The Jiangmen export gives the .xls's 872 tiers, except
      where the .xls keeps a hidden value under a merged cell and the export printed it.
    * 【不予处罚的情节】 lists under ### headings, flattened 不予处罚 PDF text, and the flattened
      Guangdong 罚款金额裁量表 → :mod:`corpus.chunking.discretion_text` (see its limits).
    * Anything else (prose 规定, guides) → [].
    """
    from corpus.chunking import discretion_text

    body = _FRONT_MATTER.sub("", body or "", count=1)
    tiers: list[DiscretionTier] = []
    for heading, header, rows in discretion_text.pipe_tables(body):
        if is_discretion_header(header):
            tiers += tiers_from_rows(header, rows, category=heading)
    if tiers:
        return tiers
    return discretion_text.tiers_from_flat_text(body)


# --------------------------------------------------------------------------- PDF

def tiers_from_pdf(path: Path, on_page: Callable[[int, int], None] | None = None, *,
                   workers: int | None = None) -> list[DiscretionTier]:
    """Tiers from the tables of a PDF 裁量表 or 不予处罚 list; [] for a PDF without such tables.

    ``on_page(done, total)`` is called as pages are read. Errors of a corrupt PDF propagate.
    ``workers``: see :func:`corpus.chunking.discretion_pdf.read_discretion_pdf` (which also
    returns the page texts, so a loader needing both reads the PDF once)."""
    from corpus.chunking.discretion_pdf import read_discretion_pdf

    return read_discretion_pdf(Path(path), on_page=on_page, workers=workers).tiers
