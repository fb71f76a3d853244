"""Retrieval on a small corpus (laws exported from laws.db, an old version and a case written by the tests):
lookup, hybrid/BM25/dense contract, filters, bad queries, CLI."""

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval import Filters, FusionWeights, HybridRetriever, QueryError
from corpus.ingest import ingest
from corpus.sqlite_store import SQLiteStore
from indexing.build import build_index, load_index
from tests.fakes import HashingEmbedder
from indexing.embedding_cache import EmbeddingCache

LAWS = ["中华人民共和国行政处罚法", "中华人民共和国治安管理处罚法", "中华人民共和国食品安全法", "中华人民共和国行政强制法"]
OLD_VERSION = """---
title: "中华人民共和国行政处罚法"
doc_type: "law"
version_date: "2017-09-01"
effective_date: "2017-09-01"
status: "已修改"
---
# 中华人民共和国行政处罚法

第一条 旧版本的第一条，用于测试版本过滤。

第二十七条 当事人有下列情形之一的，应当依法从轻或者减轻行政处罚：旧版本测试文字。
"""


@pytest.fixture(scope="module")
def small_corpus(laws, tmp_path_factory) -> Path:
    from tests.builders import CASE

    root = laws(tmp_path_factory.mktemp("corpus"), *LAWS)
    (root / "行政处罚法2017.md").write_text(OLD_VERSION, encoding="utf-8")
    (root / "case.md").write_text(CASE, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def retriever(small_corpus: Path, tmp_path_factory) -> HybridRetriever:
    data = tmp_path_factory.mktemp("data")
    store = SQLiteStore(data / "corpus.db")
    ingest(store, [small_corpus])
    embedder = HashingEmbedder()
    build_index(store.servable_chunks(), data / "index", embedder, EmbeddingCache(data / "emb.sqlite"),
                extra_words=["处罚法", "行政处罚法"])
    return HybridRetriever(store, load_index(data / "index", embedder=embedder), embedder)


def test_direct_lookup_comes_first(retriever):
    for q in ("行政处罚法第三十三条", "《中华人民共和国行政处罚法》第三十三条", "处罚法33条", "行政处罚法第33条"):
        hits = retriever.search(q, k=5)
        assert (hits[0].document.title, hits[0].chunk.article) == ("中华人民共和国行政处罚法", 33), q
        assert hits[0].via == "lookup"
        assert hits[0].document.version_date == "2021-01-22"
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True), q  # scores fall with rank


def test_lookup_keeps_the_cited_paragraph(retriever):
    hit = retriever.search("处罚法三十三条第二款", k=3)[0]
    assert hit.chunk.article == 33 and hit.paragraph == 2
    assert hit.chunk.paragraph(2).startswith("当事人有证据足以证明没有主观过错")


def test_colloquial_question_finds_article_33(retriever):
    hits = retriever.search("初次违法且危害后果轻微并及时改正的可以不罚吗", k=3)
    assert any(h.document.title == "中华人民共和国行政处罚法" and h.chunk.article == 33 for h in hits)


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid", "hybrid-rrf"])
def test_every_mode_honours_the_retriever_contract(retriever, mode):
    weights = FusionWeights(method="rrf") if mode == "hybrid-rrf" else None
    mode = mode.removesuffix("-rrf")
    r = HybridRetriever(retriever.store, retriever.index, retriever.embedder if mode != "bm25" else None, mode=mode,
                        weights=weights)
    hits = r.search("食品经营者销售超过保质期的食品", k=7)
    assert 0 < len(hits) <= 7
    assert len({h.chunk.id for h in hits}) == len(hits)
    assert all(h.document.is_current for h in hits)
    d = hits[0].to_dict()
    for key in ("title", "article", "article_suffix", "doc_type", "status", "effective_date", "text", "score",
                "chunk_id", "source"):
        assert key in d


