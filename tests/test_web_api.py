"""The HTTP API with FastAPI's TestClient, on two laws exported from laws.db (no LLM: extractive answers)."""

import json
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.service.service import AssistantService
from assistant.settings import Settings
from web.app import create_app

LAWS = ("中华人民共和国行政处罚法", "中华人民共和国治安管理处罚法")
ADMIN = {"Authorization": "Bearer admin-secret"}
NEW_RULE = """# 某某县户外广告设置管理办法

第一条 为了规范户外广告设置，制定本办法。

第二条 设置户外广告牌匾应当保持整洁牢固。擅自设置大型户外广告牌匾的，由县综合行政执法局责令限期拆除。

第三条 本办法自2026年1月1日起施行。
"""


def make_settings(tmp: Path, corpus: Path, **extra) -> Settings:
    return Settings(data_dir=tmp / "data", corpus=[corpus], law_db=False, embedder="hashing", backend="extractive",
                    admin_token="admin-secret", max_file_mb=1, **extra)


@pytest.fixture(scope="module")
def corpus(laws, tmp_path_factory) -> Path:
    return laws(tmp_path_factory.mktemp("corpus"), *LAWS)


@pytest.fixture(scope="module")
def service(corpus: Path, tmp_path_factory):
    svc = AssistantService(make_settings(tmp_path_factory.mktemp("web"), corpus))
    yield svc
    svc.close()


@pytest.fixture(scope="module")
def client(service) -> TestClient:
    with TestClient(create_app(service=service, with_ui=False)) as c:
        yield c


