"""Misreadings a fresh-eyes break test found in the circumstance parsers and left open on 2026-12-03 (the phrases are
written for these tests): «又» of the present act, 前科 in its criminal sense, kept at once, a plan's or report's own
term, «还是老样子» before the deadline, unit prices, 块 of pieces, a government's level of response; and what the first
run of dev13 showed in the same parsers: an unanswered question, a guess at a band's bound, «八十平方», «没造成超标»."""

import pytest

from assistant.discretion.prior import prior_from_facts, stated_only
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
    ("一共赚了三千块左右", {"yuan": 3000.0, "≈yuan": 1.0}),
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


@pytest.mark.parametrize("facts, prior", [
    # a question about earlier violations states none until answered (dev13 d13-006, d13-014 were read as «被查过»)
    ("至于这家以前有没有因为同样问题被查过，档案还在调，暂时不清楚。", None),
    ("这家以前有没有因为造假被处理过，还得再查。", None),
    ("之前是否被处罚过，待核实", None),
    ("询问老板以前有没有被罚过，老板称没有", (0, 0)),  # answered
    ("问他以前有没有被罚过，他说去年罚过一次", (1, 1)),
    ("去年被罚过一次，这次是不是又犯了？", (1, 1)),  # the question is about the present act
])
def test_an_unanswered_question_states_no_count(facts, prior):
    assert prior_from_facts(stated_only(facts)) == prior


def test_a_guess_at_a_bands_bound_decides_neither_band():
    from assistant.discretion.quantities import quantity_range, undecided

    guess = quantities("还没过磅，看着大概一吨上下")  # dev13 d13-027: 「1吨以下」 or 「超过1吨，不足3吨」?
    assert guess == {"t": 1.0, "≈t": 1.0}
    assert undecided(guess, quantity_range("涉及危险废物量1吨以下的"), 1.0)
    assert not undecided(quantities("过磅1吨"), quantity_range("涉及危险废物量1吨以下的"), 1.0)  # weighed: decided
    assert not undecided(quantities("约0.6吨"), quantity_range("0.2吨以上1吨以下"), 0.6)  # a guess inside the band
    assert not undecided(quantities("存栏900头左右"), quantity_range("500头以上1000头以下"), 900.0)
    assert "≈t" not in quantities("三吨多")  # more than three is no guess at three


def test_the_advisor_asks_when_a_guess_sits_at_a_bound(discretion_data):
    from assistant.discretion.advisor import DiscretionAdvisor
    from corpus.sqlite_store import SQLiteStore

    advisor = DiscretionAdvisor(SQLiteStore(discretion_data / "corpus.db"))
    weighed = advisor.advise("未经批准擅自转移危险废物，过磅3吨", region="广东江门")
    assert weighed.matches[0].circumstance.endswith("1吨以上5吨以下的")
    guess = advisor.advise("未经批准擅自转移危险废物，估计五吨左右，还没过磅", region="广东江门")
    assert guess.decision == "ambiguous" and any("5吨" in m for m in guess.missing_facts)
    assert {m.circumstance[-12:] for m in guess.matches[:2]} == {"擅自转移危险废物1吨以上5吨以下的"[-12:], "擅自转移危险废物5吨以上的"[-12:]}


def test_spoken_square_metres_and_an_exceedance_denied():
    from assistant.discretion.facts import choose_value

    assert quantities("新污染了八十平方")["m2"] == 80.0  # dev13 d13-029
    assert quantities("占地2平方公里")["m2"] == 2e6
    rows = ["1：未按照法律、法规和相关技术规范的要求运营防治污染设施或者实施污染治理的", "4：造成超标排放的"]
    assert choose_value(rows, "出水抽测达标，没造成超标") != "4：造成超标排放的"  # dev13 d13-026
    assert choose_value(rows, "运维不规范，造成超标排放") == "4：造成超标排放的"