def test_score_fusion_keeps_both_signals(retriever):
    """A row found by only one list still gets the other list's exact score, and the named law is preferred."""
    q = "食品经营者销售超过保质期的食品"
    fused = retriever.search(q, k=10)
    bm25 = HybridRetriever(retriever.store, retriever.index, None, mode="bm25").search(q, k=10)
    assert fused[0].via == "hybrid" and fused[0].chunk.id in {h.chunk.id for h in bm25}
    assert [h.score for h in fused] == sorted((h.score for h in fused), reverse=True)
    named = retriever.search("治安管理处罚法 罚款", k=3)
    assert retriever._named_law("治安管理处罚法 罚款") == "治安管理处罚法"
    assert named[0].document.title == "中华人民共和国治安管理处罚法"
    # rows only BM25 found get their cosine from scores_at: the same number the dense search gives
    vec = retriever.embedder.embed_queries([q])[0]
    searched = retriever.index.dense.search_positions(vec, 50)
    rows = [row for row, _ in searched]
    assert np.allclose(retriever.index.dense.scores_at(vec, rows), [c for _, c in searched], atol=1e-5)
    with pytest.raises(ValueError):
        HybridRetriever(retriever.store, retriever.index, retriever.embedder, weights=FusionWeights(type_prior={"law": 0}))
    with pytest.raises(ValueError):
        HybridRetriever(retriever.store, retriever.index, retriever.embedder, weights=FusionWeights(method="max"))


def test_filters(retriever):
    only_cases = retriever.search("保质期 明知", k=5, filters=Filters(doc_types=frozenset({"case"})))
    assert only_cases and all(h.document.doc_type.value == "case" for h in only_cases)
    in_law = retriever.search("罚款", k=5, filters=Filters(law="治安法"))
    assert in_law and all(h.document.title == "中华人民共和国治安管理处罚法" for h in in_law)
    current = retriever.search("旧版本测试文字", k=20)
    assert all(h.document.version_date != "2017-09-01" for h in current)
    old = retriever.search("旧版本测试文字", k=20, filters=Filters(current_only=False))
    assert any(h.document.version_date == "2017-09-01" for h in old)
    as_of = retriever.search("旧版本测试文字", k=20, filters=Filters(as_of="2019-01-01"))
    assert all(h.document.version_date != "2021-01-22" for h in as_of if h.document.title.endswith("行政处罚法"))


@pytest.mark.parametrize("bad", ["", "   ", "。，、！？……", "字" * 10_000])
def test_bad_queries_get_a_clear_error(retriever, bad):
    with pytest.raises(QueryError) as info:
        retriever.search(bad)
    assert str(info.value)


