"""LLM query expansion: what it keeps of the draft, caching and failure, and how retrieval and the service use it."""


import pytest

from tests.fakes import ScriptedGenerator
from assistant.retrieval.expansion import LLMQueryExpander, statutory_words
from assistant.retrieval import HybridRetriever

# Synthetic fixture: the question's words are nowhere in it; the draft's statutory words are.
LAW = """---
title: "某市测试管理办法"
doc_type: "local_regulation"
status: "现行有效"
---
# 某市测试管理办法

第一条 为了规范市容环境卫生管理，制定本办法。

第二条 用人单位拖欠劳动报酬的，由劳动保障行政部门责令限期支付。

第三条 在城市道路上设置摊点的，由城市管理部门责令改正。

第四条 本办法自发布之日起施行。
"""
QUESTION = "小王干了三个月活，一分钱没拿到怎么办"
DRAFT = "根据《中华人民共和国劳动法》第五十条的规定，用人单位拖欠劳动报酬的，劳动者可以要求限期支付。"


@pytest.fixture(scope="module")
def parts(tmp_path_factory, hashing_index):
    root = tmp_path_factory.mktemp("corpus")
    (root / "某市测试管理办法.md").write_text(LAW, encoding="utf-8")
    return hashing_index(root, tmp_path_factory.mktemp("data"))


def test_statutory_words_drop_law_names_article_numbers_and_lead_ins():
    words = statutory_words(DRAFT)
    assert "劳动法" not in words and "第五十条" not in words and "根据" not in words
    assert "用人单位拖欠劳动报酬" in words and "限期支付" in words
    assert statutory_words("第三十三条第二款之一") == ""
    assert len(statutory_words("应当" * 500, max_chars=50)) == 50


def test_expander_asks_once_per_question_with_the_versioned_prompt():
    gen = ScriptedGenerator(DRAFT)
    expander = LLMQueryExpander(gen)
    assert expander.expand(QUESTION) == statutory_words(DRAFT)
    assert expander.expand(QUESTION) == statutory_words(DRAFT)
    assert len(gen.calls) == 1  # cached
    prompt = gen.calls[0][0]["content"]
    assert QUESTION in prompt and "{question}" not in prompt and expander.prompt_version >= 1


def test_a_failed_draft_means_no_expansion_for_a_pause_then_a_retry():
    now = [100.0]
    gen = ScriptedGenerator(fail=True)
    expander = LLMQueryExpander(gen, pause=30.0, clock=lambda: now[0])
    assert expander.expand(QUESTION) == ""
    now[0] += 10
    assert expander.expand("另一个问题") == ""  # paused: the LLM is not asked, the search does not wait
    assert len(gen.calls) == 1 and expander.failures == 1
    now[0] += 25
    gen.fail, gen.reply = False, DRAFT
    assert expander.expand(QUESTION) == statutory_words(DRAFT)  # a failure is not cached
    assert len(gen.calls) == 2


def test_an_llm_that_cannot_start_means_no_expander_unless_required(tmp_path, monkeypatch):
    import assistant.retrieval.factory as engine
    from assistant.llm.local_server import LocalModelError
    from assistant.settings import Settings

    def missing(*args, **kwargs):
        raise LocalModelError("model parts not installed")

    monkeypatch.setattr(engine, "make_generator", missing)
    settings = Settings(data_dir=tmp_path, query_expansion="llm", backend="local")
    assert engine.make_query_expander(settings) is None
    with pytest.raises(LocalModelError):
        engine.make_query_expander(settings, required=True)


def test_expansion_words_reach_bm25(parts):
    store, index, embedder = parts
    plain = HybridRetriever(store, index, None, mode="bm25")
    gen = ScriptedGenerator(DRAFT)
    expanded = HybridRetriever(store, index, None, mode="bm25", expander=LLMQueryExpander(gen))
    assert not any(h.chunk.article == 2 for h in plain.search(QUESTION, k=3))
    hits = expanded.search(QUESTION, k=3)
    assert hits[0].chunk.article == 2 and hits[0].document.title == "某市测试管理办法"
    assert len(gen.calls) == 1


def test_no_expansion_for_a_cited_article_or_in_dense_mode(parts):
    store, index, embedder = parts
    gen = ScriptedGenerator(DRAFT)
    expander = LLMQueryExpander(gen)
    hits = HybridRetriever(store, index, None, mode="bm25", expander=expander).search("某市测试管理办法第三条", k=3)
    assert hits[0].via == "lookup" and hits[0].chunk.article == 3
    HybridRetriever(store, index, embedder, mode="dense", expander=expander).search(QUESTION, k=3)
    assert gen.calls == []


def test_settings_choose_the_expander(tmp_path, monkeypatch):
    from assistant.retrieval.factory import make_query_expander
    from assistant.settings import Settings, SettingsError

    monkeypatch.delenv("E_ASSISTANT_QUERY_EXPANSION", raising=False)
    assert make_query_expander(Settings(data_dir=tmp_path)) is None
    with pytest.raises(SettingsError, match="QUERY_EXPANSION=llm 需要大模型"):
        make_query_expander(Settings(data_dir=tmp_path, query_expansion="llm", backend="extractive"))
    with pytest.raises(SettingsError, match="LLM_BASE_URL"):
        make_query_expander(Settings(data_dir=tmp_path, query_expansion="llm", backend="openai", llm_base_url=None))


def test_service_expands_with_its_llm_once_ready(tmp_path):
    from assistant.service.service import AssistantService
    from assistant.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "某市测试管理办法.md").write_text(LAW, encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", corpus=[corpus], law_db=False, embedder="hashing",
                        backend="local", query_expansion="llm")
    gen = ScriptedGenerator(DRAFT)
    svc = AssistantService(settings, generator=gen)
    try:
        assert svc.search(QUESTION, k=1)[0].chunk.article == 2
        assert any(QUESTION in m[0]["content"] for m in gen.calls)
        svc.llm_status = "starting"  # the LLM not ready yet: searches go on without the expansion
        svc.retriever.expander._cache.clear()
        calls = len(gen.calls)
        assert [h.chunk.article for h in svc.search(QUESTION, k=3)] == [h.chunk.article for h in svc.retriever.search(
            QUESTION, k=3)]
        assert svc.retriever.expander.failures == 1 and len(gen.calls) == calls
    finally:
        svc.close()


def test_cli_refuses_expansion_without_an_llm(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from cli.main import app

    monkeypatch.setenv("E_ASSISTANT_QUERY_EXPANSION", "llm")
    monkeypatch.setenv("E_ASSISTANT_BACKEND", "extractive")
    monkeypatch.setenv("E_ASSISTANT_LAW_DB", "false")
    result = CliRunner().invoke(app, ["search", "摆摊", "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 2
    assert "设置有误" in result.output and "E_ASSISTANT_BACKEND" in result.output
    assert not (tmp_path / "data" / "index").exists()  # refused before any long work
