"""Circumstances as officers state them (the rules the circumstance phrase set's dev split led to; the examples here
are written for the tests, not taken from evals/data/discretion_phrases.jsonl)."""

import json
from pathlib import Path

import pytest

from assistant.discretion.prior import prior_from_facts, stated_only
from assistant.discretion.quantities import quantities
from assistant.discretion.spoken import deadline_kept, event_grades
from assistant.discretion.tiers import stated_value
from evals.circumstances import DATA, read, right, split_of

INF = float("inf")


@pytest.mark.parametrize("facts, prior", [
    ("系统里查不到处罚记录", (0, 0)),
    ("之前未发现违法记录", (0, 0)),
    ("这家属于再犯", (1, INF)),
    ("有同类违法前科三次", (3, 3)),
    ("前年被警告过一次", (1, 1)),
    ("因为扬尘被罚过好几次", (2, INF)),
    ("去年被查处不下四次", (4, INF)),
    ("去年被罚不止两次", (3, INF)),
    ("近两年每年都被罚过一次", (2, 2)),
    ("三个月前刚因同样问题挨过罚", (1, 1)),  # one punishment at one time
    ("以前也被罚过", (1, INF)),  # no time, no count: one or more
    ("2018年罚过一次，近两年没有违法记录", (0, 0)),
    ("之前抽查过两次都合格，这次超标", None),
    ("第三次上门检查时才见到老板", None),
])
def test_earlier_violations(facts, prior):
    assert prior_from_facts(facts) == prior


@pytest.mark.parametrize("facts, kept", [
    ("限期整改过了，设备还没装", False),
    ("到期复查，只改了一半", False),
    ("复查时整改不到位", False),
    ("整改期满，废水依旧偷排", False),
    ("一直拖着不办，整改期限早就过了", False),
    ("危废还在仓库里堆着", None),  # no order, no deadline: nothing said of 整改
    ("污泥处置协议到期了没续", None),  # a contract's term
    ("复查日子还没到", None),
    ("还没到期就整改好了", True),
    ("责令三天内补齐，第二天就补好了", True),
    ("整改已经落实，复核通过", True),
])
def test_the_orders_deadline(facts, kept):
    assert deadline_kept(facts) is kept


@pytest.mark.parametrize("facts, grade", [
    ("按Ⅲ级突发环境事件响应", {"较大"}),
    ("启动IV级事件响应", {"一般"}),
    ("不属于二级事件", set()),
])
def test_response_levels_are_grades(facts, grade):
    assert event_grades(facts) == grade


@pytest.mark.parametrize("facts, expected", [
    ("违法所得大概3千元", {"yuan": 3000.0, "≈yuan": 1.0, "yuan:违法所得": 3000.0}),
    ("偷排了俩月", {"day": 60.0}),
    ("超标排放三个多月", {"day": pytest.approx(90.09)}),  # 多: past three months (PAST_BOUND)
    ("代为处置花了处置费8万元", {"yuan": 80000.0, "yuan:处置费用": 80000.0}),
    ("称了一下有2千克", {"t": 0.002}),
])
def test_quantities_as_said(facts, expected):
    assert quantities(facts) == expected


@pytest.mark.parametrize("facts, value", [
    ("老板态度良好，带我们看了现场", "配合调查"),
    ("催要台账好几次都没交", "不配合调查"),
    ("法人拒签笔录", "不配合调查"),
])
def test_cooperation_words(facts, value):
    assert stated_value(["配合调查", "不配合调查"], facts) == value


def test_the_phrase_set_is_split_and_every_gold_has_a_reading():
    rows = [json.loads(line) for line in Path(DATA).read_text(encoding="utf-8").splitlines() if line.strip()]
    splits = {split_of(r["id"]) for r in rows}
    assert splits == {"dev", "test"}
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows[:20]:  # the scorer takes every aspect's reading without error
        right(r["aspect"], r["gold"], read(r["aspect"], r["facts"]))


@pytest.mark.parametrize("facts, prior", [
    # a fresh-eyes break test of this round's rules (2026-12-03): what they misread, now pinned
    ("之前有没有违法记录还要回去查", None),  # «没有违法记录» inside a question
    ("现场询问老板以前有没有被罚过，老板称没有", (0, 0)),  # question, then the answer
    ("该企业被投诉不止两次，但之前没被罚过", (0, 0)),  # complaints are no penalties
    ("周边群众投诉至少三次", None),
    ("近两年每年都来检查两次", None),
])
def test_questions_complaints_and_visits_count_no_penalty(facts, prior):
    assert prior_from_facts(stated_only(facts)) == prior


def test_break_test_misreadings():
    assert deadline_kept("复查时已整改，照常生产") is True  # back at work after the fix
    assert event_grades("一级事故应急池满了") == set() and event_grades("企业启动二级响应") == set()
    assert quantities("罚了3千5") == {"yuan": 3500.0}
    assert quantities("两个月来一直偷排") == {"day": 60.0}  # how long, not a look-back window
    assert quantities("他俩偷排了3吨") == {"t": 3.0}  # 俩 a pronoun's, no count
