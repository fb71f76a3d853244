"""Office files the way OA systems and editors write them, built by the tests: DOCX whose 章/条 exist only as Word
list numbering (numbering.xml), DOCX tables with content controls (``w:sdt``), merged cells and a note row, XLSX
sheets with a merged title row and a note row. The texts are synthetic test data, not legal texts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx import Document as Docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from tests.builders import MERGED, fill_docx_table

W = nsdecls("w")


def _abstract(abstract_id: int, levels: Sequence[tuple[str, str, str]], restart0: bool = False) -> str:
    """An abstractNum: levels as (numFmt, lvlText, suff); ``restart0``: level 1 never restarts (lvlRestart 0)."""
    xml = [f'<w:abstractNum {W} w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="multilevel"/>']
    for ilvl, (fmt, text, suff) in enumerate(levels):
        restart = '<w:lvlRestart w:val="0"/>' if restart0 and ilvl == 1 else ""
        xml.append(f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{restart}'
                   f'<w:suff w:val="{suff}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>')
    xml.append("</w:abstractNum>")
    return "".join(xml)


def _num(num_id: int, abstract_id: int, start_override: int | None = None) -> str:
    override = (f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start_override}"/></w:lvlOverride>'
                if start_override else "")
    return f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'


def _add_numbering(doc, abstracts: Sequence[str], nums: Sequence[str]) -> None:
    numbering = doc.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    for a in abstracts:  # abstractNum elements come before every num
        el = parse_xml(a)
        if first_num is not None:
            first_num.addprevious(el)
        else:
            numbering.append(el)
    for n in nums:
        numbering.append(parse_xml(n))


def _number(paragraph, num_id: int, ilvl: int = 0) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {W}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def write_numbered_docx(path: Path, one_list: bool = False) -> Path:
    """某市测试管理办法: 章 numbered by the Heading 1 style (第%1章, chineseCounting), 条 by direct numbering
    (第%1条, chineseCountingThousand) continuing across chapters, 项 (（%1）) restarting in each article through a
    second w:num with a startOverride; one 条 paragraph sits inside a block content control. With ``one_list``, 章
    and 条 are levels 0 and 1 of one list whose level 1 never restarts (lvlRestart 0)."""
    doc = Docx()
    doc.add_heading("某市测试管理办法", level=0)
    if one_list:
        _add_numbering(doc, [_abstract(90, [("chineseCounting", "第%1章", "space"),
                                            ("chineseCountingThousand", "第%2条", "tab")], restart0=True),
                             _abstract(92, [("chineseCounting", "（%1）", "nothing")])],
                       [_num(90, 90), _num(92, 92), _num(93, 92, start_override=1)])
        chapter, article, chapter_lvl, article_lvl = 90, 90, 0, 1
    else:
        _add_numbering(doc, [_abstract(90, [("chineseCounting", "第%1章", "space")]),
                             _abstract(91, [("chineseCountingThousand", "第%1条", "tab")]),
                             _abstract(92, [("chineseCounting", "（%1）", "nothing")])],
                       [_num(90, 90), _num(91, 91), _num(92, 92), _num(93, 92, start_override=1)])
        chapter, article, chapter_lvl, article_lvl = 90, 91, 0, 0
        heading = doc.styles["Heading 1"].element.get_or_add_pPr()  # 章 numbered through the style
        heading.append(parse_xml(f'<w:numPr {W}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))

    def chapter_heading(text: str) -> None:
        p = doc.add_heading(text, level=1)
        if one_list:
            _number(p, chapter, chapter_lvl)

    def art(text: str):
        p = doc.add_paragraph(text)
        _number(p, article, article_lvl)
        return p

    chapter_heading("总则")
    art("为了规范测试管理，制定本办法。")
    art("本办法适用于本市行政区域内的测试活动。")
    chapter_heading("法律责任")
    art("有下列行为之一的，由城市管理部门责令改正：")
    for num, text in ((92, "擅自设置测试点的；"), (92, "拒不改正的。")):
        _number(doc.add_paragraph(text), num)
    last = art("违反本办法规定的，处五十元以上二百元以下罚款：")
    for num, text in ((93, "首次违反的；"), (92, "再次违反的。")):
        _number(doc.add_paragraph(text), num)
    wrap_in_content_control(last._p)
    doc.save(str(path))
    return path


def wrap_in_content_control(el) -> None:
    """Put an element (a ``w:p``, ``w:tc`` or ``w:r``) inside a content control (``w:sdt``) where it stands."""
    sdt = parse_xml(f'<w:sdt {W}><w:sdtPr><w:alias w:val="填写"/><w:id w:val="1"/></w:sdtPr><w:sdtContent/></w:sdt>')
    el.addprevious(sdt)
    sdt.find(qn("w:sdtContent")).append(el)




def write_docx_discretion(path: Path, title: str, header: Sequence[str], rows: Sequence[Sequence[object]],
                          controlled: Sequence[tuple[int, int]] = (), note: str = "") -> Path:
    """A 裁量 table: ``rows`` under ``header`` (MERGED cells merged with the one above), the cells at
    ``controlled`` (row, column; data rows from 0) inside content controls, and a last row that is one cell
    spanning the table (``note``)."""
    doc = Docx()
    doc.add_paragraph(title)
    table = doc.add_table(rows=1 + len(rows) + (1 if note else 0), cols=len(header))
    fill_docx_table(table, header, rows)
    if note:
        last = len(rows) + 1
        merged = table.cell(last, 0).merge(table.cell(last, len(header) - 1))
        merged.text = note
    trs = table._tbl.findall(qn("w:tr"))
    for r, c in controlled:
        tcs = trs[r + 1].findall(qn("w:tc"))
        wrap_in_content_control(tcs[c])
    doc.save(str(path))
    return path


def write_xlsx_with_title_and_note(path: Path, title: str, header: Sequence[str], rows: Sequence[Sequence[object]],
                                   note: str) -> Path:
    """One sheet: a title row merged across the table, the header, ``rows``, and a note row merged across."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "裁量基准"
    width = len(header)
    ws.append([title] + [None] * (width - 1))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    ws.append([note] + [None] * (width - 1))
    n = ws.max_row
    ws.merge_cells(start_row=n, start_column=1, end_row=n, end_column=width)
    wb.save(str(path))
    return path


CJK_FONTS = ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
             "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
             "/usr/share/fonts/truetype/arphic/uming.ttc")


def cjk_font_path() -> str | None:
    """A Chinese font on this machine (Debian's fonts-noto-cjk, which `make browser` installs), or None."""
    return next((p for p in CJK_FONTS if Path(p).is_file()), None)


def write_scanned_pdf(path: Path, pages: Sequence[Sequence[str]], font: str | None = None) -> Path:
    """An image-only PDF (no text layer), as a scanner writes it: each page an A4 image at 150 dpi with the lines
    drawn in ``font`` (blank pages when None)."""
    from PIL import Image, ImageDraw, ImageFont

    images = []
    for lines in pages:
        img = Image.new("RGB", (1240, 1754), "white")
        if font:
            face = ImageFont.truetype(font, 30)
            draw = ImageDraw.Draw(img)
            for i, line in enumerate(lines):
                draw.text((120, 150 + 64 * i), line, fill="black", font=face)
        images.append(img)
    images[0].save(str(path), "PDF", resolution=150, save_all=True, append_images=images[1:])
    return path
