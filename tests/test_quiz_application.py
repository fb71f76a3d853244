"""#25: application items — a concrete scenario and a key computed by the product's own engines (the 行政处罚法
rules, the 办案 timeline, the discretion advisor), verified again before an item is emitted."""

import re
from datetime import date
from pathlib import Path

import pytest

from assistant.discretion.advisor import DiscretionAdvisor
from assistant.quiz import ScopeError, generate_quiz
from assistant.quiz.application import age_key, hearing_key, limit_key, procedure_key, recompute, summary_key
from assistant.quiz.checks import verify_item
from corpus.ingest import ingest
from corpus.sqlite_store import SQLiteStore

UNLISTED = re.compile(r"下列[^。？]{0,12}[：:]\s*$")


@pytest.fixture(scope="module")
def store(laws, tmp_path_factory) -> SQLiteStore:
    corpus = laws(tmp_path_factory.mktemp("corpus"), "中华人民共和国行政处罚法", "中华人民共和国民法典")
    store = SQLiteStore(tmp_path_factory.mktemp("data") / "corpus.db")
    ingest(store, [corpus])
    return store


@pytest.fixture(scope="module")
def paper(store) -> dict:
    return generate_quiz(store, "行政处罚法", n=20, level="应用", seed=3)


def test_a_twenty_item_application_paper_without_an_llm(paper, store):
    items, report = paper["items"], paper["report"]
    applied = [i for i in items if "应用" in i["tag"]]
    assert len(items) == 20 and report["application_items"] == len(applied) >= 12
    assert report["keys_verified"] == 20 and report["passed_checks"] == 20
    kinds = {i["tag"].rsplit("·", 1)[1] for i in applied}
    assert {"年龄", "简易程序", "期限"} <= kinds and kinds & {"首违不罚", "时效"}  # condition, threshold, deadline
    for item in applied:
        assert re.search(r"某|[张李王赵刘陈杨周]某", item["stem"]) and len(item["stem"]) >= 30  # a concrete party
        assert "《中华人民共和国行政处罚法》第" in item["explanation"] and "规定：「" in item["explanation"]
    for item in items:
        assert item["stem"].strip() and not UNLISTED.search(item["stem"])


def test_the_keys_are_the_engines_answers(store):
    assert [age_key(a) for a in (13, 14, 17, 18)] == [
        "不予行政处罚，责令监护人加以管教", "应当从轻或者减轻行政处罚", "应当从轻或者减轻行政处罚", "依法给予行政处罚，不因年龄从轻"]
    assert summary_key(True) == "200元" and summary_key(False) == "3000元"
    assert summary_key(True, 200).startswith("可以") and summary_key(True, 201).endswith("应当适用普通程序")
    assert summary_key(False, 3000).startswith("可以") and summary_key(False, 3001).endswith("应当适用普通程序")
    assert procedure_key("two_officers", 0).startswith("执法人员不得少于两人")  # one officer alone (第四十二条)
    assert procedure_key("recusal", 0) == "执法队员甲应当回避"  # a brother of the party (第四十三条第一款)
    assert procedure_key("recusal", 1).endswith("决定作出前不停止调查")  # a party's application (第三款)
    assert hearing_key(True, 5000, 5000, 50000).startswith("应当告知") and hearing_key(False, 49999, 5000, 50000).startswith("无须")
    assert limit_key(date(2022, 3, 1), date(2024, 3, 2)) == "不再给予行政处罚"
    assert limit_key(date(2022, 3, 1), date(2024, 2, 28)) == "依法给予行政处罚"
    # 立案 2026-09-25: 九十日 end on 2026-12-24 (the 办案 timeline's own test case)
    assert recompute({"engine": "deadline", "params": {"step": "审查决定", "start": "2026-09-25"}}, store) == "2026年12月24日"


def test_a_wrong_key_is_not_verified(store):
    import random

    from assistant.quiz.application import age_items

    raw = age_items(store, random.Random(0))[0]
    item = {"type": "single", "stem": raw["stem"], "options": dict(zip("ABCD", raw["choices"])), "answer": ["A"],
            "explanation": "", "source": raw["source"], "tag": "", "difficulty": "", "verify": raw["verify"]}
    assert verify_item(item, store, "")[0]  # choices[0] is the key
    assert not verify_item(dict(item, answer=["B"]), store, "")[0]
    assert not verify_item(dict(item, verify=dict(raw["verify"], needle="当场收缴")), store, "")[0]  # not this article


def test_levels_and_a_scope_without_engines(store):
    basic = generate_quiz(store, "行政处罚法", n=10, level="基础", seed=1)
    assert basic["report"]["application_items"] == 0
    mixed = generate_quiz(store, "行政处罚法", n=20, level="综合", seed=1)
    assert 5 <= mixed["report"]["application_items"] <= 10
    other = generate_quiz(store, "民法典 第二百零一条-第二百零三条", n=3, level="应用", seed=1)
    assert other["report"]["application_items"] == 0 and "暂无" in other["report"]["note"]
    with pytest.raises(ScopeError, match="难度"):
        generate_quiz(store, "行政处罚法", n=5, level="很难")


