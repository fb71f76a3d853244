"""An act of a party without a permit is not the act of one whose own permit the facts cite (dev9 d9-016: «含镍废水
不走排污证上定的总排口» got 「未依法取得排污许可证排放水污染物」 rows before 「排放去向不符合排污许可证规定」)."""

import pytest

from assistant.discretion.facts import bigrams
from assistant.discretion.matching import ViolationMatcher
from assistant.discretion.scope import permit_held
from tests.fakes import FakeGroup as _Group, HashingEmbedder

WITHOUT = "未依法取得排污许可证排放水污染物"
ROUTE = "污染物排放方式或者排放去向不符合排污许可证规定"


@pytest.mark.parametrize("facts, held", [
    ("含镍废水不走排污证上定的总排口，接到雨水管排出去", True),
    ("排污证要求每季度测废水COD，一次也没测", True),
    ("排污许可证核定的排放量超了", True),
    ("没办排污证就排污，排污证上也没写", False),  # the facts say it lacks one
    ("没有排污许可证，排污许可证规定的那些都没做", False),
    ("厂里排污证过期了，还按证上规定的排", False),  # a lapsed permit is none
    ("半夜偷排废水", False),  # nothing said of a permit
    # a review's break cases: a permit lapsed, revoked, never applied for, not yet granted
    ("排污许可证有效期届满后没申请延续，还照着排污许可证核定的量在排", False),
    ("排污许可证去年被撤销了，还按排污证上定的排口排", False),
    ("厂里一直没去办排污证，也不清楚排污证要求什么", False),
    ("排污许可证还没办下来就投产了，按排污许可证要求应该装在线监测", False),
])
def test_a_permit_the_facts_cite_is_held(facts, held):
    assert permit_held(WITHOUT, facts) is held


def test_another_partys_permit_or_a_row_that_covers_the_own_permit_decides_nothing():
    assert not permit_held("将危险废物提供或者委托给无经营许可证的单位从事收集、贮存、利用、处置的经营活动",
                           "那家公司经营许可证上核定的类别里没有HW34")
    assert not permit_held("无经营许可证或者不按照经营许可证规定从事收集、贮存、利用、处置危险废物经营活动的",
                           "超出经营许可证核定的类别收了废矿物油")


def test_another_kind_of_permit_or_none_named_decides_nothing():
    assert not permit_held("无许可证从事收集、贮存、利用、处置危险废物经营活动", "排污证上写的排口没按要求设")
    assert not permit_held(ROUTE, "不走排污证上定的总排口")  # the violation lacks no permit


def test_the_without_permit_act_is_no_candidate_when_the_permit_is_cited():
    matcher = ViolationMatcher([_Group(v, bigrams(v)) for v in (WITHOUT, ROUTE)], embedder=HashingEmbedder())
    facts = "电镀厂的含镍废水不走排污许可证上定的排放口，排污去向改成雨水管"
    assert WITHOUT not in [c.group.violation for c in matcher.rank(facts)]
    assert WITHOUT in [c.group.violation for c in matcher.rank("电镀厂没有排污许可证，含镍废水排进雨水管")]
