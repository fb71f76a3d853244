"""#24: two real `e-assistant serve` replicas on loopback sharing one PostgreSQL store (a real server the test
starts), each with its own index (USE encoder, extractive answers, so the test stays short): an upload through
replica A becomes searchable on B, a deletion on B disappears from A, and both replicas' audit lines are one table."""

import time

import httpx
import pytest

from evals.bench_replicas import start_replica
from evals.postgres_server import fresh_database, stop_processes

RULE = "第一条　为了规范管理，制定本规定。\n\n第二条　在公共场所摆放杂物的，处五十元以上二百元以下罚款。\n"


@pytest.fixture
def two_replicas(postgres_server, laws, tmp_path):
    """Replicas a and b (token 「replica-test」) on a fresh database of the test's PostgreSQL server, a having
    ingested 行政处罚法 first: yields [(process, base URL), (process, base URL)]; stops them and drops the database."""
    corpus = laws(tmp_path / "corpus", "中华人民共和国行政处罚法")
    with fresh_database(postgres_server, "r") as url:
        procs, out = [], []
        try:
            for name in ("a", "b"):  # one after the other: a ingests the corpus once
                proc, base = start_replica(name, url, corpus, tmp_path / name / "data", token="replica-test")
                procs.append(proc)
                out.append((proc, base))
            yield out
        finally:
            stop_processes(procs)


def _found(base: str) -> bool:
    r = httpx.post(base + "/api/search", json={"query": "公共场所摆放杂物怎么罚", "top_k": 5}, timeout=30)
    return any("摆放杂物" in (h.get("text") or "") for h in r.json()["hits"])


def test_two_serve_replicas_share_one_store(two_replicas):
    (_, base_a), (_, base_b) = two_replicas
    auth = {"Authorization": "Bearer replica-test"}
    r = httpx.post(base_a + "/api/documents", files={"file": ("某市公共场所摆放杂物管理规定.md", RULE.encode(), "text/markdown")},
                   headers=auth, timeout=30)
    assert r.status_code == 202, r.text
    job = r.json()["id"]
    deadline = time.monotonic() + 120
    while httpx.get(f"{base_b}/api/jobs/{job}", timeout=10).json()["status"] != "succeeded":  # B sees A's job
        assert time.monotonic() < deadline, "the upload job did not finish"
        time.sleep(0.5)
    deadline = time.monotonic() + 60
    while not _found(base_b):
        assert time.monotonic() < deadline, "replica B never found the document uploaded through A"
        time.sleep(0.5)
    docs = httpx.get(base_b + "/api/documents", params={"q": "摆放杂物"}, timeout=10).json()["documents"]
    r = httpx.delete(f"{base_b}/api/documents/{docs[0]['id']}", headers=auth, timeout=30)
    assert r.status_code == 202
    deadline = time.monotonic() + 90
    while _found(base_a):
        assert time.monotonic() < deadline, "replica A still finds the document deleted on B"
        time.sleep(0.5)
    audit = httpx.get(base_a + "/api/audit", params={"limit": 200}, headers=auth, timeout=10).json()
    assert {"upload", "delete"} <= {r["action"] for r in audit}  # both replicas' lines, one table
    assert {("upload", "a"), ("delete", "b")} <= {(r["action"], r.get("replica")) for r in audit}
    ha, hb = httpx.get(base_a + "/api/health").json(), httpx.get(base_b + "/api/health").json()
    assert ha["documents"] == hb["documents"]


def _big_rule(articles: int) -> bytes:
    """A long 规定 (``articles`` articles), so that its ingestion job is still running when its replica is killed."""
    lines = ["第一条　为了规范城市管理，制定本规定。"]
    for n in range(2, articles + 1):
        lines.append(f"第{n}条　第{n}号街区的经营者在店外堆放第{n}类物品的，由城市管理部门责令改正，可以处{n}元罚款。")
    lines.append(f"第{articles + 1}条　在桥洞下晾晒渔网的，处五十元以上二百元以下罚款。")
    return "\n\n".join(lines).encode()


def test_a_replica_killed_mid_job_leaves_the_job_to_the_other(two_replicas):
    """kill -9 of replica A while its upload job runs: B (no heartbeat from A for 6 s) marks A's job failed with
    the reason, runs the upload again from the bytes kept in the database, and finds the document."""
    (a, base_a), (_, base_b) = two_replicas
    r = httpx.post(base_a + "/api/documents", headers={"Authorization": "Bearer replica-test"},
                   files={"file": ("某市桥洞管理规定.md", _big_rule(3000), "text/markdown")}, timeout=60)
    assert r.status_code == 202, r.text
    job = r.json()["id"]
    assert httpx.get(f"{base_b}/api/jobs/{job}", timeout=10).json()["status"] in ("queued", "running")
    a.kill()  # SIGKILL: no shutdown code runs on A
    a.wait(timeout=30)
    deadline = time.monotonic() + 120
    while (old := httpx.get(f"{base_b}/api/jobs/{job}", timeout=10).json())["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, "replica B never took the job of the killed replica A"
        time.sleep(0.5)
    assert old["status"] == "failed" and "副本 a" in old["error"] and "接手" in old["error"], old
    deadline = time.monotonic() + 30  # the new job's id is noted right after the takeover's transaction
    while "重新排队" not in (old := httpx.get(f"{base_b}/api/jobs/{job}", timeout=10).json())["error"]:
        assert time.monotonic() < deadline, old  # an upload is run again from its stored bytes
        time.sleep(0.2)
    deadline = time.monotonic() + 180
    while True:
        hits = httpx.post(base_b + "/api/search", json={"query": "桥洞下晾晒渔网怎么处罚", "top_k": 5},
                          timeout=30).json()["hits"]
        if any("晾晒渔网" in (h.get("text") or "") for h in hits):
            break
        assert time.monotonic() < deadline, "replica B never finished the upload it took over"
        time.sleep(1)
    audit = httpx.get(base_b + "/api/audit", params={"limit": 200},
                      headers={"Authorization": "Bearer replica-test"}, timeout=10).json()
    assert any(line["action"] == "job_adopted" for line in audit)
