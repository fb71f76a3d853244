"""PDF 裁量 tables → tiers: the page model and the assembly rules (pure; no PDF library here).

Layout handled (the Guangdong 罚款金额裁量表 and 不予处罚目录, and tables shaped like them):

* A block per violation: 违反条款 / 处罚依据 label rows, a header row (违法行为 + factor columns
  + 罚款 / 裁量权重 columns), tier rows, an optional 备注 row. Chapter headings (第二章 水污染防治类)
  and section marks (§2.22 裁量标准) sit in the page text between tables.
* Merged cells: pdfplumber reports one cell with a bbox spanning rows/columns and nothing for the
  covered grid positions. Each row's cells are matched to the header's columns by x overlap (a
  cell takes the leftmost column it mostly covers; other columns it mostly covers are horizontal
  spans, written without their label); a column with no cell in the row is covered from above and
  shares the value object of the row above, so text appended later reaches every row it covers.
  A penalty header over several sub-columns (裁量权重 → 限期内改正 | 逾期未改正) is split.
* Page breaks: the block stays open. On the first row of a continued table, empty cells continue
  merged cells. A row without a 序号, or whose penalty cell is empty or has no digit, is the tail
  of the previous page's last row (its texts are appended). Otherwise it is a new row; a text in
  the violation column or a coarser factor column is the tail of the merged cell above unless it
  sits vertically centred in its cell (cells in these tables are centred, so a new value is centred
  while a continued text hugs the top). For a cell that its text fills, the violation column counts
  as continued, another column only if its cell began on the previous page's last row while a
  finer column starts fresh (the 近二年同类违法 | 行为情况 split).
* 违法行为 headings 一、… and § marks fix a § number printed twice (§8.17 under 十八、 → §8.18).
* 裁量权重 tables: the 裁量起点 row(s) go to ``extra["裁量起点"]`` (with sub-column labels such as
  限期内改正 / 逾期未改正), each weight row becomes a tier with range_text 「裁量权重：5%」, and the
  block's 备注 (the formula) goes to ``extra["备注"]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.chunking.discretion import Column, build_tier, columns_from_header, is_discretion_header
from corpus.chunking.table_notes import BOUNDS_KEY, bounds_of, note_of_row
from corpus.model import DiscretionTier, squash
from corpus.numerals import cn_to_int

_KV_LABELS = {"违反条款": "provision", "违法条款": "provision", "处罚依据": "basis", "备注": "note", "说明": "note"}
_START = "裁量起点"
_COMPLETE_WITHOUT_DIGITS = ("警告", "不予", "免予", "免于", "没收", "责令", "/", "—")


@dataclass
class Cell:
    x0: float
    x1: float
    text: str
    # Blank space above / below the text inside the (possibly merged) cell; only measured on the
    # first row of the first table of a page. Cells are vertically centred in these tables, so a
    # text hugging the top of a taller cell is the tail of a merged cell begun on the previous page.
    gap_top: float | None = None
    gap_bottom: float | None = None

    @property
    def layout(self) -> str:
        """top (hugs the top, room below) / centred / full (fills the cell) / "" (not measured)."""
        if self.gap_top is None or self.gap_bottom is None:
            return ""
        if self.gap_top >= 4:
            return "centred"
        return "top" if self.gap_bottom >= 6 else "full"


@dataclass
class Table:
    rows: list[list[Cell]]  # real cells only, left to right; covered grid positions dropped


@dataclass
class Heading:
    kind: str  # chapter | section (§2.22) | item (the 一、 of a numbered violation heading)
    text: str


@dataclass
class PageData:
    number: int  # 1-based
    events: list[Table | Heading]  # top to bottom
    text: str = ""
    prose: str = ""  # the lines outside the page's tables


def assemble(pages: list[PageData]) -> list[DiscretionTier]:
    """Tiers from extracted pages (pure function of the page data; see the module docstring)."""
    asm = _Assembler()
    for page in pages:
        asm.start_page(page.number)
        for event in page.events:
            if isinstance(event, Heading):
                asm.heading(event)
            else:
                for i, row in enumerate(event.rows):
                    asm.row(row, below=event.rows[i + 1:])
    asm.flush()
    return asm.tiers


class _Val:
    """A cell value shared by all rows a merged cell covers."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


