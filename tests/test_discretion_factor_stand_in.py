"""Which ranged group stands in front of a factor table's weight rows (#20, twins.ranged_stand_in): the same act
in the other table's words before a merely similar act of the current table."""

from __future__ import annotations

from types import SimpleNamespace

from assistant.discretion.groups import Group, Tier
from assistant.discretion.twins import ranged_stand_in

FACTOR = "未按照规定安装水污染物排放自动监测设备，未按照规定与环境保护主管部门的监控设备联网，或者未保证监测设备正常运行"
TWIN_ACT = "未按照规定安装水污染物排放自动监测设备，未按照规定与环境保护主管部门的监控设备联网，或者未保证监测设备正常运行的"
SIMILAR = "未按照排污许可证规定安装、使用水污染物排放自动监测设备，未按照规定与环境保护主管部门的监控设备联网"


def _group(title: str, violation: str, range_text: str) -> Group:
    doc = SimpleNamespace(id=title, title=title, region="广东")
    tier = Tier(chunk=SimpleNamespace(record=SimpleNamespace(range_text=range_text)), doc=doc, conds=[])
    return Group(key=(title, violation), doc=doc, violation=violation, tiers=[tier])


def test_the_factor_tables_twin_stands_in_before_a_similar_act():
    factor = (0.67, 0.5, _group("广东表", FACTOR, "裁量权重：0%"))
    similar = (0.62, 0.5, _group("广东表", SIMILAR, "12万元以上15万元以下"))
    own = (0.77, 0.5, _group("江门表", TWIN_ACT, "处五万元以上十五万元以下罚款"))
    assert factor[2].weighted and not similar[2].weighted
    assert ranged_stand_in([factor, similar, own], lapsed=[own]) is own
    assert ranged_stand_in([factor, similar], lapsed=[own]) is similar  # no twin among the picked: nearly the act
    assert ranged_stand_in([factor], lapsed=[own]) is own  # … and none: the place's own row of the act, not picked
    assert ranged_stand_in([factor], lapsed=[]) is None


WASTE = "擅自倾倒、堆放、丢弃、遗撒工业固体废物，或者未采取相应防范措施，造成工业固体废物扬散、流失、渗漏或者其他环境污染"
PART = "未采取相应防范措施，造成工业固体废物扬散、流失、渗漏或者造成其他环境污染的"
DUST = "对不能密闭的易产生扬尘的物料，未设置不低于堆放物高度的严密围挡，或者未采取有效覆盖措施防治扬尘污染的"


def test_the_place_s_row_of_one_act_a_factor_row_joins_stands_in_before_a_similar_act():
    # dev3 d3-037: 江门's 扬尘 row (lapsed, picked) stood before 广东's 固体废物 factor rows; 江门's own row of the
    # 防范措施 act, which the factor row joins with 擅自倾倒, is the one
    factor = (0.675, 0.1, _group("广东表", WASTE, "裁量权重：0%"))
    dust = (0.33, 0.4, _group("江门表", DUST, "处二万元以上四万元以下罚款"))
    part = (0.48, 0.1, _group("江门表", PART, "处三万元以上五万元以下的罚款"))
    assert ranged_stand_in([factor, dust], lapsed=[part, dust]) is part
    assert ranged_stand_in([factor, dust], lapsed=[dust]) is dust  # no row of the act: the best
