"""The quiz generator on real laws: keys verified against the article text, distractors, batch checks, exports."""

import io
import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.quiz import ScopeError, generate_quiz
from assistant.quiz import generate as generate_module
from assistant.quiz.export import to_docx, to_xlsx
from corpus.ingest import ingest
from corpus.sqlite_store import SQLiteStore
from corpus.store import Store

LAWS = ("中华人民共和国行政处罚法", "中华人民共和国行政强制法")


@pytest.fixture(scope="module")
def data(laws, tmp_path_factory) -> Path:
    corpus = laws(tmp_path_factory.mktemp("corpus"), *LAWS)
    data = tmp_path_factory.mktemp("data")
    ingest(SQLiteStore(data / "corpus.db"), [corpus])
    return data


@pytest.fixture(scope="module")
def store(data) -> Store:
    return SQLiteStore(data / "corpus.db")


@pytest.fixture(scope="module")
def batch(store) -> dict:
    return generate_quiz(store, "行政处罚法", n=50, types=("single", "multi", "judge"), seed=7)


def article_text(store: Store, item: dict) -> str:
    return "\n".join(store.chunk(item["source"]["chunk_id"]).paragraphs)


def test_fifty_items_pass_the_checks_with_every_key_verified(batch):
    report = batch["report"]
    assert report["items"] == 50 and len(batch["items"]) == 50
    assert report["passed_checks"] / report["items"] >= 0.95
    assert report["keys_verified"] == report["items"] and report["duplicate_stems"] == 0
    assert set(report["by_type"]) == {"single", "multi", "judge"}
    positions = report["single_key_positions"]
    assert max(positions.values()) - min(positions.values()) <= 2  # keys spread over A–D


def test_keys_follow_from_the_cited_article(batch, store):
    for item in batch["items"]:
        text = article_text(store, item)
        src = item["source"]
        assert src["title"] == "中华人民共和国行政处罚法" and src["article"] and src["chunk_id"]
        keys = [item["options"][a] for a in item["answer"]]
        others = [v for a, v in item["options"].items() if a not in item["answer"]]
        assert not set(keys) & set(others)
        if item["type"] == "single":
            filled = item["stem"].split("，", 1)[1].replace("（　　）", keys[0])
            assert filled in text, (filled, text)
            assert all(item["stem"].split("，", 1)[1].replace("（　　）", o) not in text for o in others)
        elif item["type"] == "multi":
            assert len(keys) >= 2 and 4 <= len(item["options"]) <= 5
            assert all(k in text for k in keys) and not any(o in text for o in others)
        else:
            assert item["options"] == {"A": "正确", "B": "错误"}
            statement = item["stem"].split("，", 1)[1]
            assert (statement in text) == (item["answer"] == ["A"])
        assert src["label"].split("第")[1] in item["explanation"] or item["type"] == "multi"


def test_an_item_whose_key_cannot_be_verified_is_never_emitted(store, monkeypatch):
    real = generate_module.single_items

    def with_a_wrong_key(pool, rng):
        items = real(pool, rng)
        bad = dict(items[0])
        bad["stem"] = bad["stem"] + "（错题）"
        bad["choices"] = [bad["choices"][1], bad["choices"][0], *bad["choices"][2:]]
        bad["keys"] = [bad["choices"][0]]  # a distractor presented as the key
        return [bad] + items

    monkeypatch.setattr(generate_module, "single_items", with_a_wrong_key)
    result = generate_quiz(store, "行政处罚法", n=120, types=("single",), seed=1)  # every candidate is tried
    assert all("（错题）" not in i["stem"] for i in result["items"])
    assert result["report"]["dropped_unverified"] >= 1 and result["report"]["keys_verified"] == len(result["items"])


def test_scopes_and_case_items(store):
    chapter = generate_quiz(store, "行政处罚法 第四章", n=8, types=("single", "judge"), seed=3)
    assert chapter["items"] and all(22 <= i["source"]["article"] <= 38 for i in chapter["items"])  # 第四章 = 第22–38条
    articles = generate_quiz(store, "行政处罚法 第30-33条", n=4, types=("single", "judge"), seed=3)
    assert all(30 <= i["source"]["article"] <= 33 for i in articles["items"])
    cases = generate_quiz(store, "行政处罚法", n=3, types=("case",), seed=3)
    case = next(i for i in cases["items"] if i["type"] == "case")
    assert len(case["sub_questions"]) == 2 and all(s["answer"] for s in case["sub_questions"])
    with pytest.raises(ScopeError):
        generate_quiz(store, "不存在的法", n=3)
    with pytest.raises(ScopeError, match="知识库中没有《不存在法》"):  # a title, even with a retriever for topics
        generate_quiz(store, "不存在法", n=3, retriever=lambda: pytest.fail("a missing title is no topic search"))


