"""Integration tests on the real corpus in ../shared (marked ``shared``; skipped when it is missing): the
statute chunker on every real document, and the checks of test_statute_chunker.py run on the real files its
synthetic documents are modelled on (the imported tests below take their fixtures from this module)."""

from pathlib import Path

import pytest

from corpus.chunking import chunk_document
from corpus.model import DocType
from corpus.sources import load_file
from tests import test_statute_chunker as synthetic
from tests.test_statute_chunker import assert_nothing_lost

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def penalty_law_file(shared: Path) -> Path:
    return shared / "corpus-src/laws/中华人民共和国行政处罚法(2021-01-22).md"


@pytest.fixture(scope="module")
def case_file(shared: Path) -> Path:
    return shared / "corpus-src/cases/消费_李某与某购物广场买卖合同纠纷案.md"


@pytest.fixture(scope="module")
def procedure_file(shared: Path) -> Path:
    return shared / "corpus-src/procedures/广东省行政执法公示办法.md"


def test_nothing_lost_on_real_documents(shared: Path):
    for folder in ("laws", "regulations", "procedures", "cases"):
        files = sorted((shared / "corpus-src" / folder).glob("*.md"))
        assert files, folder
        for path in files:
            assert_nothing_lost(path)


def test_the_synthetic_checks_hold_on_the_real_files(penalty_law_file, case_file, procedure_file):
    synthetic.test_administrative_penalty_law_golden(penalty_law_file)
    synthetic.test_case_keeps_its_headings(case_file)
    synthetic.test_procedure_keeps_its_articles(procedure_file)


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
