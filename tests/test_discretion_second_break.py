"""What a second fresh-eyes break test of the advisor found (2026-12-02): a look-back window read as a limit on the
act's duration, dates and «N年前» read as 持续时间, the 江门 table treated as «本地» without a place, and the same act
worded differently by two tables («未按照规定设置…» / «不设置…的») not joined."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.discretion.matching import twins
from assistant.discretion.no_penalty import contradiction
from assistant.discretion.quantities import quantities


@pytest.mark.parametrize("facts", ["一家厂超标排放废水持续了10天，COD超标0.05倍，第一次，在责令改正期限内改好了",
                                   "今年3月一家厂超标排放废水，COD超标0.05倍，第一次，在责令改正期限内改好了"])
def test_a_look_back_window_is_no_limit_on_the_acts_duration(facts):
    conditions = "同时满足下列情形的，不予行政处罚：（1）近一年内属于首次违法；（2）超标排放的倍数在0.1倍以下；（3）在责令改正期限内改正"
    assert contradiction(conditions, facts, (0, 0), quantities(facts)) == ""
    assert "超出" in contradiction(conditions, facts.replace("0.05倍", "0.4倍"), (0, 0),
                                   quantities(facts.replace("0.05倍", "0.4倍")))


@pytest.mark.parametrize("facts, days", [
    ("三年前被罚过一次", None),
    ("今年5月被发现，超标2倍", None),
    ("去年10月被罚过", None),
    ("11月3日被发现偷排废水", None),
    ("持续了两个月", 60.0),
    ("两个月前就开始偷排", 60.0),
    ("违规运行了6个月", 180.0),
])
def test_dates_and_times_ago_are_no_durations(facts, days):
    assert quantities(facts).get("day") == days


def test_the_same_act_worded_by_two_tables_is_one_act():
    found = twins(["未按照规定设置危险废物识别标志", "不设置危险废物识别标志的", "不按照规定设置放射性标识、标志、中文警示说明"])
    assert found.get(0) == [1] and found.get(1) == [0] and 2 not in found


def test_without_a_place_the_lapsed_city_table_is_no_ones_own(discretion_data: Path):
    from assistant.discretion.advisor import DiscretionAdvisor
    from corpus.sqlite_store import SQLiteStore

    from assistant.discretion.groups import SAME_ACT_TIERS, same_act_overlap as _overlap

    advisor = DiscretionAdvisor(SQLiteStore(discretion_data / "corpus.db"))
    current = [g for g in advisor.groups if g.doc.region == "广东" and not g.no_penalty]
    only_city = [g for g in advisor.groups if g.doc.region == "广东江门" and not g.no_penalty
                 and all(_overlap(g.violation, c.violation) < SAME_ACT_TIERS for c in current)]
    assert only_city
    for city in only_city:
        for region in ("广东", None):  # a Guangdong officer outside 江门; no place at all
            advice = advisor.advise(f"一家厂{city.violation}", region=region)
            assert not any("本地已失效" in w for w in advice.warnings)
            if any(m.document == city.doc.title for m in advice.matches):
                assert any("其他地区或已失效" in w or "状态为" in w for w in advice.warnings)


@pytest.mark.parametrize("facts, stated", [
    ("COD超标0.05倍，近一年第一次，已经在责令改正期限内整改好了", True),
    ("危废标识没贴，第一次，当天就补上了", True),
    ("COD超标0.05倍，第一次", False),  # not said to be corrected
    ("COD超标0.05倍，去年也被罚过，当天就改了", False),  # not a first offence
    ("第一次，限期到了还没改", False),
    ("以前从没有过，当天就改了", True),  # the count of earlier ones (facts.prior_from_facts) says first, not a word list
    ("首违，限期内已整改到位", True),
])
def test_a_no_penalty_item_whose_conditions_the_facts_state_leads(facts, stated):
    from assistant.discretion.prior import prior_from_facts
    from assistant.discretion.no_penalty import conditions_stated

    conditions = "同时满足下列情形的，不予行政处罚：（1）近一年内属于首次违法；（2）在责令改正期限内改正"
    assert conditions_stated(conditions, facts, prior_from_facts(facts)) is stated


def test_the_lead_names_the_item_and_asks_for_the_rest():
    from assistant.discretion.types import Advice, NoPenaltyItem, ParsedFacts

    item = NoPenaltyItem(violation="超过水污染物排放标准排放水污染物", conditions="……", document="某不予处罚目录", region="广东",
                         status="现行有效", page=None, chunk_id="c", citations=[], stated=True)
    advice = Advice(facts="f", decision="ambiguous", matches=[], no_penalty=[item], missing_facts=[], general_rules=[],
                    warnings=[], parsed=ParsedFacts(prior_violations=None, quantities={}, region="广东", region_from="request"))
    assert "《某不予处罚目录》" in advice.no_penalty_lead and "核对其余条件" in advice.no_penalty_lead
    assert "no_penalty_lead" in advice.model_dump()
    lapsed = item.model_copy(update={"status": "已废止"})
    assert advice.model_copy(update={"no_penalty": [lapsed]}).no_penalty_lead == ""


def test_the_officers_own_steps_name_no_act():
    from assistant.discretion.spoken import without_procedure

    facts = "危废标识没贴，第一次，当天就补上了。执法人员制作了现场检查笔录，拍照取证，当事人签字确认。"
    assert without_procedure(facts) == "危废标识没贴，第一次，当天就补上了。"
    assert without_procedure("老板拒绝在笔录上签字，也不让拍照") == "老板拒绝在笔录上签字，也不让拍照"  # obstruction stays


@pytest.mark.parametrize("facts, timed", [("近两年头一回被查，当天就改了", False), ("这事是两年多前的了，现在才发现", True)])
def test_a_look_back_window_is_no_time_limit(facts, timed):
    from assistant.retrieval.rules import applicable_rules
    assert any(r.article == 36 for r in applicable_rules(facts)) is timed


def test_a_lapsed_standard_is_dated_and_one_running_out_soon_is_noted():
    from assistant.discretion.basis import expiry_note, status_note

    assert status_note("某参照表", "已废止", "2023-03-01") == "《某参照表》的状态为「已废止」（自2023年3月1日起失效），请以现行标准为准。"
    assert status_note("某参照表", "已废止") == "《某参照表》的状态为「已废止」，请以现行标准为准。"
    assert "将于2027年1月1日失效" in expiry_note("某裁量表", "2027-01-01", "2026-12-02")
    assert expiry_note("某裁量表", "2027-01-01", "2026-06-01") is None  # far off
    assert expiry_note("某裁量表", "2027-01-01", "2027-02-01") is None  # already past: the status says so
    assert expiry_note("某裁量表", "", "2026-12-02") is None


@pytest.mark.parametrize("facts, terms", [
    ("电镀厂危废随便堆在厂区空地，约三吨", {"擅自", "堆放", "危险废物"}),
    ("塑料厂废气处理设施没开，直接排", {"不正常运行", "逃避监管"}),
    ("厂里没有贴危废标识", {"未设置", "危险废物"}),
    ("废气处理设备的风机半夜突然坏了，第二天一早就报告了", {"不正常运行", "污染防治设施"}),
])
def test_everyday_words_of_covered_acts_reach_the_tables_words(facts, terms):
    from assistant.retrieval.terms import expand
    assert terms <= set(expand(facts).split())


def test_the_generic_subject_and_the_deadline_wording_make_no_other_act():
    # dev8 d8-006: the 广东 row with its generic subject and «且逾期未改正» is the 江门 «…，逾期不改正的»
    found = twins(["企业事业单位和其他生产经营者未按照规定设置标志牌，且逾期未改正", "未按照规定设置标志牌，逾期不改正的",
                   "核设施营运单位未按照规定，将其产生的废旧放射源送交贮存、处置，逾期未改正",
                   "核技术利用单位未按照规定，将其产生的废旧放射源送交贮存、处置，逾期未改正",
                   "贮存设施或者设备不符合环境保护、卫生要求", "贮存设施或者设备不符合环境保护、卫生要求，逾期未改正"])
    assert found.get(0) == [1] and found.get(1) == [0]
    assert 2 not in found and 3 not in found  # another subject is another act
    assert 4 not in found and 5 not in found  # an act and its 逾期未改正 stage are two rows of one table
