"""办案助手 (#22): the procedure data checked against the store, deadlines counted by the law's rules, drafts.

The store holds the laws the bundled procedure file cites, exported from laws.db (the national-law DB every
install brings), plus a small fixture 规章 shaped like 市场监督管理行政处罚程序规定 (the real one is only in
the evaluation corpus beside the checkout).
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
import pytest

from assistant.case.book import BUNDLED, load_book
from assistant.case.desk import CaseDesk
from assistant.case.holidays import HolidayCalendar, HolidayFileError
from assistant.case.periods import count_period
from assistant.case.rules import RuleError, parse_rule
from assistant.case.timeline import CaseInputError
from corpus.ingest import ingest
from corpus.sqlite_store import SQLiteStore
from tests.builders import front_matter, write

CITED_LAWS = ("中华人民共和国行政处罚法", "中华人民共和国行政强制法", "中华人民共和国民法典",
              "中华人民共和国行政复议法", "中华人民共和国行政诉讼法")

FIXTURE_RULE = front_matter(title="市场监督管理行政处罚程序规定", doc_type="rule", issuer="国家市场监督管理总局",
                            status="现行有效", effective_date="2022-09-29") + """
# 市场监督管理行政处罚程序规定

**第十八条**　市场监督管理部门对发现的违法行为线索，应当自发现线索或者收到材料之日起十五个工作日内予以核查，由市场监督管理部门负责人决定是否立案。

**第五十五条**　审核机构应当自接到审核材料之日起十个工作日内完成审核。

**第五十七条**　拟给予行政处罚的案件，市场监督管理部门在作出行政处罚决定之前，应当书面告知当事人拟作出的行政处罚内容及事实、理由、依据，并告知当事人依法享有陈述权、申辩权。

当事人自告知书送达之日起五个工作日内，未行使陈述、申辩权，未要求听证的，视为放弃此权利。

**第五十八条**　市场监督管理部门在告知当事人拟作出的行政处罚决定后，应当充分听取当事人的意见。

**第六十四条**　适用普通程序办理的案件应当自立案之日起九十日内作出处理决定。

**第八十一条**　市场监督管理部门送达行政处罚决定书，应当在宣告后当场交付当事人。当事人不在场的，应当在七个工作日内将行政处罚决定书送达当事人。
"""


@pytest.fixture(scope="module")
def store(laws, tmp_path_factory):
    root = laws(tmp_path_factory.mktemp("case-laws"), *CITED_LAWS)
    s = SQLiteStore(tmp_path_factory.mktemp("case-store") / "corpus.db")
    ingest(s, [root])
    return s


@pytest.fixture(scope="module")
def store_with_rule(laws, tmp_path_factory):
    root = laws(tmp_path_factory.mktemp("case-laws-rule"), *CITED_LAWS)
    write(root, "市场监督管理行政处罚程序规定.md", FIXTURE_RULE)
    s = SQLiteStore(tmp_path_factory.mktemp("case-store-rule") / "corpus.db")
    ingest(s, [root])
    return s


@pytest.fixture(scope="module")
def desk(store):
    return CaseDesk(store)


def by_id(timeline):
    return {s.id: s for s in timeline.steps}


# ---- the data file against the store --------------------------------------------------------------------------

def test_every_rule_of_the_bundled_file_resolves_to_an_article_of_the_national_law_db(store):
    book = load_book(store, extensions=None)
    assert book.problems == []
    assert set(book.procedures) == {"简易程序", "普通程序", "听证程序", "查封扣押"}
    cited = [b for b in book.bases.values()]
    assert cited and all(b.verified and b.text for b in cited)
    rules = [s.deadline for p in book.procedures.values() for s in p.steps if s.deadline and s.deadline.rule]
    assert len(rules) >= 10
    assert all(book.bases[(s.law, s.deadline.basis)].verified
               for p in book.procedures.values() for s in p.steps if s.deadline and s.deadline.basis)


def test_an_extension_whose_rule_is_not_in_the_store_is_reported_and_not_offered(desk):
    offered = {p["id"]: p for p in desk.procedures()}
    assert offered["市场监管普通程序"]["available"] is False
    assert "市场监督管理行政处罚程序规定" in offered["市场监管普通程序"]["why"]
    with pytest.raises(CaseInputError, match="暂不可用"):
        desk.steps("市场监管普通程序", {"立案": "2026-09-25"})


def test_a_deployer_file_naming_a_missing_article_or_an_unreadable_rule_is_reported(store, tmp_path):
    own = tmp_path / "county.yaml"
    own.write_text("""
procedures:
  - id: 县级普通程序
    extends: 普通程序
    law: 中华人民共和国行政处罚法
    steps:
      - id: 立案
        basis: [第三百条]
      - id: 回访
        name: 结案回访
        deadline: {rule: 结案以后尽快, basis: 第四十七条}
