"""The advisor on a past day (#20): the standards in force on the day of the act (行政处罚法 第三十七条), their
status on that day, and a 从旧兼从轻 warning naming today's standard for the same act. The synthetic 江门 试行
table took effect on 2020-03-01 for three years; the 广东 standard on 2022-01-01 (tests/builders.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.discretion.advisor import DiscretionAdvisor
from corpus.validity import calendar_day
from corpus.sqlite_store import SQLiteStore


@pytest.fixture(scope="module")
def advisor(discretion_data: Path) -> DiscretionAdvisor:
    return DiscretionAdvisor(SQLiteStore(discretion_data / "corpus.db"))


def _shared_act(advisor: DiscretionAdvisor):
    province = {g.violation.rstrip("的"): g for g in advisor.groups if g.doc.region == "广东" and not g.no_penalty}
    return next((g, province[g.violation.rstrip("的")]) for g in advisor.groups
                if g.doc.region == "广东江门" and not g.no_penalty and g.violation.rstrip("的") in province)


def test_on_a_past_day_the_standard_then_in_force_decides_and_todays_is_named(advisor):
    city, province = _shared_act(advisor)
    then = advisor.advise(f"新会一家厂{city.violation}", as_of="2021-06-01")
    assert then.as_of == "2021-06-01"
    assert then.matches[0].document == city.doc.title  # the 广东 standard had not yet taken effect
    assert then.matches[0].status == "现行有效"  # its status on that day
    lenient = [w for w in then.warnings if "从旧兼从轻" in w and "第三十七条" in w]
    assert lenient and province.doc.title in lenient[0]
    today = advisor.advise(f"新会一家厂{city.violation}")
    in_force = [m for m in today.matches if m.status == "现行有效"]  # the city's lapsed row may lead, for reference,
    assert today.as_of is None and in_force[0].document == province.doc.title  # when the facts fix it (the act's words)
    assert not any("第三十七条" in w for w in today.warnings)


def test_a_day_before_every_standard_says_so(advisor):
    city, _ = _shared_act(advisor)
    advice = advisor.advise(f"新会一家厂{city.violation}", as_of="2019-01-01")
    assert any("于2019-01-01有效的裁量基准" in w for w in advice.warnings)


@pytest.mark.parametrize("day, read", [("2021-06-01", "2021-06-01"), (" 2021-06-01 ", "2021-06-01"), ("", None),
                                       (None, None)])
def test_calendar_days(day, read):
    assert calendar_day(day) == read


@pytest.mark.parametrize("day", ["2026-02-30", "明天", "2026/1/1", "2026-1-1"])
def test_a_day_that_is_no_date_is_refused_in_chinese(day):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        calendar_day(day)


def test_the_cli_and_the_api_take_the_day(discretion_data: Path):
    from fastapi.testclient import TestClient

    from assistant.service.service import AssistantService
    from cli.main import _ingested_settings, app
    from web.app import create_app

    out = CliRunner().invoke(app, ["discretion", "在饮用水水源一级保护区内垂钓", "--as-of", "2021-06-01", "--json",
                                   "--data-dir", str(discretion_data)])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["as_of"] == "2021-06-01"
    bad = CliRunner().invoke(app, ["discretion", "垂钓", "--as-of", "2021-02-30", "--data-dir", str(discretion_data)])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    service = AssistantService(_ingested_settings(discretion_data))
    with TestClient(create_app(service=service, with_ui=False)) as client:
        ok = client.post("/api/discretion", json={"facts": "在饮用水水源一级保护区内垂钓", "as_of": "2021-06-01"})
        assert ok.status_code == 200 and ok.json()["as_of"] == "2021-06-01"
        assert client.post("/api/discretion", json={"facts": "垂钓", "as_of": "2021-02-30"}).status_code == 422
    service.close()


def test_no_lenient_warning_when_the_first_standard_had_lapsed_by_then_too(advisor):
    city, _ = _shared_act(advisor)
    advice = advisor.advise(f"新会一家厂{city.violation}", as_of="2024-06-01")  # 江门 ended 2023-03-01
    assert not any("第三十七条" in w for w in advice.warnings)


def test_a_day_after_today_is_refused(discretion_data: Path):
    from cli.main import app

    out = CliRunner().invoke(app, ["discretion", "在饮用水水源一级保护区内垂钓", "--as-of", "2099-01-01",
                                   "--data-dir", str(discretion_data)])
    assert out.exit_code == 2 and "不能晚于今天" in out.output
