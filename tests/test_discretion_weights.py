"""Factor-weight tables (裁量权重, #20): the fine their 备注 formula gives for the facts — 裁量起点 plus each factor's
weight, times the base — as a range while factors are open. Rows and notes are worded as in the 广东 罚款金额裁量表
(粤环发〔2021〕7号附件1); the synthetic table is tests/builders.py's §1.1 block."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.discretion.advisor import DiscretionAdvisor
from assistant.discretion.facts import choose_value
from assistant.discretion.quantities import quantities
from assistant.discretion.weights import FactorRow, compute, formula_options, start_options, weight_of
from corpus.sqlite_store import SQLiteStore

TWO_CASES = ("1.本表的裁量计算方法如下：（1）限期内改正的罚款金额=限期内改正的裁量百分值总和×20万；"
             "（2）逾期未改正的罚款金额=逾期未改正的裁量百分值总和×100万。")


def test_weights_starts_and_formulas_are_read():
    assert weight_of("裁量权重：5%") == 5.0 and weight_of("1万元以上3万元以下") is None
    assert [(o.label, o.value) for o in start_options("限期内改正 25%；逾期未改正 20%")] == [
        ("限期内改正", 25.0), ("逾期未改正", 20.0)]
    assert [(o.label, o.value) for o in formula_options(TWO_CASES)] == [("限期内改正", ["20万"]),
                                                                        ("逾期未改正", ["100万"])]
    assert formula_options("罚款金额＝裁量百分值总和×建设项目总投资额×5%。")[0].value == ["建设项目总投资额", "5%"]


def _rows(facts: str) -> list[FactorRow]:
    table = {"项目环评文件类别": [("报告表类", 0), ("报告书类", 5)],
             "违法程度": [("未落实防治环境污染和生态破坏的措施以及环境保护设施投资概算", 3),
                      ("未将环境保护设施建设纳入施工合同", 6), ("未依法开展环境影响后评价", 12)],
             "配合调查情况": [("配合调查", 0), ("不配合调查", 5)]}
    out = []
    for factor, values in table.items():
        picked = choose_value([v for v, _ in values], facts)
        out += [FactorRow(factor, v, w, said=v == picked, ruled_out=picked is not None and v != picked)
                for v, w in values]
    return out


@pytest.mark.parametrize("facts, percent, yuan", [
    ("报告书类项目，未依法开展环境影响后评价，逾期未改正，配合调查", (37, 37), (370000, 370000)),   # 20+5+12+0 × 100万
    ("报告书类项目，未依法开展环境影响后评价，限期内改正了，配合调查", (42, 42), (84000, 84000)),  # 25+5+12+0 × 20万
    ("报告书类项目，未依法开展环境影响后评价，配合调查", (37, 42), (84000, 370000)),               # 整改 not said
])
def test_the_fine_follows_the_facts(facts, percent, yuan):
    got = compute(_rows(facts), "限期内改正 25%；逾期未改正 20%", TWO_CASES, facts, quantities(facts), choose_value)
    assert got.percent == percent and got.yuan == yuan and got.open_factors == []


def test_an_open_factor_widens_the_range_and_is_named():
    facts = "报告书类项目，未依法开展环境影响后评价，逾期未改正"  # 配合调查 not said
    got = compute(_rows(facts), "限期内改正 25%；逾期未改正 20%", TWO_CASES, facts, quantities(facts), choose_value)
    assert got.percent == (37, 42) and got.yuan == (370000, 420000) and got.open_factors == ["配合调查情况"]


def test_a_base_the_facts_do_not_state_is_asked_for():
    rows = [FactorRow("建设项目地点", "一般区域", 0, True, False)]
    note = "罚款金额＝裁量百分值总和×建设项目总投资额×5%。"
    got = compute(rows, "20%", note, "一般区域", {}, choose_value)
    assert got.yuan is None and got.needs == ["建设项目总投资额"]
    stated = compute(rows, "20%", note, "一般区域，总投资2000万元", quantities("总投资2000万元"), choose_value)
    assert stated.yuan == (200000, 200000)  # 20% × 20,000,000 × 5%


def test_wan_before_yuan_is_one_sum():
    assert quantities("项目总投资2000万元")["yuan"] == 20_000_000
    assert quantities("总投资2000万")["yuan:投资"] == 20_000_000


def test_the_advisor_gives_the_fine_of_the_synthetic_weighted_table(discretion_data: Path):
    advisor = DiscretionAdvisor(SQLiteStore(discretion_data / "corpus.db"))
    advice = advisor.advise("建设单位未批先建，擅自开工建设，环评应报批报告书类，在一般区域，第一次被查，项目总投资500万元",
                            region="广东")
    fine = next(f for f in advice.fines if "擅自开工建设" in f.violation)
    assert (fine.percent_min, fine.percent_max) == (25, 25)  # 20% + 报告书类 5% + 一般区域 0% + 1次 0%
    assert (fine.yuan_min, fine.yuan_max) == (62500, 62500)  # 25% × 5,000,000 × 5%
    assert "62,500 元" in fine.shown


@pytest.mark.parametrize("value, others, facts, said", [
    ("配合调查", ["不配合调查"], "首次，配合调查", True),
    ("配合调查", ["不配合调查"], "首次，不配合调查", False),
    ("不配合调查", ["配合调查"], "首次，不配合调查", True),
    ("基础建设阶段", ["设备安装阶段", "投入生产/使用阶段"], "未批先建，擅自开工建设", False),  # the act's own word
    ("饮用水水源保护区、生态保护红线区域内", ["一般区域", "限批区或环境敏感区（除饮用水水源保护区、生态保护红线区域内）"],
     "在饮用水水源保护区内未批先建", False),  # its words recur in the exception: the factor stays open
])
def test_a_text_value_counts_only_when_the_facts_set_it_apart(value, others, facts, said):
    from assistant.discretion.weights import said_apart

    act = "建设单位未依法报批建设项目环境影响报告书、报告表，擅自开工建设"
    assert said_apart(value, others, facts, act) is said


@pytest.mark.parametrize("facts, yuan", [("总投资额为2,000万元", 20_000_000), ("总投资1.5亿元", 150_000_000),
                                         ("总投资3千万", 30_000_000), ("货值12,500元", 12_500)])
def test_large_sums_and_separators(facts, yuan):
    assert quantities(facts)["yuan"] == yuan


def test_a_nil_base_is_asked_for_and_the_start_is_shown():
    rows = [FactorRow("建设项目地点", "一般区域", 0, True, False), FactorRow("建设情况", "设备安装阶段", 5, True, False)]
    note = "罚款金额＝裁量百分值总和×建设项目总投资额×5%。"
    nil = compute(rows, "20%", note, "总投资0元", {"yuan": 0.0, "yuan:投资": 0.0}, choose_value)
    assert nil.yuan is None and nil.needs == ["建设项目总投资额"]
    got = compute(rows, "20%", note, "总投资500万元", quantities("总投资500万元"), choose_value)
    assert got.start == (20, 20) and got.percent == (25, 25)
