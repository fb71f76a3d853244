"""A violation named by its own words (#20 break test): «某厂乱倒危废三吨» named 「擅自倾倒、堆放危险废物」, the encoder's first
row, yet the group's many 情节 made it long and BM25's length normalisation put it under the word floor. The
violation's own words pass the floors for the encoder's first rows when the facts hold enough of them; a chance
word («机动车道» ↔ «机动车») does not."""

from __future__ import annotations

import pytest

from assistant.discretion import matching
from assistant.discretion.facts import bigrams
from assistant.discretion.matching import ViolationMatcher
from tests.fakes import FakeGroup as _Group, HashingEmbedder


LONG = "擅自倾倒、堆放危险废物"
CIRCUMSTANCES = ["涉及量：1吨以下", "涉及量：1吨以上3吨以下", "涉及量：3吨以上10吨以下", "涉及量：10吨以上",
                 "倾倒、堆放地点：一般区域", "倾倒、堆放地点：饮用水水源保护区、自然保护区、生态保护红线区域内",
                 "危害后果：未造成环境污染", "危害后果：已造成环境污染，但已消除", "危害后果：造成环境污染且未消除",
                 "近二年同类违法行为情况（含本次）：1次", "近二年同类违法行为情况（含本次）：2次以上",
                 "配合执法调查情况：配合调查", "配合执法调查情况：不配合调查"]
OTHERS = ["未按照规定设置危险废物识别标志", "将危险废物混入非危险废物中贮存", "未按照国家有关规定填写危险废物转移联单",
          "无许可证从事收集、贮存、利用、处置危险废物经营活动", "未经批准擅自转移危险废物", "生产超过污染物排放标准的机动车、非道路移动机械",
          "伪造机动车排放检验结果", "在饮用水水源一级保护区内垂钓", "未密闭运输砂石、渣土等易产生扬尘的物料",
          "建设单位未依法报批建设项目环境影响报告书、报告表，擅自开工建设", "拒绝、阻挠监督检查", "未按照规定设置排污口",
          "超过大气污染物排放标准排放大气污染物", "露天焚烧沥青、油毡、橡胶、塑料、皮革、垃圾", "未按照规定安装、使用污染物排放自动监测设备",
          "在人口集中地区焚烧秸秆", "船舶向水体倾倒船舶垃圾", "未采取措施防止排放恶臭气体"]


@pytest.fixture(scope="module")
def matcher() -> ViolationMatcher:
    groups = [_Group(LONG, bigrams(" ".join([LONG, *CIRCUMSTANCES])))] + [_Group(v, bigrams(v)) for v in OTHERS]
    return ViolationMatcher(groups, embedder=HashingEmbedder())


def test_the_violations_own_words_name_it(matcher, monkeypatch):
    assert [c.group.violation for c in matcher.rank("某厂乱倒危废三吨")][:1] == [LONG]
    monkeypatch.setattr(matching, "VIOLATION_NEAR", 0)  # without the rule: under the floor, no candidate
    assert LONG not in [c.group.violation for c in matcher.rank("某厂乱倒危废三吨")]


def test_a_chance_word_adds_no_candidate(matcher, monkeypatch):
    facts = "几个水果摊把摊子摆到人行道和机动车道上占道经营，下班高峰堵得厉害"
    said = set().union(*matching._clause_bigrams(facts))
    vehicle = next(i for i, g in enumerate(matcher.groups) if g.violation.startswith("生产超过"))
    assert matcher._held_share(vehicle, said) < matching.OWN_SHARE  # «机动车» is 2 of its 20 bigrams
    with_rule = [c.group.violation for c in matcher.rank(facts)]
    monkeypatch.setattr(matching, "VIOLATION_NEAR", 0)
    assert with_rule == [c.group.violation for c in matcher.rank(facts)]


def test_a_consequence_that_did_not_follow_names_no_act():
    # a break test: «小餐馆首次违法，没有造成危害后果» got a 土壤 row whose 情节 is 「……造成有毒有害物质渗漏……危害后果的」
    soil = "土壤污染重点监管单位未建立土壤污染隐患排查制度"
    harm = ["不涉及环境敏感区，造成有毒有害物质渗漏、流失、扬散等危害后果的", "未造成危害后果的"]
    groups = [_Group(soil, bigrams(" ".join([soil, *harm])))] + [_Group(v, bigrams(v)) for v in OTHERS]
    matcher = ViolationMatcher(groups, embedder=HashingEmbedder())
    for facts in ("小餐馆首次违法，没有造成危害后果", "小餐馆首次违法，当场改正，未造成什么不良影响"):
        assert [c.group.violation for c in matcher.rank(facts)] == [], facts
    assert [c.group.violation for c in matcher.rank("重点监管单位一直没建立土壤污染隐患排查制度，没有造成危害后果")][:1] == [soil]


def test_a_row_that_denies_the_hazard_stays_open_when_no_hazard_is_named():
    from assistant.discretion.facts import value_scores

    values = ["不涉及一类污染物、重金属、有毒、持久性有机污染物，有超标情形的", "涉及一类污染物、重金属、有毒、持久性有机污染物的",
              "两年内第2次的"]
    scores = value_scores(values, "企业私设暗管偷排废水，超标3倍")
    assert scores[values[1]] < -5 < scores[values[0]]  # the hazard row closed, the plain row not
    assert value_scores(values, "私设暗管偷排含铬废水，超标3倍")[values[1]] > -5  # a hazard named opens it


def test_a_named_hazard_chooses_the_a_class_row():
    # dev9 d9-016: «含镍废水» is an A类 pollutant (广东 裁量权规定 第十八条: 铊锑镍铜锌钒锰钴 are A类水污染物)
    from assistant.discretion.facts import choose_value, value_scores

    values = ["排放污染物种类：A类污染物", "排放污染物种类：B类污染物"]
    assert choose_value(values, "电镀厂含镍废水不走排污证上定的总排口") == values[0]
    assert choose_value(values, "电镀厂的废水不走排污证上定的总排口") is None  # none named: A类 / B类 stay open
    scores = value_scores(values, "废水里没有重金属和一类污染物")
    assert scores[values[0]] <= scores[values[1]]  # named only as absent: no lift for A类