@dataclass
class _Col:
    col: Column
    x0: float
    x1: float


@dataclass
class _Block:
    category: str = ""
    seq: str = ""
    kv: dict[str, str] = field(default_factory=dict)
    cols: list[_Col] | None = None
    header_key: tuple[str, ...] = ()
    current: list[_Val | None] = field(default_factory=list)  # per column: holder of the row above
    last_kinds: list[str] = field(default_factory=list)  # per column of the last row: v / m / h
    rows: list[tuple[int, list[_Val | None], list[str]]] = field(default_factory=list)  # page, values, kinds
    violation: _Val | None = None
    start_cols: dict[int, list[str]] = field(default_factory=dict)  # amount column → 裁量起点 texts


class _Assembler:
    def __init__(self) -> None:
        self.tiers: list[DiscretionTier] = []
        self.category = ""
        self.seq = ""
        self.block = _Block()
        self.page = 0
        self.fresh_page = False  # no row seen yet on this page while a block is open
        self.last_kv = ""
        self._layouts: dict[int, str] = {}
        self.item: int | None = None

    # -- events
    def start_page(self, number: int) -> None:
        self.page = number
        self.fresh_page = True

    def heading(self, heading: Heading) -> None:
        if heading.kind == "item":
            self.item = cn_to_int(heading.text)
            return
        self.flush()
        if heading.kind == "chapter":
            self.category, self.seq, self.item = heading.text, "", None
        else:
            self.seq, self.item = _fix_section(heading.text, self.item), None
        self.fresh_page = False

    def row(self, cells: list[Cell], below: list[list[Cell]] | None = None) -> None:
        if not cells:
            return
        label = squash(cells[0].text)
        note = note_of_row([c.text for c in cells]) if not _KV_LABELS.get(label) else None
        if note:  # 「注：本表中"以上"包括本数」 across the table: a note of the block, not a tier
            self.fresh_page = False
            old = self.block.kv.get("note", "")
            self.block.kv["note"] = f"{old}；{note}" if old else note
            return
        if is_discretion_header([c.text for c in cells]) and not _KV_LABELS.get(label):
            self._header(cells, below or [])
            return
        fresh, self.fresh_page = self.fresh_page, False
        kv = _KV_LABELS.get(label)
        if kv:
            self._kv(kv, " ".join(c.text for c in cells[1:] if c.text))
            return
        if fresh and self.last_kv and not label:
            key = self.last_kv
            self.block.kv[key] = self.block.kv.get(key, "") + "".join(c.text for c in cells[1:])
            return
        self.last_kv = ""
        if self.block.cols is not None:
            self._data(cells, continued=fresh and bool(self.block.rows or self.block.violation))

    def _kv(self, key: str, value: str) -> None:
        b = self.block
        if key == "provision" or (key == "basis" and (b.rows or "basis" in b.kv)):
            self.flush()
            b = self.block
        b.kv[key] = value
        self.last_kv = key

    def _header(self, cells: list[Cell], below: list[list[Cell]]) -> None:
        self.last_kv = ""
        key = tuple(squash(c.text) for c in cells)
        b = self.block
        if b.cols is not None and key == b.header_key:
            return  # the header repeated on a new page: the page may still continue the block
        self.fresh_page = False
        if b.rows:
            kv = dict(b.kv)
            self.flush()
            self.block.kv = kv
        b = self.block
        labels = [c.text for c in cells]
        b.cols = []
        for col, cell in zip(columns_from_header(labels), cells):
            # A penalty header over several sub-columns (裁量权重 → 限期内改正 | 逾期未改正): one column each.
            cuts = sorted({round(c.x0) for r in below for c in r if cell.x0 + 3 < c.x0 < cell.x1 - 3
                           and sum(cell.x0 - 3 <= d.x0 and d.x1 <= cell.x1 + 3 for d in r) >= 2}) \
                if col.role == "amount" else []
            edges = [cell.x0, *cuts, cell.x1]
            for x0, x1 in zip(edges, edges[1:]):
                b.cols.append(_Col(Column(col.label, col.role), x0, x1))
        b.header_key = key
        b.current = [None] * len(b.cols)
        b.last_kinds = ["h"] * len(b.cols)

    # -- data rows
    def _assign(self, cells: list[Cell]) -> list[tuple[str, Cell | None]]:
        """Per column: ("v", cell) the cell that mainly covers it, ("h", cell) a cell of this row that
        also covers it (merged across columns), ("m", None) no cell: merged from the row above."""
        cols = self.block.cols or []
        out: list[tuple[str, Cell | None]] = [("m", None)] * len(cols)

        def overlap(cell: Cell, col: _Col) -> float:
            return max(0.0, min(cell.x1, col.x1) - max(cell.x0, col.x0))

        for cell in cells:
            # The leftmost column the cell mostly covers, else the one it overlaps most.
            mostly = [i for i, col in enumerate(cols)
                      if out[i][0] != "v" and overlap(cell, col) > 0.5 * (col.x1 - col.x0)]
            ranked = sorted(range(len(cols)), key=lambda i: -overlap(cell, cols[i]))
            free = mostly or [i for i in ranked if overlap(cell, cols[i]) > 1 and out[i][0] != "v"]
            if free:
                out[free[0]] = ("v", cell)
        for cell in cells:
            for i, col in enumerate(cols):
                if out[i][0] == "m" and overlap(cell, col) > 0.5 * (col.x1 - col.x0):
                    out[i] = ("h", cell)
        return out

    def _data(self, cells: list[Cell], continued: bool) -> None:
        b = self.block
        cols = b.cols or []
        assigned = self._assign(cells)
        kinds = [(k, c.text if k == "v" and c else "") for k, c in assigned]  # v: own text; h, m: ""
        self._layouts = {i: c.layout for i, (k, c) in enumerate(assigned) if k == "v" and c and c.layout}
        if continued:
            kinds = self._continuation(kinds)
            if kinds is None:
                return
        holders: list[_Val | None] = []
        for i, (kind, text) in enumerate(kinds):
            if kind == "v":
                holder = _Val(text)
            elif kind == "m":
                holder = b.current[i]
            else:
                holder = None
            holders.append(holder)
        b.current = list(holders)
        b.last_kinds = [k for k, _ in kinds]
        vio = next((i for i, c in enumerate(cols) if c.col.role == "violation"), None)
        if any(h is not None and squash(h.text) == _START for i, h in enumerate(holders)
               if cols[i].col.role not in ("amount", "no_penalty")):
            self._start_row(kinds, vio, holders)
            return
        if vio is not None and kinds[vio][0] == "v":
            b.violation = holders[vio]
        if vio is not None and b.violation is not None:
            holders[vio] = b.violation
        b.rows.append((self.page, holders, [k for k, _ in kinds]))

    def _start_row(self, kinds: list[tuple[str, str]], vio: int | None, holders: list[_Val | None]) -> None:
        """A 裁量起点 row (or its sub-header / value rows): collected for extra["裁量起点"]."""
        b = self.block
        if vio is not None and kinds[vio][0] == "v" and squash(kinds[vio][1]) != _START:
            b.violation = holders[vio]
        last = ""
        for i, col in enumerate(b.cols or []):
            if col.col.role != "amount":
                continue
            kind, text = kinds[i]
            if kind == "v":
                last = text
            elif kind == "h":
                text = last
            if text:
                b.start_cols.setdefault(i, []).append(text)

    def _continuation(self, kinds: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
        """First row of a page inside an open block: append fragments, return the row to add (or None)."""
        b = self.block
        cols = b.cols or []
        kinds = [("m", "") if k == "v" and not t else (k, t) for k, t in kinds]
        # A row cut by the page break has no 序号, or no self-standing penalty text, of its own.
        keys = [i for i, c in enumerate(cols) if c.col.role == "seq"] or \
            [i for i, c in enumerate(cols) if c.col.role in ("amount", "no_penalty")]
        if not keys:
            return kinds
        own = [kinds[i][1] for i in keys if kinds[i][0] == "v"]
        is_start = any(squash(t) == _START for k, t in kinds if k == "v")
        split = not is_start and (not own or (cols[keys[0]].col.role == "amount" and not _complete(own[0])))
        if split and b.rows:
            last = b.rows[-1][1]
            for i, (k, t) in enumerate(kinds):
                if k == "v" and last[i] is not None:
                    last[i].text += t
            return None
        vio = next((i for i, c in enumerate(cols) if c.col.role == "violation"), None)
        out = list(kinds)
        if any(c.col.role == "seq" for c in cols):
            return out  # a list: every numbered row is a new item, its empty cells continue merged ones
        layouts = self._layouts
        for i, (k, t) in enumerate(kinds):
            if k != "v" or squash(t) == _START or cols[i].col.role in ("amount", "no_penalty", "seq"):
                continue
            holder = b.violation if i == vio else b.current[i]
            if holder is None or layouts.get(i) == "centred":
                continue  # a new merged cell: its text sits in the middle
            if i == vio or layouts.get(i) == "top" or (
                    b.last_kinds[i] == "v"
                    and any(kinds[j][0] == "v" and kinds[j][1] and cols[j].col.role not in ("amount", "no_penalty")
                            for j in range(i + 1, len(cols)))):
                holder.text += t  # the tail of a merged cell begun on the previous page
                out[i] = ("m", "")
        return out

    # -- output
    def flush(self) -> None:
        b = self.block
        if b.cols is not None and b.rows:
            cols = [c.col for c in b.cols]
            extra: dict[str, str] = {}
            if b.start_cols:
                extra["裁量起点"] = _start_text(cols, b.start_cols)
            note = b.kv.get("note", "")
            if bounds_of(note):
                extra[BOUNDS_KEY] = bounds_of(note)
            for page, holders, kinds in b.rows:
                values = [h.text if h is not None else "" for h in holders]
                spanning = {i for i in range(len(kinds) - 1) if kinds[i] != "h" and kinds[i + 1] == "h"}
                tier = build_tier(cols, values, category=b.category, page=page, seq=b.seq, spanning=spanning,
                                  provision=_plain(b.kv.get("provision", "")), basis=b.kv.get("basis", ""),
                                  extra=dict(extra, **({"备注": note} if note else {})))
                if tier:
                    self.tiers.append(tier)
        self.block = _Block(category=self.category, seq=self.seq)
        self.last_kv = ""


def _fix_section(section: str, item: int | None) -> str:
    """「§8.17」 printed right under heading 十八、 (a slip in the source) → 「§8.18」."""
    parts = section[1:].split(".")
    if item and len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) != item:
        parts[1] = str(item)
    return "§" + ".".join(parts)


def _plain(text: str) -> str:
    return "" if squash(text) in ("——", "—", "/", "无") else text


def _complete(text: str) -> bool:
    """A penalty cell that can stand alone (not the tail of a row split by the page break)."""
    return bool(re.search(r"\d", text)) or text.startswith(_COMPLETE_WITHOUT_DIGITS)


def _start_text(cols: list[Column], start_cols: dict[int, list[str]]) -> str:
    """「限期内改正 25%；逾期未改正 20%」 from the 裁量起点 rows; labels also become sub-labels."""
    parts = []
    for i, texts in sorted(start_cols.items()):
        values = [t for t in texts if "%" in t or "％" in t]
        labels = [t for t in texts if t not in values and t not in ("/", "／")]
        if labels and len(start_cols) > 1:
            cols[i].sublabel = "".join(labels)
        if values:
            parts.append(" ".join(labels + values[-1:]))
    return "；".join(parts)