""", encoding="utf-8")
    book = load_book(store, [own])
    text = "\n".join(book.problems)
    assert "第三百条" in text and "无法识别的时限规则" in text
    broken = tmp_path / "broken.yaml"
    broken.write_text("procedures: [1, 2", encoding="utf-8")
    with pytest.raises(ValueError, match="无法读取"):
        load_book(store, [broken])


def test_rules_are_read_as_the_law_words_them():
    assert parse_rule("自立案之日起九十日内") == parse_rule("自立案之日起90日内")
    assert parse_rule("告知后五日内").event == "告知"
    assert parse_rule("举行听证的七日前").before is True
    assert parse_rule("自告知书送达之日起五个工作日内").unit == "工作日"
    assert parse_rule("自决定书送达之日起六个月内").unit == "月"
    with pytest.raises(RuleError):
        parse_rule("尽快")


# ---- deadlines -------------------------------------------------------------------------------------------------

def test_the_ninety_day_decision_deadline_after_filing_on_25_september(desk):
    steps = by_id(desk.steps("普通程序", {"立案": "2026-09-25"}, today="2026-10-01"))
    decide = steps["审查决定"]
    assert decide.deadline.due == date(2026, 12, 24)
    assert decide.deadline.basis.label == "《中华人民共和国行政处罚法》第六十条"
    assert "九十日" in decide.deadline.basis.text  # the corpus text, not the data file's
    assert any("第二百零一条" in line for line in decide.deadline.counted)
    assert decide.state == "进行中"
    assert steps["立案"].state == "已完成"


def test_notice_served_on_30_september_counts_working_days_across_the_national_day_holiday(desk):
    steps = by_id(desk.steps("普通程序", {"立案": "2026-09-25", "告知送达": "2026-09-30"},
                             periods={"告知书": "5个工作日"}, today="2026-10-09"))
    hearing = steps["听证申请"].deadline
    # 10-01…10-07 off, 10-08 Thu, 10-09 Fri, 10-10 a working Saturday (调休), 10-12 Mon, 10-13 Tue
    assert hearing.due == date(2026, 10, 13)
    assert hearing.unit == "工作日" and any("第八十五条" in line for line in hearing.counted)
    assert steps["陈述申辩"].deadline.due == date(2026, 10, 13)
    without = by_id(desk.steps("普通程序", {"告知送达": "2026-09-30"}))["陈述申辩"]
    assert without.deadline.due is None and "告知书" in without.deadline.waiting_for
    assert "第四十四条" in without.deadline.note


def test_the_market_regulation_rule_sets_the_statement_period_itself(store_with_rule):
    desk = CaseDesk(store_with_rule)
    steps = by_id(desk.steps("市场监管普通程序", {"立案": "2026-09-25", "告知送达": "2026-09-30"}))
    statement = steps["陈述申辩"]
    assert statement.deadline.due == date(2026, 10, 13)
    assert statement.deadline.basis.label == "《市场监督管理行政处罚程序规定》第五十七条第二款"
    assert statement.deadline.basis.text.startswith("当事人自告知书送达之日起五个工作日内")
    assert "《中华人民共和国行政处罚法》第四十五条" in [b.label for b in statement.basis]


def test_a_natural_day_period_ending_on_a_holiday_ends_on_the_next_working_day(desk):
    seizure = by_id(desk.steps("查封扣押", {"查封扣押": "2026-09-05"}))["期限届满"].deadline
    assert seizure.unit == "日"  # 三十日 is above 行政强制法's 十日 working-day rule
    assert seizure.due == date(2026, 10, 8)  # 10-05 is in the National Day holiday
    assert any("第二百零三条" in line and "国庆节" in line for line in seizure.counted)
    extended = by_id(desk.steps("查封扣押", {"查封扣押": "2026-09-05", "延长查封扣押": "2026-09-30"}))["延长期限"]
    assert extended.deadline.due == date(2026, 11, 9)  # 30 days after 10-08 is Sat 11-07 → Mon 11-09


def test_months_end_on_the_corresponding_day_or_the_month_end(desk):
    suit = by_id(desk.steps("普通程序", {"决定书送达": "2026-03-31"}))["提起诉讼"].deadline
    assert suit.due == date(2026, 9, 30)
    assert any("第二百零二条" in line for line in suit.counted)


def test_a_period_before_an_event_counts_backwards_in_working_days(desk):
    notice = by_id(desk.steps("听证程序", {"举行听证": "2026-10-12"}))["听证通知"].deadline
    # back from Mon 10-12: 10-10 (调休), 10-09, 10-08, 09-30, 09-29, 09-28, (09-25 中秋节), 09-24
    assert notice.before and notice.due == date(2026, 9, 24)


def test_overdue_agency_steps_are_marked_and_party_periods_are_marked_run_out(desk):
    steps = by_id(desk.steps("普通程序", {"立案": "2026-09-25", "告知送达": "2026-09-30"}, today="2026-12-30"))
    assert steps["审查决定"].state == "已逾期" and steps["审查决定"].overdue_days == 6
    assert steps["听证申请"].state == "已届满" and steps["听证申请"].overdue_days == 0
    late = by_id(desk.steps("普通程序", {"立案": "2026-09-25", "决定": "2026-12-28"}, today="2026-12-30"))
    assert late["审查决定"].state == "逾期完成"


def test_a_year_the_holiday_calendar_does_not_cover_is_an_estimate_with_its_reason(desk, store, tmp_path):
    decide = by_id(desk.steps("普通程序", {"立案": "2026-12-20"}))["审查决定"]
    assert decide.deadline.estimated
    assert "2027年度节假日安排未收录，按自然日估算" in decide.deadline.estimate_reason
    holidays = tmp_path / "holidays.txt"
    holidays.write_text("# 2027 安排（测试）\n2027-03-20 休 测试假日\n2027-01-01 休 元旦\n", encoding="utf-8")
    covered = CaseDesk(store, holiday_file=holidays)
    decide = by_id(covered.steps("普通程序", {"立案": "2026-12-20"}))["审查决定"]
    assert not decide.deadline.estimated
    assert decide.deadline.due == date(2027, 3, 22)  # 03-20 Sat: off anyway; 03-21 Sun → Mon 03-22
    holidays.write_text("2027-13-01 休\n", encoding="utf-8")
    with pytest.raises(HolidayFileError, match="第1行"):
        HolidayCalendar(holidays)


def test_counting_refuses_absurd_periods():
    with pytest.raises(ValueError):
        count_period(date(2026, 1, 1), 100000, "日", HolidayCalendar(), {})


@pytest.mark.parametrize("procedure, events, message", [
    ("快速程序", {}, "未知的程序"),
    ("普通程序", {"开会": "2026-09-25"}, "未知的办案节点"),
    ("普通程序", {"立案": "2026-02-30"}, "无法识别"),
    ("普通程序", {"立案": "昨天"}, "无法识别"),
])
def test_bad_case_input_gets_a_chinese_message(desk, procedure, events, message):
    with pytest.raises(CaseInputError, match=message):
        desk.steps(procedure, events)


def test_event_aliases_and_chinese_dates_are_understood(desk):
    steps = by_id(desk.steps("普通程序", {"告知书送达": "2026年9月30日"}))
    assert steps["事先告知"].done_on == date(2026, 9, 30)


# ---- drafts ----------------------------------------------------------------------------------------------------

def test_a_decision_draft_for_a_discretion_case_cites_only_verified_articles_within_the_tier(discretion_data):
    from assistant.service.service import AssistantService
    from assistant.settings import Settings

    settings = Settings(data_dir=discretion_data, backend="extractive", embedder="use", law_db=False, corpus=[])
    service = AssistantService(settings, generator=None, preload=False)
    try:
        facts = "某公司在饮用水水源一级保护区内新建排污口，已责令拆除，近两年没有同类违法行为"
        advice = service.discretion(facts)
        assert advice.matches, advice
        tier = advice.matches[0]
        draft, data = service.case_draft("决定书", facts, party="某公司", served_on="2026-09-30")
    finally:
        service.close()
    doc = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "行政处罚决定书" in text and "草稿" in text and "某公司" in text and "【待填写：案号】" in text
    assert draft.citations and all(c.verified for c in draft.citations)
    for c in draft.citations:
        assert c.label in text
    low, high = tier.min_yuan or 0, tier.max_yuan or float("inf")
    assert draft.amount_yuan is not None and low <= draft.amount_yuan <= high
    assert f"{draft.amount_yuan:,.0f}元" in text
    assert "六十日" in text and "六个月" in text


def test_a_notice_draft_states_the_statement_and_hearing_deadlines(desk):
    from assistant.discretion.types import Advice, ParsedFacts, TierMatch

    tier = TierMatch(violation="未按规定设置排污口", circumstance="一般", prior_violation="", range_text="10万元以上50万元以下",
                     min_yuan=100000, max_yuan=500000, violated_provision="", penalty_basis="", document="某裁量基准",
                     region="", status="现行有效", page=None, chunk_id="x", citations=[], score=1.0, coverage=1.0)
    advice = Advice(facts="x", decision="matched", matches=[tier], no_penalty=[], missing_facts=[], general_rules=[],
                    warnings=[], parsed=ParsedFacts())
    draft, data = desk.draft("告知书", "某公司未按规定设置排污口", advice, served_on="2026-09-30")
    text = draft.text
    assert "截至2026年10月13日，含当日" in text and "听证" in text
    assert draft.amount_yuan == 300000
    assert any("无法核对" in w or "违反" in w for w in draft.warnings) or draft.citations
    with pytest.raises(ValueError, match="未知的文书"):
        desk.draft("起诉书", "x", None)


def test_bundled_data_file_is_the_one_documented():
    assert BUNDLED.name == "procedures.yaml" and Path(BUNDLED).is_file()


@pytest.mark.parametrize("question, expected", [
    ("9月25日立案的，最晚什么时候要作出决定？", "最迟2026年12月24日"),
    ("立案日期是2026年9月25日，决定最迟哪天", "最迟2026年12月24日"),
    ("2026年9月30日送达了告知书，当事人最迟哪天申请听证", "最迟2026年10月13日"),
    ("决定书是3月31日送达的，当事人起诉期限到哪天", "最迟2026年9月30日"),
    ("9月5日扣押的，什么时候到期", "最迟2026年10月8日"),
])
def test_deadline_questions_in_chat_get_the_computed_date_and_basis(desk, question, expected):
    reply = desk.deadline_reply(question, today=date(2026, 12, 1))
    assert reply is not None and expected in reply and "依据：《中华人民共和国" in reply


@pytest.mark.parametrize("question", ["立案后多久要作出决定", "行政处罚法第六十条", "9月25日天气怎么样"])
def test_other_questions_are_left_to_the_ordinary_answer(desk, question):
    assert desk.deadline_reply(question, today=date(2026, 12, 1)) is None


def _advice(status="现行有效", region="广东", decision="matched", low=100000.0, high=500000.0):
    from assistant.discretion.types import Advice, ParsedFacts, TierMatch

    tier = TierMatch(violation="未按规定设置排污口", circumstance="一般", prior_violation="", range_text="10万元以上50万元以下",
                     min_yuan=low, max_yuan=high, violated_provision="", penalty_basis="", document="某裁量基准",
                     region=region, status=status, page=None, chunk_id="x", citations=[], score=1.0, coverage=1.0)
    return Advice(facts="x", decision=decision, matches=[tier], no_penalty=[], missing_facts=["近两年同类违法次数"],
                  general_rules=[], warnings=[], parsed=ParsedFacts())


@pytest.mark.parametrize("advice, region, why", [
    (_advice(status="已废止"), None, "已废止"),
    (_advice(region="广东江门"), "浙江", "不符"),
    (_advice(decision="ambiguous"), None, "尚需查明"),
    (_advice(low=None, high=None), None, "没有可直接采用的罚款数额"),
])
def test_no_amount_from_a_lapsed_foreign_unsettled_or_amountless_tier(desk, advice, region, why):
    draft, data = desk.draft("决定书", "某公司未按规定设置排污口", advice, region=region)
    assert draft.amount_yuan is None and "【待填写：处罚种类和罚款数额】" in draft.text
    assert any(why in w for w in draft.warnings)
    assert "起草提示" in "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_a_notice_served_in_an_uncovered_year_says_its_dates_are_estimates(desk):
    draft, _ = desk.draft("事先告知书", "某店在人行道上堆放杂物", _advice(), served_on="2026-12-25")
    assert "估算" in draft.text and any("2027年度节假日安排未收录" in w for w in draft.warnings)
    assert "2027年1月1日" not in draft.text  # 元旦 is a fixed holiday even in an estimate


@pytest.mark.parametrize("kwargs, message", [
    ({"statement_period": "0日"}, "不是正整数"),
    ({"statement_period": "五个月"}, "不合理"),
    ({"served_on": "9999-12-31"}, "超出可计算的范围"),
])
def test_bad_draft_input_gets_a_chinese_message(desk, kwargs, message):
    with pytest.raises(ValueError, match=message):
        desk.draft("事先告知书", "某店在人行道上堆放杂物", _advice(), **kwargs)


def test_dates_out_of_order_and_a_decision_before_the_party_was_heard_are_reported(desk):
    timeline = desk.steps("普通程序", {"立案": "2026-09-25", "告知送达": "2026-10-09", "决定": "2026-10-09",
                                    "决定书送达": "2026-10-08"}, today="2026-10-20")
    text = "\n".join(timeline.warnings)
    assert "顺序不对" in text and "第六十二条" in text
    with pytest.raises(CaseInputError, match="两次"):
        desk.steps("普通程序", {"立案": "2026-09-25", "立案 ": "2026-09-26"})
    with pytest.raises(CaseInputError, match="不是本程序中"):
        desk.steps("普通程序", {"立案": "2026-09-25"}, periods={"未知": "5日"})
