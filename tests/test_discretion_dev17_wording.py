"""What the seventeenth blind set (dev17, 2026-12-05) showed after its first run: a first time denied
(«不是头一回») read as a first time, «不过» read as a denial, a 禁建区 denied, an event grade «定的级别是一般级»,
«到期去看还是这样», and the words of a 核医学科's wastewater, gauges with a sealed source and a 土炉子."""

from __future__ import annotations

import pytest

from assistant.discretion.facts import widened
from assistant.discretion.prior import INF, prior_conflict, prior_from_facts


@pytest.mark.parametrize("facts, count", [
    ("去年也因为信息公开的事被查过，不是头一回。", (1, INF)),
    ("这不是第一次了", (1, INF)),
    ("并非初犯", (1, INF)),
    ("也不是第一次了，前年罚过一次", (1, 1)),  # the count the facts give stands
    ("不是头一回，之前罚过两次", (2, 2)),
    ("头一回被查", (0, 0)),
    ("这是第一次，不是故意的", (0, 0)),
])
def test_a_first_time_denied_counts_one_at_least(facts, count):
    assert prior_from_facts(facts) == count
    assert not prior_conflict(facts)  # «不是头一回» is no first time that a count contradicts


@pytest.mark.parametrize("said, legal", [
    ("医院核医学科，衰变池坏了，病人用药后的废水没处理直接进市政管网", "放射性废液"),
    ("有家公司没办许可，在卖带放射源的料位计、密度计", "装备有放射性同位素的仪表"),
    ("有家公司没办许可，在卖测厚仪", "未取得许可证"),
    ("自己搭了个土炉子，烧废机油桶、废活性炭这些危废，没经过审批", "焚烧"),
    ("自己搭了个土炉子，烧废机油桶、废活性炭这些危废，没经过审批", "未经批准"),
    ("感染性的、损伤性的医废全混一个黄桶里", "未按照类别"),
])
def test_the_words_of_dev17_reach_the_tables_terms(said, legal):
    assert legal in widened(said)


@pytest.mark.parametrize("facts, treated", [
    ("老板不肯赔钱。不过清理治理倒是按我们给的期限做完了。", True),  # «不过» is «but», no denial
    ("治理没按规定的期限做完", False),
    ("治理按期完成了", True),
])
def test_the_remedial_deadline_in_an_officers_words(facts, treated):
    from assistant.discretion.conduct import treated_in_time

    assert treated_in_time(facts) is treated


def test_refused_compensation_and_treatment_in_time_choose_the_one_duty_row():
    from assistant.discretion.facts import choose_value

    values = ["主动承担赔偿责任，且限期采取治理措施", "未主动承担赔偿责任或者未限期采取治理措施（ 只满足其中之一）",
              "既未主动承担赔偿责任，也未限期采取治理措施的"]
    facts = "事故定级是重大。老板死活不肯赔钱，说要等保险公司。不过清理治理倒是按我们给的期限做完了。"
    assert choose_value(values, facts) == values[1]


def test_a_no_build_zone_denied_closes_its_row():
    from assistant.discretion.facts import choose_value

    values = ["报告书项目，主体工程未建设完成的", "报告书项目，主体工程已建设完成的",
              "主体工程占用了生态环境保护法规政策规定禁止建设的区域的"]
    facts = "要做环评报告书，还没报批就动工了。主体厂房只打了地基，没建完。位置在普通工业园，不是禁建区。"
    assert choose_value(values, facts) != values[2]


def test_a_grade_determined_by_whom_tells_the_accident():
    from assistant.discretion.spoken import rated_consequence

    told = rated_consequence("一般固废堆场垮了，冲到旁边水渠。应急那边定的级别是一般级的突发事件。")
    assert "造成突发环境事件" in told
    assert rated_consequence("厂里定的级别是重大风险源吗？") == "厂里定的级别是重大风险源吗？"  # no event, no accident


@pytest.mark.parametrize("facts, kept", [
    ("上次限期改，到期去看还是这样。", False),
    ("到期复查，还那样", False),
    ("限期内改好了，现在还是这样干净", True),
])
def test_nothing_changed_after_the_deadline(facts, kept):
    from assistant.discretion.spoken import deadline_kept

    assert deadline_kept(facts) is kept


def test_what_a_review_of_the_session_found():
    """Inputs a reviewer wrote against the session's readers (2026-12-05): each read as an officer means it."""
    from assistant.discretion.conduct import treated_in_time
    from assistant.discretion.grades import stated_grades
    from assistant.discretion.licence import facts_reading
    from assistant.discretion.places import regions_named
    from assistant.discretion.spoken import deadline_kept, rated_consequence

    assert treated_in_time("责令其按规定期限完成治理，到期复查还是老样子") is not True  # the order, not a deed
    assert treated_in_time("没有按规定期限完成治理") is False
    assert stated_grades("废液量大约5升，活度很低") == {"活度": "low"}  # 大约 is no grade
    assert facts_reading("危废卖给了一个收废品的，对方没有经营许可证") == "recipient"
    assert facts_reading("现场没有证据") is None
    assert "突发环境事件" not in rated_consequence("应急管理局认定的级别是较大生产安全事故")
    assert deadline_kept("复查时已经改好了，还是这样保持就行") is True
    assert prior_from_facts("不是头一回了，五年前被罚过一次") == (0, 0)  # outside the tables' windows
    assert regions_named("从开平拉来的危废倒在佛山顺德") == {"广东江门", "广东佛山"}