def test_docx_and_xlsx_contain_every_item(batch):
    from docx import Document
    from openpyxl import load_workbook

    doc = Document(io.BytesIO(to_docx(batch)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert all(i["stem"] in text for i in batch["items"]) and "答案与解析" in text
    ws = load_workbook(io.BytesIO(to_xlsx(batch))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "题型", "题干") and len(rows) == 1 + len(batch["items"])
    assert {r[2] for r in rows[1:]} == {i["stem"] for i in batch["items"]}


def test_quiz_cli_and_api(data, tmp_path):
    from fastapi.testclient import TestClient

    from assistant.service.service import AssistantService
    from assistant.settings import Settings
    from cli.main import app
    from web.app import create_app

    result = CliRunner().invoke(app, ["quiz", "--scope", "处罚法", "--n", "5", "--backend", "extractive",
                                      "--data-dir", str(data), "--out", str(tmp_path / "q.json")])
    assert result.exit_code == 0, result.output
    items = json.loads((tmp_path / "q.json").read_text(encoding="utf-8"))["items"]
    assert len(items) == 5 and all({"type", "stem", "options", "answer", "explanation", "source", "tag",
                                    "difficulty"} <= set(i) for i in items)
    chinese = CliRunner().invoke(app, ["quiz", "--scope", "处罚法", "--n", "3", "--types", "单选，判断题", "--data-dir",
                                       str(data), "--out", str(tmp_path / "zh.json")])
    assert chinese.exit_code == 0, chinese.output
    assert {i["type"] for i in json.loads((tmp_path / "zh.json").read_text(encoding="utf-8"))["items"]} <= {"single", "judge"}
    nowhere = CliRunner().invoke(app, ["quiz", "--scope", "处罚法", "--format", "docx", "--data-dir", str(data),
                                       "--out", str(tmp_path / "no" / "such" / "q.docx")])
    assert nowhere.exit_code == 2 and "所在目录不存在" in nowhere.output.replace("\n", "") and "Traceback" not in nowhere.output
    service = AssistantService(Settings(data_dir=data, corpus=[], law_db=False, embedder="hashing", backend="extractive"))
    original_generator = type(service).generator
    try:
        with TestClient(create_app(service=service, with_ui=False)) as client:
            r = client.post("/api/quiz", json={"scope": "行政处罚法", "n": 6, "format": "json"})
            assert r.status_code == 200 and len(r.json()["items"]) == 6
            r = client.post("/api/quiz", json={"scope": "行政处罚法", "n": 6, "format": "xlsx"})
            assert r.status_code == 200 and r.content[:2] == b"PK"
            assert client.post("/api/quiz", json={"scope": "不存在的法律名称xyz", "n": 3}).status_code in (200, 400)
            assert client.post("/api/quiz", json={"scope": "", "n": 3}).status_code == 422
            r = client.post("/api/quiz", json={"scope": "行政处罚法", "n": 4, "level": "应用"})
            assert r.status_code == 200 and r.json()["report"]["application_items"] >= 2
            # #25: when the LLM writes the cases, the request becomes a job with progress, like an upload
            from tests.fakes import ScriptedGenerator

            service._generator_override = ScriptedGenerator("某餐饮店在店门外的人行道上摆放桌椅经营，执法人员现场检查时发现，已持续三天。")
            type(service).generator = property(lambda self: getattr(self, "_generator_override", None))
            r = client.post("/api/quiz", json={"scope": "行政处罚法", "n": 4, "types": ["single", "case"]})
            assert r.status_code == 202, r.text
            job = r.json()
            for _ in range(200):
                job = client.get(f"/api/jobs/{job['id']}").json()
                if job["status"] in ("succeeded", "failed"):
                    break
                time.sleep(0.1)
            assert job["status"] == "succeeded" and job["kind"] == "quiz", job
            assert len(job["result"]["items"]) == 4
    finally:
        type(service).generator = original_generator
        service.close()


@pytest.mark.parametrize("scope,lo,hi", [("行政处罚法 第4章", 22, 38), ("行政处罚法 第三十条至第三十三条", 30, 33),
                                         ("行政处罚法 第30-33条", 30, 33)])
def test_scope_forms(store, scope, lo, hi):
    items = generate_quiz(store, scope, n=6, types=("single", "judge"), seed=2)["items"]
    assert items and all(lo <= i["source"]["article"] <= hi for i in items)
