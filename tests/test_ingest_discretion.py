"""Ingest of the discretion sources (synthetic, shaped like the real ones: tests/builders.py): PDF/XLS originals
and their Markdown extractions are one document each. The same on the real sources: test_shared_discretion.py."""

from pathlib import Path

import pytest

from corpus.chunking.discretion import tiers_from_pdf
from corpus.sqlite_store import SQLiteStore
from corpus.store import Store
from tests.builders import GD_STANDARD, JM_NO_PENALTY_ITEMS, NO_PENALTY_ITEMS


@pytest.fixture(scope="module")
def store(discretion_data: Path) -> Store:
    return SQLiteStore(discretion_data / "corpus.db")


def test_no_failures_and_each_table_served_once(store: Store):
    assert store.failures() == []
    served = store.documents(doc_type="discretion")
    titles = [d.title for d in served]
    assert len(titles) == len(set(titles)), titles
    dups = store.duplicates()
    assert len(dups) == 3  # the Markdown extractions of the 裁量表 and 不予处罚目录, and the Jiangmen 参照表 pair


def test_guangdong_standard_is_served_from_the_pdf_with_front_matter_metadata(store: Store, discretion_sources):
    (doc,) = [d for d in store.documents(title_contains="广东省生态环境违法行为行政处罚罚款金额裁量表")
              if d.title == "广东省生态环境违法行为行政处罚罚款金额裁量表"]
    assert doc.source.endswith(".pdf")
    assert doc.effective_date == "2022-01-01" and doc.status.value == "现行有效" and doc.issuer == "广东省生态环境厅"
    tiers = [c.record for c in store.chunks_of(doc.id) if c.record is not None]  # beside them: the text around the tables
    assert len(tiers) == len(tiers_from_pdf(discretion_sources[0] / f"{GD_STANDARD}.pdf")) == 81  # every tier of the PDF
    golden = [t for t in tiers if "垂钓" in t.violation and "一级保护区" in t.violation and t.prior_violation
              and "有" in t.prior_violation and "无" not in t.prior_violation]
    assert any(t.min_yuan == 30000 and t.max_yuan == 40000 and "3万元以上4万元以下" in t.range_text
               and "第九十一条第二款" in t.penalty_basis for t in golden)


def test_jiangmen_table_is_served_from_the_xls(store: Store):
    (doc,) = [d for d in store.documents(title_contains="江门市") if "参照表" in d.title]
    assert doc.source.endswith(".xls")
    # the front matter says 已失效; its 规定 (江环〔2020〕10号) says when: 有效期三年 from 2020-03-01 (corpus/term.py)
    assert doc.status_on().value == "已失效" and doc.repealed_on == "2023-03-01"
    assert doc.status_on("2022-06-01").value == "现行有效"
    chunk = store.chunks_of(doc.id)[0]
    assert chunk.record is not None and chunk.record.violation


def test_no_penalty_items_are_records(store: Store):
    rows = [c.record for d in store.documents(doc_type="discretion", include_duplicates=True)
            for c in store.chunks_of(d.id) if c.record is not None and c.record.kind == "no_penalty"]
    kinds = {r.kind for r in rows}
    assert kinds == {"no_penalty"} and len(rows) >= NO_PENALTY_ITEMS + JM_NO_PENALTY_ITEMS  # Guangdong (served once) + Jiangmen
