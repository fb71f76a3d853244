"""Real-world files read right (#18): the field cases (tiny synthetic copies below, with their right values) through
``ingest`` → ``show`` / ``search``, and each kind of fault on inputs made here: normalisation (wraps, spaced article
numbers, radical look-alikes) for every source and the national-law DB, encodings, Chinese front matter keys,
titles and types from the documents' own words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus.chunking import chunk_document
from corpus.model import DocType
from corpus.normalize import joined_text_lines, map_radicals, normalize_chars
from corpus.sources import load_file

# the field cases, copied (tiny synthetic texts)
WRAP = "第一条　违反本规定的，由城市管理部门责令改\n正，处五十元罚款。\n第二条　本规定自发布之日起施行。\n"
SPACED = "第一条　甲应当登记。\n第 二 条　乙应当备案。\n第三条　丙应当公示。\n"
RADICALS = "第⼗条　违法⾏为轻微的，不予⾏政处罚。\n"
GB2312_DECLARED = ('<html><head><meta charset="gb2312"></head><body><p>第一条　本办法自二〇二一年七月十五日起施行。'
                   '</p></body></html>')
CHINESE_FRONT_MATTER = """---
标题: 某市户外广告设置管理办法
发布机关: 某市人民政府
施行日期: 2024-03-01
状态: 现行有效
---
# 某市户外广告设置管理办法

第一条　为规范户外广告设置，制定本办法。

第二条　设置户外广告应当符合户外广告设置规划。

第三条　违反本办法第二条规定的，由城市管理部门责令限期改正；逾期不改正的，处五百元以上二千元以下罚款。
"""


def _chunks(path: Path):
    loaded = load_file(path)
    return loaded.document, chunk_document(loaded.document, loaded.tiers)


def _articles(path: Path) -> dict[int, list[str]]:
    _, chunks = _chunks(path)
    return {c.article: c.paragraphs for c in chunks if c.article is not None}


# --------------------------------------------------------------------------- the field cases through the CLI

@pytest.fixture(scope="module")
def field_data(tmp_path_factory):
    """Each field case ingested into its own data dir (no national-law DB), as the cases' README does it."""
    root = tmp_path_factory.mktemp("field")
    files = {"wrap.txt": WRAP.encode(), "spaced_number.txt": SPACED.encode(), "radicals.txt": RADICALS.encode(),
             "gb2312_declared.html": GB2312_DECLARED.encode("gb18030"),
             "chinese_front_matter.md": CHINESE_FRONT_MATTER.encode()}
    from cli.main import app

    out = {}
    for name, raw in files.items():
        path = root / "in" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(raw)
        data = root / name.replace(".", "_")
        result = CliRunner().invoke(app, ["ingest", str(path), "--no-law-db", "--data-dir", str(data)])
        assert result.exit_code == 0, result.output
        assert "失败" in result.output and "HTML 中没有可读正文" not in result.output
        out[name] = data
        out[name + ":file"] = path
    return out


