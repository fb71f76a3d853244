"""Refusing an inspection is an act of every environmental law; the law of what was inspected decides the row
(2026-12-04: dev5 d5-030 «探伤公司…查辐射安全…锁门不让进» got the 大气 law's row; dev12 d12-014 «查污水排放口…拖了四十
分钟» got no 江门 row at all). A row for a party that kept on after a warning needs the warning stated. Rows written
here in the tables' shape, not copied."""

from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from assistant.discretion.advisor import _one_row
from assistant.discretion.facts import value_scores
from assistant.discretion.inspection import inspected_medium_first, is_obstruction, same_inspection
from assistant.discretion.spoken import errand_dropped, obstructed


@dataclass
class Row:
    violation: str
    law: str
    doc: str = "省表"
    tiers: list = field(default_factory=list)
    no_penalty: bool = False

    def __post_init__(self):
        record = SimpleNamespace(penalty_basis=f"《{self.law}》第八十一条", violated_provision="", category="")
        self.tiers = [SimpleNamespace(chunk=SimpleNamespace(record=record), conds=[])]

    @property
    def key(self):
        return (self.doc, self.violation)


AIR = Row("以拒绝进入现场等方式拒不接受生态环境主管部门的监督检查，或者在接受监督检查时弄虚作假", "中华人民共和国大气污染防治法")
WATER = Row("以拖延、围堵、滞留执法人员等方式拒绝、阻挠监督检查，或者在接受监督检查时弄虚作假的", "中华人民共和国水污染防治法")
RAYS = Row("拒绝环境保护行政主管部门进行现场检查，或者被检查时不如实反映情况的", "中华人民共和国放射性污染防治法", doc="市表")
CITY_WATER = Row("拒绝现场检查或者在接受检查时弄虚作假", "中华人民共和国水污染防治法", doc="市表")
OTHER = Row("未按照规定设置大气污染物排放口", "中华人民共和国大气污染防治法")


def test_obstruction_acts_are_recognised():
    assert all(is_obstruction(r.violation) for r in (AIR, WATER, RAYS, CITY_WATER))
    assert not is_obstruction(OTHER.violation)
    assert same_inspection(WATER, CITY_WATER) and not same_inspection(WATER, AIR)


def test_the_law_of_what_was_inspected_comes_first_in_every_table():
    ranked = [(0.7, 0.5, AIR), (0.6, 0.3, WATER), (0.5, 0.2, OTHER)]
    out = inspected_medium_first(ranked, "查污水排放口时门卫拖了四十分钟才开门", [AIR, WATER, RAYS, CITY_WATER])
    assert [g for _, _, g in out][:3] == [WATER, CITY_WATER, AIR]  # the city table's row joins, unranked before
    assert out[0][0] > out[1][0] > 0.7
    out = inspected_medium_first(ranked, "探伤公司锁门不让查辐射安全", [AIR, WATER, RAYS, CITY_WATER])
    assert out[0][2] is RAYS


def test_nothing_moves_when_the_act_is_another_or_no_single_medium_is_named():
    ranked = [(0.7, 0.5, OTHER), (0.6, 0.3, WATER)]
    assert inspected_medium_first(ranked, "查污水时拖了四十分钟", [WATER, CITY_WATER]) == ranked
    ranked = [(0.7, 0.5, AIR), (0.6, 0.3, WATER)]
    assert inspected_medium_first(ranked, "门卫拖了四十分钟才开门", [WATER, CITY_WATER]) == ranked
    assert inspected_medium_first(ranked, "查废水和废气，门卫拖着不开门", [WATER, CITY_WATER]) == ranked


def _tier(circumstance: str, range_text: str):
    return SimpleNamespace(chunk=SimpleNamespace(record=SimpleNamespace(circumstance=circumstance, range_text=range_text)))


