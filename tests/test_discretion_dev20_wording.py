"""What the twentieth blind set (dev20, 2026-12-05) showed once read: a softened negator («不太配合») read as
cooperation, a value whose clause opens with 未 taken as denied by the facts' own 没, a clause that asks («出了
事故怎么应急») voting as if it stated, and «没有方案». Also the short names of a retired source, now spelt out by
one reader instead of ten term lines."""

from __future__ import annotations

import pytest

from assistant.discretion.clauses import agreement
from assistant.discretion.conduct import cooperated
from assistant.discretion.structure import class_mentions, spell_out_sources
from assistant.discretion.tiers import stated_value
from assistant.discretion.wording import _denied, _negated_at

PLAN_ACT = "不按照规定制定水污染事故的应急方案"
PLAN_ROWS = ["已制定水污染事故的应急方案，但不符合规定", "未制定水污染事故的应急方案"]
TOXIC_ACT = "未按照规定对有毒有害水污染物的排污口和周边环境进行监测，或者未公开有毒有害水污染物信息"
TOXIC_ROWS = ["未按照规定对有毒有害水污染物的排污口和周边环境进行监测", "未公开有毒有害水污染物信息"]


@pytest.mark.parametrize("said", ["调记录时院方一直说找不到，不太配合。", "问话不怎么配合", "整个过程不是很配合"])
def test_a_softened_negator_is_no_cooperation(said):
    assert cooperated(said) is False
    assert stated_value(["配合调查", "不配合调查"], said) == "不配合调查"


def test_softeners_negate_only_right_before_the_word():
    assert _negated_at("不太配合", 2) and not _negated_at("太配合", 1) and _negated_at("不配合", 1)
    assert cooperated("调资料、问话都很配合") is True  # «很配合» is no softened negator


def test_a_row_whose_clause_opens_with_a_negator_agrees_with_a_denial_in_the_facts():
    said = "一家电镀企业，废水里的镍是名录上管控的有毒有害物质，排口和周边的监测一直没做。"
    assert not _denied(TOXIC_ROWS[0], "排污口 未排污口", {"排污", "污口"})  # «未…进行监测» reaches 排污口
    assert _denied("特殊或重大活动期间", "没有重大活动", {"重大", "活动"})  # a row stating a thing stays denied
    assert stated_value(TOXIC_ROWS, said, act=TOXIC_ACT) == TOXIC_ROWS[0]
    assert stated_value(TOXIC_ROWS, "排口监测倒是按要求做了，数据一直没对外公开", act=TOXIC_ACT) == TOXIC_ROWS[1]


def test_a_clause_that_asks_states_nothing():
    said = "一家印染厂，出了水污染事故怎么应急，厂里压根没有方案。"
    assert agreement(PLAN_ROWS[0], "出了水污染事故怎么应急", PLAN_ACT) == 0.0
    assert stated_value(PLAN_ROWS, said, act=PLAN_ACT) == PLAN_ROWS[1]
    assert stated_value(PLAN_ROWS, "水污染事故的应急方案编了，但内容是抄别人的，不符合规定", act=PLAN_ACT) == PLAN_ROWS[0]


@pytest.mark.parametrize("said, spelt", [
    ("报废了一枚三类源，一直放着", "报废了一枚三类废旧放射源，一直放着"),
    ("医院有枚四类废源锁在柜子里", "医院有枚四类废旧放射源锁在柜子里"),
    ("二类废旧源没送去收贮", "二类废旧放射源没送去收贮"),
    ("那枚三类源已经报废了", "那枚三类废旧放射源已经报废了"),
])
def test_retired_sources_are_spelt_out(said, spelt):
    assert spell_out_sources(said) == spelt
    assert class_mentions(spelt) == class_mentions(said)


@pytest.mark.parametrize("said", ["医院的二类源还在用", "报废电器这类源头没管住", "三类源在用，报废的是旧的探头",
                                  "几类源都有"])
def test_sources_in_use_keep_their_short_name(said):
    assert spell_out_sources(said) == said