def _show(data: Path, title: str, article: str) -> dict:
    from cli.main import app

    result = CliRunner().invoke(app, ["show", title, article, "--json", "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_wrapped_line_is_one_paragraph(field_data):
    first = _show(field_data["wrap.txt"], "wrap", "第一条")
    assert first["paragraphs"] == ["违反本规定的，由城市管理部门责令改正，处五十元罚款。"]
    assert _show(field_data["wrap.txt"], "wrap", "第二条")["paragraphs"] == ["本规定自发布之日起施行。"]


def test_spaced_article_number_is_an_article(field_data):
    assert _show(field_data["spaced_number.txt"], "spaced_number", "第二条")["paragraphs"] == ["乙应当备案。"]
    assert _show(field_data["spaced_number.txt"], "spaced_number", "第一条")["paragraphs"] == ["甲应当登记。"]
    assert _show(field_data["spaced_number.txt"], "spaced_number", "第三条")["paragraphs"] == ["丙应当公示。"]


def test_radicals_become_ordinary_characters(field_data):
    view = _show(field_data["radicals.txt"], "radicals", "第十条")
    assert view["paragraphs"] == ["违法行为轻微的，不予行政处罚。"]


def test_gb2312_declared_page_with_gbk_characters(field_data):
    view = _show(field_data["gb2312_declared.html"], "gb2312_declared", "第一条")
    assert "二〇二一年七月十五日起施行" in view["paragraphs"][0]
    assert view["effective_date"] == "2021-07-15"


def test_chinese_front_matter_keys(field_data):
    view = _show(field_data["chinese_front_matter.md"], "某市户外广告设置管理办法", "第三条")
    assert view["title"] == "某市户外广告设置管理办法"
    assert view["status"] == "现行有效" and view["effective_date"] == "2024-03-01"
    assert view["doc_type"] == "rule"  # a 办法 of a 人民政府: 规章, not law
    assert view["issuer"] == "某市人民政府"  # shown by `show` (制定机关) and in search hits
    from corpus.sqlite_store import SQLiteStore

    store = SQLiteStore(field_data["chinese_front_matter.md"] / "corpus.db")
    (doc,) = store.documents()
    assert doc.issuer == "某市人民政府" and doc.level == "地方政府规章"


@pytest.mark.parametrize("case, query, expected", [
    ("wrap.txt", "城市管理部门责令改正，处五十元罚款", "违反本规定的，由城市管理部门责令改正，处五十元罚款。"),
    ("spaced_number.txt", "乙应当备案", "乙应当备案。"),
    ("radicals.txt", "违法行为轻微的不予行政处罚", "违法行为轻微的，不予行政处罚。"),
])
def test_field_cases_through_search(field_data, monkeypatch, case, query, expected):
    from cli.main import app

    monkeypatch.setenv("E_ASSISTANT_EMBEDDER", "hashing")
    monkeypatch.setenv("E_ASSISTANT_LAW_DB", "false")
    monkeypatch.setenv("E_ASSISTANT_CORPUS", str(field_data[case + ":file"]))  # already ingested
    result = CliRunner().invoke(app, ["search", query, "--json", "--data-dir", str(field_data[case])])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout[result.stdout.index("{"):])["hits"]
    assert hits and expected in hits[0]["text"] and "⾏" not in hits[0]["text"]


# --------------------------------------------------------------------------- normalisation, every source

def test_character_normalisation_keeps_full_width_punctuation():
    assert map_radicals("第⼗条　⻓期⾏为（⼀）：，") == "第十条　长期行为（一）：，"
    assert normalize_chars("第\u3000二\u00a0十\t一 条　甲") == "第二十一条　甲"
    assert normalize_chars("依照第 三 款规定") == "依照第三款规定"
    assert normalize_chars("第 一 章　总则\r\n第二节 x") == "第一章　总则\n第二节 x"
    assert normalize_chars("全角，（）：；保留") == "全角，（）：；保留"


def test_wraps_joined_but_not_across_units_titles_or_notes():
    body = ("某市市容管理办法\n（2020年1月1日某市人民政府令第1号公布）\n第一条　为了\n规范市容，制定本办法。\n"
            "第二条　有下列行为之一的，处罚款：\n（一）乱贴\n乱画；\n（二）乱扔。\n"
            "第三条　依照\n第二条规定处理。\n")
    lines = [line for line, _ in joined_text_lines(body)]
    assert lines == ["某市市容管理办法", "（2020年1月1日某市人民政府令第1号公布）", "第一条 为了规范市容，制定本办法。",
                     "第二条 有下列行为之一的，处罚款：", "（一）乱贴乱画；", "（二）乱扔。", "第三条 依照第二条规定处理。"]


def test_sentence_cut_by_a_page_break_is_joined():
    body = "<!-- PDF 第1页 -->\n\n第一条　违反本规定的，由城市管理部门责令\n\n<!-- PDF 第2页 -->\n\n改正。\n第二条　施行。"
    assert list(joined_text_lines(body)) == [("第一条 违反本规定的，由城市管理部门责令改正。", 1), ("第二条 施行。", 2)]


def test_every_source_is_normalised(tmp_path: Path):
    from docx import Document as Docx

    text = "第一条　违法⾏为轻微的，\n不予处罚。\n第 二 条　乙应当备案。"
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(text.encode("gb18030"))
    (tmp_path / "c.html").write_text("<p>" + text.replace("\n", "</p><p>") + "</p>", encoding="utf-8")
    d = Docx()
    for line in text.split("\n"):
        d.add_paragraph(line)
    d.save(tmp_path / "d.docx")
    for name in ("a.md", "b.txt", "c.html", "d.docx"):
        doc, chunks = _chunks(tmp_path / name)
        assert "⾏" not in doc.body, name
        arts = {c.article: c.paragraphs for c in chunks if c.article}
        assert arts[2] == ["乙应当备案。"], name
        assert "违法行为轻微的" in arts[1][0], name
    assert _articles(tmp_path / "a.md")[1] == ["违法行为轻微的，不予处罚。"]  # the wrap joined in text files


def test_the_law_db_gets_the_same_normalisation():
    from corpus.sources.law_db import _paragraphs

    assert _paragraphs("违法⾏为\n轻微的，不予处罚。") == ["违法行为轻微的，不予处罚。"]


# --------------------------------------------------------------------------- encodings

def test_short_gbk_page_without_declaration(tmp_path: Path):
    page = "<html><body><h1>某镇管理办法</h1><p>第一条　本办法自公布之日起施行。</p></body></html>"
    (tmp_path / "p.html").write_bytes(page.encode("gbk"))
    doc, chunks = _chunks(tmp_path / "p.html")
    assert doc.title == "某镇管理办法"
    assert [c.paragraphs for c in chunks if c.article == 1] == [["本办法自公布之日起施行。"]]


def test_html_table_rows_keep_their_columns(tmp_path: Path):
    page = ("<html><body><h1>某市城市管理行政处罚裁量基准</h1><table>"
            "<tr><th>违法行为</th><th>违法情节</th><th>处罚幅度</th></tr>"
            "<tr><td rowspan=2>占道经营</td><td>首次</td><td>警告</td></tr>"
            "<tr><td>再次</td><td>处五十元以上二百元以下罚款</td></tr></table></body></html>")
    (tmp_path / "t.html").write_text(page, encoding="utf-8")
    doc, chunks = _chunks(tmp_path / "t.html")
    assert doc.doc_type == DocType.DISCRETION
    tiers = [c.record for c in chunks if c.record]
    assert [(t.violation, t.circumstance, t.range_text) for t in tiers] == [
        ("占道经营", "首次", "警告"), ("占道经营", "再次", "处五十元以上二百元以下罚款")]


# --------------------------------------------------------------------------- titles and types from content

def test_title_and_type_from_the_first_line(tmp_path: Path):
    (tmp_path / "cg2024-03.txt").write_text(
        "某市城市管理行政处罚裁量基准\n违法行为\t违法情节\t处罚幅度\n占道经营\t首次\t警告\n", encoding="utf-8")
    doc, chunks = _chunks(tmp_path / "cg2024-03.txt")
    assert doc.title == "某市城市管理行政处罚裁量基准" and doc.doc_type == DocType.DISCRETION
    assert [c.record.range_text for c in chunks if c.record] == ["警告"]
    # a first line that starts an article or a 款 is no title: the file name is
    (tmp_path / "规定草稿.txt").write_text("第一条　甲。\n第二条　乙。\n", encoding="utf-8")
    assert load_file(tmp_path / "规定草稿.txt").document.title == "规定草稿"
    (tmp_path / "note.txt").write_text("各区应当做好户外广告管理工作。\n", encoding="utf-8")
    assert load_file(tmp_path / "note.txt").document.title == "note"


@pytest.mark.parametrize("issuer, level", [("某市人民政府", "地方政府规章"), ("某市城市管理局", "规范性文件")])
def test_rules_are_typed_by_issuer_not_as_law(tmp_path: Path, issuer: str, level: str):
    (tmp_path / "x.txt").write_text(f"某市户外广告设置细则\n（2023年5月1日{issuer}令第3号公布）\n第一条　甲。\n",
                                    encoding="utf-8")
    doc = load_file(tmp_path / "x.txt").document
    assert doc.title == "某市户外广告设置细则" and doc.doc_type == DocType.RULE
    assert doc.issuer == issuer and doc.level == level
