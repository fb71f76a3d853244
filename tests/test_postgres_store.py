"""#24 (first step): with E_ASSISTANT_STORE_URL the product keeps its store in PostgreSQL — ingest, search and
the discretion advisor read it exactly as they read SQLite (the Store contract itself: tests/test_contracts.py)."""


import pytest

from assistant.settings import Settings, SettingsError
from assistant.storage import open_store


@pytest.fixture
def store_url(postgres_server):
    from evals.postgres_server import fresh_database

    with fresh_database(postgres_server, "p") as url:
        yield url


def test_the_settings_choose_postgresql_and_search_works_on_it(store_url, laws, tmp_path, hashing_index):
    from corpus.ingest import ingest
    from corpus.postgres_store import PostgresStore
    from indexing.build import build_index, load_index
    from indexing.embedding_cache import EmbeddingCache
    from assistant.retrieval import HybridRetriever
    from tests.fakes import HashingEmbedder

    settings = Settings(data_dir=tmp_path / "data", store_url=store_url, law_db=False, backend="extractive")
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


def test_only_postgresql_urls_are_taken_and_replicas_use_a_model_server():
    with pytest.raises((SettingsError, ValueError), match="PostgreSQL"):
        Settings(store_url="mysql://x@y/z", backend="extractive")
    with pytest.raises((SettingsError, ValueError), match="模型服务"):
        Settings(store_url="postgresql://u@h/db", backend="local")


def wait_job(service, job, timeout: float = 120.0):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = service.jobs.get(job.id)
        if found.status in ("succeeded", "failed"):
            return found
        time.sleep(0.1)
    raise AssertionError(f"job {job.id} did not finish")


def test_two_replicas_follow_one_store(store_url, laws, tmp_path):
    """A document uploaded through replica A becomes searchable on B, and deleted on B disappears from A, within
    a bounded time (the corpus watcher's interval plus one rebuild)."""
    import time

    from assistant.service.service import AssistantService

    corpus = laws(tmp_path / "corpus", "中华人民共和国行政处罚法")

    def replica(name: str) -> AssistantService:
        return AssistantService(Settings(data_dir=tmp_path / name, corpus=[corpus], store_url=store_url, law_db=False,
                                         embedder="hashing", backend="extractive", replica_refresh_seconds=0.5))

    a = replica("a")
    b = replica("b")
    try:
        rule = "第一条　为了规范管理，制定本规定。\n\n第二条　在公共场所摆放杂物的，处五十元以上二百元以下罚款。\n".encode()
        job = wait_job(a, a.upload("某市公共场所摆放杂物管理规定.md", rule))
        assert job.status == "succeeded", job.error

        def found(service) -> bool:
            return any("摆放杂物" in h.chunk.text for h in service.search("公共场所摆放杂物怎么罚", k=5))

        assert found(a)
        deadline = time.monotonic() + 60
        while not found(b):
            assert time.monotonic() < deadline, "replica B never saw the upload"
            time.sleep(0.3)
        doc_id = next(d.id for d in b.store.documents(title_contains="摆放杂物"))
        assert wait_job(b, b.delete_document(doc_id)).status == "succeeded"
        deadline = time.monotonic() + 60
        while found(a):
            assert time.monotonic() < deadline, "replica A still finds the deleted document"
            time.sleep(0.3)
        actions = [(r["action"], r["channel"]) for r in a.audit.read()]  # both replicas' lines, one table
        assert ("upload", "api") in actions and ("delete", "api") in actions and b.audit.read() == a.audit.read()
        deadline = time.monotonic() + 60  # both end on the same corpus, reported in health
        while a.health()["index"]["corpus_version"] != b.health()["index"]["corpus_version"]:
            assert time.monotonic() < deadline, "the replicas serve different corpora"
            time.sleep(0.3)
    finally:
        a.close()
        b.close()


