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
    assert ranged_stand_in([factor, similar], lapsed=[own]) is similar  # no twin among the picked: the best
    assert ranged_stand_in([factor], lapsed=[]) is None
