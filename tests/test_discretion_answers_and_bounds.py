"""What a second fresh-eyes break test (2026-12-03, third session) found in the circumstance parsers, fixed: a question
and its answer (answers.py), «又» of the present case, work done at once versus an order or a refusal to do it, the
deadline not yet come, unit prices, 块 of money, «八十个平方», guesses and «一吨多» against a band's bound, a grade
determined after a response, an exceedance denied. The phrases are written for these tests."""

import pytest

from assistant.discretion.answers import questions_read
from assistant.discretion.facts import choose_value
from assistant.discretion.prior import prior_conflict, prior_from_facts, stated_only
from assistant.discretion.quantities import quantities, quantity_range, undecided, within
from assistant.discretion.spoken import deadline_kept, event_grades

INF = float("inf")


@pytest.mark.parametrize("facts, prior", [
    ("问老板之前被罚过吗，老板说没有", (0, 0)),
    ("之前被处罚过没有？档案还没回复", None),  # unanswered
    ("询问是否受过处罚，当事人答：没有", (0, 0)),
    ("问其以前有没有因为这个被罚过，对方否认", (0, 0)),
    ("询问有无同类违法，负责人称有", (1, INF)),  # «有无同类违法» is no «无同类违法»
    ("有没有处罚记录，当事人拒不回答", None),
    ("问是不是头一次，他说不是", (1, INF)),
    ("是否首次违法？当事人称是", (0, 0)),
    ("有没有前科，系统显示无", (0, 0)),
    ("有无违法记录，系统查到了", (1, INF)),
    ("以前有没有被罚过，他说记不清了", None),
    ("以前是否被罚过，需要法制科确认", None),
    ("问他以前有没有被罚过，他想了想，说去年罚过一次", (1, 1)),  # the answer's own count
])
def test_a_question_states_what_its_answer_says(facts, prior):
    assert prior_from_facts(stated_only(facts)) == prior


def test_an_answered_first_time_question_is_no_conflict():
    assert questions_read("是否首次违法，当事人称不是，").startswith("此前有同类违法")
    assert not prior_conflict("是否首次违法，当事人称不是，去年罚过一次")
    assert prior_conflict("首次被查，已经是第三次了")


@pytest.mark.parametrize("facts, prior", [
    ("去年罚过一次，今年5月份又被罚", (2, 2)),  # a later «又被罚» without a count is one more
    ("前年被罚了一次，去年再次被罚，这次又犯", (2, 2)),
    ("上个月刚被罚过，这次又被我们查到", (1, 1)),  # «这次»: the present case
    ("去年被罚过一次，这次又被查处一次", (1, 1)),
])
def test_again_counts_earlier_penalties_not_the_present_case(facts, prior):
    assert prior_from_facts(stated_only(facts)) == prior


@pytest.mark.parametrize("facts, kept", [
    ("责令其当场改正", None),  # the order
    ("执法人员要求企业当即拆除", None),
    ("要求其当天就把洒落的危废清理干净", None),
    ("当事人拒绝当场改正", None),
    ("当事人未能当场改正", None),
    ("当事人答应当场改正", None),  # a promise
    ("当场改正了一部分，其余的还没改", None),
    ("责令后倒是按期整改到位了", True),
    ("企业按要求在期限内整改完毕", True),
    ("当天就把危废拉走了", True),
    ("排污许可证到期未延续，责令限期整改，复查时已办好", True),
    ("整改期限未到，现场还是老样子", None),
    ("还不到期限，现场还是老样子", None),
    ("距整改期限还有5天，目前现场还是老样子", None),
    ("限期十日内清理，目前才过去三天，还是老样子", None),
    ("限期三天，才过了两天就改好了", True),
    ("期限还没到，企业表示会按期整改", None),
    ("限期整改到期，现场还是老样子", False),
])
def test_done_at_once_or_not_yet_due(facts, kept):
    assert deadline_kept(facts) is kept


@pytest.mark.parametrize("facts, qty", [
    ("处置费3000元/t，共转移5吨", {"t": 5.0}),  # a unit price
    ("废机油按150元/kg卖掉", {}),
    ("危废处置单价3500元，共8吨", {"t": 8.0}),
    ("赔了村民两万块了事", {"yuan": 20000.0}),  # 块 of money before a verb
    ("花三千块找人拉走的", {"yuan": 3000.0}),
    ("五千块给了中间人", {"yuan": 5000.0}),
    ("用三块铁皮盖住了排口", {}),
    ("堆了八十个平方", {"m2": 80.0}),
    ("污泥估计有一吨", {"t": 1.0, "≈t": 1.0}),  # a guess
    ("面积约为200平方米", {"m2": 200.0, "≈m2": 1.0}),
    ("十来吨", {"t": 10.0, "≈t": 1.0}),
])
def test_quantities(facts, qty):
    assert quantities(facts) == qty


def test_more_or_less_than_a_bound_falls_on_its_side():
    below, above = quantity_range("1吨以下"), quantity_range("1吨以上5吨以下")
    assert not within(quantities("倾倒危废一吨多")["t"], below) and within(quantities("倾倒危废一吨多")["t"], above)
    assert not within(quantities("倾倒危废超过1吨")["t"], below)
    assert within(quantities("倾倒危废不到1吨")["t"], below) and not within(quantities("倾倒危废不到1吨")["t"], above)
    assert within(quantities("倾倒危废1吨")["t"], below)  # the number itself: the table's 以下 includes it
    guess = quantities("污泥估计有一吨")
    assert undecided(guess, below, guess["t"])


@pytest.mark.parametrize("facts, grades", [
    ("县里启动了Ⅳ级应急响应，后经核定为较大突发环境事件", {"较大"}),  # the determined grade outranks the response
    ("县政府启动应急响应（Ⅳ级）", {"一般"}),
    ("当地一家化工集团启动了Ⅱ级应急响应", set()),  # an enterprise's own plan
    ("县里的煤矿启动了二级响应", set()),
])
def test_grades(facts, grades):
    assert event_grades(facts) == grades


def test_an_exceedance_denied_closes_the_exceedance_row():
    rows = ["造成超标排放的", "未造成超标排放的"]
    assert choose_value(rows, "设施停运两小时，监测无超标") == "未造成超标排放的"
    assert choose_value(rows, "设施停运两小时，经监测不存在超标情况") == "未造成超标排放的"


@pytest.mark.parametrize("facts, prior", [
    ("有过一次偷排废水的前科，另外还因打架被拘留过", (1, 1)),  # the criminal clause is another one
    ("老板有前科，因盗窃判过刑", None),  # the next clause explains the 前科: criminal
])
def test_a_criminal_clause_masks_only_its_own_record(facts, prior):
    assert prior_from_facts(stated_only(facts)) == prior


def test_an_order_then_the_work_done_is_kept():
    assert deadline_kept("要求其当天就把危废清理干净，当天下午就清理好了") is True  # the second saying is the work
    assert deadline_kept("责令当场改正，当事人当场改正") is True
