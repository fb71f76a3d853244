import re
from pathlib import Path

import pytest

from corpus.chunking import chunk_document
from corpus.chunking.structure import clean_line, heading_of, is_markup, page_of
from corpus.model import DocType, Document
from corpus.sources import load_file

SYNTHETIC = """# 某某管理条例

<!-- INFO END -->

## 第一章 总则

第一条 为了测试，制定本条例。

第二条 本条例所称测试，是指下列行为：

（一）甲行为；

（二）乙行为。

前款规定的行为，由县级以上人民政府主管部门负责。

## 第二章 法律责任

### 第一节 一般规定

第十条 违反本条例第二条规定的，处一万元以上三万元以下罚款。

第十条之一 有下列情形之一的，从轻处罚：

（一）初次违法；

（二）及时改正。

第十一条 本条例自2024年1月1日起施行。
"""


def _doc(body: str, doc_type=DocType.REGULATION) -> Document:
    return Document(title="某某管理条例", doc_type=doc_type, body=body)


def body_text_without_structure(body: str, headings: set[str] = frozenset()) -> str:
    """The body minus headings and markup, whitespace removed: what chunks must reproduce.

    ``headings`` are the section headings the chunks carry in their path (【判决理由】, 一、…).
    """
    kept = []
    for raw in body.splitlines():
        line = clean_line(raw)
        if not line or is_markup(line) or page_of(line) is not None or heading_of(line) is not None:
            continue
        if line.strip("【】。") in headings:
            continue
        kept.append(line)
    return re.sub(r"\s+", "", "".join(kept))


def test_articles_paragraphs_items_and_paths():
    chunks = chunk_document(_doc(SYNTHETIC))
    arts = {(c.article, c.article_suffix): c for c in chunks if c.article}
    assert list(arts) == [(1, None), (2, None), (10, None), (10, 1), (11, None)]
    second = arts[(2, None)]
    assert second.path == ["第一章 总则"]
    assert len(second.paragraphs) == 2  # the 项 stay inside the first 款
    assert "（二）乙行为。" in second.paragraphs[0]
    assert second.paragraph(2).startswith("前款规定的行为")
    assert arts[(10, 1)].path == ["第二章 法律责任", "第一节 一般规定"]
    assert arts[(10, 1)].article_label == "第10条之1"


def test_citation_inside_a_paragraph_is_not_a_new_article():
    body = "第一条 甲。\n\n第二条 乙。\n\n第一条规定的事项，另行规定。\n\n第三条 丙。"
    chunks = chunk_document(_doc(body))
    assert [c.article for c in chunks] == [1, 2, 3]
    assert len(chunks[1].paragraphs) == 2


def test_article_text_may_start_like_a_citation():
    body = "第一条 为了测试，制定本法。\n\n第二条 中华人民共和国实行测试制度。\n\n第三条 中央测试机构负责。\n\n第二条中的测试，另行规定。"
    chunks = chunk_document(_doc(body))
    assert [c.article for c in chunks] == [1, 2, 3]
    assert chunks[1].paragraphs == ["中华人民共和国实行测试制度。"]
    assert chunks[2].paragraphs[-1] == "第二条中的测试，另行规定。"
    wrapped = "第一条 甲。\n\n第二条 违反本法，依照\n第十条 的规定处罚。\n\n第三条 丙。"  # a citation wrapped onto a line
    assert [c.article for c in chunk_document(_doc(wrapped))] == [1, 2, 3]


def test_nothing_lost_on_synthetic():
    chunks = chunk_document(_doc(SYNTHETIC))
    assert re.sub(r"\s+", "", "".join(c.text for c in chunks)) == body_text_without_structure(SYNTHETIC)


def test_chunk_ids_are_stable():
    a = chunk_document(_doc(SYNTHETIC))
    b = chunk_document(_doc(SYNTHETIC))
    assert [c.id for c in a] == [c.id for c in b]
    assert len({c.id for c in a}) == len(a)


def assert_nothing_lost(path: Path) -> None:
    """The chunks of a document hold its whole body (headings aside), none oversized."""
    loaded = load_file(path)
    chunks = chunk_document(loaded.document)
    joined = re.sub(r"\s+", "", "".join(c.text for c in chunks))
    headings = {h for c in chunks for h in c.path}
    assert joined == body_text_without_structure(loaded.document.body, headings), path.name
    assert all(len(c.text) <= 20000 for c in chunks), path.name


