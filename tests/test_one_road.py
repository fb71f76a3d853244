"""Every channel takes the same road: the CLI, the API (JSON and SSE) and the service answer a question the
same way, and every answer lands in the audit log with its channel."""

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from typer.testing import CliRunner

from assistant.retrieval import Query, validate_query
from assistant.service.service import AssistantService
from assistant.settings import Settings
from web.app import create_app

RULE = """---
title: 某市扬尘污染防治条例
doc_type: local_regulation
region: 某市
status: 现行有效
effective_date: 2020-01-01
---
# 某市扬尘污染防治条例

第十条 堆放砂土、水泥等易产生扬尘的物料，应当密闭或者采取覆盖等防尘措施。

第三十条 违反本条例第十条规定，未密闭或者覆盖易产生扬尘的物料的，由综合行政执法部门责令改正，处一千元以上二万元以下罚款。
"""
PENALTY_QUESTION = "工地堆放砂土等易产生扬尘的物料未密闭，堆场面积约800平方米，罚多少？"


def write_table(path: Path) -> None:
    """A 裁量基准 sheet shaped like the real ones: a title row, a header, two tiers of one 违法行为."""
    wb = Workbook()
    ws = wb.active
    ws.append(["某市扬尘污染违法行为罚款裁量基准"])
    ws.append(["序号", "违法行为", "违反条款", "处罚依据", "违法情节", "罚款"])
    violation = "堆放砂土等易产生扬尘的物料未密闭或者未采取覆盖等防尘措施"
    ws.append([1, violation, "《某市扬尘污染防治条例》第十条", "《某市扬尘污染防治条例》第三十条", "较轻：堆场面积1000平方米以下",
               "1千元以上5千元以下"])
    ws.append([1, violation, "《某市扬尘污染防治条例》第十条", "《某市扬尘污染防治条例》第三十条", "较重：堆场面积1000平方米以上",
               "5千元以上2万元以下"])
    wb.save(path)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    root = tmp_path_factory.mktemp("road")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "某市扬尘污染防治条例.md").write_text(RULE, encoding="utf-8")
    write_table(corpus / "某市扬尘污染违法行为罚款裁量基准.xlsx")
    return {"E_ASSISTANT_DATA_DIR": str(root / "data"), "E_ASSISTANT_CORPUS": str(corpus),
            "E_ASSISTANT_LAW_DB": "false", "E_ASSISTANT_EMBEDDER": "hashing", "E_ASSISTANT_BACKEND": "extractive"}


def audit(env) -> list[dict]:
    path = Path(env["E_ASSISTANT_DATA_DIR"]) / "audit.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("question, backend", [(PENALTY_QUESTION, "discretion"),
                                               ("某市扬尘污染防治条例第十条是什么内容", "extractive")])
def test_cli_and_api_take_the_same_road_and_both_are_audited(env, monkeypatch, question, backend):
    from cli.main import app

    for k, v in env.items():
        monkeypatch.setenv(k, v)
    cli = CliRunner().invoke(app, ["ask", question, "--json"])
    assert cli.exit_code == 0, cli.output
    by_cli = json.loads(cli.stdout[cli.stdout.index("{"):])
    service = AssistantService(Settings())
    try:
        with TestClient(create_app(service=service, with_ui=False)) as client:
            by_api = client.post("/api/ask", json={"question": question}).json()
            streamed = client.post("/api/ask", json={"question": question, "stream": True}).text
    finally:
        service.close()
    assert by_cli["backend"] == by_api["backend"] == backend
    assert by_cli["answer"] == by_api["answer"]
    assert [c["chunk_id"] for c in by_cli["citations"]] == [c["chunk_id"] for c in by_api["citations"]]
    assert "event: answer" in streamed and backend in streamed
    entries = [e for e in audit(env) if e["action"] == "ask" and e["question"] == question]
    assert {e["channel"] for e in entries} == {"cli", "api"}
    assert {e["backend"] for e in entries} == {backend}


def test_a_question_is_checked_once_and_embedded_once(env, monkeypatch):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    import assistant.retrieval.hybrid as hybrid

    monkeypatch.setitem(hybrid.MIN_SIMILARITY, "fake-hashing", 0.01)  # the no-basis check runs for the fake too
    service = AssistantService(Settings())
    calls = []
    embedder = service.retriever.embedder
    original = embedder.embed_queries
    monkeypatch.setattr(embedder, "embed_queries", lambda texts: calls.append(list(texts)) or original(texts))
    try:
        q = validate_query("  扬尘物料没有覆盖怎么办  ")
        assert isinstance(q, Query) and validate_query(q) is q  # a checked query is not checked again
        service.ask("扬尘物料没有覆盖应当怎么处理")
        assert calls == [["扬尘物料没有覆盖应当怎么处理"]]  # search and the no-basis check share one vector
        assert service.pipeline.context_chars == service.settings.answer_context_chars
        assert service.pipeline.max_tokens == service.settings.answer_max_tokens
        pipeline = service.pipeline
        service.reindex().id and service.jobs.wait_idle()
        assert service.pipeline is pipeline and pipeline.retriever is service.retriever  # built once, follows swaps
    finally:
        service.close()