@pytest.fixture(scope="module")
def table_store(laws, tmp_path_factory) -> SQLiteStore:
    """A 裁量基准 table written by the test (DOCX) whose basis is current law in the store (广告法 第五十七条)."""
    from tests.office_builders import MERGED, write_docx_discretion

    root = tmp_path_factory.mktemp("table")
    corpus = laws(root / "laws", "中华人民共和国广告法", "中华人民共和国行政处罚法")
    header = ["序号", "违法行为", "处罚依据", "违法情节", "处罚幅度"]
    basis = "《中华人民共和国广告法》第五十七条"
    rows = [(1, "发布含有“国家级”“最高级”“最佳”等绝对化用语的广告", basis, "违法广告发布时间7日以下", "处二十万元以上四十万元以下罚款"),
            (MERGED, MERGED, MERGED, "违法广告发布时间7日以上30日以下", "处四十万元以上七十万元以下罚款"),
            (MERGED, MERGED, MERGED, "违法广告发布时间30日以上", "处七十万元以上一百万元以下罚款"),
            (2, "发布含有烟草广告内容的户外广告", basis, "户外广告面积10平方米以下", "处二十五万元以上五十万元以下罚款"),
            (MERGED, MERGED, MERGED, "户外广告面积10平方米以上", "处五十万元以上一百万元以下罚款")]
    write_docx_discretion(corpus / "某市市场监管领域广告违法行为罚款裁量基准.docx", "某市市场监管领域广告违法行为罚款裁量基准",
                          header, rows)
    store = SQLiteStore(root / "corpus.db")
    ingest(store, [corpus])
    return store


def test_a_discretion_table_gives_tier_items_keyed_by_the_advisor(table_store):
    title = "某市市场监管领域广告违法行为罚款裁量基准"
    advisor = DiscretionAdvisor(table_store)
    paper = generate_quiz(table_store, title, n=3, level="应用", seed=2, advisor=lambda: advisor)
    assert paper["items"] and paper["report"]["keys_verified"] == len(paper["items"])
    for item in paper["items"]:
        key = item["options"][item["answer"][0]]
        facts = item["stem"].split("依据《")[0]
        assert title in item["stem"]  # the table is named
        advice = advisor.advise(facts)
        assert advice.decision == "matched" and advice.matches[0].range_text == key
        assert item["source"]["title"] == title and key in item["explanation"] and "第五十七条" in item["explanation"]
    with pytest.raises(ScopeError, match="应用"):
        generate_quiz(table_store, title, n=3, level="基础", advisor=lambda: advisor)


def test_tiers_resting_on_repealed_law_give_no_exam_key(discretion_data: Path):
    """The synthetic Guangdong table cites 水污染防治法, repealed by 生态环境法典 (2026-08-15): its amounts may not be
    lawful today, so no tier item is keyed on it."""
    from tests.builders import GD_STANDARD

    store = SQLiteStore(discretion_data / "corpus.db")
    advisor = DiscretionAdvisor(store)
    with pytest.raises(ScopeError, match="无法出题"):
        generate_quiz(store, GD_STANDARD, n=4, level="应用", seed=2, advisor=lambda: advisor)


def test_recall_blanks_carry_the_rule_and_no_stem_ends_at_an_unlisted_list(store):
    from assistant.quiz.builders import rule_modal

    text = "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。行政处罚决定书应当载明下列事项："
    assert not rule_modal("行政处罚决定书应当载明下列事项：", len("行政处罚决定书应当"))  # any modal reads naturally
    assert rule_modal("初次违法且危害后果轻微并及时改正的，可以不予行政处罚。", len("初次违法且危害后果轻微并及时改正的，可以"))
    assert "下列事项：" in text
    for seed in range(3):
        batch = generate_quiz(store, "行政处罚法", n=40, level="综合", seed=seed)
        for item in batch["items"]:
            assert not re.search(r"下列[^。？]{0,12}[：:]", item["stem"]), item["stem"]
            if item["tag"].endswith("情态") and item["type"] == "single":
                blank = item["stem"].index("（　　）")
                assert rule_modal(item["stem"].replace("（　　）", "应当"), blank + 2), item["stem"]


def test_progress_is_told_at_once_and_per_item(store):
    seen = []
    generate_quiz(store, "行政处罚法", n=10, level="应用", seed=4, progress=lambda *a: seen.append(a))
    assert seen[0] == ("准备题库", 0, 10)
    assert [a for a in seen if a[0] == "情境应用题" and a[1] > 0] and [a for a in seen if a[0] == "识记题"]


def test_an_llm_rewrite_is_used_only_when_it_keeps_every_fact(store):
    from assistant.quiz.scenario_kit import rewrite_scenario
    from tests.fakes import ScriptedGenerator

    stem = "某水果店在人行道上摆放经营用桌椅，该行为持续至2022年4月15日终了，2024年10月11日被执法人员发现。对某水果店应当如何处理？"
    options = ["不再给予行政处罚", "依法给予行政处罚"]
    good = ScriptedGenerator("执法人员2024年10月11日巡查时发现，某水果店曾在人行道上摆放经营用桌椅，该行为已于2022年4月15日终了。")
    assert rewrite_scenario(stem, good, options).endswith("对某水果店应当如何处理？")
    dropped_date = ScriptedGenerator("执法人员巡查时发现某水果店曾在人行道上摆放桌椅，该行为早已终了。")
    assert rewrite_scenario(stem, dropped_date, options) is None
    leaks = ScriptedGenerator("2024年10月11日发现某水果店2022年4月15日终了的摆桌椅行为，依法给予行政处罚。")
    assert rewrite_scenario(stem, leaks, options) is None
    paper = generate_quiz(store, "行政处罚法", n=6, level="应用", seed=2, generator=dropped_date)
    assert paper["report"]["scenarios_rewritten"] == 0 and paper["report"]["keys_verified"] == 6


def test_the_paper_states_its_blueprint_by_chapter(paper):
    from assistant.quiz.export import to_docx
    import io
    from docx import Document

    blueprint = paper["report"]["blueprint"]
    assert sum(blueprint.values()) == len(paper["items"]) and any(k.startswith("第") and "章" in k for k in blueprint)
    text = "\n".join(p.text for p in Document(io.BytesIO(to_docx(paper))).paragraphs)
    assert "命题蓝图：" in text and "答案与解析" in text
