"""裁量 documents given as Markdown text: pipe tables, 【】-sectioned lists, flattened PDF text.

* :func:`pipe_tables` — Markdown pipe tables (the Jiangmen 参照表 export) for
  :func:`corpus.chunking.discretion.tiers_from_rows`.
* :func:`tiers_from_flat_text` — the layouts without tables:

  - a 不予处罚 list written as ``## 类别`` / ``### 1、违法行为`` / 【违反条款】 / 【不予处罚的情节】
    (江门市…不予行政处罚的轻微环境违法行为清单): one no_penalty item per ### heading;
  - the flattened text of the Guangdong 不予处罚目录 PDF (序号 / 类别 / 违法行为 / 违反条款 /
    不予处罚的情节 cells as consecutive lines): one no_penalty item per 序号, which must count up
    from 1 (a stray number cannot start an item); 类别 is recognised as the short leading pieces
    (≤ 4 characters, the width of that column) and carried down when a row has none;
  - the flattened text of the Guangdong 罚款金额裁量表 PDF: **one record per § block** (per
    violation), not per tier. Violation (from the numbered heading), 违反条款, 处罚依据, category
    and § number are reliable. The table itself cannot be rebuilt: the flattening loses column
    positions, merged cells appear once (only on the first row they cover), and penalty texts are
    wrapped across lines. So the block's table text goes into range_text as rows (a row ends at a
    line ending in a penalty amount or weight), joined by 「；」, with the violation column's lines
    removed; min_yuan / max_yuan are the lowest and highest amounts of the block when every row
    states one in 元; rows cut by a page break stay cut. Where the extractor wrote a block's lines
    out of order (§7.5/§7.6 of the Guangdong text) a block is lost or its rows land in the next
    one. Use the PDF (:func:`corpus.chunking.discretion.tiers_from_pdf`) for tiers.
"""

from __future__ import annotations

import re

from corpus.amounts import parse_yuan_range
from corpus.chunking.discretion import join_layout_text
from corpus.model import DiscretionTier, squash

_HEADING = re.compile(r"^(#{2,6})\s+(.+?)\s*#*\s*$")
_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_PAGE = re.compile(r"^<!--\s*PDF\s*第\s*(\d+)\s*页\s*-->$")
_SECTION_LINE = re.compile(r"^§\s*(\d+(?:\s*\.\s*\d+)+)\s*裁量标准$")
_CHAPTER = re.compile(r"^第[一二三四五六七八九十]+章\s*\S+$")
_ITEM = re.compile(r"^[一二三四五六七八九十百]+、\s*(.+)$")
_LEADER = re.compile(r"\.{4,}|…{2,}")
_CIRCUMSTANCE_START = re.compile(r"^(同时满足|有下列情形|符合下列|具有下列)")
_ROW_END = re.compile(r"(元|倍|%|％|警告|罚款)(以下|以上)?$")


