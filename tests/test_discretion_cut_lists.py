"""A 情节 a table writes twice with its list of kinds cut short (the 江门 参照表: «……炼焦、炼油、危险废物处置和利用项目的»
for the order's range, «……炼焦、炼油项目的» after the deadline) is one value (dev14 d14-020, 2026-12-04): the facts'
support is not split between the two, and the second row is the first one's overdue stage. Rows written here in the
table's shape, not copied."""

from assistant.discretion.facts import Condition
from assistant.discretion.lists import cut_short, same_situation, unify_cut_lists
from assistant.discretion.overdue import mark_overdue

FULL = "应编制环境影响报告书项目，属于化工、电镀、印染、炼油、危险废物处置和利用项目的"
SHORT = "应编制环境影响报告书项目，属于化工、电镀、印染、炼油项目的"
OTHER = "应编制环境影响报告书项目，不属于化工、电镀、印染、炼油、危险废物处置和利用项目的"
TABLE = "应编制环境影响报告表项目"


def test_a_list_cut_short_is_the_same_value_and_a_denial_is_not():
    assert cut_short(SHORT, FULL) and not cut_short(FULL, SHORT)
    assert not cut_short(SHORT, OTHER) and not cut_short(FULL, OTHER)
    assert not cut_short("属于化工", "属于化工、电镀")  # too short to be a 情节 of its own
    assert same_situation(FULL, SHORT) and not same_situation(TABLE, FULL)


def test_rows_are_unified_and_the_cut_row_is_the_overdue_stage():
    rows = [(TABLE, "责令限期改正，处五万元以上七万元以下罚款"), (OTHER, "责令限期改正，处七万元以上十万元以下罚款"),
            (FULL, "责令限期改正，处十万元以上十五万元以下罚款"), (TABLE, "处二十万元以上三十万元以下罚款"),
            (OTHER, "处三十万元以上四十万元以下罚款"), (SHORT, "处四十万元以上六十万元以下罚款")]
    conds = [[Condition("违法情节", c)] for c, _ in rows]
    assert unify_cut_lists(conds) == 1
    assert conds[5] == [Condition("违法情节", FULL)] and conds[4] == [Condition("违法情节", OTHER)]
    marked = mark_overdue([(c, f"{i + 1}：{circ}", rng) for i, (c, (circ, rng)) in enumerate(zip(conds, rows))])
    assert marked == [3, 4, 5]
    assert conds[5][-1] == Condition("整改情况", "逾期未改正")

