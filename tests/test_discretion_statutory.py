"""A tier's fine against the range of the article now in place of the one its table cites (2026-12-02, the break
test's «computed fines of tables whose basis law the code replaced are not checked against the code's range»).
Article texts below are shaped like the code's 罚则, written for the test."""

from __future__ import annotations

import math

import pytest

from assistant.discretion.statutory import Envelope, fine_envelope, outside, range_warning

ONE_RANGE = ("第一千二百零二条 违反本法规定，放射性固体废物产生者，不按照国家规定对其产生的放射性固体废物进行处理和处置的，"
             "由生态环境主管部门责令停止违法行为，限期改正，处五万元以上二十万元以下的罚款；逾期不改正的，指定有处理能力的"
             "单位代为处理、处置，所需费用由放射性固体废物产生者承担，并处二十万元以上一百万元以下的罚款。")
RELATIVE_ONLY = "第一条 违反本法规定……没收违法所得，并处违法所得一倍以上五倍以下的罚款；对所有人处每辆五千元的罚款。"
OPEN_ABOVE = "第二条 违反本法规定……处二万元以下的罚款；情节严重的，处二十万元以上的罚款。"


def test_the_envelope_of_an_articles_ranges():
    assert fine_envelope(ONE_RANGE) == Envelope(50_000, 1_000_000)
    assert fine_envelope(RELATIVE_ONLY) is None  # multiples and per-unit fines: no yuan envelope
    assert fine_envelope(OPEN_ABOVE) == Envelope(0, math.inf)
    assert fine_envelope("第三条 国家鼓励……") is None


@pytest.mark.parametrize("lo, hi, how", [
    (None, 50_000, "部分低于"),  # 「5万元以下」
    (10_000, 30_000, "低于"),
    (50_000, 100_000, None),
    (800_000, 1_200_000, "部分高于"),
    (1_500_000, 2_000_000, "高于"),
    (None, None, None),
])
def test_how_a_tier_leaves_the_envelope(lo, hi, how):
    assert outside(lo, hi, Envelope(50_000, 1_000_000)) == how


def test_the_warning_names_the_article_and_the_bound():
    label = "《中华人民共和国生态环境法典》第一千二百零二条"
    text = range_warning(10_000, 30_000, label, ONE_RANGE)
    assert label in text and "50,000元" in text and "低于" in text and "从旧兼从轻" in text
    assert range_warning(60_000, 90_000, label, ONE_RANGE) is None
    assert range_warning(10_000, 30_000, label, RELATIVE_ONLY) is None


def _cited(similarity: float):
    from assistant.discretion.types import ProvisionCitation
    return ProvisionCitation(title="中华人民共和国环境影响评价法", article=31, verified=True, status="已废止",
                             successor="《中华人民共和国生态环境法典》第一千零九十五条", successor_chunk_id="x",
                             successor_similarity=similarity)


@pytest.mark.parametrize("similarity, cautioned", [(0.51, True), (0.93, False)])
def test_a_loose_successor_is_stated_with_a_caution(similarity, cautioned):
    from assistant.discretion.basis import stale_warnings
    from assistant.discretion.types import TierMatch
    tier = TierMatch(violation="v", circumstance="", prior_violation="", range_text="r", min_yuan=1.0, max_yuan=2.0,
                     violated_provision="", penalty_basis="", document="某裁量表", region="广东", status="现行有效",
                     page=None, chunk_id="c", citations=[_cited(similarity)], score=1.0, coverage=1.0)
    text = stale_warnings([tier])[-1]
    assert "→ 现行：《中华人民共和国生态环境法典》第一千零九十五条" in text
    if cautioned:
        assert "文本相似度 0.51，仅供参考" in text
    else:
        assert "相似度" not in text


def test_the_citation_line_carries_the_caution_too():
    assert "文本相似度 0.51，仅供参考，请核对" in _cited(0.51).shown
    assert _cited(0.93).shown == ("《中华人民共和国环境影响评价法》第三十一条（已废止 → 现行：《中华人民共和国生态环境法典》"
                                  "第一千零九十五条）")
