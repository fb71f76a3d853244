import os
from pathlib import Path

import pytest

from tests.fakes import register_fakes

register_fakes()  # E_ASSISTANT_EMBEDDER=hashing selects the fake encoder in every test

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("E_ASSISTANT_SHARED_DIR", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared() -> Path:
    """The read-only ../shared data folder (real documents; never copied into the repo)."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder not found at {SHARED}")
    return SHARED


DISCRETION_LAWS = ("中华人民共和国水污染防治法(2017-06-27).md", "中华人民共和国行政处罚法(2021-01-22).md")


@pytest.fixture(scope="session")
def discretion_data(shared: Path, tmp_path_factory) -> Path:
    """A data dir with the real discretion sources (the 234-page PDF, the XLS, the 不予处罚 lists, their Markdown
    extractions) and the two laws they cite most, ingested once through the CLI."""
    from typer.testing import CliRunner

    from cli.main import app

    laws = tmp_path_factory.mktemp("laws")
    for name in DISCRETION_LAWS:
        (laws / name).write_bytes((shared / "corpus-src" / "laws" / name).read_bytes())
    data = tmp_path_factory.mktemp("discretion-data")
    result = CliRunner().invoke(app, ["ingest", str(shared / "corpus-raw"), str(shared / "corpus-src" / "discretion"),
                                      str(laws), "--no-law-db", "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    assert "失败" in result.output  # the summary table was printed
    return data


@pytest.fixture(scope="session")
def hashing_index():
    """A factory: ingest a corpus folder into a fresh store under ``data`` and index it with the hashing fake
    encoder; returns (store, index, embedder)."""
    from corpus.ingest import ingest
    from corpus.sqlite_store import SQLiteStore
    from indexing.build import build_index, load_index
    from tests.fakes import HashingEmbedder
    from indexing.embedding_cache import EmbeddingCache

    def build(root: Path, data: Path):
        store = SQLiteStore(data / "corpus.db")
        ingest(store, [root])
        embedder = HashingEmbedder()
        build_index(store.servable_chunks(), data / "index", embedder, EmbeddingCache(data / "emb.sqlite"))
        return store, load_index(data / "index", embedder=embedder), embedder

    return build
