"""What a fresh-eyes break test of the discretion advisor found (2026-12-01): percentages and halves as quantities,
earlier penalties outside the tables' windows, contradictory counts, 不予处罚 items ruled out by a quantity, regions
as officers write them, facts checked at the edge, amounts shown as people read them, duplicate rows once."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.discretion.prior import prior_conflict, prior_from_facts
from assistant.discretion.no_penalty import contradiction
from assistant.discretion.places import normalise_region
from assistant.discretion.quantities import quantities
from assistant.discretion.types import TierMatch, validate_facts
from assistant.retrieval.base import QueryError


@pytest.mark.parametrize("facts, dim, value", [
    ("废水COD超标40%", "times", 0.4),
    ("废气超标百分之四十", "times", 0.4),
    ("倒了一吨半危废", "t", 1.5),
    ("堆了3吨半", "t", 3.5),
    ("持续了两个半月", "day", 75.0),
    ("拖了两个半小时才让进", "minute", 150.0),
])
def test_percentages_and_halves(facts, dim, value):
    assert quantities(facts)[dim] == pytest.approx(value)


def test_a_share_of_the_total_is_no_multiple():
    assert "times" not in quantities("超总量20%")


@pytest.mark.parametrize("facts, count", [
    ("工地裸土没盖，三年前被罚过一次", (0, 0)),       # outside 近一年 and 近二年
    ("五年前也因此被处罚过", (0, 0)),
    ("三年前罚过一次，去年又被罚了一次", (1, 1)),   # the recent one counts
    ("三年前建的厂，一直没环评", None),              # not about a penalty: nothing stated
    ("上个月刚因为同样的问题被罚", (1, 1)),  # inside the window; one punishment at one time is one
])
def test_earlier_penalties_outside_the_tables_windows(facts, count):
    assert prior_from_facts(facts) == count


@pytest.mark.parametrize("facts, conflict", [
    ("首次被查，这已经是第三次了", True),
    ("从未被罚过，去年被罚过两次", True),
    ("这是第二次，第一次是去年", False),
    ("首次违法，已改正", False),
])
def test_contradictory_counts_are_flagged(facts, conflict):
    assert prior_conflict(facts) is conflict


def test_a_no_penalty_item_is_ruled_out_by_a_quantity_beyond_its_band():
    item, conditions = "超标排放的倍数在0.1倍以下", "首次违法，在责令改正期限内改正"
    over = contradiction(conditions, "废气超标0.4倍", None, quantities("废气超标0.4倍"), item)
    assert "0.1倍以下" in over
    assert contradiction(conditions, "废气超标0.05倍", None, quantities("废气超标0.05倍"), item) == ""
    assert contradiction(conditions, "废气超标", None, quantities("废气超标"), item) == ""  # not stated: not ruled out


@pytest.mark.parametrize("region, read", [("台山", "广东江门"), ("江门市", "广东江门"), ("广东江门", "广东江门"),
                                          ("广东省", "广东"), ("全国", None), ("  ", None), (None, None)])
def test_regions_as_officers_write_them(region, read):
    assert normalise_region(region) == read


@pytest.mark.parametrize("region", ["火星", "'; DROP TABLE x;--"])
def test_a_region_that_is_no_place_is_refused_in_chinese(region):
    with pytest.raises(ValueError, match="无法识别的地区"):
        normalise_region(region)


@pytest.mark.parametrize("facts, says", [
    ("", "案情为空"), ("   ", "案情为空"), ("！！？", "标点"), ("the factory dumped waste", "没有中文"),
    ("厂" * 2001, "案情过长"),
])
def test_facts_are_checked_at_the_edge(facts, says):
    with pytest.raises(QueryError, match=says):
        validate_facts(facts, 2000)
    assert validate_facts("  台山一家厂偷排废水  ") == "台山一家厂偷排废水"


def _tier(low, high) -> TierMatch:
    return TierMatch(violation="v", circumstance="", prior_violation="", range_text="r", min_yuan=low, max_yuan=high,
                     violated_provision="", penalty_basis="", document="d", region="广东", status="现行有效",
                     page=None, chunk_id="c", citations=[], score=1.0, coverage=1.0)


def test_amounts_are_shown_as_people_read_them():
    assert _tier(700000.0, 1000000.0).amount == "（700,000–1,000,000 元）"
    assert _tier(20000.0, 20000.0).amount == "（20,000 元）"
    assert _tier(0.5, 200.0).amount == "（0.5–200 元）"
    assert _tier(None, None).amount == ""


def test_the_service_reads_and_checks_the_region_and_the_facts(discretion_data):
    from cli.main import app

    ok = CliRunner().invoke(app, ["discretion", "在饮用水水源一级保护区内垂钓，去年也被查处过一次", "--region", "台山",
                                  "--json", "--data-dir", str(discretion_data)])
    assert ok.exit_code == 0, ok.output
    advice = json.loads(ok.stdout)
    assert advice["parsed"]["region"] == "广东江门" and advice["parsed"]["region_from"] == "request"
    keys = [(m["document"], m["violation"], m["circumstance"], m["prior_violation"], m["range_text"])
            for m in advice["matches"]]
    assert len(keys) == len(set(keys))  # a table's duplicate rows come once
    bad = CliRunner().invoke(app, ["discretion", "垂钓", "--region", "火星", "--json", "--data-dir", str(discretion_data)])
    assert bad.exit_code == 2 and "无法识别的地区" in json.loads(bad.stdout)["error"]
    long_facts = "在饮用水水源一级保护区内垂钓，" + "当事人称不知道这里是保护区。" * 60  # ≈ 800 characters: a narrative
    assert CliRunner().invoke(app, ["discretion", long_facts, "--data-dir", str(discretion_data)]).exit_code == 0


@pytest.mark.parametrize("facts, party", [
    ("一个钓鱼佬在水源一级保护区里钓鱼", "person"), ("一家旅行社带团去保护区钓鱼", "unit"),
    ("在饮用水水源一级保护区内垂钓", None), ("有人组织游客垂钓", None),
])
def test_who_the_party_is(facts, party):
    from assistant.discretion.party import party_of

    assert party_of(facts) == party


def test_a_person_row_beside_a_units_row_asks_who_acted_unless_the_facts_say():
    from assistant.discretion.party import is_person_row

    assert is_person_row("个人在饮用水水源一级保护区内游泳、垂钓或者从事其他可能污染饮用水水体的活动")
    assert is_person_row("（三）个人在饮用水水源一级保护区内游泳")
    assert not is_person_row("在饮用水水源一级保护区内从事网箱养殖或者组织进行旅游、垂钓")


def test_the_same_act_in_two_tables_is_a_twin():
    from assistant.discretion.matching import twins

    rows = ["对不能密闭的易产生扬尘的物料，未设置不低于堆放物高度的严密围挡，或者未采取有效覆盖措施防治扬尘污染",
            "对不能密闭的易产生扬尘的物料，未设置不低于堆放物高度的严密围挡，或者未采取有效覆盖措施防治扬尘污染的",
            "未密闭煤炭、煤矸石、煤渣、煤灰、水泥、石灰、石膏、砂土等易产生扬尘的物料"]
    assert twins(rows) == {0: [1], 1: [0]}
