"""Office and PDF files as OA systems and editors write them (#18), built by the tests: DOCX 章/条 that exist only
as Word numbering, DOCX 裁量 tables with content controls, merged cells and a note row, XLSX with a merged title row
and a note row, a PDF whose table header ends one page and whose rows start the next, a PDF with articles before
its 裁量 table."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.chunking import chunk_document
from corpus.model import DocType
from corpus.sources import load_file
from tests.builders import Cell, Lines, Page, Table, write_pdf
from tests.office_builders import (MERGED, write_docx_discretion, write_numbered_docx,
                                   write_xlsx_with_title_and_note)

NOTE = "注：本表中“以上”“以下”均包括本数。"
HEADER = ["序号", "违法行为", "违法情节", "处罚幅度"]


def _load(path: Path):
    loaded = load_file(path)
    return loaded.document, chunk_document(loaded.document, loaded.tiers)


@pytest.mark.parametrize("one_list", [False, True], ids=["separate-lists", "one-list-no-restart"])
def test_docx_automatic_numbering_gives_chapters_and_articles(tmp_path: Path, one_list: bool):
    doc, chunks = _load(write_numbered_docx(tmp_path / "numbered.docx", one_list=one_list))
    assert doc.title == "某市测试管理办法" and doc.doc_type == DocType.RULE
    arts = {c.article: c for c in chunks if c.article is not None}
    assert sorted(arts) == [1, 2, 3, 4]  # 条 numbering continues across chapters
    assert arts[1].path == ["第一章 总则"] and arts[3].path == ["第二章 法律责任"]
    assert arts[1].paragraphs == ["为了规范测试管理，制定本办法。"]
    assert arts[3].paragraphs == ["有下列行为之一的，由城市管理部门责令改正：\n（一）擅自设置测试点的；\n（二）拒不改正的。"]
    # the 4th article sits in a content control; its 项 restart (startOverride), then continue the common list
    assert arts[4].paragraphs == ["违反本办法规定的，处五十元以上二百元以下罚款：\n（一）首次违反的；\n（二）再次违反的。"]


def test_docx_content_controlled_cell_keeps_its_column(tmp_path: Path):
    rows = [(1, "占道经营", "首次被发现且当场改正", "不予处罚"),
            (MERGED, MERGED, "拒不改正", "处五十元以上二百元以下罚款")]
    path = write_docx_discretion(tmp_path / "table.docx", "某市城市管理行政处罚裁量基准", HEADER, rows,
                                 controlled=[(0, 2)], note=NOTE)
    doc, chunks = _load(path)
    assert doc.title == "某市城市管理行政处罚裁量基准" and doc.doc_type == DocType.DISCRETION
    tiers = [c.record for c in chunks if c.record is not None]
    assert [(t.violation, t.circumstance, t.range_text) for t in tiers] == [
        ("占道经营", "首次被发现且当场改正", "不予处罚"), ("占道经营", "拒不改正", "处五十元以上二百元以下罚款")]
    assert all(t.extra["表注"] == NOTE and t.extra["以上以下"] == "以上、以下均包括本数" for t in tiers)  # a note, no tier


def test_docx_discretion_type_comes_from_the_header_not_the_file_name(tmp_path: Path):
    rows = [(1, "未按规定设置户外广告", "首次", "警告")]
    doc, _ = _load(write_docx_discretion(tmp_path / "附件2.docx", "户外广告执法参考", HEADER, rows))
    assert doc.doc_type == DocType.DISCRETION


def test_xlsx_merged_title_row_and_note_row(tmp_path: Path):
    rows = [(1, "擅自设置户外广告", "面积10平方米以下", "处一千元以上五千元以下罚款"),
            (2, "擅自设置户外广告", "面积10平方米以上", "处五千元以上一万元以下罚款")]
    path = write_xlsx_with_title_and_note(tmp_path / "Book1.xlsx", "某市户外广告违法行为罚款裁量基准", HEADER, rows, NOTE)
    doc, chunks = _load(path)
    assert doc.title == "某市户外广告违法行为罚款裁量基准" and doc.doc_type == DocType.DISCRETION
    tiers = [c.record for c in chunks if c.record is not None]
    assert [(t.circumstance, t.min_yuan, t.max_yuan) for t in tiers] == [
        ("面积10平方米以下", 1000, 5000), ("面积10平方米以上", 5000, 10000)]
    assert {t.extra.get("以上以下") for t in tiers} == {"以上、以下均包括本数"}
    assert len(chunks) == len(tiers)  # the title and the note are no tiers and no loose chunks


W = (40, 120, 140, 120)


def _pdf_row(*texts: str) -> list[Cell]:
    return [Cell(t) for t in texts]


def test_pdf_header_at_the_bottom_of_a_page_rows_on_the_next(tmp_path: Path):
    filler = Lines(["某市城市管理行政处罚裁量基准"] + ["（印发说明，从略）"] * 24
                   + ["第一条　为规范行政处罚裁量权，制定本基准。", "第二条　本基准适用于本市城市管理领域的行政处罚。"])
    pages = [Page([filler, Table(W, [_pdf_row(*HEADER)])]),
             Page([Table(W, [_pdf_row("1", "占道经营", "首次", "警告"),
                             _pdf_row("2", "占道经营", "再次", "处五十元以上二百元以下罚款"),
                             [Cell(NOTE, cols=4)]])])]
    path = write_pdf(tmp_path / "scan-export.pdf", pages)
    doc, chunks = _load(path)
    assert doc.title == "某市城市管理行政处罚裁量基准" and doc.doc_type == DocType.DISCRETION
    tiers = [c.record for c in chunks if c.record is not None]
    assert [(t.circumstance, t.range_text, t.page) for t in tiers] == [
        ("首次", "警告", 2), ("再次", "处五十元以上二百元以下罚款", 2)]
    assert {t.extra.get("以上以下") for t in tiers} == {"以上、以下均包括本数"}
    # the title and the articles before the table are kept beside the tiers
    arts = {c.article: c.paragraphs for c in chunks if c.article is not None}
    assert arts == {1: ["为规范行政处罚裁量权，制定本基准。"], 2: ["本基准适用于本市城市管理领域的行政处罚。"]}
    assert not any("占道经营" in c.text for c in chunks if c.record is None)  # the table is not read twice
