"""What the facts deny stays denied when the advisor widens them (2026-12-02, a fifth blind dev set and the break test
«私设暗管偷排废水，超标3倍»): the colloquial → legal term list must not turn «检测没超标» into 「超过 排放标准」 or
«不涉及危废» into 「危险废物」; an event's grade («定为较大突发环境事件») closes the rows of other grades; a row that
adds a protected place to the act is an aggravating circumstance the facts must state; 「非重点行业」 denies 重点行业."""

from __future__ import annotations

import pytest

from assistant.discretion.clauses import negated
from assistant.discretion.facts import choose_value, value_scores, widened
from assistant.discretion.narrowing import narrow_values
from assistant.discretion.spoken import event_grades

JM_HIDDEN_DISCHARGE = [  # 江门 参照表's tiers of 「通过逃避监管的方式排放水污染物的」 (the shape, not copied rows)
    "初犯，且不涉及一类污染物、重金属、有毒、持久性有机污染物的",
    "不涉及一类污染物、重金属、有毒、持久性有机污染物，有超标情形的",
    "涉及一类污染物、重金属、有毒、持久性有机污染物的",
    "涉及一类污染物、重金属、有毒、持久性有机污染物的，有超标情形的",
    "污染物排放超标，且排放去向涉及环境敏感区的",
    "造成较大以上突发环境事件或其他严重后果的",
]
ACT = "通过逃避监管的方式排放水污染物的"


def test_a_denied_exceedance_adds_no_exceedance_words():
    text = widened("漂染厂通过暗管偷排废水，头一回，检测没超标")
    assert "超过" not in text.split(" ", 1)[1] and "排放标准" not in text
    assert choose_value(JM_HIDDEN_DISCHARGE, text, ACT) == JM_HIDDEN_DISCHARGE[0]


def test_a_denied_colloquial_word_adds_no_legal_word_but_a_denying_key_keeps_its_own():
    assert "危险废物" not in widened("都是一般工业固废，不涉及危废")
    assert "危险废物" in widened("把危废倒在河边")
    assert "一般区域" in widened("那一片不是敏感区也不是限批区")  # the list's key «不是…敏感区» holds the denial
    assert "逾期未改正" in widened("过了期限还没改")  # the legal terms carry the denial themselves


def test_a_protected_place_the_facts_do_not_name_is_not_assumed():
    text = widened("企业私设暗管偷排废水，超标3倍")
    assert choose_value(JM_HIDDEN_DISCHARGE, text, ACT) == JM_HIDDEN_DISCHARGE[1]
    named = widened("企业私设暗管偷排废水进了饮用水水源保护区，超标3倍")
    assert value_scores(JM_HIDDEN_DISCHARGE, named, ACT)[JM_HIDDEN_DISCHARGE[4]] > -5  # named: open again


@pytest.mark.parametrize("text, grades", [
    ("死了不少鱼，定为较大突发环境事件", {"较大"}),
    ("造成较大以上突发环境事件或其他严重后果的", {"较大", "重大", "特别重大"}),
    ("造成特大突发环境事件（特大污染事故）的", {"特别重大"}),
    ("没有造成一般污染事故", set()),
    ("在河涌里洗车", set()),
])
def test_event_grades(text, grades):
    assert event_grades(text) == grades


def test_the_named_grade_decides_the_tier():
    values = ["造成一般突发环境事件（一般污染事故）的", "造成较大突发环境事件（较大污染事故）的",
              "造成重大突发环境事件（重大污染事故）的", "造成特大突发环境事件（特大污染事故）的"]
    facts = widened("化工厂储罐泄漏，废液流进河里，死了不少鱼，定为较大突发环境事件")
    assert choose_value(values, facts, "企业事业单位违反本法规定，造成水污染事故的") == values[1]


def test_non_key_industry_is_a_denial():
    assert negated("非重点行业排污单位") and not negated("非法排放")
    values = ["非重点行业排污单位，初犯且不涉及重金属、有毒、持久性有机污染物的",
              "重点行业排污单位，初犯且不涉及重金属、有毒、持久性有机污染物的",
              "非重点行业排污单位，不涉及重金属、有毒、持久性有机污染物的，两年内再犯的",
              "超标排放污染物", "涉及排放重金属、有毒、持久性有机污染物的"]
    facts = widened("水泥厂（重点行业）打开旁路偷排废气，第一次，废气里没有重金属和有毒物质，也没超标")
    assert narrow_values(values, facts, "通过逃避监管的方式排放大气污染物的") == {values[1]}


