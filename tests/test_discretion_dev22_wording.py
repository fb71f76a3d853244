"""What the twenty-second blind set (dev22, 2026-12-06) showed once read: an accident grade stated as «定级», the
consequence act before the acts about the same matter when the grade is determined, a 不予处罚 item's time allowed
for a step («24小时内及时报告») read as the act's duration, and everyday names (没去申请变更, 没跟下游讲, 两类医废不分,
卖给没许可证的, 风机停了, 石粉渣)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.discretion.facts import widened
from assistant.discretion.no_penalty import contradiction
from assistant.discretion.premises import graded_consequence_first
from assistant.discretion.quantities import quantities
from assistant.discretion.spoken import event_grades

ACCIDENT = "违反放射性同位素与射线装置安全和防护规定，造成辐射事故"
LOSS_UNREPORTED = "不按照规定报告放射源丢失、被盗情况或者放射性污染事故，逾期未改正"
RETURN = "核技术利用单位未按照规定，将其产生的废旧放射源或者其他放射性固体废物送交贮存、处置，逾期未改正"


def _ranked(*violations: str) -> list[tuple]:
    return [(1.0 - i / 10, 0.1, SimpleNamespace(violation=v, no_penalty=False)) for i, v in enumerate(violations)]


@pytest.mark.parametrize("said, grades", [("事故定级报的是较大那一级", {"较大"}), ("事故定级还没出来，可能较大", set()),
                                          ("事故没定级", set())])
def test_a_grade_stated_as_定级(said, grades):
    assert event_grades(said) == grades


def test_a_determined_grade_puts_the_consequence_first():
    facts = "一枚三类源转场路上掉了，失控了一天半才找回来，没人受照。事故定级报的是较大那一级。"
    order = [r[2].violation for r in graded_consequence_first(_ranked(LOSS_UNREPORTED, RETURN, ACCIDENT), facts)]
    assert order == [ACCIDENT, LOSS_UNREPORTED, RETURN]
    scores = [r[0] for r in graded_consequence_first(_ranked(LOSS_UNREPORTED, RETURN, ACCIDENT), facts)]
    assert scores == sorted(scores, reverse=True)  # the places keep their scores


@pytest.mark.parametrize("facts", [
    "丢了一枚探伤用的铱-192源，一直没按规定上报。期限过了还是没报。事件等级最多算一般。",  # dev6 d6-022: the loss unreported
    "一枚三类源转场路上掉了，失控了一天半才找回来。",  # no grade stated
    "事故定级还没出来，可能较大",  # a grade still open
])
def test_the_order_stays_without_a_determined_grade_or_when_unreported(facts):
    ranked = _ranked(LOSS_UNREPORTED, RETURN, ACCIDENT)
    assert graded_consequence_first(ranked, facts) == ranked


def test_the_time_allowed_for_a_step_is_no_duration_of_the_act():
    facts = "污水站曝气风机停了两个多小时，当天修好恢复，也主动报告了"
    conditions = "（1）两年内属于首次违法；（2）24小时内及时报告并采取应急处置；（3）未造成环境污染"
    assert contradiction(conditions, facts, (0, 0), quantities(facts)) == ""
    facts = "排污口超标排放持续了30天"
    assert "不超过20日" in contradiction("（2）违法行为持续时间不超过20日", facts, (0, 0), quantities(facts))


@pytest.mark.parametrize("said, legal", [
    ("公司改了名字，一直没去申请变更", "未办理变更登记"), ("登记证要求的措施，一个字都没跟下游讲", "未向下游用户传递规定信息"),
    ("损伤性、感染性根本不分", "未按照类别"), ("直接卖给了一个啥许可证都没有的废品站", "无相应许可证的单位"),
    ("污水站曝气风机停了两个多小时", "不正常运行"), ("切割出来的石粉渣二十来吨堆在空地上", "工业固体废物")])
def test_dev22_sayings(said, legal):
    assert legal in widened(said)


RURAL = "不具备集中处置医疗废物条件的农村，医疗卫生机构未按照要求处置医疗废物的，逾期未改正"
VEHICLES = "对使用后的医疗废物运送工具或者运送车辆未在指定地点及时进行消毒和清洁，逾期未改正"


@pytest.mark.parametrize("violation, said, unsaid", [
    (RURAL, "湛江一家医废集中处置中心，焚烧炉炉温长期达不到规范要求", True),  # dev14 d14-009
    (RURAL, "河源一个山区村卫生室，村里没有医废集中收运", False),
    (RURAL, "雷州一个村卫生站，用过的针管都在后院烧掉", False),
    (VEHICLES, "医废处置中心高温蒸煮后的医废灭菌不彻底", True),  # dev14 d14-016
    (VEHICLES, "医废转运车用完没消毒就停在院子里", False),
    (VEHICLES, "车间里的周转箱没洗", False),  # a 周转箱 is a 运送工具 (医疗废物管理条例 第十七条)
])
def test_an_act_that_opens_with_its_place_or_thing(violation, said, unsaid):
    from assistant.discretion.scope import subject_unsaid
    assert subject_unsaid(violation, said) is unsaid
