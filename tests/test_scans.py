"""Scanned PDFs (#18): a knowledge base that holds only a scan (national-law DB off) answers ``search`` and ``ask``
with one plain Chinese line and exit code 2; with the OCR extra installed the scan's articles are searchable and the
document says it was OCR'd, with the confidence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.office_builders import cjk_font_path, write_scanned_pdf

SCAN = [["某市城市管理扫描件测试办法", "第一条　为了规范城市管理，制定本办法。", "第二条　违反本办法规定擅自占道经营的，",
         "由城市管理部门责令改正，处五十元罚款。"]]


def _env(monkeypatch, root: Path) -> Path:
    data = root / "data"
    monkeypatch.setenv("E_ASSISTANT_DATA_DIR", str(data))
    monkeypatch.setenv("E_ASSISTANT_CORPUS", str(root / "in"))
    monkeypatch.setenv("E_ASSISTANT_LAW_DB", "false")
    monkeypatch.setenv("E_ASSISTANT_EMBEDDER", "hashing")
    monkeypatch.setenv("E_ASSISTANT_BACKEND", "extractive")
    return data


def test_only_a_scan_without_ocr_search_and_ask_say_so_plainly(tmp_path: Path, monkeypatch):
    from cli.main import app

    (tmp_path / "in").mkdir()
    write_scanned_pdf(tmp_path / "in" / "scan.pdf", SCAN, cjk_font_path())
    monkeypatch.setattr("corpus.sources.ocr.ocr_available", lambda: False)
    _env(monkeypatch, tmp_path)
    ingest = CliRunner().invoke(app, ["ingest", str(tmp_path / "in"), "--no-law-db"])
    assert "扫描件" in ingest.output and "OCR" in ingest.output
    for args in (["search", "占道经营罚款"], ["ask", "占道经营罚款多少"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, result.output
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert lines == ["知识库为空，没有可检索的内容（1 个文件导入失败）：请先导入文档。"], result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_scan_is_ocrd_when_the_extra_is_installed(tmp_path: Path, monkeypatch):
    pytest.importorskip("rapidocr_onnxruntime", reason="OCR 扩展未安装（pip install -e '.[ocr]'）")
    font = cjk_font_path()
    if font is None:
        pytest.skip("本机没有中文字体，无法生成扫描件（apt-get install fonts-noto-cjk）")
    from cli.main import app
    from corpus.sqlite_store import SQLiteStore

    (tmp_path / "in").mkdir()
    write_scanned_pdf(tmp_path / "in" / "scan.pdf", SCAN, font)
    data = _env(monkeypatch, tmp_path)
    ingest = CliRunner().invoke(app, ["ingest", str(tmp_path / "in"), "--no-law-db"])
    assert ingest.exit_code == 0, ingest.output
    (doc,) = SQLiteStore(data / "corpus.db").documents()
    assert doc.title == "某市城市管理扫描件测试办法"
    assert "OCR" in doc.note and "置信度" in doc.note
    shown = CliRunner().invoke(app, ["show", "某市城市管理扫描件测试办法", "第一条", "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["paragraphs"] == ["为了规范城市管理，制定本办法。"]
    result = CliRunner().invoke(app, ["search", "擅自占道经营罚款", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout[result.stdout.index("{"):])["hits"]
    assert hits[0]["article"] == 2 and "处五十元罚款" in hits[0]["text"]