def test_the_watcher_rebuilds_only_when_the_store_changed_and_no_job_runs():
    from assistant.service.replicas import CorpusWatcher

    state = {"stored": "v1", "busy": False, "rebuilds": 0}

    def stored():
        if state["stored"] is None:
            raise OSError("store unreachable")
        return state["stored"]

    watcher = CorpusWatcher(lambda: "v1", stored, lambda: state["busy"],
                            lambda: state.__setitem__("rebuilds", state["rebuilds"] + 1), interval=60)
    assert not watcher.check() and state["rebuilds"] == 0
    state["stored"] = "v2"
    state["busy"] = True
    assert not watcher.check()  # this replica's own job rebuilds when it ends
    state["busy"] = False
    assert watcher.check() and state["rebuilds"] == 1
    state["stored"] = None
    assert not watcher.check()  # an unreachable store is tried again next time, not a crash


def test_a_job_left_by_a_killed_replica_is_taken_over_with_the_reason(store_url, laws, tmp_path):
    """Replica 「ghost」 died mid-upload (its heartbeat stopped): replica B marks the job failed with that reason
    and runs the upload again from the bytes kept in the common database."""
    import time

    import psycopg

    from assistant.service.jobs import Job
    from assistant.service.service import AssistantService
    from assistant.service.shared_jobs import SharedJobJournal

    ghost = SharedJobJournal(store_url, "ghost")
    job = Job(id="ghostjob0001", kind="upload", status="running", stage="parse", description="某市摆放杂物管理规定.md")
    ghost.save(job)
    rule = "第一条　为了规范管理，制定本规定。\n\n第二条　在公共场所摆放杂物的，处五十元以上二百元以下罚款。\n".encode()
    ghost.save_upload(job.id, "某市摆放杂物管理规定.md", "", rule)
    with psycopg.connect(store_url, autocommit=True) as con:
        con.execute("UPDATE shared_jobs SET heartbeat = now() - interval '1 hour' WHERE id=%s", (job.id,))
    ghost.close()
    b = AssistantService(Settings(data_dir=tmp_path / "b", corpus=[laws(tmp_path / "corpus", "中华人民共和国行政处罚法")],
                                  store_url=store_url, law_db=False, embedder="hashing", backend="extractive",
                                  replica_refresh_seconds=0.5, replica_name="b"))
    try:
        deadline = time.monotonic() + 90
        while True:
            old = b.jobs.get(job.id)
            if old.status == "failed" and "重新排队为任务" in (old.error or ""):
                break
            assert time.monotonic() < deadline, old
            time.sleep(0.3)
        assert "副本 ghost 在任务执行期间停止" in old.error
        new_id = old.error.rsplit("任务 ", 1)[1]
        deadline = time.monotonic() + 90
        while b.jobs.get(new_id).status not in ("succeeded", "failed"):
            assert time.monotonic() < deadline
            time.sleep(0.3)
        assert b.jobs.get(new_id).status == "succeeded"
        assert any("摆放杂物" in h.chunk.text for h in b.search("公共场所摆放杂物怎么罚", k=5))
        assert any(r["action"] == "job_adopted" and r["owner"] == "ghost" for r in b.audit.read())
    finally:
        b.close()


def test_replicas_share_their_passage_vectors(store_url, tmp_path):
    """A vector embedded by replica A is found by replica B (its local cache empty) and not embedded again."""
    import numpy as np

    from indexing.shared_embedding_cache import SharedEmbeddingCache
    from tests.fakes import HashingEmbedder

    embedder = HashingEmbedder()
    a = SharedEmbeddingCache(tmp_path / "a" / "emb.sqlite", store_url)
    b = SharedEmbeddingCache(tmp_path / "b" / "emb.sqlite", store_url)
    texts = ["第一条　为了规范管理，制定本规定。", "第二条　在公共场所摆放杂物的，处五十元以上二百元以下罚款。"]
    first = a.embed_passages(embedder, texts)
    assert a.misses == 2
    again = b.embed_passages(embedder, texts)
    assert b.misses == 0 and np.allclose(first, again)  # from the common table, not embedded again
    assert b.count(embedder.model_id) == 2  # and kept locally from now on
    a.close()
    b.close()