def test_search_cli_single_and_batch(small_corpus: Path, tmp_path: Path, monkeypatch):
    from typer.testing import CliRunner

    from cli.main import app

    monkeypatch.setenv("E_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("E_ASSISTANT_CORPUS", str(small_corpus))
    monkeypatch.setenv("E_ASSISTANT_LAW_DB", "false")
    monkeypatch.setenv("E_ASSISTANT_EMBEDDER", "hashing")
    runner = CliRunner()
    single = runner.invoke(app, ["search", "行政处罚法第三十三条", "--json", "-k", "3"])
    assert single.exit_code == 0, single.output
    out = json.loads(single.output)
    assert out["hits"][0]["article"] == 33
    queries = tmp_path / "q.jsonl"
    queries.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in [
        {"id": "a", "query": "处罚法第三十三条"}, {"id": "b", "query": "！！！"}, {"id": "c", "query": "扣押 查封"}]),
        encoding="utf-8")
    batch = runner.invoke(app, ["search", "--queries", str(queries), "--top-k", "2", "--json"])
    assert batch.exit_code == 0, batch.output
    lines = [json.loads(line) for line in batch.output.splitlines() if line.startswith("{")]
    assert [line["id"] for line in lines] == ["a", "b", "c"]
    assert lines[0]["hits"][0]["article"] == 33 and lines[0]["hits"][0]["title"] == "中华人民共和国行政处罚法"
    assert lines[1]["hits"] == [] and "标点" in lines[1]["error"]
    assert 0 < len(lines[2]["hits"]) <= 2
    empty = runner.invoke(app, ["search", ""])
    assert empty.exit_code == 2
    missing = runner.invoke(app, ["search", "--queries", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2 and "找不到查询文件" in missing.output.replace("\n", "") and "Traceback" not in missing.output
    bad_type = runner.invoke(app, ["search", "罚款", "--doc-type", "foo"])
    assert bad_type.exit_code == 2 and "未知的文档类型" in bad_type.output and "law（法律）" in bad_type.output.replace("\n", "")
    chinese_type = runner.invoke(app, ["search", "处罚法第三十三条", "--doc-type", "法律", "--json"])
    assert chinese_type.exit_code == 0 and json.loads(chinese_type.output)["hits"][0]["article"] == 33


def test_eval_retrieval_runner_prints_ok_and_fail(small_corpus: Path, tmp_path: Path, monkeypatch):
    """The pyserini-style runner: scores written as data reproduce as OK; a changed expectation is a FAIL (exit 1)."""
    from typer.testing import CliRunner

    from cli.main import app

    monkeypatch.setenv("E_ASSISTANT_LAW_DB", "false")
    monkeypatch.setenv("E_ASSISTANT_EMBEDDER", "hashing")
    dataset = tmp_path / "dev.jsonl"
    dataset.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in [
        {"id": "q1", "query": "初次违法且危害后果轻微并及时改正的，可以不予行政处罚吗？", "admin": True,
         "gold": [{"law": "中华人民共和国行政处罚法", "article": 33, "text": ""}]},
        {"id": "q2", "query": "扣押查封的期限是多久", "admin": False,
         "gold": [{"law": "中华人民共和国行政强制法", "article": 25, "text": ""}]}]), encoding="utf-8")
    base = ["eval", "retrieval", "--dataset", str(dataset), "--data-dir", str(tmp_path / "eval"),
            "--corpus", str(small_corpus), "--top-k", "20"]
    runner = CliRunner()
    expected = tmp_path / "expected.json"
    first = runner.invoke(app, base + ["--write-expected", str(expected)])
    assert first.exit_code == 0, first.output
    scores = json.loads(expected.read_text(encoding="utf-8"))
    assert set(scores) == {"bm25", "dense", "hybrid-rrf", "hybrid", "rerank"}
    assert scores["hybrid"]["all"]["recall@20"] > 0
    again = runner.invoke(app, base + ["--expected", str(expected)])
    assert again.exit_code == 0, again.output
    assert "0 FAIL" in again.output and "FAIL " not in again.output.replace("0 FAIL", "")
    scores["hybrid"]["all"]["mrr@10"] += 0.5
    expected.write_text(json.dumps(scores), encoding="utf-8")
    changed = runner.invoke(app, base + ["--expected", str(expected), "--modes", "hybrid"])
    assert changed.exit_code == 1
    assert "FAIL hybrid/all/mrr@10" in changed.output
    only_bm25 = tmp_path / "bm25.json"
    only_bm25.write_text(json.dumps({"bm25": scores["bm25"]}), encoding="utf-8")
    nothing = runner.invoke(app, base + ["--expected", str(only_bm25), "--modes", "dense"])
    assert nothing.exit_code == 1 and "没有本次评测的模式" in nothing.output
    bad = runner.invoke(app, base + ["--modes", "hybrid,magic"])
    assert bad.exit_code == 2 and "magic" in bad.output
    kept = runner.invoke(app, base + ["--modes", "bm25", "--write-expected", str(expected)])
    assert kept.exit_code == 0, kept.output
    rewritten = json.loads(expected.read_text(encoding="utf-8"))
    assert set(rewritten) == {"bm25", "dense", "hybrid-rrf", "hybrid", "rerank"}  # modes not run keep their scores
    assert rewritten["hybrid"]["all"]["mrr@10"] == scores["hybrid"]["all"]["mrr@10"]
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    refused = runner.invoke(app, base + ["--modes", "bm25", "--expected", str(broken)])
    assert refused.exit_code == 2 and "不是 JSON" in refused.output and "bm25/" not in refused.output

    import assistant.retrieval.factory as engine

    def no_llm_expected(*args, **kwargs):
        raise AssertionError("the plain modes must not start an LLM")

    monkeypatch.setattr(engine, "make_generator", no_llm_expected)
    monkeypatch.setenv("E_ASSISTANT_QUERY_EXPANSION", "llm")  # set for the product: the plain rows stay plain
    plain = runner.invoke(app, base + ["--modes", "bm25,hybrid"])
    assert plain.exit_code == 0, plain.output
    monkeypatch.setenv("E_ASSISTANT_BACKEND", "extractive")
    fresh = base[:base.index("--data-dir") + 1] + [str(tmp_path / "fresh")] + base[base.index("--data-dir") + 2:]
    no_llm = runner.invoke(app, fresh + ["--modes", "bm25,expand"])
    assert no_llm.exit_code == 2 and "E_ASSISTANT_BACKEND" in no_llm.output
    assert not (tmp_path / "fresh" / "index").exists()  # refused before the index was built
