"""The order to correct and what came of it (dev6, 2026-12-02): «到期去复查还是没修» is 逾期未改正 though the words
lie far apart; «叫他们限期修好» is the order, not the outcome; a table that lists an act and the same act
«……，逾期未改正» gives the act's own fine unless the facts say the deadline passed."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.discretion.facts import choose_value, widened
from assistant.discretion.overdue import ORDER, order_stages, stage_pairs
from assistant.discretion.spoken import deadline_kept

ACT = "对医疗废物的处置不符合国家规定的环境保护、卫生标准、规范"


@pytest.mark.parametrize("facts, kept", [
    ("不过叫他们限期修好，到期去复查还是没修。", False),
    ("上次检查已经责令改正，限期过了去复查还是老样子。", False),
    ("责令整改，过了期限没有改", False),
    ("当场责令10天内补建，到期复查还是一本空本子。", False),
    ("给了一个月，复查时台账一片空白", False),
    ("到期没拆", False),
    ("责令改正后倒是按期整改到位了", True),
    ("责令限期改正，期限内已经全部补训补考完。", True),
    ("复查时发现已经整改到位", True),
    ("限期一个月拆除，到期复查已拆除", True),
    ("下了整改通知，现在还在整改期内", None),
    ("复查未发现问题", None),
    ("车厢没防渗漏也没标识，根本不是专用车", None),
    ("逾期未超标", None),
])
def test_the_outcome_of_the_order_as_officers_tell_it(facts, kept):
    assert deadline_kept(facts) is kept


@pytest.mark.parametrize("facts, value", [
    ("不过叫他们限期修好，到期去复查还是没修。", "逾期未改正"),
    ("上次检查已经责令改正，限期过了去复查还是老样子。", "逾期未改正"),
    ("责令改正后倒是按期整改到位了", "限期内改正"),
])
def test_the_outcome_chooses_the_rectification_value(facts, value):
    said = widened(ORDER.sub("责令", facts))
    assert choose_value(["整改情况：逾期未改正", "整改情况：限期内改正"], said) == f"整改情况：{value}"


def test_an_order_in_everyday_words_is_no_outcome():
    assert ORDER.sub("责令", "叫他们限期修好，到期复查") == "责令，到期复查"
    assert ORDER.sub("责令", "让我们进厂") == "让我们进厂"  # 让 without a deadline orders nothing


def _group(doc: str, violation: str):
    return SimpleNamespace(key=(doc, violation), violation=violation, no_penalty=False)


def test_an_act_and_the_same_act_not_corrected_are_a_pair():
    base, variant = _group("gd", ACT), _group("gd", f"{ACT}，逾期未改正")
    other = _group("jm", f"{ACT}，逾期未改正")  # another table: no pair
    pairs = stage_pairs([base, variant, other, _group("gd", "未建立台账，拒不改正")])
    assert pairs[base.key] == pairs[variant.key] == (base, variant)
    assert other.key not in pairs and ("gd", "未建立台账，拒不改正") not in pairs


@pytest.mark.parametrize("kept, first", [(None, "base"), (True, "base"), (False, "variant")])
def test_the_facts_decide_which_of_the_pair_comes_first(kept, first):
    base, variant, third = _group("gd", ACT), _group("gd", f"{ACT}，逾期未改正"), _group("gd", "未及时收集医疗废物")
    pairs = stage_pairs([base, variant, third])
    ranked = [(3.0, 0.9, variant), (2.0, 0.8, third), (1.0, 0.7, base)]
    out = order_stages(ranked, pairs, kept)
    assert [g for _, _, g in out] == ([base, variant, third] if first == "base" else [variant, base, third])
    assert out[1][0] < out[0][0]  # the partner scores just below, never tied


def test_the_partner_joins_when_only_one_was_ranked():
    base, variant = _group("gd", ACT), _group("gd", f"{ACT}，逾期未改正")
    out = order_stages([(3.0, 0.9, variant)], stage_pairs([base, variant]), None)
    assert [g for _, _, g in out] == [base, variant]


@pytest.mark.parametrize("facts, prior", [
    ("两年内就这一回被查处。", (0, 0)),  # the present case, not an earlier one
    ("上次检查已经责令改正，限期过了去复查还是老样子。两年内就这一回被查处。", (0, 0)),  # 上次检查 ordered this case's fix
    ("但去年他们也出过一回同样的问题。", (1, 1)),
    ("上次也是因为这个被罚了", (1, float("inf"))),
    ("这一次又被查到", (1, 1)),
])
def test_this_one_time_and_the_last_inspection(facts, prior):
    from assistant.discretion.prior import prior_from_facts

    assert prior_from_facts(facts) == prior


def test_questions_and_checks_in_progress_state_nothing():
    from assistant.discretion.prior import stated_only

    facts = "交给一家没资质的公司处理了，具体是哪一类源、量多少、活度多高，还在核实。"
    assert stated_only(facts) == "交给一家没资质的公司处理了，"


def test_a_group_with_a_first_violation_row_counts_earlier_ones_only():
    from assistant.discretion.groups import _has_first_row

    def tiers(*priors):
        return SimpleNamespace(tiers=[SimpleNamespace(chunk=SimpleNamespace(record=SimpleNamespace(
            circumstance=p, prior_violation=""))) for p in priors])

    assert _has_first_row(tiers("近二年无同类违法行为", "近二年有1次同类违法行为", "近二年有2次以上同类违法行为"))
    assert not _has_first_row(tiers("近二年同类违法行为情况：1次", "近二年同类违法行为情况：2次以上"))


def test_a_category_is_no_denial():
    from assistant.discretion.clauses import negated

    assert not negated("这个项目按类别要做报告书的") and not negated("属于特别严重的") and negated("别动现场")


def test_the_stated_report_kind_decides_the_class():
    from assistant.discretion.facts import value_scores

    facts = widened("新会一家环评公司给一个化工项目编环评，这个项目按类别要做报告书的，监测数据是编出来的")
    scores = value_scores(["环评类别：报告表类", "环评类别：报告书类"], facts,
                          act="从事建设项目环境影响评价工作的单位在环境影响评价工作中弄虚作假")
    assert scores["环评类别：报告书类"] > scores["环评类别：报告表类"]


def test_a_denial_in_one_item_of_a_list_does_not_deny_the_next():
    said = widened("一批低放射性固体废物交给没有许可证的公司，量不大、活度也低")
    assert "量小" in said and "活度低" in said


@pytest.mark.parametrize("facts, denied", [
    ("不在环境敏感区，以前没有过这类违法", True),
    ("厂在普通工业区，不属于水源保护区", True),
    ("在饮用水水源二级保护区里", False),
    ("不在水源保护区，但在风景名胜区", False),
    ("河涌是Ⅴ类水，附近没有水源保护区、自然保护区、风景区、养殖区", True),  # the denial before a list denies each item
    ("没办手续在饮用水源保护区建厂", False),
    ("那段河是IV类水，水源地、自然保护区、渔业保护区、风景区、遗产地都不沾边", True),
])
def test_protected_places_named_only_to_deny_them(facts, denied):
    from assistant.discretion.facts import value_scores
    from assistant.discretion.protected import places_denied as _places_denied

    assert _places_denied(facts) is denied
    if denied:
        scores = value_scores(["1：涉及低放射性固体废物的", "3：在环境敏感区内的"], widened(f"涉及低放射性固体废物，{facts}"))
        assert scores["1：涉及低放射性固体废物的"] > scores["3：在环境敏感区内的"]


def test_the_places_lapsed_wording_of_the_act_joins_however_low_the_encoder_put_it(discretion_data, monkeypatch):
    """dev6 d6-006: the 广东 group is first and still asks; the 江门 wording of the same act (lapsed) ranked far below
    it — it is considered all the same, and its row the facts fix comes first, for reference."""
    from assistant.discretion.advisor import DiscretionAdvisor
    from assistant.discretion.twins import TWIN, twin_overlap
    from assistant.discretion.matching import Candidate
    from corpus.sqlite_store import SQLiteStore

    advisor = DiscretionAdvisor(SQLiteStore(discretion_data / "corpus.db"))
    current = [g for g in advisor.groups if g.doc.region == "广东" and not g.no_penalty and not g.weighted]
    pairs = [(gd, jm) for jm in advisor.groups if jm.doc.region == "广东江门" and not jm.no_penalty
             for gd in current if twin_overlap(gd.violation, jm.violation) >= TWIN and len(jm.tiers) > 1]
    assert pairs, "the synthetic tables word one act in both tables"
    gd, jm = pairs[0]
    other = next(g for g in current if g is not gd)
    monkeypatch.setattr(advisor.matcher, "rank", lambda facts: [Candidate(1.0, 0.9, 0.5, gd), Candidate(0.9, 0.8, 0.4, other),
                                                                Candidate(0.3, 0.5, 0.2, jm)])
    circumstance = jm.tiers[0].chunk.record.circumstance.split("：", 1)[-1]
    advice = advisor.advise(f"新会一家厂{jm.violation}，{circumstance}", region="广东江门")
    assert any(m.document == jm.doc.title for m in advice.matches)


def test_the_legal_words_of_a_clause_are_read_term_by_term():
    from assistant.discretion.act_words import legal_bigrams

    found = legal_bigrams("佛山一家厂污水处理设备突发故障停了，两个小时内就上报")
    assert any({"不正", "正常", "常运", "运行", "设施"} <= b for b in found)
    assert not any("施不" in b or "行污" in b for b in found)  # no bigram across two terms
    assert legal_bigrams("今天天气很好") == []


@pytest.mark.parametrize("facts, values, value", [
    ("调查时老板拒不提供花名册和培训记录，一直躲着不见人", ["配合调查情况：配合调查", "配合调查情况：不配合调查"], "配合调查情况：不配合调查"),
    ("这次对方倒是很配合，材料都主动交了", ["配合调查情况：配合调查", "配合调查情况：不配合调查"], "配合调查情况：配合调查"),
    ("今年压根没公布", ["已公布能源消耗或者重点污染物产生、排放情况，但不符合规定", "不公布能源消耗或者重点污染物产生、排放情况"],
     "不公布能源消耗或者重点污染物产生、排放情况"),
    ("埋地油罐是双层罐，但从建站到现在一次渗漏检测都没做过", ["未使用双层罐或者采取建造防渗池等其他有效措施", "未进行防渗漏监测"],
     "未进行防渗漏监测"),
])
def test_cooperation_publication_and_leak_checks_in_officers_words(facts, values, value):
    assert choose_value(values, widened(facts)) == value


def test_not_exceeding_the_standard_is_within_it():
    from assistant.discretion.facts import value_scores

    values = ["1：未排放污染物的", "2：排放水污染物（不含一类污染物、重金属、有毒、持久性有机污染物）不超过排放标准的",
              "4：排放水污染物（一类污染物、重金属、有毒、持久性有机污染物）不超过排放标准的",
              "5：排放水污染物（一类污染物、重金属、有毒、持久性有机污染物）超过排放标准的"]
    scores = value_scores(values, widened("在厂外河边私自开了个排污口，排的是含镍废水，取样检测镍没超标"))
    assert max(scores, key=scores.get) == values[2]


def test_a_sign_put_up_but_incomplete():
    values = ["已设置，但不符合要求", "未设置"]
    assert choose_value(values, widened("危废仓库的识别标志贴了，但缺项、格式不规范")) == values[0]


@pytest.mark.parametrize("facts, term, added", [
    ("把装过废机油的铁桶没清洗就拿去给隔壁养殖户装饲料用", "容器", True),  # 没 denies 清洗, not the 铁桶 before it
    ("取样检测没超标", "排放标准", False),
    ("这批渣子不涉及危废", "危险废物", False),
])
def test_a_negator_denies_the_key_it_stands_before(facts, term, added):
    assert (term in widened(facts)[len(facts):]) is added


def test_first_and_repeat_offence_rows_are_counts():
    from assistant.discretion.facts import conditions
    from assistant.discretion.prior import PRIOR, prior_from_facts, prior_from_tier

    assert prior_from_tier("1：初犯的") == (0, 0) and prior_from_tier("2：再犯或以上的") == (1.0, float("inf"))
    assert conditions("2：再犯或以上的", "")[0].factor == PRIOR
    said = prior_from_facts("上个月在这钓鱼已经被罚过一回，这次又来了")
    assert said is not None and said[0] >= 1
    assert choose_value(["整改情况：立即停止违法行为", "整改情况：未立即停止违法行为"],
                        widened("叫他收竿还磨磨蹭蹭不肯走")) == "整改情况：未立即停止违法行为"