def test_the_schema_migrations_are_numbered_applied_once_and_all_or_nothing(store_url, tmp_path):
    """corpus/migrations: a fresh database gets every numbered file, in order, once; a second run applies nothing;
    a failing file leaves the database as it was (the files before it in the same run are not kept either)."""
    import psycopg
    from typer.testing import CliRunner

    from cli.main import app
    from corpus.migrations import applied, migrate, migrations

    names = [f"{m.version:04d}_{m.name}" for m in migrations()]
    assert names[:2] == ["0001_store", "0002_service"]
    runner = CliRunner()
    r = runner.invoke(app, ["migrate", "--url", store_url, "--status"])
    assert r.exit_code == 0 and "0001_store：待执行" in r.output
    r = runner.invoke(app, ["migrate", "--url", store_url])
    assert r.exit_code == 0 and "已执行迁移：0001_store、0002_service" in r.output
    r = runner.invoke(app, ["migrate", "--url", store_url])
    assert r.exit_code == 0 and "无需迁移" in r.output
    with psycopg.connect(store_url, autocommit=True) as con:
        assert sorted(applied(con)) == [m.version for m in migrations()]
        bad = tmp_path / "bad"
        bad.mkdir()
        for m in migrations():
            (bad / f"{m.version:04d}_{m.name}.sql").write_text(m.sql, encoding="utf-8")
        (bad / "0901_good.sql").write_text("CREATE TABLE added_by_0901 (x INTEGER);", encoding="utf-8")
        (bad / "0902_broken.sql").write_text("ALTER TABLE no_such_table ADD COLUMN y TEXT;", encoding="utf-8")
        with pytest.raises(psycopg.Error):
            migrate(con, bad)
        assert 901 not in applied(con)
        assert con.execute("SELECT to_regclass('added_by_0901')").fetchone()[0] is None
    r = runner.invoke(app, ["migrate", "--url", "postgresql://nobody@127.0.0.1:1/none"])
    assert r.exit_code == 2 and "无法连接 PostgreSQL" in r.output


def test_a_migration_file_is_named_by_its_number(tmp_path):
    from corpus.migrations import migrations

    (tmp_path / "0001_a.sql").write_text("SELECT 1;", encoding="utf-8")
    (tmp_path / "1_b.sql").write_text("SELECT 1;", encoding="utf-8")
    with pytest.raises(ValueError, match="四位序号"):
        migrations(tmp_path)
    (tmp_path / "1_b.sql").unlink()
    (tmp_path / "0001_c.sql").write_text("SELECT 1;", encoding="utf-8")
    with pytest.raises(ValueError, match="重复"):
        migrations(tmp_path)


def test_a_corpus_change_wakes_the_other_replicas_at_once(store_url):
    """LISTEN/NOTIFY (corpus/migrations/postgres/0003_notify.sql): a committed change to the documents wakes a
    watcher whose periodic check is a minute away; no change, no wake-up."""
    import time

    import psycopg

    from assistant.service.replicas import CorpusWatcher, StoreListener
    from corpus.postgres_store import PostgresStore

    PostgresStore(store_url)  # migrated
    listener = StoreListener(store_url)
    assert listener.wait(0.3) is False
    state = {"stored": "v1", "rebuilds": 0}
    watcher = CorpusWatcher(lambda: "v1", lambda: state["stored"], lambda: False,
                            lambda: state.__setitem__("rebuilds", state["rebuilds"] + 1), interval=60,
                            wait=listener.wait).start()
    try:
        time.sleep(0.5)
        assert state["rebuilds"] == 0 and watcher.notified == 0
        state["stored"] = "v2"
        with psycopg.connect(store_url, autocommit=True) as con:
            con.execute("INSERT INTO documents(id, title) VALUES ('n1', '某规定')")
        deadline = time.monotonic() + 10
        while state["rebuilds"] == 0:
            assert time.monotonic() < deadline, "the notification did not wake the watcher"
            time.sleep(0.1)
        assert watcher.notified >= 1
    finally:
        watcher.stop()


