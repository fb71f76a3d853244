"""What the sixteenth blind set (dev16, 2026-12-04) showed, read in the ninth session: rows graded by size and
strength («放射性废液量大活度低») against an officer's «量挺大，不过测下来活度很低»."""

from __future__ import annotations

import pytest

from assistant.discretion.facts import choose_value
from assistant.discretion.grades import grade_agreement, row_grades, stated_grades

LIQUID = ["放射性废液量小活度低", "放射性废液量大活度低", "放射性废液量小活度较高", "放射性废液量大活度较高"]
SOLID = ["属V类、IV类放射源或者放射性固体废物量小活度低的", "属III类放射源或者放射性固体废物量大活度低",
         "属II类放射源或者放射性固体废物量小活度较高的", "属I类放射源或者放射性固体废物量大活度较高的"]


@pytest.mark.parametrize("facts, grades", [
    ("十几桶，量挺大，不过测下来活度很低", {"量": "high", "活度": "low"}),
    ("量不多就一小箱，但活度偏高", {"量": "low", "活度": "high"}),
    ("量不大、活度也低", {"量": "low", "活度": "low"}),
    ("废液排放量比较少", {"量": "low"}),
    ("活度高不高还没测", {}),  # a question, no grade
    ("量超过了一吨多", {}),  # a quantity, read by quantities.py
    ("水泥质量很差", {}),  # 质量 is no amount
    ("个人剂量偏高", {}),  # nor is a dose
])
def test_grades_the_facts_state(facts, grades):
    assert stated_grades(facts) == grades


def test_grades_a_row_states():
    assert row_grades(SOLID[2]) == {"量": "low", "活度": "high"}
    assert row_grades("整改情况：逾期未改正") == {}
    assert grade_agreement(LIQUID[1], "量挺大，活度很低") == 2
    assert grade_agreement(LIQUID[0], "量挺大，活度很低") == 0  # one agrees, one does not
    assert grade_agreement(LIQUID[3], "量挺大，活度很低") == 0
    assert grade_agreement(LIQUID[2], "量挺大，活度很低") == -2


@pytest.mark.parametrize("values, facts, value", [
    (LIQUID, "核医学科的放射性废水没进衰变池，用桶装着堆在杂物间，十几桶，量挺大，不过测下来活度很低", LIQUID[1]),
    (LIQUID, "放射性废液就一点点，量很少，活度也不高", LIQUID[0]),
    (SOLID, "废放射源和沾了放射性的废料没送去收贮，量不多就一小箱，但活度偏高", SOLID[2]),
    (SOLID, "放射性固体废物堆了半个仓库，量相当大，活度也偏高", SOLID[3]),
    (LIQUID, "放射性废水用桶装着堆在杂物间", None),  # no grade said: the officer is asked
])
def test_the_grades_choose_the_row(values, facts, value):
    assert choose_value(values, facts) == value


@pytest.mark.parametrize("said, legal", [
    ("鹤山一家企业嫌空气自动站挡路，自己把站点挪走了", "环境质量监测点"),
    ("有个老板没有许可证，私下帮人堆放带放射性的固体废料", "未经许可"),
    ("查到一个没证的仓库在帮人存放射性固废", "未经许可"),
    ("炉渣都是一般工业固废，没有危废", "一般工业固体废物"),
])
def test_the_words_of_dev16_reach_the_tables_terms(said, legal):
    from assistant.discretion.facts import widened

    assert legal in widened(said)


def test_a_clause_all_candidate_rows_share_does_not_hide_the_one_that_differs():
    """Rows of clauses share «未造成重大…» and differ in 违法所得: the amount is asked (dev16 d16-028)."""
    from types import SimpleNamespace

    from assistant.discretion.facts import conditions
    from assistant.discretion.tiers import missing_facts

    rows = [SimpleNamespace(conds=conditions(f"{gain}；未造成重大生态环境影响或者不良社会影响的；整改情况：逾期未改正", ""))
            for gain in ("违法所得10万元以上的", "没有违法所得或者违法所得不足十万元的")]
    missing = missing_facts(rows, None, {}, {"违法情节": "未造成重大生态环境影响或者不良社会影响的"})
    assert missing == ["具体违法情节：违法所得10万元以上的 / 没有违法所得或者违法所得不足十万元的"]
    assert missing_facts(rows, None, {"yuan": 30000.0}, {}) == []  # the amount stated decides


