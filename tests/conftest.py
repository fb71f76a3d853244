import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fakes import register_fakes

register_fakes()  # E_ASSISTANT_EMBEDDER=hashing selects the fake encoder in every test

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("E_ASSISTANT_SHARED_DIR", REPO.parent / "shared"))
SHARED_MISSING = f"../shared not found at {SHARED}: the integration tests on the real documents need it"

# Laws the tests use, exported once from the national-law DB the install brings (see tests/builders.py).
LAWS = ("中华人民共和国行政处罚法", "中华人民共和国治安管理处罚法", "中华人民共和国食品安全法",
        "中华人民共和国行政强制法", "中华人民共和国道路交通安全法", "中华人民共和国水污染防治法",
        # the 办案助手 procedure file cites these too (期间计算, 复议 and 诉讼 periods)
        "中华人民共和国民法典", "中华人民共和国行政复议法", "中华人民共和国行政诉讼法",
        "中华人民共和国广告法")  # a current law a test-built 裁量 table cites (#25)


def pytest_configure(config):
    if not SHARED.is_dir():
        # The product's default corpus is ../shared beside the checkout or the working directory; a run
        # that stands for a bare clone (E_ASSISTANT_SHARED_DIR=/nonexistent) must not find it there either.
        import assistant.settings

        assistant.settings.shared_dir = lambda: None


def pytest_runtest_setup(item):
    if item.get_closest_marker("shared") and not SHARED.is_dir():
        pytest.skip(SHARED_MISSING)


_shared_outcomes: dict[str, str] = {}


def pytest_runtest_logreport(report):
    if "shared" not in report.keywords:
        return
    if report.skipped:
        _shared_outcomes[report.nodeid] = "skipped"
    elif report.when == "call" or report.failed:
        _shared_outcomes.setdefault(report.nodeid, "ran")


def pytest_terminal_summary(terminalreporter):
    if not _shared_outcomes:
        return
    ran = sum(v == "ran" for v in _shared_outcomes.values())
    skipped = len(_shared_outcomes) - ran
    note = f"（未找到 ../shared：{SHARED}）" if skipped and not SHARED.is_dir() else ""
    terminalreporter.write_line(f"使用 ../shared 的集成测试：{ran} 个运行，{skipped} 个跳过{note}")


@pytest.fixture(scope="session")
def shared() -> Path:
    """The read-only ../shared data folder (real documents; never copied into the repo)."""
    if not SHARED.is_dir():
        pytest.skip(SHARED_MISSING)
    return SHARED


@pytest.fixture(scope="session")
def laws(tmp_path_factory) -> Callable[..., Path]:
    """``laws(folder, "中华人民共和国行政处罚法", …)`` copies those laws, exported once from laws.db as
    curated Markdown files, into ``folder`` (created) and returns it."""
    from tests.builders import export_laws

    exported = export_laws(tmp_path_factory.mktemp("laws-db-export"), LAWS)

    def copy(folder: Path, *titles: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for title in titles:
            shutil.copy(exported[title], folder / exported[title].name)
        return folder

    return copy


@pytest.fixture(scope="session")
def discretion_sources(tmp_path_factory) -> tuple[Path, Path]:
    """(raw, src): the synthetic 裁量 corpus — table files (PDF, PDF, XLS) and their Markdown
    extractions plus Markdown-only 裁量 documents (see :func:`tests.builders.write_discretion_sources`)."""
    from tests.builders import write_discretion_sources

    root = tmp_path_factory.mktemp("discretion-sources")
    raw, src = root / "corpus-raw", root / "corpus-src" / "discretion"
    write_discretion_sources(raw, src)
    return raw, src


@pytest.fixture(scope="session")
def discretion_data(discretion_sources, laws, tmp_path_factory) -> Path:
    """A data dir with the synthetic discretion sources and the two laws they cite most (from laws.db),
    ingested once through the CLI."""
    from typer.testing import CliRunner

    from cli.main import app

    folder = laws(tmp_path_factory.mktemp("laws"), "中华人民共和国水污染防治法", "中华人民共和国行政处罚法")
    data = tmp_path_factory.mktemp("discretion-data")
    result = CliRunner().invoke(app, ["ingest", *map(str, discretion_sources), str(folder), "--no-law-db",
                                      "--data-dir", str(data)])
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


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server (Debian's package; `make test` installs it) on loopback for the session, run as an
    unprivileged user when the tests run as root (evals/postgres_server.py). Yields an admin URL
    ``postgresql://postgres@127.0.0.1:PORT/postgres``; skipped when the server or psycopg is missing."""
    pytest.importorskip("psycopg")
    from evals.postgres_server import running_postgres, server_binaries

    if server_binaries() is None:
        pytest.skip("PostgreSQL server not installed (make test installs Debian's postgresql)")
    with running_postgres() as url:
        yield url