def test_a_row_the_table_repeats_is_one_row():
    same = [_tier("2：以拖延等方式阻挠现场检查的超过30分钟的", "处五万元以上十万元以下罚款"),
            _tier("11：以拖延等方式阻挠现场检查超过30分钟的", "处五万元以上十万元以下罚款")]
    assert _one_row(same) and _one_row(same[:1])
    assert not _one_row(same + [_tier("3：以围堵方式阻挠现场检查的", "处十五万元以上二十万元以下罚款")])


def test_a_warned_row_needs_the_warning_stated():
    values = ["以拖延等方式拒绝、阻挠现场检查超过30分钟的", "经提醒不改正，2次以上以拖延等方式拒绝、阻挠现场检查的"]
    scores = value_scores(values, "门卫推说老板不在，拖了四十分钟才开门")
    assert scores[values[1]] < -5
    scores = value_scores(values, "门口反复提醒，还是两次三番拖着不开门")
    assert scores[values[1]] > -5
    for said in ("没有人提醒过他，拖了四十分钟才开门", "已告知当事人陈述申辩权利，拖了四十分钟才开门",
                 "检查催化燃烧设施时拖了四十分钟才开门"):  # denied, procedure, a word inside another
        assert value_scores(values, said)[values[1]] < -5


def test_an_obstruction_told_brings_the_rows_of_what_was_inspected_though_none_was_ranked():
    ranked = [(0.6, 0.4, OTHER)]
    out = inspected_medium_first(ranked, "查排气筒时门卫锁门不让进", [AIR, WATER], obstructed=True)
    assert [g for _, _, g in out] == [AIR, OTHER]


@pytest.mark.parametrize("facts, told", [
    ("门卫说老板不在要等，硬是拖了四十来分钟才让我们进去", True),
    ("老板把大门锁了不让我们进", True),
    ("拿出一套补编的记录来应付", True),
    ("责令整改后一直拖着没改", False),  # holding up the correction is no obstruction of the inspection
    ("拖了三个月才交报告", False),
    ("责令限期整改，拖了三个月才开始整改", False),
    ("危废暂存间没有锁门", False),  # a door left unlocked
    ("当事人积极配合，未拒绝检查", False),
])
def test_an_obstructed_inspection_is_told(facts, told):
    assert obstructed(facts) is told


def test_the_officers_errand_is_no_act_when_the_inspection_was_obstructed():
    said = "去一家土壤污染重点监管企业查隐患排查情况，门卫说老板不在，拖了四十来分钟才让我们进去。"
    assert errand_dropped(said) == "去一家土壤污染重点监管企业，门卫说老板不在，拖了四十来分钟才让我们进去。"
    said = "去一个自然保护区检查，管理局拿出的巡护记录是临时补写的，编出来应付检查的。"
    assert errand_dropped(said).startswith("去一个自然保护区，")  # the place stays
    said = "我们去查排口，发现没装在线监测"  # nothing obstructed: the errand names the act's object
    assert errand_dropped(said) == said


def test_an_obstruction_that_is_the_best_acts_cooperation_circumstance_comes_after_it():
    from assistant.discretion.facts import Condition
    duty = Row("对使用后的医疗废物运送车辆未在指定地点及时进行消毒和清洁，逾期未改正", "医疗废物管理条例")
    duty.tiers[0].conds = [Condition("配合调查情况", "不配合调查")]
    out = inspected_medium_first([(0.9, 0.3, duty)], "复查时负责人拖着不开门，要消毒记录也不给，废水直排", [WATER],
                                 obstructed=True)
    assert [g for _, _, g in out] == [duty, WATER] and out[0][0] > out[1][0]


def test_another_act_told_with_an_obstruction_stays_among_the_first_two():
    ranked = [(0.8, 0.5, OTHER), (0.7, 0.3, AIR)]
    out = inspected_medium_first(ranked, "检查排气筒时老板锁门不让进，排放口也没按规定设", [AIR, WATER], obstructed=True)
    assert [g for _, _, g in out][:2] == [AIR, OTHER]
    assert [s for s, _, _ in out] == sorted((s for s, _, _ in out), reverse=True)
