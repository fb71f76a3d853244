"""裁量基准 table parsing, on synthetic tables the tests write themselves (tests/builders.py), shaped like
the real Guangdong / Jiangmen documents: a ruled PDF 罚款金额裁量表 (12 § blocks over 12 pages: merged
cells, 裁量权重 tables, rows and merged cells cut by page breaks, a § number printed twice), a 不予处罚
目录 PDF (9 items over 4 pages), a Jiangmen-like 参照表 as .xls and .xlsx (24 tiers; a value hidden under
a merged cell), a DOCX table, and the flattened Markdown extraction of each. The same assertions on the
real documents are in test_shared_discretion.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.amounts import parse_yuan_range
from corpus.chunking.discretion import (
    column_role,
    is_discretion_header,
    tiers_from_excel,
    tiers_from_markdown,
    tiers_from_pdf,
    tiers_from_rows,
    violated_provision_from_basis,
)
from corpus.model import squash
from tests import builders
from tests.builders import GD_NO_PENALTY, GD_STANDARD, GOLDEN_PAGE, JM_NO_PENALTY, JM_TABLE


@pytest.fixture(scope="module")
def raw(discretion_sources) -> Path:
    return discretion_sources[0]


def _md(discretion_sources, name: str) -> str:
    return (discretion_sources[1] / f"{name}.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def gd(raw):
    return tiers_from_pdf(raw / f"{GD_STANDARD}.pdf")


@pytest.fixture(scope="module")
def gd_np(raw):
    return tiers_from_pdf(raw / f"{GD_NO_PENALTY}.pdf")


@pytest.fixture(scope="module")
def jm_xls(raw):
    return tiers_from_excel(raw / f"{JM_TABLE}.xls")


def _section(tiers, seq):
    return [t for t in tiers if t.seq == seq]


# --------------------------------------------------------------------------- Guangdong-like 裁量表 PDF

def test_golden_fishing_tier_with_prior_violation(gd, page: int = GOLDEN_PAGE):
    """Also run on the real 234-page PDF (test_shared_discretion.py), where the tier is on page 51."""
    hits = [t for t in gd if "垂钓" in t.violation and t.prior_violation == "有同类违法行为"
            and t.circumstance.startswith("垂钓")]
    assert len(hits) == 1
    tier = hits[0]
    assert tier.violation == "在饮用水水源一级保护区内从事网箱养殖或者组织进行旅游、垂钓或者其他可能污染饮用水水体的活动"
    assert "3万元以上4万元以下" in tier.range_text
    assert (tier.min_yuan, tier.max_yuan) == (30000, 40000)
    assert tier.penalty_basis.startswith("《中华人民共和国水污染防治法》第九十一条第二款")
    assert tier.violated_provision.startswith("《中华人民共和国水污染防治法》第六十五条第二款")
    assert (tier.page, tier.category, tier.seq, tier.kind) == (page, "第二章 水污染防治类", "§2.22", "tier")


def test_counts_and_required_fields(gd):
    assert len(gd) == 81
    assert [s for s in dict.fromkeys(t.seq for t in gd)] == list(builders.GD_SECTIONS)  # every § block, in order
    assert {t.category for t in gd} == set(builders.GD_CHAPTERS)
    for t in gd:
        assert t.violation and t.range_text and t.penalty_basis and t.seq and t.page, t
        assert "\n" not in t.range_text + t.violation + t.circumstance
    assert sum(t.min_yuan is not None or t.max_yuan is not None for t in gd) == 38  # the 元 tables, not 权重 or 倍
    assert len({(t.seq, t.violation, t.circumstance, t.prior_violation, t.range_text) for t in gd}) == len(gd)


def test_merged_cells_are_filled_within_a_violation(gd):
    block = _section(gd, "§2.22")
    assert [t.circumstance for t in block] == [
        "垂钓或者其他可能污染饮用水水体的活动", "垂钓或者其他可能污染饮用水水体的活动", "组织旅游", "组织旅游",
        "从事网箱养殖", "从事网箱养殖", "造成重大生态环境影响或者不良社会影响的"]
    assert [t.prior_violation for t in block] == ["无同类违法行为", "有同类违法行为"] * 3 + [""]
    assert len({t.violation for t in block}) == 1 and len({t.penalty_basis for t in block}) == 1
    assert block[-1].range_text == "10万元"
    # a second penalty column merged down: the individual fine applies to every unit row
    first = _section(gd, "§1.4")[0]
    assert first.range_text.startswith("对单位罚款：50万元以上57万元以下；")
    assert first.range_text.endswith("直接责任人员罚款：5万元以上12万元以下")
    assert (first.min_yuan, first.max_yuan) == (500000, 570000)


def test_page_breaks(gd):
    # §1.3: the row 「限批区…|限期内完成备|3万元以上5万元」 is cut by the page break (p.3 → p.4)
    block = _section(gd, "§1.3")
    assert [(t.page, t.circumstance, t.range_text) for t in block[2:]] == [
        (3, "建设项目所在区域：限批区或环境敏感区；整改情况：限期内完成备案手续", "3万元以上5万元以下"),
        (4, "建设项目所在区域：限批区或环境敏感区；整改情况：逾期未完成备案手续", "5万元")]
    # §4.12: the first row of p.10 continues three merged columns of p.9
    t = next(t for t in _section(gd, "§4.12") if t.page == 10)
    assert t.circumstance == "未设置；涉及量：3吨以下；整改情况：限期内改正"
    assert t.prior_violation.endswith("1次以上3次以下") and t.range_text == "15万元以上18万元以下"
    # §3.5.2: 「近二年同类违法行为 | 情况（含本次）」 split over p.8/p.9 is one text
    assert {t.circumstance for t in _section(gd, "§3.5.2") if t.page == 9 and "同类" in t.circumstance} == {
        "近二年同类违法行为情况（含本次）：2次", "近二年同类违法行为情况（含本次）：3次",
        "近二年同类违法行为情况（含本次）：4次以上"}
    # §4.28: a new violation cell at the top of p.11 is not glued to the one of p.10
    assert [t.violation for t in _section(gd, "§4.28")] == [
        "违反相关规定，造成一般或者较大固体废物污染环境事故"] * 3 + ["违反相关规定，造成重大或者特大固体废物污染环境事故"] * 3
    # the violation text continued on the next page is whole
    assert {t.violation for t in _section(gd, "§3.4.2")} == {"超过大气污染物排放标准或者超过重点大气污染物排放总量控制指标排放大气污染物"}


def test_weight_tables(gd):
    block = _section(gd, "§1.6")
    assert block[0].extra["裁量起点"] == "限期内改正 25%；逾期未改正 20%"
    assert "计算方法" in block[0].extra["备注"]
    assert any(t.circumstance == "违法程度：未依法开展环境影响后评价" and t.range_text == "裁量权重：12%" for t in block)
    assert all(t.min_yuan is None and t.max_yuan is None for t in block)
    assert _section(gd, "§1.1")[0].extra["裁量起点"] == "20%"


def test_section_number_slip_is_fixed(gd):
    # the source prints §8.17 twice; the second is under heading 十八、
    assert {t.violation for t in _section(gd, "§8.17")} == {"未向下游用户传递规定信息的，或者拒绝提供新化学物质的相关信息"}
    assert _section(gd, "§8.18")[0].violation.startswith("未建立新化学物质活动等情况记录制度")


# --------------------------------------------------------------------------- 不予处罚 lists

def test_no_penalty_pdf(gd_np):
    assert len(gd_np) == builders.NO_PENALTY_ITEMS == 9
    assert [t.seq for t in gd_np] == [str(i) for i in range(1, 10)]
    assert all(t.kind == "no_penalty" and t.violation and t.range_text and t.violated_provision for t in gd_np)
    assert gd_np[0].category == "建设项目管理" and gd_np[3].category == "建设项目管理"  # merged over the page break
    assert gd_np[4].category == "水污染防治" and gd_np[-1].category == "台账管理"
    assert gd_np[7].range_text.endswith("在责令改正期限内改正违法行为，危害后果轻微。")  # tail on p.4
    assert (gd_np[7].page, gd_np[8].page) == (3, 4)
    assert gd_np[0].range_text.startswith("同时满足下列情形的，不予行政处罚：（1）属于首次违法；")
    assert "生态环境敏感区" in gd_np[0].extra["备注"]


def test_no_penalty_markdown_matches_pdf(discretion_sources, gd_np):
    md = tiers_from_markdown(_md(discretion_sources, GD_NO_PENALTY))
    assert len(md) == len(gd_np) == 9
    for a, b in zip(md, gd_np):
        assert (a.seq, a.category, a.page, a.kind) == (b.seq, b.category, b.page, b.kind)
        for field in ("violation", "violated_provision", "range_text"):
            assert squash(getattr(a, field)) == squash(getattr(b, field)), (a.seq, field)


def test_jiangmen_no_penalty_list(discretion_sources):
    items = tiers_from_markdown(_md(discretion_sources, JM_NO_PENALTY))
    assert len(items) == builders.JM_NO_PENALTY_ITEMS == 6
    assert [t.seq for t in items] == [str(i) for i in range(1, 7)]
    assert all(t.kind == "no_penalty" and t.range_text and t.violated_provision for t in items)
    assert items[0].category == "一、建设项目管理类" and items[-1].category == "台账管理类"
    assert items[3].violated_provision.count("；《") == 3  # four 违反条款
    assert items[0].range_text == "同时满足下列情形的，不予行政处罚：（1）属于首次违法；（2）在责令改正期限内改正违法行为，危害后果轻微。"


# --------------------------------------------------------------------------- Jiangmen-like 参照表

def test_jiangmen_xls(jm_xls, rows: int = 24):
    """Also run on the real 参照表 (test_shared_discretion.py), which has 872 tiers."""
    assert len(jm_xls) == rows
    assert all(t.violation and t.range_text and t.penalty_basis and t.seq for t in jm_xls)
    t = next(t for t in jm_xls if t.seq == "1-1" and t.circumstance.startswith("2："))
    assert t.circumstance == "2：报告表项目，主体工程已建设完成的"
    assert "百分之二以上百分之三以下" in t.range_text and (t.min_yuan, t.max_yuan) == (None, None)
    assert t.category == "一、《中华人民共和国环境影响评价法》" and t.extra["备注"].startswith("并可责令恢复原状")
    # a 类别 split over several 裁量情节 rows: one tier per row, the penalty carried down
    three = [t for t in jm_xls if t.seq == "1-1" and t.circumstance.startswith("3：")]
    assert [x.circumstance for x in three] == ["3：报告书项目，主体工程已建设完成的", "3：主体工程占用了生态环境保护法规政策规定禁止建设的区域的"]
    assert {x.range_text for x in three} == {"责令停止建设，处建设项目总投资额百分之三以上百分之四以下的罚款"}
    # unmerged blanks inside one 序号 (4-17) still get the 类别 and penalty of the row above
    t = next(t for t in jm_xls if t.seq == "4-17" and "擅自转移危险废物1吨以下" in t.circumstance)
    assert t.circumstance.startswith("1：") and (t.min_yuan, t.max_yuan) == (20000, 20000)
    # one 法律依据 cell merged over 9-1 and 9-2
    assert next(t for t in jm_xls if t.seq == "9-2").penalty_basis.startswith("《畜禽规模养殖污染防治条例》第三十七条")
    t = next(t for t in jm_xls if t.seq == "10-1")
    assert t.violated_provision == "《广东省环境保护条例》第十二条第二款" and "第六十四条第一款" in t.penalty_basis


def test_xlsx_and_xls_give_the_same_tiers(jm_xls, tmp_path):
    assert tiers_from_excel(builders.write_xlsx(tmp_path / "参照表.xlsx", builders.jm_sheets())) == jm_xls


def test_jiangmen_markdown_matches_xls(discretion_sources, jm_xls):
    md = tiers_from_markdown(_md(discretion_sources, JM_TABLE))
    assert len(md) == len(jm_xls)
    detail = lambda t: squash(t.circumstance.split("：", 1)[-1])  # noqa: E731
    range_diff = []
    for a, b in zip(jm_xls, md):
        assert (a.seq, squash(a.violation), detail(a), a.category) == \
            (b.seq, squash(b.violation), detail(b), b.category)
        if squash(a.range_text) != squash(b.range_text):
            range_diff.append(a.seq)
    # The .xls keeps another (hidden) value under one merged penalty cell; Excel shows the merged
    # value, which is what we read, while the Markdown export printed the hidden one.
    assert range_diff == [builders.JM_HIDDEN_SEQ]


def test_docx_table_gives_tiers(tmp_path):
    from corpus.chunking import chunk_document
    from corpus.sources import load_file

    sheet = builders.jm_sheets()[0]
    path = builders.write_docx_table(tmp_path / "某市生态环境违法行为裁量标准.docx", sheet.title,
                                     builders.JM_HEADER, sheet.rows)
    loaded = load_file(path)
    records = [c.record for c in chunk_document(loaded.document, loaded.tiers) if c.record]
    xls = tiers_from_excel(builders.write_xlsx(tmp_path / "t.xlsx", [sheet]))
    assert len(records) == 9 and [(t.seq, t.violation, t.circumstance, t.range_text, t.category) for t in records] == \
        [(t.seq, t.violation, t.circumstance, t.range_text, t.category) for t in xls]


# --------------------------------------------------------------------------- other Markdown

def test_flattened_standard_markdown_gives_one_record_per_violation(discretion_sources):
    records = tiers_from_markdown(_md(discretion_sources, GD_STANDARD))
    assert len(records) == len(builders.GD_SECTIONS)  # one per § block
    assert all(t.violation and t.range_text and t.penalty_basis for t in records)
    rec = next(t for t in records if t.seq == "§2.22")
    assert rec.violation.startswith("在饮用水水源一级保护区内从事网箱养殖")
    assert "有同类违法行为3万元以上4万元以下" in rec.range_text
    assert (rec.min_yuan, rec.max_yuan) == (20000, 100000)
    assert "第六十五条第二款" in rec.violated_provision and "第九十一条第二款" in rec.penalty_basis
    assert "未逐档拆分" in rec.extra["说明"]


@pytest.mark.parametrize("name", builders.PROSE)
def test_prose_documents_give_no_tiers(discretion_sources, name):
    assert tiers_from_markdown(_md(discretion_sources, name)) == []


# --------------------------------------------------------------------------- PDF plumbing

def _text_pdf(path: Path) -> Path:
    """A one-page PDF with a line of text and no table."""
    stream = b"BT /F1 12 Tf 72 720 Td (Plain text, no table.) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_pdf_without_tables_gives_nothing(tmp_path):
    assert tiers_from_pdf(_text_pdf(tmp_path / "plain.pdf")) == []


def test_corrupt_pdf_raises(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\nthis is not a PDF body")
    with pytest.raises(Exception):
        tiers_from_pdf(bad)


def test_progress_and_worker_process(raw, gd_np):
    calls = []
    two = tiers_from_pdf(raw / f"{GD_NO_PENALTY}.pdf", on_page=lambda d, t: calls.append((d, t)), workers=2)
    assert two == gd_np  # the child process reads pages 3-4 and gives the same records
    assert calls[-1] == (4, 4) and [d for d, _ in calls] == sorted(d for d, _ in calls)


# --------------------------------------------------------------------------- units

def test_header_roles():
    assert is_discretion_header(["违法行为", "违法程度", "近一年同类违法行为情况", "罚款"])
    assert is_discretion_header(["序号", "违法行为", "法律依据", "类别", "裁量情节", "裁量标准", "备注"])
    assert is_discretion_header(["序号", "类别", "违法行为", "违反条款", "不予处罚的情节"])
    assert not is_discretion_header(["违反条款", "《中华人民共和国水污染防治法》第十条", None])
    assert not is_discretion_header(["序号", "名称", "发布日期"])
    assert [column_role(x) for x in ["近二年同类违法行为情况（含本次）", "裁量权重", "对单位罚款（万）", "类别", "裁量情节"]] == [
        "prior", "amount", "amount", "grade", "detail"]


def test_rows_carry_merged_cells_within_a_group():
    header = ["序号", "违法行为", "法律依据", "类别", "裁量情节", "裁量标准", "备注"]
    rows = [["1-1", "甲行为", "《某法》第十条：违反本法第三条规定，处一万元以上五万元以下罚款", "1", "情节一", "处一万元以上二万元以下罚款", "注"],
            ["1-1", "", "", "", "情节二", "", ""],
            ["1-1", "", "", "2", "情节三", "处二万元以上五万元以下罚款", ""],
            ["1-2", "乙行为", "", "1", "情节四", "处五千元以下罚款", ""],
            ["", "", "", "", "", "", ""]]
    tiers = tiers_from_rows(header, rows, category="一、《某法》")
    assert [(t.seq, t.violation, t.circumstance, t.min_yuan, t.max_yuan) for t in tiers] == [
        ("1-1", "甲行为", "1：情节一", 10000, 20000), ("1-1", "甲行为", "1：情节二", 10000, 20000),
        ("1-1", "甲行为", "2：情节三", 20000, 50000), ("1-2", "乙行为", "1：情节四", None, 5000)]
    assert tiers[1].extra == {"备注": "注"} and tiers[3].extra == {}
    assert tiers[3].penalty_basis == tiers[0].penalty_basis  # a 法律依据 cell merged over two 序号
    assert tiers[0].violated_provision == "《某法》第三条"


def test_violated_provision_needs_an_explicit_reference():
    assert violated_provision_from_basis("《广东省大气污染防治条例》第七十条：违反本条例第十九条规定，…") == "《广东省大气污染防治条例》第十九条"
    assert violated_provision_from_basis("《中华人民共和国水污染防治法》第八十一条：以拖延、围堵…") == ""


def test_amounts_written_without_the_first_yuan():
    assert parse_yuan_range("处十二万以上十五万元以下罚款") == (120000, 150000)
    assert parse_yuan_range("可以处二百以上五百元以下的罚款") == (200, 500)
    assert parse_yuan_range("18万以上20万元以下") == (180000, 200000)
    assert parse_yuan_range("违法所得不足十万元的，并处一万元以上十万元以下罚款") == (10000, 100000)
    assert parse_yuan_range("给予警告，并处5000元罚款") == (5000, 5000)


def test_xlsx_merged_ranges(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["一、《某条例》"])
    ws.merge_cells("A1:G1")
    ws.append(["序号", "违法行为", "法律依据", "类别", "裁量情节", "裁量标准", "备注"])
    ws.append(["1-1", "甲行为", "《某条例》第九条", 1, "情节一", "处一万元以下罚款", None])
    ws.append([None, None, None, 2, "情节二", "处一万元以上三万元以下罚款", None])
    ws.append([None, None, None, None, "情节三", None, None])
    for rng in ("A3:A5", "B3:B5", "C3:C5", "D4:D5", "F4:F5"):
        ws.merge_cells(rng)
    wb.save(tmp_path / "t.xlsx")
    tiers = tiers_from_excel(tmp_path / "t.xlsx")
    assert [(t.seq, t.violation, t.circumstance, t.max_yuan, t.category) for t in tiers] == [
        ("1-1", "甲行为", "1：情节一", 10000, "一、《某条例》"), ("1-1", "甲行为", "2：情节二", 30000, "一、《某条例》"),
        ("1-1", "甲行为", "2：情节三", 30000, "一、《某条例》")]
