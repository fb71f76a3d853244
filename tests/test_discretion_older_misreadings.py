"""Misreadings a fresh-eyes break test found in the circumstance parsers and left open on 2026-12-03 (the phrases are
written for these tests): «又» of the present act, 前科 in its criminal sense, kept at once, a plan's or report's own
term, «还是老样子» before the deadline, unit prices, 块 of pieces, a government's level of response."""

import pytest

from assistant.discretion.prior import prior_from_facts
from assistant.discretion.quantities import quantities
from assistant.discretion.spoken import deadline_kept, event_grades

INF = float("inf")


@pytest.mark.parametrize("facts, prior", [
    ("去年8月被我局罚款2万元，这次又犯", (1, 1)),  # 又 says the present act repeats: one dated penalty is one
    ("上个月被罚过，这回又在偷排", (1, 1)),
    ("去年被罚过一次，今年又被罚了一次", (2, 2)),  # a later clause's «又被罚了一次» adds
    ("半年前被罚，后来又被处罚", (1, INF)),  # «又被处罚», no count: one or more
    ("老板有前科，因盗窃判过刑", None),  # a criminal record is no earlier 同类违法
    ("因打架斗殴留有前科，这次在河边倒垃圾", None),
    ("有同类违法前科两次", (2, 2)),
    ("老板有前科，之前因偷排被罚过", (1, INF)),
])
def test_earlier_violations(facts, prior):
    assert prior_from_facts(facts) == prior


@pytest.mark.parametrize("facts, kept", [
    ("责令当天清理，当天就把废渣清理好了", True),  # a 把-object between 就 and the verb
    ("现场责令改正，当事人当场改正", True),
    ("当即拆除了暗管", True),
    ("责令当场改正", None),  # the order, not what was done
    ("要求当场整改，对方不理", None),
    ("企业应急预案已过期半年，一直没修订", None),  # a plan's own term, not the order's deadline
    ("检测报告过期了还没重新做", None),
    ("环评批复过期了，企业没重新报批", None),
    ("整改期限还没到，现场还是老样子", None),  # not overdue yet
    ("限期整改到期，现场还是老样子", False),
    ("排污许可证过期了，责令限期补办，到期还没办", False),
])
def test_deadline(facts, kept):
    assert deadline_kept(facts) is kept


@pytest.mark.parametrize("facts, qty", [
    ("每吨处置费3千元，共处置了5吨", {"t": 5.0}),  # a unit price is no sum of the case
    ("3000元/吨，拉走5吨", {"t": 5.0}),
    ("一吨三千块，拉走了五吨", {"t": 5.0}),
    ("五块一斤卖出去", {}),
    ("用三块铁皮盖住了排口", {}),  # 块 before a noun counts pieces
    ("收了老板五百块红包", {"yuan": 500.0}),
    ("一共赚了三千块左右", {"yuan": 3000.0}),
    ("偷偷收了800块钱", {"yuan": 800.0}),
    ("违法所得2万元", {"yuan": 20000.0, "yuan:违法所得": 20000.0}),
])
def test_quantities(facts, qty):
    assert quantities(facts) == qty


@pytest.mark.parametrize("facts, grades", [
    ("当地启动Ⅳ级应急响应", {"一般"}),
    ("县里启动了四级应急响应", {"一般"}),
    ("市里启动了Ⅲ级响应", {"较大"}),
    ("企业启动了二级响应", set()),  # an enterprise's own plan
    ("厂里启动二级应急响应", set()),
    ("县政府没有启动Ⅳ级应急响应", set()),
])
def test_response_levels(facts, grades):
    assert event_grades(facts) == grades
