"""What the nineteenth blind set (dev19, 2026-12-05) showed once read: a closed row that spoiled which words every
open row shares, an act banded by another dimension than the number stated, and everyday names of a retired
source, of a boiler in use and of a 水污染 应急预案."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.discretion.facts import choose_value, conditions, normalise_classes, value_scores, widened
from assistant.discretion.structure import spell_out_sources

MONITORING = "生活垃圾处理单位未按照国家有关规定安装使用监测设备、实时监测污染物的排放情况并公开污染排放数据"
OPEN_ROWS = ["按规定安装使用监测设备、实时监测污染物排放情况，但未公开污染排放数据",
             "按规定安装使用监测设备但未实时监测污染物排放情况", "未按照国家有关规定安装使用监测设备"]
CLOSED_ROW = "造成重大生态环境影响或者不良社会影响的"
SAID = "焚烧厂烟气在线监测设备倒是按要求装了，但平时基本是关着的，只每月找人手工测一回，根本做不到实时监测。"


def test_a_closed_row_does_not_change_what_the_open_rows_share():
    # dev19 d19-007: with the 「造成重大……」 row (closed: no consequence stated) among the values, no word was common
    # to all, and «设备倒是装了» rather than «做不到实时监测» answered the row «…实时监测…»
    assert choose_value(OPEN_ROWS, widened(SAID), MONITORING) == OPEN_ROWS[1]
    assert choose_value([*OPEN_ROWS, CLOSED_ROW], widened(SAID), MONITORING) == OPEN_ROWS[1]
    scores = value_scores([*OPEN_ROWS, CLOSED_ROW], widened(SAID), MONITORING)
    assert scores[CLOSED_ROW] < 0 < scores[OPEN_ROWS[1]]


def _group(name: str, *circumstances: str) -> SimpleNamespace:
    return SimpleNamespace(violation=name, tiers=[SimpleNamespace(conds=conditions(c, ""), bounds="")
                                                  for c in circumstances])


def test_an_act_banded_in_another_dimension_does_not_speak_of_the_number():
    from assistant.discretion.banded import banded_first, speaks_of

    by_weight = _group("向农用地排放重金属含量超标的污泥", "污染量：2吨以下", "污染量：2吨以上5吨以下")
    by_area = _group("将重金属含量超标的工业固体废物用于土地复垦", "涉案面积：100平方米以下",
                     "涉案面积：100平方米以上200平方米以下")
    qty = {"m2": 150.0}
    assert not speaks_of(by_weight, qty) and speaks_of(by_area, qty)
    assert speaks_of(by_weight, {"t": 3.0})
    by_days = _group("未批先建", "违法行为持续时间：3个月以下", "违法行为持续时间：3个月以上6个月以下")
    assert not speaks_of(by_area, {"day": 30.0}) and speaks_of(by_days, {"day": 60.0})
    dated = [(0.70, 0.3, by_days), (0.62, 0.2, by_weight)]  # a review: an act banded by duration keeps its place
    assert banded_first(dated, {"t": 3.0, "day": 60.0}, "倒了3吨，干了两个月") == dated
    said = "电镀厂的污泥拉去垫复垦的地，一百五十平方左右"
    ranked = [(0.70, 0.3, by_weight), (0.62, 0.2, by_area)]  # within BANDED_SHARE of the best
    assert [g for _, _, g in banded_first(ranked, qty, said)] == [by_area, by_weight]
    far = [(0.70, 0.3, by_weight), (0.40, 0.2, by_area)]
    assert banded_first(far, qty, said) == far  # too far behind: the words decide


def _read(said: str) -> str:
    """The facts as the advisor widens them: classes normalised (Ⅲ类 → 三类), retired sources spelt out."""
    return widened(spell_out_sources(normalise_classes(said)))


@pytest.mark.parametrize("said, legal", [
    ("探伤公司手上一枚报废的Ⅲ类源一直放在库房角落", "废旧放射源"),  # 放射性同位素与射线装置安全和防护条例
    ("以前生产线上用的一枚放射源报废了，一直没送去收贮", "放射性固体废物"),  # 放射性废物安全管理条例 第二条
    ("医院有枚四类废源锁在柜子里", "废旧放射源"),
    ("那台锅炉已经开起来用了两个多月", "已投入使用"),
    ("水污染应急预案是有的，但还是五年前编的", "应急方案"),  # 水污染防治法 第七十八条
])
def test_everyday_names_widen_to_the_laws_words(said, legal):
    assert legal in _read(said)


@pytest.mark.parametrize("said, legal", [
    ("报废的电源线乱扔", "废旧放射源"),
    ("固废源头减量做得不好", "废旧放射源"),
    ("突发环境事件应急预案没备案", "应急方案"),  # not the 水污染 plan
    ("锅炉没用了，停了三个月", "已投入使用"),
    ("没做环评，厂房施工用了两个多月，现在主体建完了", "已投入使用"),  # a review: time taken is no use
    ("报废车辆分类源头管理不到位", "废旧放射源"),  # a review: «…类源头»
    ("报废电器这类源头没管住", "废旧放射源"),
])
def test_the_new_lines_stay_in_their_sense(said, legal):
    assert legal not in _read(said)
