"""The order to correct and what came of it (dev6, 2026-12-02): «到期去复查还是没修» is 逾期未改正 though the words
lie far apart; «叫他们限期修好» is the order, not the outcome; a table that lists an act and the same act
«……，逾期未改正» gives the act's own fine unless the facts say the deadline passed."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.discretion.facts import choose_value, widened
from assistant.discretion.overdue import ORDER, order_stages, stage_pairs
from assistant.discretion.spoken import deadline_kept

ACT = "对医疗废物的处置不符合国家规定的环境保护、卫生标准、规范"


@pytest.mark.parametrize("facts, kept", [
    ("不过叫他们限期修好，到期去复查还是没修。", False),
    ("上次检查已经责令改正，限期过了去复查还是老样子。", False),
    ("责令整改，过了期限没有改", False),
    ("到期没拆", False),
    ("责令改正后倒是按期整改到位了", True),
    ("责令限期改正，期限内已经全部补训补考完。", True),
    ("复查时发现已经整改到位", True),
    ("限期一个月拆除，到期复查已拆除", True),
    ("下了整改通知，现在还在整改期内", None),
    ("复查未发现问题", None),
    ("车厢没防渗漏也没标识，根本不是专用车", None),
    ("逾期未超标", None),
])
def test_the_outcome_of_the_order_as_officers_tell_it(facts, kept):
    assert deadline_kept(facts) is kept


@pytest.mark.parametrize("facts, value", [
    ("不过叫他们限期修好，到期去复查还是没修。", "逾期未改正"),
    ("上次检查已经责令改正，限期过了去复查还是老样子。", "逾期未改正"),
    ("责令改正后倒是按期整改到位了", "限期内改正"),
])
def test_the_outcome_chooses_the_rectification_value(facts, value):
    said = widened(ORDER.sub("责令", facts))
    assert choose_value(["整改情况：逾期未改正", "整改情况：限期内改正"], said) == f"整改情况：{value}"


def test_an_order_in_everyday_words_is_no_outcome():
    assert ORDER.sub("责令", "叫他们限期修好，到期复查") == "责令，到期复查"
    assert ORDER.sub("责令", "让我们进厂") == "让我们进厂"  # 让 without a deadline orders nothing


def _group(doc: str, violation: str):
    return SimpleNamespace(key=(doc, violation), violation=violation, no_penalty=False)


def test_an_act_and_the_same_act_not_corrected_are_a_pair():
    base, variant = _group("gd", ACT), _group("gd", f"{ACT}，逾期未改正")
    other = _group("jm", f"{ACT}，逾期未改正")  # another table: no pair
    pairs = stage_pairs([base, variant, other, _group("gd", "未建立台账，拒不改正")])
    assert pairs[base.key] == pairs[variant.key] == (base, variant)
    assert other.key not in pairs and ("gd", "未建立台账，拒不改正") not in pairs


@pytest.mark.parametrize("kept, first", [(None, "base"), (True, "base"), (False, "variant")])
def test_the_facts_decide_which_of_the_pair_comes_first(kept, first):
    base, variant, third = _group("gd", ACT), _group("gd", f"{ACT}，逾期未改正"), _group("gd", "未及时收集医疗废物")
    pairs = stage_pairs([base, variant, third])
    ranked = [(3.0, 0.9, variant), (2.0, 0.8, third), (1.0, 0.7, base)]
    out = order_stages(ranked, pairs, kept)
    assert [g for _, _, g in out] == ([base, variant, third] if first == "base" else [variant, base, third])
    assert out[1][0] < out[0][0]  # the partner scores just below, never tied


def test_the_partner_joins_when_only_one_was_ranked():
    base, variant = _group("gd", ACT), _group("gd", f"{ACT}，逾期未改正")
    out = order_stages([(3.0, 0.9, variant)], stage_pairs([base, variant]), None)
    assert [g for _, _, g in out] == [base, variant]


@pytest.mark.parametrize("facts, prior", [
    ("两年内就这一回被查处。", (0, 0)),  # the present case, not an earlier one
    ("上次检查已经责令改正，限期过了去复查还是老样子。两年内就这一回被查处。", (0, 0)),  # 上次检查 ordered this case's fix
    ("但去年他们也出过一回同样的问题。", (1, 1)),
    ("上次也是因为这个被罚了", (1, float("inf"))),
    ("这一次又被查到", (1, 1)),
])
def test_this_one_time_and_the_last_inspection(facts, prior):
    from assistant.discretion.prior import prior_from_facts

    assert prior_from_facts(facts) == prior


def test_questions_and_checks_in_progress_state_nothing():
    from assistant.discretion.prior import stated_only

    facts = "交给一家没资质的公司处理了，具体是哪一类源、量多少、活度多高，还在核实。"
    assert stated_only(facts) == "交给一家没资质的公司处理了，"


def test_a_group_with_a_first_violation_row_counts_earlier_ones_only():
    from assistant.discretion.groups import _has_first_row

    def tiers(*priors):
        return SimpleNamespace(tiers=[SimpleNamespace(chunk=SimpleNamespace(record=SimpleNamespace(
            circumstance=p, prior_violation=""))) for p in priors])

    assert _has_first_row(tiers("近二年无同类违法行为", "近二年有1次同类违法行为", "近二年有2次以上同类违法行为"))
    assert not _has_first_row(tiers("近二年同类违法行为情况：1次", "近二年同类违法行为情况：2次以上"))
