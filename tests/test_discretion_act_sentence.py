"""The LLM's sentence naming a case's act (``E_ASSISTANT_DISCRETION_EXPANSION=llm``): the violation matcher reads it
with the facts; the conditions (counts, deadlines, quantities) still come from the facts alone; it is never shown; the
settings refuse it without an LLM; the service passes its LLM's sentence to the advisor (the bundled model's
sentences are measured in evals/README.md, not here)."""

from pathlib import Path

import pytest

from assistant.discretion.advisor import DiscretionAdvisor
from assistant.retrieval.expansion import LLMQueryExpander
from assistant.settings import Settings, SettingsError
from corpus.sqlite_store import SQLiteStore
from tests.fakes import ScriptedGenerator

SAID = "有人在水库边上甩竿，去年也被查处过一次"  # none of the table's words: 饮用水水源, 保护区, 垂钓
SENTENCE = "在饮用水水源一级保护区内垂钓"


@pytest.fixture(scope="module")
def store(discretion_data: Path) -> SQLiteStore:
    return SQLiteStore(discretion_data / "corpus.db")


def test_without_the_sentence_the_facts_alone_find_no_act(store):
    advice = DiscretionAdvisor(store).advise(SAID, region="广东")
    assert advice.matches == []


def test_the_sentence_finds_the_act_and_the_facts_choose_the_tier(store):
    asked = []
    advisor = DiscretionAdvisor(store, describe_act=lambda facts: asked.append(facts) or SENTENCE)
    advice = advisor.advise(SAID, region="广东")
    assert asked == [SAID]
    top = advice.matches[0]
    assert top.violation.startswith("在饮用水水源一级保护区内") and top.prior_violation == "有同类违法行为"
    assert SENTENCE not in advice.model_dump_json().replace(top.violation, "")  # never shown


def test_the_sentence_decides_no_condition(store):
    # a sentence that says 首次 (a first violation) does not override «去年也被查处过一次» in the facts
    advisor = DiscretionAdvisor(store, describe_act=lambda facts: "首次" + SENTENCE + "，已限期改正")
    top = advisor.advise(SAID, region="广东").matches[0]
    assert top.prior_violation == "有同类违法行为" and top.range_text == "3万元以上4万元以下"


def test_an_empty_sentence_changes_nothing(store):
    plain = DiscretionAdvisor(store).advise("在饮用水水源一级保护区内垂钓", region="广东")
    empty = DiscretionAdvisor(store, describe_act=lambda facts: "").advise("在饮用水水源一级保护区内垂钓", region="广东")
    assert [m.range_text for m in empty.matches] == [m.range_text for m in plain.matches]


def test_the_expander_asks_with_the_discretion_prompt_and_drops_law_names():
    gen = ScriptedGenerator("违反了《中华人民共和国水污染防治法》第九十一条，" + SENTENCE)
    describer = LLMQueryExpander(gen, max_tokens=60, prompt="discretion_act", slot="{facts}")
    words = describer.expand(SAID)
    assert SENTENCE in words and "水污染防治法" not in words and "第九十一条" not in words
    prompt = gen.calls[0][0]["content"]
    assert SAID in prompt and "{facts}" not in prompt and "违法行为" in prompt


def test_the_settings_refuse_it_without_an_llm(tmp_path):
    with pytest.raises(SettingsError, match="DISCRETION_EXPANSION=llm 需要大模型"):
        Settings(data_dir=tmp_path, discretion_expansion="llm", backend="extractive")
    assert Settings(data_dir=tmp_path, discretion_expansion="LLM", backend="local").discretion_expansion == "llm"


def test_the_service_gives_the_advisor_its_llms_sentence(discretion_data, tmp_path):
    import shutil

    from assistant.service.service import AssistantService

    data = tmp_path / "data"
    shutil.copytree(discretion_data, data)
    gen = ScriptedGenerator(SENTENCE)
    settings = Settings(data_dir=data, discretion_expansion="llm", backend="local", embedder="hashing")
    service = AssistantService(settings, generator=gen, preload=False)
    try:
        advice = service.discretion(SAID, region="广东")
    finally:
        service.close()
    assert advice.matches and advice.matches[0].prior_violation == "有同类违法行为"
    assert any(SAID in m[0]["content"] for m in gen.calls)
