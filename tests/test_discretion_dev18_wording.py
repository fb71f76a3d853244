"""What the eighteenth blind set (dev18, 2026-12-05) showed once read: an act every reader of meaning puts first
with few of the table's words («尾矿库停用了没封场»), a 放射性 act whose rows were closed because «中放废液» did not
say 放射 again, and a source's class in an officer's short name («三类废源»)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from assistant.discretion import matching, sayings
from assistant.discretion.facts import bigrams, choose_value
from assistant.discretion.matching import ViolationMatcher
from assistant.discretion.structure import class_mentions
from tests.fakes import FakeGroup, HashingEmbedder

CLOSURE = "尾矿、煤矸石、废石等矿业固体废物贮存设施停止使用后，未按照国家有关环境保护规定进行封场"
OTHERS = ["未按照规定设置排污口", "在人口集中地区焚烧秸秆", "船舶向水体倾倒船舶垃圾", "未按照规定设置危险废物识别标志"]


def _group(violation: str, chunk_id: str) -> FakeGroup:
    record = SimpleNamespace(penalty_basis="", violated_provision="", category="", circumstance="", range_text="")
    return FakeGroup(violation, bigrams(violation), tiers=[SimpleNamespace(chunk=SimpleNamespace(id=chunk_id, record=record))])


def _closure_found(monkeypatch, searched: list[str]) -> bool:
    said = {sayings.act_key(CLOSURE): ("尾矿库停用好几年了一直没封场", "矿上的尾矿库不用了也没封")}
    monkeypatch.setattr(matching, "sayings_for", lambda v: said.get(sayings.act_key(v), ()))
    for name, value in (("MEANING_DEPTH", 0), ("UNANIMOUS_DENSE", -1), ("SAYINGS_GATE_SHARE", 0),
                        ("MIN_WORDS", 100.0), ("MIN_ANY_WORDS", 100.0), ("AGREED_WORDS", 0.0)):
        monkeypatch.setattr(matching, name, value)  # every other gate shut: the words under both floors
    groups = [_group(v, f"c{i}") for i, v in enumerate([CLOSURE, *OTHERS])]
    matcher = ViolationMatcher(groups, embedder=HashingEmbedder(), search=lambda facts: searched)
    return CLOSURE in [c.group.violation for c in matcher.rank("铁矿的尾矿库三年前就停用了，到现在没封场")]


def test_every_reader_of_meaning_first_admits_an_act_with_few_of_its_words(monkeypatch):
    # dev18 d18-005: sayings, the encoder over all texts and over the table's own, and the search all put the act
    # 1st or 2nd; its words scored 0.70 units, under the first floor (0.85)
    assert _closure_found(monkeypatch, ["c0", "c1"])


def test_the_search_must_agree(monkeypatch):
    assert _closure_found(monkeypatch, ["c1", "c2", "c0"])  # the search puts it third: still agreed (dev22 d22-027)
    assert not _closure_found(monkeypatch, ["c1", "c2", "c3", "c0"])  # fourth: not
    assert not _closure_found(monkeypatch, [])


def test_the_agreement_gate_can_be_shut(monkeypatch):
    monkeypatch.setattr(matching, "AGREED_RANK", -1)
    assert not _closure_found(monkeypatch, ["c0"])


LEVELS = ["低放射性废液的", "中放射性废液的", "高放射性废液、α放射性废液的", "造成重大生态环境影响或者不良社会影响的"]
DISCHARGE = "不按照规定的方式排放放射性废液，利用渗井、渗坑、天然裂隙、溶洞或者国家禁止的其他方式排放放射性废液"


def test_a_radioactive_acts_rows_stay_open_without_the_word_again():
    facts = "一家搞同位素生产的单位，把中放废液直接倒进厂区后面挖的渗坑里"
    assert choose_value(LEVELS, facts, act=DISCHARGE) == "中放射性废液的"


def test_a_hazard_the_act_lists_as_one_alternative_is_still_to_be_named():
    # o053: 「……工业废气和有毒有害大气污染物……」 names the hazard as one of two; facts that name none are plain 工业废气
    values = ["有监测但未保存原始监测记录；排污情况：工业废气", "有监测但未保存原始监测记录；排污情况：有毒有害大气污染物"]
    act = "未按照规定对所排放的工业废气和有毒有害大气污染物进行监测并保存原始监测记录"
    assert choose_value(values, "家具厂废气有委托监测，但原始监测记录没保存", act=act) == values[0]


@pytest.mark.parametrize("said, named", [
    ("把一枚退下来的三类废源交给没证的公司", {("三", "放射源")}),
    ("仓库里有个Ⅳ类源", {("四", "放射源")}),
    ("二类废旧放射源", {("二", "放射源")}),
    ("这是三类源头管控的问题", set()),
    ("涉Ⅲ类放射源或Ⅱ类射线装置", {("三", "放射源"), ("二", "射线装置")}),
])
def test_a_sources_class_in_an_officers_short_name(said, named):
    assert class_mentions(said) == named


@pytest.mark.parametrize("band, reading", [
    ("2：500平方米≤非密闭式堆场＜1000平方米", ("m2", 500.0, math.nextafter(1000.0, -math.inf))),  # 江门 table
    ("1：非密闭式堆场＜500平方米", ("m2", float("-inf"), math.nextafter(500.0, -math.inf))),  # strict
    ("5：非密闭式堆场≥5000平方米", ("m2", 5000.0, float("inf"))),
    ("排放量>10吨", ("t", math.nextafter(10.0, math.inf), float("inf"))),
    ("面积⩾5000平方米", ("m2", 5000.0, float("inf"))),  # the slanted signs of GB texts
    ("5吨≥数量", ("t", float("-inf"), 5.0)),  # the number first, the thing after
    ("不低于5吨", ("t", 5.0, float("inf"))),  # no 低于 inside 不低于 (a review)
    ("5亩以上10亩以下", ("m2", 3333.35, 6666.7)),
])
def test_a_band_written_with_signs(band, reading):
    from assistant.discretion.quantities import quantity_range

    assert quantity_range(band) == reading


def test_a_strict_bound_leaves_the_number_out():
    from assistant.discretion.quantities import quantity_range, within

    assert not within(1000.0, quantity_range("2：500平方米≤非密闭式堆场＜1000平方米"))  # a review: 1000 m² is row 3's
    assert within(1000.0, quantity_range("3：1000平方米≤非密闭式堆场＜2000平方米"))


def test_an_act_another_table_grades_by_the_number_stated_comes_first():
    # dev18 d18-023 («露天砂石料堆大概七百平方»): 广东's 「钢铁、建材……等企业」 rows grade by the region, 江门's same
    # act by the 堆场's area; the 扬尘 act of neither table grades by an area
    from assistant.discretion.banded import banded_first
    from assistant.discretion.facts import conditions

    def group(name, *circumstances):
        return SimpleNamespace(violation=name, tiers=[SimpleNamespace(conds=conditions(c, ""), bounds="")
                                                      for c in circumstances])

    dust = group("对不能密闭的易产生扬尘的物料，未设置严密围挡", "")
    plant = group("钢铁、建材等企业，未采取密闭、围挡、遮盖措施", "建设项目所在区域：环境敏感区或限批区以外的区域")
    plant_jm = group("钢铁、建材等企业，未采取密闭、围挡、遮盖措施的", "1：非密闭式堆场＜500平方米",
                     "2：500平方米≤非密闭式堆场＜1000平方米")
    ranked = [(0.714, 0.3, dust), (0.704, 0.2, plant)]
    said, qty = "露天砂石料堆大概七百平方，没盖网也不洒水", {"m2": 700.0}
    assert banded_first(ranked, qty, said) == ranked  # neither graded by the area in its own table
    twins = {id(plant): [plant_jm]}
    moved = banded_first(ranked, qty, said, lambda g: twins.get(id(g), ()))
    assert [g for _, _, g in moved] == [plant, dust] and [s for s, _, _ in moved] == [0.714, 0.704]


@pytest.mark.parametrize("said, legal", [
    ("仓库里废切削液桶、废机油桶跟边角料堆在一块", "危险废物"),  # 《国家危险废物名录》HW09, HW08
    ("游船维修点把换下来的废机油直接倒进湖里", "油类"),  # and oil to 水污染防治法
    ("喷漆房的漆渣和废活性炭随手扔在垃圾桶", "危险废物"),  # HW12, HW49
    ("拆下来的废电瓶卖给了收破烂的", "危险废物"),  # HW31
    ("线路板厂的蚀刻废液装在塑料桶里放在露天", "危险废物"),  # HW22 / HW34
    ("垃圾焚烧厂的飞灰直接拉去填埋场", "危险废物"),  # HW18
])
def test_hazardous_wastes_by_their_names_are_hazardous_waste(said, legal):
    from assistant.discretion.facts import widened

    assert legal in widened(said)


@pytest.mark.parametrize("violation, said, unsaid", [
    ("核技术利用单位未按照规定，将其产生的废旧放射源或者其他放射性固体废物送交贮存、处置，逾期未改正",
     "稀土冶炼厂含放射性的废渣堆了四百多吨", True),  # dev18 d18-017
    ("核技术利用单位未按照规定，将其产生的废旧放射源或者其他放射性固体废物送交贮存、处置，逾期未改正",
     "探伤公司的废源一直没送去收贮", False),
    ("核设施营运单位未按照规定，将其产生的废旧放射源送交贮存、处置", "核电站的废源没送贮存", False),
    ("（一）机动车排放检验机构未根据国家和省机动车环保信息联网规范要求……", "尾气检测站数据没联网", False),
    ("（一）机动车排放检验机构未根据国家和省机动车环保信息联网规范要求……", "修车厂的车尾气冒黑烟", True),
    ("不按照规定对产生的放射性固体废物进行处置，逾期未改正", "稀土冶炼厂含放射性的废渣", False),  # no party named
])
def test_an_act_of_a_defined_party_the_facts_do_not_name(violation, said, unsaid):
    from assistant.discretion.scope import subject_unsaid

    assert subject_unsaid(violation, said) is unsaid


def test_a_party_in_a_list_or_a_source_user_is_not_unsaid():
    from assistant.discretion.scope import subject_unsaid

    listed = "核设施营运单位、核技术利用单位或者放射性固体废物贮存、处置单位未按照规定如实报告有关情况"
    assert not subject_unsaid(listed, "医院用放射源做治疗，源的转移情况没如实报")  # dev14 d14-006
    own = "核技术利用单位未按照规定，将其产生的废旧放射源或者其他放射性固体废物送交贮存、处置"
    assert not subject_unsaid(own, "医院用放射源做治疗")  # who uses a 放射源 is a 核技术利用单位 (条例 第二条)


@pytest.mark.parametrize("said, legal", [
    ("诊所把用过的针头、棉签扔进生活垃圾桶", "医疗废物"),  # 《医疗废物分类目录（2021年版）》
    ("维修空调回收的R22没登记", "消耗臭氧层物质"),  # 《中国受控消耗臭氧层物质清单》
    ("禁燃区里的小饭店还在烧蜂窝煤", "高污染燃料"),  # 《高污染燃料目录》
])
def test_things_by_the_names_of_their_official_lists(said, legal):
    from assistant.discretion.facts import widened

    assert legal in widened(said)


def test_a_band_the_facts_decide_still_asks_the_clause_that_tells_its_rows_apart():
    # dev13 d13-033 («面积测下来大概三千平方米…期限还没到，对方会不会改现在说不好»): both rows hold 3000 m², one adds
    # 「拒不改正」; nothing was asked
    from assistant.discretion.facts import conditions
    from assistant.discretion.tiers import missing_facts

    rows = ["1：涉及面积1000平方米以下的", "2：涉及面积1000平方米以上10000平方米以下的",
            "7：涉及面积1000平方米以上10000平方米以下，拒不改正的"]
    tiers = [SimpleNamespace(conds=conditions(c, ""), bounds="") for c in rows[1:]]
    asked = missing_facts(tiers, None, {"m2": 3000.0}, {})
    assert len(asked) == 1 and "拒不改正" in asked[0] and "1000平方米以下的" not in asked[0]
    one = [SimpleNamespace(conds=conditions(c, ""), bounds="") for c in rows[:2]]
    assert missing_facts(one, None, {"m2": 3000.0}, {}) == []  # the number decides between these


@pytest.mark.parametrize("said, legal", [
    ("排污证要求公开的排放数据挂在网上，跟在线监测一比是改过的假数", "不如实"),  # dev15 d15-004
    ("排污证上要求公开排放数据，平台上倒是每月都挂了", "污染物排放信息"),  # dev18 d18-009
    ("排污证要求公开的排放数据一直没挂", "污染物排放信息"),
])
def test_disclosed_data_that_is_made_up_is_disclosed_untruly(said, legal):
    from assistant.discretion.facts import widened

    assert legal in widened(said)


def test_the_band_question_is_not_asked_when_the_facts_state_the_clause_or_in_another_dimension():
    from assistant.discretion.facts import conditions
    from assistant.discretion.tiers import missing_facts

    rows = ["2：涉及面积1000平方米以上10000平方米以下的", "7：涉及面积1000平方米以上10000平方米以下，拒不改正的"]
    tiers = [SimpleNamespace(conds=conditions(c, ""), bounds="") for c in rows]
    assert missing_facts(tiers, None, {"m2": 3000.0}, {}, "面积三千平方米。责令改正后拒不改正。") == []  # a review
    money = [SimpleNamespace(conds=conditions(c, ""), bounds="") for c in ("违法所得1万元以下", "涉及面积1万平方米以下")]
    assert missing_facts(money, None, {"yuan": 5000.0}, {}) == []  # 5000 元 is no area within «1万平方米以下»


@pytest.mark.parametrize("said", ["探伤公司的二类源强检测报告没做", "这三类源都要登记", "三类源项分析"])
def test_words_with_yuan_that_name_no_source_class(said):
    assert class_mentions(said) == set()  # a review: 源强, 源项, «这三类源» (three kinds)


@pytest.mark.parametrize("violation, said", [
    ("核设施营运单位未按照规定，将其产生的废旧放射源送交贮存、处置", "某核动力厂将放射性固体废物交给无证单位"),
    ("核设施营运单位未按照规定，将其产生的废旧放射源送交贮存、处置", "乏燃料后处理厂逾期未送交处置"),
    ("核技术利用单位未按照规定，将其产生的废旧放射源送交贮存", "医院的ct机房"),
    ("核技术利用单位未按照规定，将其产生的废旧放射源送交贮存", "工地上的核子秤"),
    ("机动车排放检验机构未建立机动车排放检验档案", "环检线没建档案"),
])
def test_the_marks_the_laws_themselves_list(violation, said):
    from assistant.discretion.scope import subject_unsaid

    assert not subject_unsaid(violation, said)


@pytest.mark.parametrize("said, legal", [
    ("饭店厨房浓重油烟直排", "高污染燃料"),  # a review: 重油 inside 浓重油烟
    ("燃煤电厂的飞灰没有建立管理台账", "危险废物"),  # coal fly ash is general industrial solid waste
    ("重点排污单位上次检查后明显改过了，但这次没有公开排放信息", "不如实"),  # corrected, not falsified
    ("企业放假数天停产", "不如实"),
    ("药店过期药品随便丢弃", "医疗废物"),  # not at a medical institution
])
def test_term_lines_do_not_fire_out_of_their_sense(said, legal):
    from assistant.discretion.facts import widened

    assert legal not in widened(said)