@pytest.mark.parametrize("facts, reading", [
    ("韶关有个老板没有许可证，私下帮人堆放带放射性的固体废料", "own"),
    ("查到一个没证的仓库在帮人存放射性固废", "own"),
    ("把危废交给一家没证的公司处理", "recipient"),
    ("厂里的废矿物油卖给了一个没有经营许可证的个人", "recipient"),
    ("限期内已经把东西交给有资质的单位拉走了", None),  # a licence held
])
def test_whose_licence_the_facts_deny(facts, reading):
    from assistant.discretion.licence import facts_reading

    assert facts_reading(facts) == reading


def test_the_acts_of_the_facts_reading_lead():
    from types import SimpleNamespace

    from assistant.discretion.licence import act_reading, licence_holder_first

    handed = SimpleNamespace(violation="将放射性固体废物提供或者委托给无许可证的单位贮存和处置")
    own = SimpleNamespace(violation="未经许可，擅自从事贮存和处置放射性固体废物活动")
    other = SimpleNamespace(violation="放射性固体废物贮存、处置单位未按照规定建立情况记录档案")
    assert (act_reading(handed.violation), act_reading(own.violation), act_reading(other.violation)) == (
        "recipient", "own", None)
    ranked = [(0.60, 0.1, handed), (0.55, 0.1, other), (0.48, 0.2, own)]
    moved = licence_holder_first(ranked, "老板没有许可证，私下帮人堆放带放射性的固体废料")
    assert [g for _, _, g in moved] == [own, other, handed]
    assert [s for s, _, _ in moved] == [0.60, 0.55, 0.48]  # the places keep their scores
    assert licence_holder_first(ranked, "把放射性废料交给一家没证的公司") == ranked  # its reading leads already
    far = [(0.60, 0.1, handed), (0.30, 0.2, own)]  # under LEAD_SHARE of the best: the encoder's order stands
    assert licence_holder_first(far, "老板没有许可证，私下帮人堆放") == far


def test_a_slip_of_the_table_3_above_5_above_reads_as_3_to_5():
    from assistant.discretion.quantities import quantity_range

    assert quantity_range("违反相关排放标准、技术规范类别的项数：3项以上5项以上") == ("unit", 3.0, 5.0)
    assert quantity_range("1吨以上") == ("t", 1.0, float("inf"))


def test_an_act_graded_by_the_number_stated_comes_before_one_that_ignores_it():
    from types import SimpleNamespace

    from assistant.discretion.banded import banded_first, graded_by
    from assistant.discretion.facts import conditions

    def group(name, *circumstances):
        return SimpleNamespace(violation=name, tiers=[SimpleNamespace(conds=conditions(c, ""), bounds="")
                                                      for c in circumstances])

    closed = group("未在密闭空间或者设备中进行", "空间、设备密闭情况：空间、设备未密闭，已安装且按规定使用污染防治设施")
    counted = group("未按照挥发性有机物排放标准、技术规范规定，组织生产管理",
                    "违反相关排放标准、技术规范类别的项数：1项以上3项以下", "违反相关排放标准、技术规范类别的项数：3项以上5项以上")
    said = "油墨桶敞着口、收集罩漏风、调墨间没密闭、活性炭半年没换，一共4项不合规"
    assert graded_by(counted, {"unit": 4.0}, said) and not graded_by(closed, {"unit": 4.0}, said)
    ranked = [(0.74, 0.3, closed), (0.72, 0.3, counted)]
    assert [g for _, _, g in banded_first(ranked, {"unit": 4.0}, said)] == [counted, closed]
    assert banded_first(ranked, {"unit": 3.0}, "喷漆车间有3台设备没有密闭") == ranked  # 台 is no 项 (a review)
    assert banded_first(ranked, {}, said) == ranked  # no number stated
    assert banded_first(ranked, {"day": 15.0}, "给了半个月整改") == ranked  # a duration dates the case
    assert banded_first([(0.74, 0.3, closed), (0.50, 0.3, counted)], {"unit": 4.0}, said)[0][2] is closed  # too far


def test_moved_ahead_keeps_the_places_scores():
    from assistant.discretion.ranking import moved_ahead

    ranked = [(0.9, 0.1, "a"), (0.8, 0.2, "b"), (0.7, 0.3, "c"), (0.6, 0.4, "d")]
    assert moved_ahead(ranked, [2], [0]) == [(0.9, 0.3, "c"), (0.8, 0.2, "b"), (0.7, 0.1, "a"), (0.6, 0.4, "d")]
    assert moved_ahead(ranked, [], []) == ranked
