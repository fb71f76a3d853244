"""A 不予处罚 item near the facts in meaning through officers' sayings of its act passes the meaning gate (the tiers'
gates read the tables' own texts only); and an item brings no tier group of the same act with it as a twin
(dev6 d6-014, dev7 d7-035 found; officer dev o112, «泥头车没盖篷布», would otherwise get the 贮存 tiers' ranges)."""

import pytest

from assistant.discretion import matching
from assistant.discretion.facts import bigrams
from assistant.discretion.matching import ViolationMatcher
from tests.fakes import FakeGroup as _Group, HashingEmbedder

ACT = "贮存工业固体废物未采取符合国家环境保护标准的防护措施"
OTHERS = ["未按照规定设置危险废物识别标志", "将危险废物混入非危险废物中贮存", "未经批准擅自转移危险废物",
          "在饮用水水源一级保护区内垂钓", "未密闭运输砂石、渣土等易产生扬尘的物料", "拒绝、阻挠监督检查"]
FACTS = "厂区空地上堆着一般工业固废，没棚没围挡，头一回，期限内改好了"


@pytest.fixture()
def matcher() -> ViolationMatcher:
    groups = [_Group(ACT, bigrams(ACT), no_penalty=True), _Group(ACT + "的", bigrams(ACT + "的"))]
    return ViolationMatcher(groups + [_Group(v, bigrams(v)) for v in OTHERS], embedder=HashingEmbedder())


def test_an_item_and_the_tiers_of_its_act_are_both_candidates_when_both_pass(matcher):
    assert [(c.group.violation, c.group.no_penalty) for c in matcher.rank(FACTS)][:2] == [(ACT, True), (ACT + "的", False)]


def test_an_item_brings_no_tiers_as_a_twin(matcher, monkeypatch):
    monkeypatch.setattr(matching, "MEANING_DEPTH", 1)  # only the item is near enough in meaning
    found = [(c.group.violation, c.group.no_penalty) for c in matcher.rank(FACTS)]
    assert (ACT, True) in found and (ACT + "的", False) not in found
