"""The discretion advisor (裁量基准) on the records of the Guangdong-like 裁量表 PDF and 不予处罚目录 and the
Jiangmen-like XLS (synthetic: tests/builders.py). The golden case on the real documents: test_shared_discretion.py."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.discretion.advisor import DiscretionAdvisor
from assistant.discretion.facts import choose_value, quantities, quantity_range
from assistant.discretion.prior import prior_from_facts, prior_from_tier
from corpus.sqlite_store import SQLiteStore

GOLDEN = "在饮用水水源一级保护区内垂钓，去年也被查处过一次"


@pytest.fixture(scope="module")
def advisor(discretion_data: Path) -> DiscretionAdvisor:
    return DiscretionAdvisor(SQLiteStore(discretion_data / "corpus.db"))


def test_fact_reading():
    assert prior_from_facts("去年也被查处过一次") == (1, 1)
    assert prior_from_facts("这是第一次被查处，此前没有同类违法记录") == (0, 0)
    assert prior_from_facts("这是第三次了") == (2, 2)
    assert prior_from_facts("在饮用水水源一级保护区内垂钓") is None
    assert prior_from_tier("近二年同类违法行为情况（含本次）：2次") == (1, 1)
    assert prior_from_tier("有同类违法行为")[0] == 1 and prior_from_tier("无同类违法行为") == (0, 0)
    assert quantities("涉案面积约7亩，持续4个月") == {"m2": pytest.approx(4666.69), "≈m2": 1.0, "day": 120}  # 约: a guess
    assert quantity_range("5亩以上10亩以下") == ("m2", pytest.approx(3333.35), pytest.approx(6666.7))
    assert choose_value(["限期内改正", "逾期未改正"], "责令改正后逾期仍未改正") == "逾期未改正"
    assert choose_value(["配合调查", "不配合调查"], "当事人积极配合调查") == "配合调查"
    assert choose_value(["配合调查", "不配合调查"], "拒不配合，不配合调查") == "不配合调查"
    assert choose_value(["不敏感", "敏感", "较敏感"], "土壤敏感程度为较敏感") == "较敏感"


def test_golden_tier_from_the_guangdong_pdf(advisor):
    advice = advisor.advise(GOLDEN, region="广东")
    assert advice.decision == "matched"
    top = advice.matches[0]
    assert (top.min_yuan, top.max_yuan) == (30000, 40000) and top.range_text == "3万元以上4万元以下"
    assert top.prior_violation == "有同类违法行为" and top.page and top.status == "现行有效"
    assert top.document == "广东省生态环境违法行为行政处罚罚款金额裁量表" and top.region == "广东"
    cited = {(c.title, c.article, c.paragraph): c.verified for c in top.citations}
    assert cited[("中华人民共和国水污染防治法", 91, 2)] is True  # 处罚依据, checked against the corpus


def test_missing_prior_violation_gives_candidates_and_the_deciding_fact(advisor):
    advice = advisor.advise("在饮用水水源一级保护区内垂钓", region="广东")
    assert advice.decision == "ambiguous"
    ranges = {m.range_text for m in advice.matches[:2]}
    assert ranges == {"2万元以上3万元以下", "3万元以上4万元以下"}
    assert any("同类违法" in m for m in advice.missing_facts)


def test_uncovered_facts_say_so_without_a_range(advisor):
    advice = advisor.advise("摊贩在人行道上占道经营，第一次被发现", region="广东")
    assert advice.decision == "no_match" and advice.matches == []
    assert any("未找到适用" in w for w in advice.warnings)


def test_no_penalty_list_and_the_general_rule(advisor):
    advice = advisor.advise("建设单位未依法备案建设项目环境影响登记表，首次违法，在责令改正期限内改正了", region="广东")
    assert any("登记表" in n.violation and "首次违法" in n.conditions and n.status == "现行有效"
               for n in advice.no_penalty)
    rule = next(r for r in advice.general_rules if r.article == 33)
    assert "初次违法且危害后果轻微并及时改正的，可以不予行政处罚" in rule.text and rule.verified
    assert not any(n.ruled_out for n in advice.no_penalty)


@pytest.mark.parametrize("facts, reason", [
    ("建设单位未依法备案建设项目环境影响登记表，去年也因为这个被罚过，这次期限内改正了", "首次违法"),
    ("建设单位未依法备案建设项目环境影响登记表，第一次被查，责令改正后逾期未改正", "未在期限内改正"),
])
def test_a_no_penalty_item_the_facts_rule_out_is_marked_and_listed_last(advisor, facts, reason):
    advice = advisor.advise(facts, region="广东")
    item = next(n for n in advice.no_penalty if "登记表" in n.violation and "首次违法" in n.conditions)
    assert reason in item.ruled_out
    assert [bool(n.ruled_out) for n in advice.no_penalty] == sorted(bool(n.ruled_out) for n in advice.no_penalty)
    if reason == "首次违法":
        assert not any(r.article == 33 and r.paragraph == 1 for r in advice.general_rules)


def test_jiangmen_xls_record_is_found_with_a_validity_warning(advisor):
    facts = "自动监控设施的管理运营单位弄虚作假，隐瞒自动监控数据"
    # the Jiangmen 参照表 is 已废止; asked only among its records (as an officer in 江门 without a current table)
    jiangmen = [g for g in advisor.groups if g.doc.region == "广东江门" and not g.no_penalty]
    assert jiangmen and any(t.chunk.record.violation for g in jiangmen for t in g.tiers)
    only = DiscretionAdvisor(advisor.store, groups=jiangmen)
    advice = only.advise(facts, region="广东江门")
    top = advice.matches[0]
    assert top.document.startswith("江门市") and top.status == "已失效"  # its term ran out (有效期三年): 已失效, not 已废止
    assert "隐瞒" in top.circumstance and (top.min_yuan, top.max_yuan) == (50000, 100000)
    assert any("已失效" in w or "已废止" in w for w in advice.warnings)


def test_discretion_cli_json(discretion_data):
    from cli.main import app

    result = CliRunner().invoke(app, ["discretion", GOLDEN, "--json", "--data-dir", str(discretion_data)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"matches", "no_penalty", "missing_facts"} <= set(data)
    m = data["matches"][0]
    assert {"violation", "circumstance", "prior_violation", "range_text", "min_yuan", "max_yuan", "violated_provision",
            "penalty_basis", "document", "region", "status", "page"} <= set(m)
    bad = CliRunner().invoke(app, ["discretion", "！！", "--data-dir", str(discretion_data)])
    assert bad.exit_code == 2
    bad_json = CliRunner().invoke(app, ["discretion", "！！", "--json", "--data-dir", str(discretion_data)])
    assert bad_json.exit_code == 2 and "标点" in json.loads(bad_json.stdout)["error"]


def test_api_and_chat_use_the_advisor(discretion_data):
    from fastapi.testclient import TestClient

    from assistant.service.service import AssistantService
    from assistant.settings import Settings
    from web.app import create_app

    service = AssistantService(Settings(data_dir=discretion_data, corpus=[], law_db=False, embedder="hashing",
                                        backend="extractive", region="广东"))
    try:
        with TestClient(create_app(service=service, with_ui=False)) as client:
            r = client.post("/api/discretion", json={"facts": GOLDEN})
            assert r.status_code == 200 and r.json()["matches"][0]["range_text"] == "3万元以上4万元以下"
            assert client.post("/api/discretion", json={"facts": ""}).status_code == 400
            ans = client.post("/api/ask", json={"question": GOLDEN + "，应该罚多少钱？"}).json()
        assert ans["backend"] == "discretion" and "3万元以上4万元以下" in ans["answer"]
        assert ans["sources"] and all(c["verified"] for c in ans["citations"])
        assert "《中华人民共和国水污染防治法》第九十一条第二款" in ans["answer"]
    finally:
        service.close()


def test_odd_facts_do_not_crash(advisor):
    for facts in ("垂，钓", "，，，", "罚", "x" * 400):
        assert advisor.advise(facts).decision in ("matched", "ambiguous", "no_match")


def test_a_tables_note_decides_whether_its_bounds_include_the_number():
    from assistant.discretion.facts import quantity_range, within

    rng = quantity_range("5吨以上10吨以下")  # in tonnes
    assert within(5, rng) and within(10, rng)  # 以上/以下 include the number unless the table says otherwise
    assert not within(10, rng, "以上包括本数；以下不包括本数") and within(5, rng, "以上包括本数；以下不包括本数")
    assert not within(5, rng, "以上、以下均不包括本数")


def test_the_evaluation_matches_rows_not_chunk_ids(advisor):
    from evals.discretion import build_set, evaluate, tier_key

    rows = build_set(advisor)
    assert rows and all(all(tier_key(r)[:2]) for r in rows)
    chunk_ids = {t.chunk.id for g in advisor.groups for t in g.tiers}
    assert not chunk_ids & {r["id"] for r in rows}  # a new chunker version must not invalidate the set
    assert evaluate(advisor, rows)["all"]["top1_tier"] > 0.5


def test_a_place_whose_act_only_its_lapsed_table_has_still_gets_those_tiers(tmp_path):
    """The current provincial standards hold only 不予处罚 items for the act: the city's lapsed table gives the
    tiers, with its status and a warning, rather than no answer at all."""
    from corpus.ingest import ingest
    from tests.builders import (GD_NO_PENALTY, JM_TABLE, NO_PENALTY_LAYOUT, PROSE, gd_no_penalty_pages, jm_markdown,
                                jm_sheets, prose_markdown, write, write_pdf)

    raw = tmp_path / "raw"
    raw.mkdir()
    write_pdf(raw / f"{GD_NO_PENALTY}.pdf", gd_no_penalty_pages(), NO_PENALTY_LAYOUT)
    write(raw, f"{JM_TABLE}.md", jm_markdown(jm_sheets()))
    for title in PROSE:
        write(raw, f"{title}.md", prose_markdown(title))
    store = SQLiteStore(tmp_path / "corpus.db")
    ingest(store, [raw])
    advice = DiscretionAdvisor(store).advise("蓬江区一家厂环境影响报告表没报批就擅自开工建设了")
    assert advice.matches and all(m.document.startswith("江门") and m.status == "已失效" for m in advice.matches)
    assert any("已失效的裁量标准" in w for w in advice.warnings)