def test_rows_repeated_without_the_order_are_the_overdue_rows():
    from assistant.discretion.overdue import mark_overdue
    rows = [([], "1：未排放污染物的", "责令限期拆除，处二万元罚款"),
            ([], "2：排放水污染物不超过排放标准的", "责令限期拆除，处二万元以上四万元以下罚款"),
            ([], "1：未排放污染物的", "处十万元罚款"),
            ([], "2：排放水污染物不超过排放标准的", "处十万元以上二十万元以下罚款"),
            ([], "3：造成较大以上突发环境事件或其他严重后果的", "处四十万元以上五十万元以下罚款"),
            ([], "1：未排放污染物的", "对责任人处五万元以上七万元以下罚款")]
    assert mark_overdue(rows) == [2, 3]
    assert [c.value for c in rows[2][0]] == ["逾期不拆除"] and rows[0][0] == [] and rows[4][0] == [] and rows[5][0] == []
    plain = [([], "1：情节一", "处一万元罚款"), ([], "1：情节一", "处两万元罚款")]
    assert mark_overdue(plain) == []  # no order before the first range: another shape


def test_an_act_done_only_inside_a_place_the_facts_deny_is_no_candidate():
    from assistant.discretion.matching import outside_place
    inside = "在饮用水水源保护区内设置排污口"
    assert outside_place(inside, "在厂外河边私自开了个排污口，那里不在水源保护区")
    assert not outside_place(inside, "在饮用水源二级保护区里偷偷埋管设了个排污口")
    assert not outside_place("违反法律、行政法规和国务院环境保护主管部门的规定设置排污口", "那里不在水源保护区")


def test_an_order_said_as_xialing_chooses_no_correction():
    from assistant.discretion.tiers import ORDER
    assert ORDER.sub("责令", "之前已经下令限期拆除，到期没拆") == "之前已经责令，到期没拆"
    assert ORDER.sub("责令", "让他限期补办，过期了还是没办") == "责令，过期了还是没办"
    assert ORDER.sub("责令", "让我们进去") == "让我们进去"
    # a notice issued (dev10 d10-026): «已经下了限期整改通知» says nothing of whether the party corrected
    assert ORDER.sub("责令", "已经下了限期整改通知") == "已经责令通知"
    assert ORDER.sub("责令", "发了限期整改通知书，到期还没改") == "责令通知书，到期还没改"
    assert ORDER.sub("责令", "下雨冲走了，限期内改正") == "下雨冲走了，限期内改正"
    for done in ("在我们督促下限期整改完毕", "在执法人员指导下立即整改到位", "在环保局的要求下限期整改完成了"):
        assert ORDER.sub("责令", done) == done  # «…下» ends a phrase; the party corrected (a review finding)


@pytest.mark.parametrize("facts, chosen", [
    ("扩产后排放的污染物种类和数量都有变化，一直没去办变更申报。不涉及重金属和一类污染物", 0),
    ("没去办变更申报，废水里含镉", 2),
])
def test_a_hazard_named_only_as_absent_closes_the_hazard_row(facts, chosen):
    values = ["未依法按照规定办理排污变更申报手续的", "未依法按照规定办理排污申报手续的", "涉及一类水污染物、重金属、持久性有机污染物的"]
    assert choose_value(values, widened(facts), "未依法按照规定办理排污申报手续或者变更申报手续的") == values[chosen]


def test_a_negation_earlier_in_the_clause_does_not_deny_a_later_hazard():
    from assistant.discretion.facts import _hazard_stated
    assert _hazard_stated("化工厂用一条没做防渗的土沟把含苯废水引去污水站") is True
    assert _hazard_stated("不涉及重金属、酸雾、有毒物") is None
    assert _hazard_stated("废水里没有重金属和有毒物质") is None


def test_the_polarity_of_a_shared_word_is_read_where_the_facts_last_say_it():
    from assistant.discretion.facts import _polarity, bigrams
    values = ["已公布能源消耗或者重点污染物产生、排放情况，但不符合规定", "不公布能源消耗或者重点污染物产生、排放情况"]
    facts = "水泥厂属于要向社会公布能耗和主要污染物排放情况的企业，今年压根没公布"  # the duty first, then what happened
    assert [_polarity(v, facts, bigrams(v) & bigrams(facts)) for v in values] == [-1, 1]
    scores = value_scores(values, widened(facts), "未按照规定公布能源消耗或者重点污染物产生、排放情况")
    assert scores[values[1]] > scores[values[0]]
