"""#24 (first step): with E_ASSISTANT_STORE_URL the product keeps its store in PostgreSQL — ingest, search and
the discretion advisor read it exactly as they read SQLite (the Store contract itself: tests/test_contracts.py)."""

import uuid

import pytest

from assistant.settings import Settings, SettingsError
from assistant.storage import open_store


@pytest.fixture
def store_url(postgres_server):
    import psycopg

    name = f"p_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield postgres_server.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def test_the_settings_choose_postgresql_and_search_works_on_it(store_url, laws, tmp_path, hashing_index):
    from corpus.ingest import ingest
    from corpus.postgres_store import PostgresStore
    from indexing.build import build_index, load_index
    from indexing.embedding_cache import EmbeddingCache
    from assistant.retrieval import HybridRetriever
    from tests.fakes import HashingEmbedder

    settings = Settings(data_dir=tmp_path / "data", store_url=store_url, law_db=False)
    store = open_store(settings)
    assert isinstance(store, PostgresStore)
    report = ingest(store, [laws(tmp_path / "corpus", "中华人民共和国行政处罚法")])
    assert store.counts()["documents"] == 1 and report
    embedder = HashingEmbedder()
    build_index(store.servable_chunks(), tmp_path / "index", embedder, EmbeddingCache(tmp_path / "emb.sqlite"))
    retriever = HybridRetriever(store, load_index(tmp_path / "index", embedder=embedder), embedder)
    hits = retriever.search("行政处罚法第三十三条", k=3)
    assert hits and hits[0].chunk.article == 33
    again = open_store(settings)  # a second replica's view of the same store
    assert again.chunk(hits[0].chunk.id).text == hits[0].chunk.text
    store.close()
    again.close()


def test_only_postgresql_urls_are_taken():
    with pytest.raises((SettingsError, ValueError), match="PostgreSQL"):
        Settings(store_url="mysql://x@y/z")
