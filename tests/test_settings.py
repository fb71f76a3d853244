"""Settings are checked when loaded and on every change; a bad value is refused in Chinese, naming the allowed
values, and the CLI exits with code 2 before any long work."""

import pytest
from typer.testing import CliRunner

from assistant.settings import Settings, SettingsError


@pytest.mark.parametrize("field, value, allowed", [
    ("backend", "locla", "local、openai、extractive"),
    ("retrieval_mode", "hybird", "hybrid、bm25、dense"),
    ("fusion", "rank", "score、rrf"),
    ("dingtalk_mode", "websocket", "http、stream"),
    ("embedder", "bge", "use、e5、st"),
])
def test_a_value_outside_the_list_is_refused_naming_the_allowed_ones(tmp_path, field, value, allowed):
    with pytest.raises(SettingsError) as err:
        Settings(data_dir=tmp_path, **{field: value})
    assert f"E_ASSISTANT_{field.upper()}" in str(err.value) and allowed in str(err.value) and value in str(err.value)


def test_environment_values_are_checked_too(monkeypatch):
    monkeypatch.setenv("E_ASSISTANT_BACKEND", "locla")
    with pytest.raises(SettingsError, match="可选：local、openai、extractive"):
        Settings()
    monkeypatch.setenv("E_ASSISTANT_BACKEND", "Extractive")
    assert Settings().backend == "extractive"  # case does not matter


def test_settings_that_do_not_fit_together(tmp_path):
    with pytest.raises(SettingsError, match="E_ASSISTANT_LLM_BASE_URL"):
        Settings(data_dir=tmp_path, backend="openai")
    with pytest.raises(SettingsError, match="E_ASSISTANT_EMBEDDER_MODEL_DIR"):
        Settings(data_dir=tmp_path, embedder="st")
    with pytest.raises(SettingsError, match="E_ASSISTANT_THREADS.*应不小于 1"):
        Settings(data_dir=tmp_path, threads=0)


def test_an_assignment_is_checked_and_a_refused_one_changes_nothing(tmp_path):
    s = Settings(data_dir=tmp_path, query_expansion="llm")
    with pytest.raises(SettingsError, match="QUERY_EXPANSION=llm 需要大模型"):
        s.backend = "extractive"
    with pytest.raises(SettingsError, match="可选"):
        s.backend = "gpt"
    assert s.backend == "local"
    assert s.replaced(query_expansion="none", backend="extractive").backend == "extractive"
    with pytest.raises(SettingsError):
        s.replaced(backend="extractive")


def test_the_cli_exits_2_naming_the_allowed_values(tmp_path, monkeypatch):
    from cli.main import app

    monkeypatch.setenv("E_ASSISTANT_BACKEND", "locla")
    monkeypatch.setenv("E_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["ask", "行政处罚法第三十三条"])
    assert result.exit_code == 2
    assert "设置有误" in result.output and "local、openai、extractive" in result.output
    assert not (tmp_path / "data").exists()  # refused before anything was built
    monkeypatch.delenv("E_ASSISTANT_BACKEND")
    flag = CliRunner().invoke(app, ["search", "摆摊", "--mode", "semantic"])
    assert flag.exit_code == 2 and "hybrid、bm25、dense" in flag.output


def test_the_test_fake_is_selected_through_the_registry(tmp_path):
    from indexing.embedders import embedder_names, make_embedder
    from tests.fakes import HashingEmbedder

    assert "hashing" in embedder_names()  # registered by tests/conftest.py
    assert isinstance(make_embedder(Settings(data_dir=tmp_path, embedder="hashing").embedder), HashingEmbedder)
