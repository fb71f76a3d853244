"""The term a text sets for itself (有效期, corpus/term.py): 「自2022年1月1日起施行，有效期五年」 ends it on 2027-01-01,
the source's 「有效期至2026-12-31」 on the day after, and a table that names its 规定's 文号 shares the 规定's term.
Wording after the real 广东/江门 裁量 documents; the dates are set so that no check depends on the day it runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus.sqlite_store import SQLiteStore
from corpus.term import term_in
from tests.builders import front_matter, write


@pytest.mark.parametrize("text, start, ends", [
    ("第二十五条　本规定自2022年1月1日起施行，有效期五年。", "", "2027-01-01"),
    ("第十八条　本规定自2020年3月1月起施行，有效期三年。", "", "2023-03-01"),  # 「3月1月」 as published
    ("五、本清单自2022年2月1日起施行，有效期三年。", "", "2025-02-01"),
    ("本办法自发布之日起施行，有效期3年。", "2021-05-01", "2024-05-01"),  # the length only: from its own start
    ("本规定自二〇二四年二月二十九日起施行，有效期两年", "", "2026-03-01"),
    ("来源网站标注有效期至2026-12-31", "", "2027-01-01"),
    ("本通知有效期至2025年6月30日。", "", "2025-07-01"),
])
def test_a_term_a_text_states(text, start, ends):
    assert term_in(text, start)[0] == ends


@pytest.mark.parametrize("text", ["排污许可证有效期为5年。", "药品经营许可证应当标明有效期和经营范围，到期重新审查发证。",
                                  "行政许可有效期届满未延续的", "本规定自2020年1月1日起施行。"])
def test_a_licences_term_is_no_term_of_the_text(text):
    assert term_in(text, "2019-01-01") is None


def _doc(folder: Path, title: str, body: str, note: str = "", status: str = "现行有效",
         effective: str = "2020-03-01", doc_type: str = "discretion") -> None:
    write(folder, f"{title}.md", front_matter(title=title, doc_type=doc_type, issuer="某市生态环境局", effective_date=effective,
                                              status=status, note=note) + f"\n# {title}\n\n{body}\n")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> SQLiteStore:
    from cli.main import app

    src, data = tmp_path_factory.mktemp("term-src"), tmp_path_factory.mktemp("term-data")
    _doc(src, "某市生态环境行政处罚裁量规定（试行）", "第一条　为规范裁量，制定本规定。\n\n第九条　本规定自2020年3月1日起施行，有效期三年。",
         note="某环〔2020〕10号", status="已失效")
    _doc(src, "某市生态环境行政处罚裁量参照表（试行）", "第一条　未批先建的，处总投资额百分之一以上百分之五以下罚款。",
         note="与某环〔2020〕10号《裁量规定（试行）》配套的裁量表")
    _doc(src, "某省生态环境不予处罚清单", "第一条　初次违法且危害后果轻微并及时改正的，不予行政处罚。",
         note="某环发〔2021〕7号附件2；来源网站标注有效期至2031-12-31", effective="2022-01-01")
    _doc(src, "某市排污许可管理条例", "第一条　为加强排污许可管理，制定本条例。\n\n第十条　排污许可证有效期为5年。",
         doc_type="local_regulation")
    result = CliRunner().invoke(app, ["ingest", str(src), "--no-law-db", "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    return SQLiteStore(data / "corpus.db")


def _by_title(store: SQLiteStore):
    return {d.title: d for d in store.documents()}


def test_a_rules_own_article_ends_it_and_its_table_with_it(store):
    docs = _by_title(store)
    rules, table = docs["某市生态环境行政处罚裁量规定（试行）"], docs["某市生态环境行政处罚裁量参照表（试行）"]
    for doc in (rules, table):
        assert doc.repealed_on == "2023-03-01"
        assert doc.status_on("2023-02-28").value == "现行有效" and doc.status_on("2023-03-01").value == "已失效"
    assert "「自2020年3月1日起施行，有效期三年」，自2023年3月1日起失效" in rules.status_basis
    assert "配套" in table.status_basis and "某环〔2020〕10号" in table.status_basis


def test_the_sources_label_ends_a_list(store):
    doc = _by_title(store)["某省生态环境不予处罚清单"]
    assert doc.repealed_on == "2032-01-01" and "来源标注" in doc.status_basis
    assert doc.status_on("2031-12-31").value == "现行有效" and doc.status_on("2032-01-01").value == "已失效"


def test_a_licences_term_leaves_the_law_in_force(store):
    doc = _by_title(store)["某市排污许可管理条例"]
    assert doc.repealed_on == "" and doc.status_on("2040-01-01").value == "现行有效"