def wait_job(client: TestClient, job_id: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish")


def test_health_counts_documents_and_index(client):
    h = client.get("/api/health").json()
    assert h["status"] == "ok" and h["documents"] == 2 and h["chunks"] > 200
    assert h["index"]["chunks"] == h["chunks"] and h["llm"]["status"] == "disabled"


def test_search_looks_up_the_cited_article(client):
    r = client.post("/api/search", json={"query": "行政处罚法第三十三条", "top_k": 3})
    assert r.status_code == 200
    hit = r.json()["hits"][0]
    assert (hit["title"], hit["article"], hit["via"]) == ("中华人民共和国行政处罚法", 33, "lookup")
    assert {"title", "article", "article_suffix", "doc_type", "status", "effective_date", "text", "score",
            "chunk_id", "source", "relation", "pairs"} <= set(hit)


@pytest.mark.parametrize("query", ["", "   ", "。。！？", "罚" * 10_000])
def test_bad_queries_get_a_clear_400(client, query):
    r = client.post("/api/search", json={"query": query})
    assert r.status_code == 400
    assert r.json()["error"] and "Traceback" not in r.text


def test_malformed_requests_get_json_errors(client):
    r = client.post("/api/search", json={"top_k": 5})
    assert r.status_code == 422 and "query" in r.json()["error"]
    assert client.post("/api/search", content=b"{not json", headers={"content-type": "application/json"}).status_code == 422
    r = client.get("/api/nowhere")
    assert r.status_code == 404 and "error" in r.json()
    assert client.post("/api/search", json={"query": "x", "as_of": "2021/01/01"}).status_code == 422


def test_ask_returns_verified_citations_and_is_audited(client, service):
    r = client.post("/api/ask", json={"question": "行政处罚法第三十三条是什么内容"}, headers={"X-User": "%E5%BC%A0%E4%B8%89"})  # 张三, URL-encoded as proxies send it
    assert r.status_code == 200
    body = r.json()
    assert body["backend"] == "extractive" and body["sources"]
    assert any(c["article"] == 33 and c["verified"] for c in body["citations"])
    assert body["audit_id"]
    entry = next(e for e in service.audit.read() if e["id"] == body["audit_id"])
    # the header is only a claim: the principal is what the token proves (#23)
    assert entry["action"] == "ask" and entry["user"].startswith("匿名@") and entry["user"].endswith("（自称：张三）")
    assert (service.settings.audit_path.stat().st_mode & 0o777) == 0o600
    assert entry["question"] == "行政处罚法第三十三条是什么内容" and entry["sources"] and entry["answer"]
    fb = client.post("/api/feedback", json={"audit_id": body["audit_id"], "rating": "up"})
    assert fb.status_code == 200 and service.feedback.read()[-1]["rating"] == "up"


def test_ask_streams_server_sent_events(client):
    with client.stream("POST", "/api/ask", json={"question": "处罚法33条", "stream": True}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        raw = "".join(r.iter_text())
    events = [(b.split("\n")[0][len("event: "):], json.loads(b.split("\n")[1][len("data: "):]))
              for b in raw.strip().split("\n\n")]
    kinds = [e for e, _ in events]
    assert "token" in kinds and kinds[-1] == "answer"
    final = events[-1][1]
    assert any(c["article"] == 33 and c["verified"] for c in final["citations"])
    assert client.post("/api/ask", json={"question": "", "stream": True}).status_code == 400


def test_admin_operations_need_the_token(client):
    files = {"file": ("x.md", NEW_RULE.encode(), "text/markdown")}
    assert client.post("/api/documents", files=files).status_code == 401
    r = client.post("/api/documents", files=files, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403 and r.json()["error"] == "管理令牌不正确"
    assert client.delete("/api/documents/whatever").status_code == 401
    assert client.get("/api/audit").status_code == 401
    assert client.get("/api/audit", headers=ADMIN).status_code == 200


def test_upload_limits(client):
    r = client.post("/api/documents", files={"file": ("evil.exe", b"MZ...", "application/octet-stream")}, headers=ADMIN)
    assert r.status_code == 400 and ".exe" in r.json()["error"]
    r = client.post("/api/documents", files={"file": ("big.md", b"x" * (2 << 20), "text/markdown")}, headers=ADMIN)
    assert r.status_code == 413
    r = client.post("/api/documents", files={"file": ("empty.md", b"", "text/markdown")}, headers=ADMIN)
    assert r.status_code == 400


def test_uploaded_regulation_becomes_searchable_then_deletable(client):
    before = client.get("/api/health").json()["documents"]
    r = client.post("/api/documents", headers=ADMIN,
                    files={"file": ("某某县户外广告设置管理办法.md", NEW_RULE.encode(), "text/markdown")})
    assert r.status_code == 202
    job = wait_job(client, r.json()["id"])
    assert job["status"] == "succeeded", job
    assert job["progress"] == 1.0 and job["result"]["chunks"] >= 3
    hits = client.post("/api/search", json={"query": "擅自设置大型户外广告牌匾", "top_k": 3}).json()["hits"]
    assert hits[0]["title"] == "某某县户外广告设置管理办法" and hits[0]["article"] == 2
    assert client.post("/api/search", json={"query": "某某县户外广告设置管理办法第二条"}).json()["hits"][0]["article"] == 2
    docs = client.get("/api/documents", params={"q": "户外广告"}).json()
    assert docs["total"] == 1 and docs["documents"][0]["chunks"] >= 3
    assert client.get("/api/health").json()["documents"] == before + 1

    doc_id = docs["documents"][0]["id"]
    job = wait_job(client, client.delete(f"/api/documents/{doc_id}", headers=ADMIN).json()["id"])
    assert job["status"] == "succeeded", job
    hits = client.post("/api/search", json={"query": "擅自设置大型户外广告牌匾", "top_k": 3}).json()["hits"]
    assert all(h["title"] != "某某县户外广告设置管理办法" for h in hits)
    assert client.delete(f"/api/documents/{doc_id}", headers=ADMIN).status_code == 404


def test_corrupt_upload_fails_its_job_and_loses_nothing(client):
    before = client.get("/api/health").json()
    r = client.post("/api/documents", headers=ADMIN, files={"file": ("坏文件.pdf", b"%PDF-1.7 garbage", "application/pdf")})
    job = wait_job(client, r.json()["id"])
    assert job["status"] == "failed" and job["error"]
    after = client.get("/api/health").json()
    assert (after["documents"], after["chunks"]) == (before["documents"], before["chunks"])
    assert client.post("/api/search", json={"query": "行政处罚法第三十三条"}).json()["hits"][0]["article"] == 33


def test_failed_reindex_keeps_the_old_index_serving(client, service, monkeypatch):
    def broken(progress=None, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(service, "_load_retriever", broken)
    job = wait_job(client, client.post("/api/reindex", headers=ADMIN).json()["id"])
    assert job["status"] == "failed" and "磁盘已满" in job["error"]
    assert client.post("/api/search", json={"query": "行政处罚法第三十三条"}).json()["hits"][0]["article"] == 33


def test_unexpected_errors_are_500_without_a_stack_trace(client, service, monkeypatch):
    def boom(*a, **k):
        raise ZeroDivisionError("secret internals")

    monkeypatch.setattr(service, "search", boom)
    with TestClient(create_app(service=service, with_ui=False), raise_server_exceptions=False) as c:
        r = c.post("/api/search", json={"query": "罚款"})
    assert r.status_code == 500 and "secret" not in r.text and r.json()["error"]


def test_chat_token_protects_search_and_ask(service):
    settings = service.settings.model_copy(update={"chat_token": "chat-secret"})
    original, service.settings = service.settings, settings
    try:
        with TestClient(create_app(service=service, with_ui=False)) as c:
            assert c.post("/api/search", json={"query": "罚款"}).status_code == 401
            assert c.post("/api/search", json={"query": "罚款"}, headers={"X-Token": "nope"}).status_code == 403
            ok = c.post("/api/search", json={"query": "罚款"}, headers={"Authorization": "Bearer chat-secret"})
            assert ok.status_code == 200
            assert c.get("/api/health").status_code == 200
    finally:
        service.settings = original


def test_openapi_documents_the_api(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/search", "/api/ask", "/api/documents", "/api/documents/{doc_id}", "/api/jobs/{job_id}",
                 "/api/health"):
        assert path in spec["paths"], path


def test_connections_of_finished_threads_are_closed(service):
    import threading

    for _ in range(30):
        t = threading.Thread(target=service.store.counts)
        t.start()
        t.join()
    dead = [t for t, _ in service.store._opened if not t.is_alive()]
    assert len(dead) <= 1  # only the last finished thread's, closed when the next thread opens one


def test_shutdown_waits_for_the_running_job_and_cancels_queued_ones():
    import threading

    from assistant.service.jobs import JobRunner

    runner = JobRunner()
    release = threading.Event()
    started = threading.Event()

    def slow(progress):
        started.set()
        release.wait(5)
        return {"ok": True}

    running = runner.submit("reindex", slow)
    queued = runner.submit("ingest", lambda progress: {"ran": True})
    assert started.wait(5)
    assert runner.shutdown(timeout=0.05) is False  # still running: the caller must not close the store under it
    assert running.status == "running" and queued.status == "queued"
    release.set()
    assert runner.shutdown(timeout=5) is True
    assert running.status == "succeeded" and queued.status == "queued"  # the queued job never ran


def test_case_steps_and_drafts(client):
    r = client.post("/api/case/steps", json={"procedure": "普通程序", "events": {"立案": "2026-09-25"},
                                             "today": "2026-12-30"})
    assert r.status_code == 200, r.text
    steps = {s["id"]: s for s in r.json()["steps"]}
    assert steps["审查决定"]["deadline"]["due"] == "2026-12-24" and steps["审查决定"]["state"] == "已逾期"
    bad = client.post("/api/case/steps", json={"procedure": "普通程序", "events": {"立案": "九月"}})
    assert bad.status_code == 400 and "无法识别" in bad.json()["error"]
    assert client.post("/api/case/steps", json={"procedure": "快速程序"}).status_code == 400
    listed = client.get("/api/case/procedures").json()
    assert any(p["id"] == "查封扣押" and p["available"] for p in listed["procedures"])
    r = client.post("/api/case/draft", json={"kind": "责令改正通知书", "facts": "某店在人行道上堆放杂物", "format": "docx"})
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    r = client.post("/api/case/draft", json={"kind": "起诉书", "facts": "x"})
    assert r.status_code == 400 and "未知的文书" in r.json()["error"]


def test_an_unauthenticated_upload_is_refused_before_its_body_is_read(client):
    """#23: FastAPI spools a multipart body before dependencies run; the guard answers from the headers."""
    sent = 0

    def body():
        nonlocal sent
        for _ in range(20):
            sent += 1
            yield b"x" * (1 << 20)

    r = client.post("/api/documents", content=body(), headers={"content-type": "multipart/form-data; boundary=b"})
    assert r.status_code == 401 and "管理令牌" in r.json()["error"] and sent == 0
    r = client.post("/api/documents", content=body(), headers={"content-type": "multipart/form-data; boundary=b",
                                                                "authorization": "Bearer wrong"})
    assert r.status_code == 403 and sent == 0
    # with the token, a chunked body (no Content-Length) over the limit is cut off while it streams
    r = client.post("/api/documents", content=body(), headers={"content-type": "multipart/form-data; boundary=b",
                                                                "authorization": "Bearer admin-secret"})
    assert r.status_code == 413 and "上限" in r.json()["error"]
    r = client.post("/api/search", content=body(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def _guarded_upload_route():
    """An app with a route where Gradio's upload route is, reading the body, behind the guard (1 MB cap)."""
    from fastapi import FastAPI, Request

    from web.guard import RequestGuard

    inner = FastAPI()

    @inner.post("/ui/gradio_api/upload")
    async def upload(request: Request) -> dict:
        return {"read": len(await request.body())}

    inner.add_middleware(RequestGuard, limit_bytes=lambda: 1 << 20, admin_token=lambda: "x",
                         limit_text=lambda: "1 MB", file_types=lambda: (".pdf", ".docx"))
    return inner


def test_the_ui_upload_route_is_capped_with_a_chinese_message():
    """#23 item 8: Gradio's upload route is capped by the guard, whose refusal the UI shows as it is (plain text),
    not by Gradio's max_file_size, whose front end refuses in English."""
    from fastapi.testclient import TestClient

    with TestClient(_guarded_upload_route()) as c:
        r = c.post("/ui/gradio_api/upload", content=b"x", headers={"content-length": str(4 << 20)})
        assert r.status_code == 413 and r.headers["content-type"].startswith("text/plain") and "文件过大" in r.text
        sent = 0

        def body():
            nonlocal sent
            while sent < 80:
                sent += 1
                yield b"x" * (1 << 20)

        r = c.post("/ui/gradio_api/upload", content=body(), headers={"content-type": "multipart/form-data; boundary=b"})
        assert r.status_code == 413 and "文件过大" in r.text  # cut off while it streams


def test_the_ui_upload_route_takes_only_the_types_the_ui_needs():
    """#23 item 7: with no chat token Gradio's upload route is open; it takes only the document types."""
    from fastapi.testclient import TestClient

    inner = _guarded_upload_route()
    with TestClient(inner) as c:
        files = {"files": ("恶意程序.exe", b"MZ" + b"\0" * 100, "application/octet-stream")}
        r = c.post("/ui/gradio_api/upload", files=files)
        assert r.status_code == 415 and "不支持的文件类型「.exe」" in r.text and r.headers["content-type"].startswith("text/plain")
        r = c.post("/ui/gradio_api/upload", files={"files": ("规定.pdf", b"%PDF-1.4", "application/pdf")})
        assert r.status_code == 200


def test_a_long_chinese_file_name_uploads_and_keeps_its_full_title(client):
    """#23 item 6: 114 Chinese characters are 342 bytes, over the 255 a file system allows per name."""
    stem = "某市" + "城市管理" * 27 + "规定"
    assert len(stem) + len(".md") >= 114
    body = "第一条　为了规范管理，制定本规定。\n\n第二条　违反本规定的，处五十元以上二百元以下罚款。\n".encode()
    r = client.post("/api/documents", files={"file": (f"{stem}.md", body, "text/markdown")},
                    headers={"Authorization": "Bearer admin-secret"})
    assert r.status_code == 202, r.text
    job = wait_job(client, r.json()["id"])
    assert job["status"] == "succeeded", job
    titles = [d["title"] for d in client.get("/api/documents", params={"q": "城市管理城市管理", "limit": 5}).json()["documents"]]
    assert stem in titles


def test_wrong_tokens_are_audited_and_slowed_down(client, service):
    from web.guard import FAILED_TOKENS

    FAILED_TOKENS._seen.clear()
    try:
        codes = [client.post("/api/reindex", headers={"Authorization": f"Bearer guess{i}"}).status_code
                 for i in range(12)]
        assert codes[:10] == [403] * 10 and codes[10:] == [429, 429]
        assert "次数过多" in client.post("/api/reindex", headers={"Authorization": "Bearer admin-secret"}).json()["error"]
        assert any(e["action"] == "auth_failed" for e in service.audit.read(50))
    finally:
        FAILED_TOKENS._seen.clear()


def test_responses_show_no_absolute_server_paths(client):
    hits = client.post("/api/search", json={"query": "行政处罚法第三十三条", "top_k": 3}).json()["hits"]
    docs = client.get("/api/documents").json()["documents"]
    for source in [h["source"] for h in hits] + [d["source"] for d in docs]:
        assert not any(part.startswith("/") for part in source.split(" ← ")), source


def test_malformed_json_is_explained_in_chinese(client):
    r = client.post("/api/search", content=b'{"query": "x", top_k: 3}', headers={"content-type": "application/json"})
    assert r.status_code == 422 and "不是合法的 JSON" in r.json()["error"]