def pipe_tables(body: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """(nearest ## heading, header, rows) for every Markdown pipe table in the text."""
    lines = body.splitlines()
    out = []
    heading = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _HEADING.match(line)
        if m:
            heading = m.group(2).strip()
        if line.lstrip().startswith("|") and i + 1 < len(lines) and _SEPARATOR.match(lines[i + 1].strip()):
            header = _split_pipe_row(line)
            rows = []
            i += 2
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(_split_pipe_row(lines[i]))
                i += 1
            out.append((heading, header, rows))
            continue
        i += 1
    return out


def _split_pipe_row(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells = re.split(r"(?<!\\)\|", s)
    return [re.sub(r"<br\s*/?>", " ", c.replace("\\|", "|")).strip() for c in cells]


def tiers_from_flat_text(body: str) -> list[DiscretionTier]:
    """Tiers / items from the table-less layouts described in the module docstring; [] otherwise."""
    lines = [ln.rstrip() for ln in (body or "").splitlines()]
    if any(ln.strip() == "【不予处罚的情节】" for ln in lines):
        return _heading_list(lines)
    if any("序号" in ln and "不予处罚的情节" in ln and not ln.lstrip().startswith("|") for ln in lines):
        return _flat_no_penalty(lines)
    if sum(bool(_SECTION_LINE.match(ln.strip())) for ln in lines) and any(ln.startswith("违反条款") for ln in lines):
        return _flat_standard(lines)
    return []


# --------------------------------------------------------------------------- ### items with 【】 sections

def _heading_list(lines: list[str]) -> list[DiscretionTier]:
    items: list[DiscretionTier] = []
    category, section, note = "", "", []
    parts: dict[str, list[str]] = {}
    current: DiscretionTier | None = None

    def close() -> None:
        if current is not None:
            bullets = _bullets(parts.get("【违反条款】", []))
            current.violated_provision = "；".join(bullets)
            current.range_text = join_layout_text("\n".join(parts.get("【不予处罚的情节】", [])))
            if current.range_text:
                items.append(current)

    for raw in lines:
        line = raw.strip()
        m = _HEADING.match(line)
        if m and len(m.group(1)) == 2:
            close()
            current, section = None, ""
            category = m.group(2)
        elif m and len(m.group(1)) == 3:
            close()
            seq, _, violation = m.group(2).partition("、")
            if not violation:
                seq, violation = "", seq
            current, section, parts = DiscretionTier(violation=violation.strip(), seq=seq.strip(),
                                                     category=category, kind="no_penalty"), "", {}
        elif re.fullmatch(r"【[^】]+】", line):
            section = line
        elif line == "---":
            section = ""
        elif line and section == "【备注】" and current is None:
            note.append(line)
        elif current is not None and section:
            parts.setdefault(section, []).append(raw)
    close()
    if note:
        for item in items:
            item.extra["备注"] = "".join(note)
    return items


def _bullets(lines: list[str]) -> list[str]:
    out: list[str] = []
    for raw in lines:
        if raw.lstrip().startswith("- "):
            out.append(raw.lstrip()[2:].strip())
        elif raw.strip() and out:
            out[-1] += raw.strip()
        elif raw.strip():
            out.append(raw.strip())
    return out


# --------------------------------------------------------------------------- flattened 不予处罚 PDF

def _flat_no_penalty(lines: list[str]) -> list[DiscretionTier]:
    items: list[DiscretionTier] = []
    page, skip_page_number, in_note = None, False, False
    note: list[str] = []
    state, pre, prov, circ, start_page = "", [], [], [], None
    category = ""

    def close() -> None:
        nonlocal category
        if not pre:
            return
        tokens = [t for ln in pre for t in ln.split()]
        lead = 0
        while lead < len(tokens) and len(tokens[lead]) <= 4:
            lead += 1
        if lead == len(tokens):  # nothing long: all of it is the violation
            lead = 0
        if lead:
            category = "".join(tokens[:lead])
        items.append(DiscretionTier(
            violation="".join(tokens[lead:]), violated_provision=join_layout_text("\n".join(prov)),
            range_text=join_layout_text("\n".join(circ)), category=category, seq=str(len(items) + 1),
            page=start_page, kind="no_penalty"))

    for raw in lines:
        line = raw.strip()
        m = _PAGE.match(line)
        if m:
            page, skip_page_number = int(m.group(1)), True
            continue
        if not line:
            continue
        if skip_page_number and line == str(page):
            skip_page_number = False
            continue
        skip_page_number = False
        if in_note:
            note.append(line)
            continue
        if line == "备注":
            close()
            pre, in_note = [], True
            continue
        if ("序号" in line and "不予处罚的情节" in line) or re.fullmatch(r"附件\s*\d*", line):
            continue
        m = re.match(r"^(\d{1,3})(?:\s+(.*))?$", line)
        if m and int(m.group(1)) == len(items) + (1 if pre else 0) + 1:
            close()
            state, pre, prov, circ, start_page = "pre", [], [], [], page
            if m.group(2):
                pre.append(m.group(2))
            continue
        if not state:
            continue
        if state == "pre" and line.startswith("《"):
            state = "prov"
        elif state in ("pre", "prov") and _CIRCUMSTANCE_START.match(line):
            state = "circ"
        {"pre": pre, "prov": prov, "circ": circ}[state].append(line)
    close()
    items = [t for t in items if t.violation and t.range_text]
    if note:
        for item in items:
            item.extra["备注"] = "".join(note)
    return items


# --------------------------------------------------------------------------- flattened 罚款金额裁量表

def _flat_standard(lines: list[str]) -> list[DiscretionTier]:
    out: list[DiscretionTier] = []
    chapter, page, seq = "", None, ""
    heading: list[str] = []
    last_heading: list[str] = []
    block: dict[str, list[str]] | None = None
    key = ""
    skip_page_number = False
    block_page = None

    def close() -> None:
        if block is None:
            return
        record = _standard_record(block, "".join(block["heading"]), chapter, seq, block_page)
        if record:
            out.append(record)

    for raw in lines:
        line = raw.strip()
        m = _PAGE.match(line)
        if m:
            page, skip_page_number = int(m.group(1)), True
            continue
        if not line:
            continue
        if skip_page_number and line.isdigit():  # the printed page number (not the PDF page)
            skip_page_number = False
            continue
        skip_page_number = False
        if _LEADER.search(line):
            continue  # table of contents
        if _CHAPTER.match(line):
            close()
            block, chapter, heading, last_heading = None, re.sub(r"\s+", " ", line), [], []
            continue
        m = _SECTION_LINE.match(line)
        if m:
            close()
            seq = "§" + re.sub(r"\s", "", m.group(1))
            heading = heading or last_heading  # §2.5.2 follows §2.5.1 under the same heading
            block, key, block_page = {"heading": heading, "违反条款": [], "处罚依据": [], "table": [], "备注": []}, "", page
            last_heading, heading = heading, []
            continue
        m = _ITEM.match(line)
        if m and (block is None or key in ("table", "备注")):
            close()
            block, heading = None, [m.group(1)]
            continue
        if block is None:
            if heading:
                heading.append(line)
            continue
        # Parts come in order: 违反条款 → 处罚依据 → header (违法行为 …) → table rows → 备注.
        if key == "" and line.startswith("违反条款"):
            key, line = "违反条款", line[4:].strip()
        elif key in ("", "违反条款") and line.startswith("处罚依据"):
            key, line = "处罚依据", line[4:].strip()
        elif key == "处罚依据" and re.match(r"^违法行为(\s|$)", line):
            key, line = "table", ""
        elif key == "table" and line.startswith("备注"):
            key, line = "备注", line[2:].strip()
        if key and line:
            block[key].append(line)
    close()
    return out


def _standard_record(block: dict[str, list[str]], heading: str, chapter: str, seq: str,
                     page: int | None) -> DiscretionTier | None:
    violation = join_layout_text(heading)
    table = [join_layout_text(ln) for ln in block["table"]]
    table = _drop_violation_lines(table, violation)
    rows, current = [], []
    for ln in table:
        if not current and rows and re.match(r"^(以下|以上|下|元)", ln):
            tail = re.match(r"^(以下|以上|下|元)+", ln).group(0)  # 「3万元」|「以下」 split by the wrap
            rows[-1] += tail
            ln = ln[len(tail):].strip()
            if not ln:
                continue
        current.append(ln)
        if _ROW_END.search(ln):
            rows.append("".join(current))
            current = []
    if current:
        rows.append("".join(current))
    if not violation or not rows:
        return None
    lows, highs = [], []
    for row in rows:
        lo, hi = parse_yuan_range(row)
        if lo is None and hi is None:
            lows = highs = []
            break
        lows.append(lo if lo is not None else hi)
        highs.append(hi if hi is not None else lo)
    extra = {"说明": "由展平的PDF文本恢复，按违法行为整表收录，未逐档拆分"}
    if block["备注"]:
        extra["备注"] = join_layout_text("\n".join(block["备注"]))
    return DiscretionTier(
        violation=violation, violated_provision=join_layout_text("\n".join(block["违反条款"])),
        penalty_basis=join_layout_text("\n".join(block["处罚依据"])), range_text="；".join(rows),
        min_yuan=min(lows) if lows else None, max_yuan=max(highs) if highs else None,
        page=page, category=chapter, seq=seq, extra=extra)


def _drop_violation_lines(lines: list[str], violation: str) -> list[str]:
    """Remove the run of lines that spells the violation cell (it sits in the first column)."""
    target = squash(violation)
    for start in range(len(lines)):
        acc = ""
        for end in range(start, len(lines)):
            piece = squash(lines[end])
            if not target.startswith(acc + piece):
                break
            acc += piece
            if len(acc) >= 0.8 * len(target) and end > start and (
                    end + 1 == len(lines) or not target.startswith(acc + squash(lines[end + 1]))):
                return lines[:start] + lines[end + 1:]
    return lines
