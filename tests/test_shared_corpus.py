"""Integration tests on the real corpus in ../shared (marked ``shared``; skipped when it is missing):
the statute chunker on every real document, and the real files the synthetic fixtures are modelled on.
The same properties on documents the tests build themselves are in test_statute_chunker.py."""

import re
from pathlib import Path

import pytest

from corpus.chunking import chunk_document
from corpus.model import DocType
from corpus.sources import load_file
from tests.test_statute_chunker import body_text_without_structure

pytestmark = pytest.mark.shared


def test_administrative_penalty_law_golden(shared: Path):
    loaded = load_file(shared / "corpus-src/laws/中华人民共和国行政处罚法(2021-01-22).md")
    chunks = chunk_document(loaded.document)
    articles = [c for c in chunks if c.article]
    assert len(articles) == 86
    assert [c.article for c in articles] == list(range(1, 87))
    a33 = next(c for c in articles if c.article == 33)
    assert len(a33.paragraphs) == 3
    assert a33.paragraphs[0].startswith("违法行为轻微并及时改正")
    assert a33.path == ["第四章 行政处罚的管辖和适用"]
    assert loaded.document.effective_date == "2021-07-15"


@pytest.mark.parametrize("folder", ["laws", "regulations", "procedures", "cases"])
def test_nothing_lost_on_real_documents(shared: Path, folder: str):
    files = sorted((shared / "corpus-src" / folder).glob("*.md"))
    assert files
    for path in files:
        loaded = load_file(path)
        chunks = chunk_document(loaded.document)
        joined = re.sub(r"\s+", "", "".join(c.text for c in chunks))
        headings = {h for c in chunks for h in c.path}
        assert joined == body_text_without_structure(loaded.document.body, headings), path.name
        assert all(len(c.text) <= 20000 for c in chunks), path.name


def test_case_keeps_its_headings(shared: Path):
    loaded = load_file(shared / "corpus-src/cases/消费_李某与某购物广场买卖合同纠纷案.md")
    chunks = chunk_document(loaded.document)
    assert loaded.document.doc_type == DocType.CASE
    headings = [c.heading for c in chunks]
    assert headings[:2] == ["裁判要点", "简要案情"]
    assert "判决理由" in headings
    assert all(c.title == "李某与某购物广场买卖合同纠纷案" for c in chunks)


def test_procedure_keeps_its_articles(shared: Path):
    loaded = load_file(shared / "corpus-src/procedures/广东省行政执法公示办法.md")
    chunks = chunk_document(loaded.document)
    assert loaded.document.doc_type == DocType.PROCEDURE
    assert chunks[0].article == 1 and chunks[0].path == ["第一章 总则"]
    assert {c.path[0] for c in chunks if c.path} >= {"第一章 总则", "第二章 公示的范围"}


def test_lawrefbook_layout(shared: Path):
    path = shared / "corpus-full/行政法规/专利代理条例(2018-11-06).md"
    loaded = load_file(path)
    doc = loaded.document
    assert doc.title == "专利代理条例"
    assert doc.doc_type == DocType.REGULATION
    assert doc.version_date == "2018-11-06"
    assert doc.effective_date == "2019-03-01"
    chunks = chunk_document(doc)
    assert chunks[0].article is None and "国务院令" in chunks[0].text  # promulgation notes kept
    assert [c.article for c in chunks if c.article][:3] == [1, 2, 3]