def test_a_replica_holds_at_most_its_pool_of_connections(store_url):
    """E_ASSISTANT_STORE_POOL_SIZE bounds what one replica takes of the server's max_connections, however many
    threads read and write (a transaction holds one connection while it lasts)."""
    from concurrent.futures import ThreadPoolExecutor

    import psycopg

    from corpus.postgres_store import PostgresStore

    store = PostgresStore(store_url, pool_size=2)
    db = store_url.rsplit("/", 1)[1]

    def work(n: int) -> None:
        with store.transaction():
            store.con.execute("INSERT INTO files(path, sha256, status) VALUES (?, ?, 'ok')", (f"/f{n}", f"s{n}"))
        store.file_fingerprints()

    try:
        with ThreadPoolExecutor(16) as pool:  # 16 threads, each with its handle: one connection each without a pool
            list(pool.map(work, range(48)))
        assert len(store.file_fingerprints()) == 48
        with psycopg.connect(store_url, autocommit=True) as probe:
            held = probe.execute("SELECT count(*) FROM pg_stat_activity WHERE datname=%s AND pid<>pg_backend_pid()",
                                 (db,)).fetchone()[0]
        assert held <= 2
    finally:
        store.close()


def test_replicas_recover_when_the_server_drops_their_connections(store_url, tmp_path):
    """A restarted or failed-over server closes every connection: the store (pooled, checked before use), the
    logs, jobs and vectors the replicas have in common (corpus.pg.Link) open new ones; no replica restarts."""
    import time

    import numpy as np
    import psycopg

    from assistant.service.jobs import Job
    from assistant.service.shared_jobs import SharedJobJournal
    from assistant.service.shared_logs import SharedLog
    from corpus.postgres_store import PostgresStore
    from indexing.shared_embedding_cache import SharedEmbeddingCache

    store, log = PostgresStore(store_url, pool_size=2), SharedLog(store_url, "audit")
    journal, cache = SharedJobJournal(store_url, "r1"), SharedEmbeddingCache(tmp_path / "emb.sqlite", store_url)

    def use(n: int) -> None:
        assert store.counts()["documents"] == 0
        log.append({"action": f"search{n}"})
        journal.save(Job(id=f"j{n}", kind="upload", description="x"))
        cache.put_many("m", [(f"k{n}", np.ones(4, dtype=np.float32))])

    try:
        use(1)
        with psycopg.connect(store_url, autocommit=True) as admin:  # what a restart does to the clients
            killed = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname ="
                                   " current_database() AND pid <> pg_backend_pid()").fetchone()[0]
        assert killed >= 4
        time.sleep(1.2)
        use(2)
        assert [r["action"] for r in log.read()] == ["search1", "search2"]
        assert journal.find("j2") is not None and set(cache.get_many("m", ["k1", "k2"])) == {"k1", "k2"}
    finally:
        store.close(), log.close(), journal.close(), cache.close()


def test_an_unreachable_store_is_a_chinese_message_not_a_traceback(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    from corpus.pg import StoreUnavailable
    from web.app import store_down

    exe = str(Path(sys.executable).parent / "e-assistant")
    env = {"E_ASSISTANT_STORE_URL": "postgresql://ea:secret@127.0.0.1:1/none", "E_ASSISTANT_BACKEND": "extractive",
           "E_ASSISTANT_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([exe, "status"], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "无法连接 PostgreSQL 知识库（127.0.0.1:1/none）" in r.stderr, r.stderr[-800:]
    assert "Traceback" not in r.stderr and "secret" not in r.stderr
    r = subprocess.run([exe, "migrate", "--status"], env={**env, "E_ASSISTANT_STORE_URL": "mysql://u:p@h/x",
                                                          "E_ASSISTANT_BACKEND": "local"},
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "只支持 PostgreSQL" in r.stderr and "Traceback" not in r.stderr
    assert store_down(StoreUnavailable("x")) and not store_down(ValueError("x"))
