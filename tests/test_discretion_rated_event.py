"""An event grade stated as determined («事故等级核定为较大级», dev14 d14-005 and d14-023, 2026-12-04): the grade is
read, and the act it tells — the consequence the tables name «造成……事故» — is matched although the facts never
write those words (the advisor had returned no row at all). The phrases are written for these tests."""

from types import SimpleNamespace

import pytest

from assistant.discretion.facts import bigrams
from assistant.discretion.matching import ViolationMatcher
from assistant.discretion.spoken import event_grades, rated_consequence
from tests.fakes import FakeGroup, HashingEmbedder


@pytest.mark.parametrize("text, grades", [
    ("最后事故等级核定为较大级。", {"较大"}),
    ("事件等级定为一般", {"一般"}),
    ("事件等级最多算一般", {"一般"}),
    ("事故级别认定为重大", {"重大"}),
    ("事件等级待认定", set()),
    ("事故等级没有定为较大", set()),
    ("事故等级是否达到较大还要等核定", set()),  # open, a guess, a rule, another kind of accident
    ("事件等级可能是较大", set()),
    ("事故等级一般由政府核定", set()),
    ("生产安全事故等级核定为一般", set()),
])
def test_a_rated_grade_is_read(text, grades):
    assert event_grades(text) == grades


def test_the_rated_clause_gets_the_consequence_words_and_no_other_clause_does():
    out = rated_consequence("仓库着火，黑烟飘出去。事件等级核定为较大级。")
    assert out.startswith("仓库着火，黑烟飘出去。") and "造成突发环境事件" in out.split("。")[1]
    assert "辐射事故" not in out
    assert "辐射事故" in rated_consequence("探伤机的源卡住了，几个人受了照射，事故等级核定为一般级")
    said = "造成较大突发环境事件，事件等级核定为较大级"  # the cause is said already: nothing added
    assert rated_consequence(said) == said
    assert rated_consequence("事件等级待认定") == "事件等级待认定"


def _group(violation: str, law: str) -> FakeGroup:
    record = SimpleNamespace(penalty_basis=f"《{law}》第九十九条", violated_provision="", category="", circumstance="",
                             range_text="")
    return FakeGroup(violation, bigrams(violation), tiers=[SimpleNamespace(chunk=SimpleNamespace(id=violation,
                                                                                                  record=record))])


def test_a_rated_accident_finds_the_consequence_row_of_its_medium():
    groups = [_group("造成大气污染事故的", "中华人民共和国大气污染防治法"),
              _group("违反放射性同位素与射线装置安全和防护规定，造成辐射事故", "放射性同位素与射线装置安全和防护条例"),
              _group("在人口集中地区焚烧沥青、油毡、橡胶、塑料、皮革、垃圾", "中华人民共和国大气污染防治法"),
              _group("未按规定对辐射工作人员进行个人剂量监测", "放射性同位素与射线装置安全和防护条例")]
    matcher = ViolationMatcher(groups, embedder=HashingEmbedder())
    ranked = matcher.rank("探伤公司野外作业时源卡在导管里，几个工人受了照射，事故等级核定为较大级")
    assert ranked and ranked[0].group is groups[1]
    ranked = matcher.rank("化工厂储罐泄漏，废气飘出去，周边疏散了居民，事件等级核定为较大级")
    assert ranked and ranked[0].group is groups[0]
