"""Officers' wordings the eleventh and twelfth blind sets (evals/data/discretion_officer_dev11.jsonl, dev12) showed the
advisor misread: earlier violations, the order's deadline, a permit's own lapse, an event's grade, an ordinal, a piece
and a look-back window read as quantities, a question read as an answer."""

import pytest

from assistant.discretion.facts import choose_value, widened
from assistant.discretion.prior import prior_from_facts, stated_only
from assistant.discretion.quantities import quantities
from assistant.discretion.spoken import deadline_kept, event_grades


@pytest.mark.parametrize("facts, prior", [
    ("近两年同类问题已经被查过三次", (3, 3)),  # d11-005
    ("调查时推三阻四不配合，之前也有过同样问题", (1, float("inf"))),  # d11-025
    ("去年也出过类似的事", (1, float("inf"))),
    ("检查过三次，都没发现问题", None),  # inspected, not found at fault
    ("这家厂以前没这种情况", (0, 0)),
])
def test_earlier_violations_as_officers_count_them(facts, prior):
    assert prior_from_facts(facts) == prior


@pytest.mark.parametrize("facts, kept", [
    ("篡改监测数据被查，限期没整改到位", False),  # d11-018
    ("限期内还是没改", False),
    ("辐射安全许可证过期两个月没办延续，CT照常在用", None),  # d11-028: the permit lapsed, no order was missed
    ("排污证到期了还没换，叫他们补办", None),
    ("排污证过期了，责令限期补办，到期还没办", False),  # the lapse skipped, the order's deadline still read
    ("责令限期整改，过期了还是老样子", False),
    ("按期整改到位了", True),
])
def test_the_orders_deadline_and_not_a_permits_term(facts, kept):
    assert deadline_kept(facts) is kept


@pytest.mark.parametrize("text, grades", [
    ("被定性为较大级别的大气污染事故", {"较大"}),  # d11-015
    ("造成较大大气污染环境事故", {"较大"}),  # the 广东 table's own 情节
    ("造成一般水污染事故", {"一般"}),
    ("没有造成较大环境事件", set()),
])
def test_an_events_grade_with_its_medium(text, grades):
    assert event_grades(text) == grades


def test_the_grade_named_with_its_medium_decides_the_row():
    values = [f"造成{g}大气污染环境事故；整改情况：主动承担赔偿责任，且限期采取治理措施" for g in ("一般", "较大", "重大", "特大")]
    facts = widened("某化工厂氯气泄漏，被定性为较大级别的大气污染事故，企业主动赔了周边村民，也按期落实了治理措施。")
    assert choose_value(values, facts, "违反《中华人民共和国大气污染防治法》规定，造成大气污染事故") == values[1]


def test_an_ordinal_is_no_quantity():
    assert quantities("广州一家第三方检测公司篡改监测数据被查") == {}  # 第三方 is no 3 m³ (d11-018)
    assert quantities("第2车间堆了3吨危废") == {"t": 3.0}


@pytest.mark.parametrize("facts, prior", [
    ("医院不在环境敏感区，之前也没出过这种事", (0, 0)),  # d12-007: read as one earlier before
    ("老板叫保安锁住大门不让我们进厂，去年他们也这么拦过一次", (1, 1)),  # d12-037
    ("近两年有没有被查过还没调记录", None),  # d12-025: a question, not «没有被查过»
])
def test_dev12_earlier_violations(facts, prior):
    assert prior_from_facts(stated_only(facts)) == prior


@pytest.mark.parametrize("facts, expected", [
    ("江门一块八百平方米左右的污染地块", {"m2": 800.0, "≈m2": 1.0}),  # d12-012: «一块» is no 1 yuan (左右: a guess)
    ("收了八万块编制费", {"yuan": 80000.0}),
    ("恩平一家五金厂把暂存间拆掉了，两年内是头一回", {}),  # d12-035: «两年内» is no 730 days
    ("偷排了两年", {"day": 730.0}),
])
def test_pieces_and_look_back_windows_are_no_quantities(facts, expected):
    assert quantities(facts) == expected
