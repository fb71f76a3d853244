"""What dev14's first run (2026-12-03, fourth session) showed in the text-value readers, fixed: a value the facts
deny («没预警也没有重大活动») is no value they state, a question they leave open («是不是在限批区，还没核实») states no
place and is asked, «不属于化工、电镀……项目» rules out the industries it lists, and an industry list holding
«放射性» marks no hazard; the party's part in the investigation is read from what it held back or handed over
(«要消毒记录也不给»). The phrases are written for these tests."""

import pytest

from assistant.discretion.answers import open_questions_dropped, split_open_questions
from assistant.discretion.facts import bigrams, choose_value
from assistant.discretion.protected import PROTECTED, place_denied
from assistant.discretion.tiers import _asked_about, stated_value

PERIODS = ["一般期间", "特殊或重大活动期间", "重污染天气预警期间"]
AREAS = ["一般区域", "限批区或环境敏感区"]


@pytest.mark.parametrize("facts, value", [
    ("检查时是平常日子，没预警也没有重大活动", "一般期间"),
    ("那几天正赶上重大活动保障", "特殊或重大活动期间"),
    ("当时已经发了重污染天气预警", "重污染天气预警期间"),
])
def test_a_denied_value_is_not_the_stated_one(facts, value):
    assert stated_value(PERIODS, facts) == value


@pytest.mark.parametrize("facts, rest, asked", [
    ("报告结论不对。项目选址是不是在限批区或者敏感区，还没核实。", "报告结论不对。", "是不是在限批区"),
    ("在保护区里面，但到底是一级还是二级还得翻区划文件核实。责令后已经停了", "在保护区里面，责令后已经停了", "一级还是二级"),
    ("是否在保护区？经查不在。", "是否在保护区？经查不在。", ""),  # answered: it stays
    ("还是老样子，没核实", "还是老样子，没核实", ""),  # «还是» alone asks nothing
])
def test_an_open_question_is_set_apart(facts, rest, asked):
    kept, open_ = split_open_questions(facts)
    assert kept == rest and open_dropped_matches(open_, asked)
    assert open_questions_dropped(facts) == rest


def open_dropped_matches(open_: str, asked: str) -> bool:
    return asked in open_ if asked else open_ == ""


def test_an_open_question_about_a_value_leaves_its_factor_to_ask():
    asked = bigrams(split_open_questions("项目选址是不是在限批区或者敏感区，还没核实。")[1])
    assert _asked_about(AREAS, asked)
    assert not _asked_about(PERIODS, asked)
    assert stated_value(AREAS, "项目选址是不是在限批区或者敏感区，还没核实。") != "一般区域"  # «是不是» is no «不是»


@pytest.mark.parametrize("facts, denied", [
    ("项目选址是不是在限批区", False),
    ("也不知道在不在水源保护区", False),
    ("附近有没有敏感区还要查", False),
    ("项目不在限批区", True),
    ("这里不是水源保护区", True),
])
def test_a_question_word_is_no_place_denial(facts, denied):
    assert place_denied(facts, PROTECTED.search(facts)) is denied


def test_an_industry_list_is_ruled_out_by_not_belonging_to_it():
    values = ["应编制环境影响报告书项目，不属于化工、电镀、放射性项目的", "应编制环境影响报告书项目，属于化工、电镀、放射性项目的"]
    assert choose_value(values, "一个电镀项目，做的是环评报告书") == values[1]
    assert choose_value(values, "一个家具厂项目，做的是环评报告书，不属于化工电镀") != values[1]


@pytest.mark.parametrize("said, legal", [
    ("带中等放射性的废水", "中放射性"),
    ("中放水平的废液", "中放射性"),
    ("去年没公开能耗数据", "能源消耗"),
    ("一家测井公司", "核技术利用单位"),
])
def test_plain_words_for_radioactivity_grades_and_users_widen_to_the_tables_words(said, legal):
    from assistant.retrieval.terms import expand
    assert legal in expand(said)


@pytest.mark.parametrize("facts, helped", [
    ("负责人拖着不开门，要消毒记录也不给", False),
    ("台账死活拿不出来", False),
    ("老板电话也不接，人也找不到", False),
    ("当事人谎称设备刚坏", False),
    ("这次企业挺配合，资料都给了", True),
    ("当事人如实交代了经过", True),
    ("开始不给资料，后来都交了", True),  # the later saying counts
    ("并未隐瞒任何情况", None),
    ("厂里一切正常", None),
])
def test_cooperation_is_read_from_what_was_held_back_or_handed_over(facts, helped):
    from assistant.discretion.conduct import cooperated
    assert cooperated(facts) is helped


def test_held_back_papers_choose_the_uncooperative_row():
    assert stated_value(["配合调查", "不配合调查"], "复查时负责人拖着不开门，要消毒记录也不给") == "不配合调查"
    assert stated_value(["配合调查", "不配合调查"], "这次企业挺配合，资料都给了") == "配合调查"


DUTIES = ["主动承担赔偿责任，且限期采取治理措施",
          "未主动承担赔偿责任，但限期采取治理措施或者主动承担赔偿责任，但未限期采取治理措施",
          "既未主动承担赔偿责任，也未限期采取治理措施"]


@pytest.mark.parametrize("facts, value", [
    ("厂里主动赔了周边村民，但限期治理到期了还没动", DUTIES[1]),
    ("主动赔偿了损失，限期内也把治理做完了", DUTIES[0]),
    ("一分钱没赔，让他限期治理，到期复查还是老样子", DUTIES[2]),
    ("不肯赔偿，不过限期内治理到位了", DUTIES[1]),
    ("主动赔了村民", None),  # the deadline not said
])
def test_the_two_duties_after_an_accident_choose_their_row(facts, value):
    assert stated_value(DUTIES, facts) == value


@pytest.mark.parametrize("facts, said", [
    ("运维公司伪造了几个月的运行记录", True),
    ("改了在线设备的运维记录，没做的校准写成做了", True),
    ("临时拿出一套补编的假记录来应付", True),
    ("修改了监测数据", True),
    ("没有篡改数据", False),
    ("改了工艺", False),
])
def test_records_made_up_are_read(facts, said):
    from assistant.discretion.conduct import made_up
    assert made_up(facts) is said


def test_records_made_up_choose_the_falsification_row():
    values = ["未按照法律、法规和相关技术规范的要求运营防治污染设施或者实施污染治理", "在运营防治污染设施或者实施污染治理中弄虚作假"]
    assert stated_value(values, "第三方运维公司伪造了几个月的运行记录，出水倒没超标") == values[1]


@pytest.mark.parametrize("facts, acted", [
    ("罐区边上地面有油渍，站长也没叫人清理，啥补救都没做。", False),
    ("没有采取任何措施", False),
    ("被发现后企业马上把排口堵了，剩下的废液抽回罐里", True),
    ("发现后停排，请了专业单位做清理", True),
    ("老板说忘了", None),
])
def test_acting_against_the_harm_is_read(facts, acted):
    from assistant.discretion.conduct import remedied
    assert remedied(facts) is acted


def test_doing_nothing_about_the_harm_chooses_its_row():
    values = ["已采取措施消除或减轻违法后果", "未采取措施消除或减轻违法后果"]
    assert stated_value(values, "地面有油渍，站长也没叫人清理，啥补救都没做") == values[1]