@pytest.fixture(scope="module")
def documents(laws, tmp_path_factory) -> Path:
    """Laws exported from laws.db, a case, a procedure, a LawRefBook-layout 行政法规 and the prose
    裁量 documents: one folder per kind, as in a corpus."""
    from tests import builders

    root = tmp_path_factory.mktemp("documents")
    laws(root / "laws", "中华人民共和国行政处罚法", "中华人民共和国治安管理处罚法", "中华人民共和国食品安全法",
         "中华人民共和国行政强制法")
    builders.write(root / "cases", "消费_李某与某购物广场买卖合同纠纷案.md", builders.CASE)
    builders.write(root / "procedures", "某省行政执法公示办法.md", builders.PROCEDURE)
    builders.write(root / "regulations", builders.LAWREFBOOK_NAME, builders.LAWREFBOOK)
    for title in builders.PROSE:
        builders.write(root / "discretion", f"{title}.md", builders.prose_markdown(title))
    return root


# The next three tests also run on the real files in test_shared_corpus.py, which gives these fixtures there.
@pytest.fixture(scope="module")
def penalty_law_file(documents: Path) -> Path:
    """行政处罚法 as the national-law DB has it (2021 revision), exported like a curated corpus file."""
    return documents / "laws/中华人民共和国行政处罚法(2021-01-22).md"


@pytest.fixture(scope="module")
def case_file(documents: Path) -> Path:
    return documents / "cases/消费_李某与某购物广场买卖合同纠纷案.md"


@pytest.fixture(scope="module")
def procedure_file(documents: Path) -> Path:
    return documents / "procedures/某省行政执法公示办法.md"


def test_administrative_penalty_law_golden(penalty_law_file: Path):
    loaded = load_file(penalty_law_file)
    chunks = chunk_document(loaded.document)
    articles = [c for c in chunks if c.article]
    assert len(articles) == 86
    assert [c.article for c in articles] == list(range(1, 87))
    a33 = next(c for c in articles if c.article == 33)
    assert len(a33.paragraphs) == 3
    assert a33.paragraphs[0].startswith("违法行为轻微并及时改正")
    assert a33.path == ["第四章 行政处罚的管辖和适用"]
    assert loaded.document.effective_date == "2021-07-15"


def test_case_keeps_its_headings(case_file: Path):
    loaded = load_file(case_file)
    chunks = chunk_document(loaded.document)
    assert loaded.document.doc_type == DocType.CASE
    headings = [c.heading for c in chunks]
    assert headings[:2] == ["裁判要点", "简要案情"]
    assert "判决理由" in headings
    assert all(c.title == "李某与某购物广场买卖合同纠纷案" for c in chunks)


def test_procedure_keeps_its_articles(procedure_file: Path):
    loaded = load_file(procedure_file)
    chunks = chunk_document(loaded.document)
    assert loaded.document.doc_type == DocType.PROCEDURE
    assert chunks[0].article == 1 and chunks[0].path == ["第一章 总则"]
    assert {c.path[0] for c in chunks if c.path} >= {"第一章 总则", "第二章 公示的范围"}


@pytest.mark.parametrize("folder", ["laws", "regulations", "procedures", "cases", "discretion"])
def test_nothing_lost_on_whole_documents(documents: Path, folder: str):
    files = sorted((documents / folder).rglob("*.md"))
    assert files
    for path in files:
        assert_nothing_lost(path)


def test_lawrefbook_layout(documents: Path):
    from tests.builders import LAWREFBOOK_NAME

    loaded = load_file(documents / "regulations" / LAWREFBOOK_NAME)
    doc = loaded.document
    assert doc.title == "某某代理条例"
    assert doc.doc_type == DocType.REGULATION
    assert doc.version_date == "2018-11-06"
    assert doc.effective_date == "2019-03-01"
    chunks = chunk_document(doc)
    assert chunks[0].article is None and "国务院令" in chunks[0].text  # promulgation notes kept
    assert [c.article for c in chunks if c.article][:3] == [1, 2, 3]
