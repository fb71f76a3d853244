"""What the twenty-first blind set (dev21, 2026-12-06) showed once read: an earlier count with the party named in
between («查处过他三回»), a place's key word alone («那个镇是区域限批的»), a value still being worked out without a
question word («敏感程度还没评出来»), a protected place read as an 环境敏感区, and everyday names (不往上报, 用完的放射源,
有效期改了, 不达标的锅炉)."""

from __future__ import annotations

import pytest

from assistant.discretion.answers import split_open_questions
from assistant.discretion.facts import widened
from assistant.discretion.prior import prior_from_facts
from assistant.discretion.structure import _by_complement

PLACE = ["环境敏感区或限批区", "环境敏感区或限批区以外的区域"]


@pytest.mark.parametrize("said, n", [("这两年同样的问题我们已经查处过他三回了，这次又是", 3), ("两年内罚过该厂两次", 2)])
def test_a_count_with_the_party_named_in_between(said, n):
    assert prior_from_facts(said) == (n, n)


def test_the_places_key_word_alone_names_it():
    assert _by_complement(PLACE, "那个镇目前是区域限批的") == PLACE[0]
    assert _by_complement(PLACE, "厂不在限批区") == PLACE[1]
    assert _by_complement(PLACE, "排口在厂区东侧") is None
    assert _by_complement(PLACE, "排口就在饮用水源保护区范围里") == PLACE[0]  # 建设项目环境影响评价分类管理名录 第三条
    assert _by_complement(PLACE, "附近没有水源保护区、自然保护区") == PLACE[1]


def test_a_value_still_being_worked_out_is_an_open_question():
    rest, asked = split_open_questions("过期也没改。地块的土壤敏感程度还没评出来，周边情况还在摸。")
    assert "敏感程度" in asked and "敏感程度" not in rest
    assert split_open_questions("排口一直还没测")[1] == ""  # not monitored: a deed, not an open value


@pytest.mark.parametrize("said, legal", [("审核其实做完了，但结果一直不往上报", "不报告"), ("仓库角落放着几枚用完的放射源", "废旧放射源"),
                                          ("把许可证上的经营类别和有效期都改了", "变造"), ("还在用一台早就不达标的小燃煤锅炉", "不符合规定标准")])
def test_dev21_sayings(said, legal):
    assert legal in widened(said)



# ---- what a second review (2026-12-06) broke, and stays mended --------------------------------------------------
@pytest.mark.parametrize("said, value", [
    ("当事人很敏感，不配合", None), ("问题比较敏感", None), ("限批已经解除了", PLACE[1]), ("没被限批", PLACE[1]),
    ("排口离水源地很远", PLACE[1]), ("距离饮用水源保护区3公里", PLACE[1]), ("饮用水源保护区外", PLACE[1]),
    ("车间用的是饮用水", None), ("不是限批区，但在饮用水源保护区内", PLACE[0]), ("企业无环评，位于限批区", PLACE[0]),
])
def test_every_mention_of_a_sensitive_place_is_read(said, value):
    assert _by_complement(PLACE, said) == value


@pytest.mark.parametrize("said", ["环评还没核准就开工了", "评估报告还没评出来就开工了", "监测数据还没测出来就先排了"])
def test_a_deed_done_before_a_value_was_known_is_no_open_question(said):
    assert split_open_questions(said)[1] == ""


@pytest.mark.parametrize("said", ["敏感程度没评出来", "鉴定结果还没出来", "还在评估敏感程度"])
def test_more_ways_of_still_working_it_out(said):
    assert split_open_questions(said)[1] == said


@pytest.mark.parametrize("said, n", [("警告过他两次", 2), ("已经查处过他们厂三回", 3)])
def test_more_counts_with_the_party_in_between(said, n):
    assert prior_from_facts(said) == (n, n)


@pytest.mark.parametrize("said", ["我们已经处理了对方三次投诉", "已经处理了他们两次举报"])
def test_complaints_handled_are_no_earlier_violations(said):
    assert prior_from_facts(said) is None


@pytest.mark.parametrize("said, legal", [("没记错的话他们去年就装了", "未记录"), ("没留人值守", "未保存"),
                                          ("申请改有效期", "变造"), ("许可证过了有效期也没改", "变造"),
                                          ("锅炉废气不达标", "不符合规定标准")])
def test_dev21_lines_stay_in_their_sense(said, legal):
    assert legal not in widened(said)
