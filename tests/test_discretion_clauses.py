"""Clause-aware meaning (#20): an officer's facts carry the act with its circumstances («台山一家电镀厂，排口一直没做
监测，去年也罚过»); the gates read how close the facts' best clauses are to each violation as well as the whole facts,
while the fusion keeps the whole facts' closeness. The hashing fake encoder measures only shared characters, so it
cannot show the gain (measured with the real encoder on the dev sets, evals/README.md 「Tenth round」): these tests pin
the clause split and the formula, and that an act stated among circumstances stays a candidate."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.discretion import matching
from assistant.discretion.facts import bigrams
from assistant.discretion.matching import ViolationMatcher, fact_clauses
from tests.fakes import FakeGroup as _Group, HashingEmbedder

ACT = "未按照规定对所排放的污染物进行监测"
OTHERS = ["未按照规定设置危险废物识别标志", "将危险废物混入非危险废物中贮存", "未经批准擅自转移危险废物",
          "在饮用水水源一级保护区内垂钓", "未密闭运输砂石、渣土等易产生扬尘的物料", "拒绝、阻挠监督检查",
          "超过大气污染物排放标准排放大气污染物", "在人口集中地区焚烧秸秆", "船舶向水体倾倒船舶垃圾"]
FACTS = "台山市一家小型电镀加工厂的老板，排放的污染物一直没有做过监测，去年也因为别的事被罚过一次款"


@pytest.fixture(scope="module")
def matcher() -> ViolationMatcher:
    return ViolationMatcher([_Group(v, bigrams(v)) for v in [ACT, *OTHERS]], embedder=HashingEmbedder(dim=4096, ngrams=(2,)))  # cosine ≈ shared bigrams


def test_fact_clauses_split_at_punctuation_and_spaces():
    assert fact_clauses("台山一家电镀厂，排口没做监测。去年 也罚过；了") == ["台山一家电镀厂", "排口没做监测", "去年", "也罚过"]
    assert fact_clauses("某厂乱倒危废三吨") == ["某厂乱倒危废三吨"]
    assert len(fact_clauses("，".join(["一句话"] * 40))) == matching.MAX_CLAUSES  # a pasted document is cut


def test_the_gates_read_the_best_clauses_and_the_fusion_the_whole_facts(matcher):
    dense, plain, gate, gate_plain = matcher.dense_scores(FACTS)
    texts, owner, kind = matcher.meaning_texts()
    embed = matcher.embedder
    vectors = embed.embed_passages(texts)
    whole = vectors @ embed.embed_queries([FACTS])[0]
    by_clause = vectors @ embed.embed_queries(fact_clauses(FACTS)).T
    act = 0
    mine = owner == act
    own = mine & (kind != matching.SAYING)
    assert dense[act] == pytest.approx(whole[mine].max(), abs=1e-5)  # the fusion: the whole facts alone
    assert plain[act] == pytest.approx(whole[mine].max(), abs=1e-5)
    two_best = np.sort(by_clause[own].max(axis=0))[-matching.CLAUSES_BEST:].mean()
    assert gate[act] == pytest.approx((whole[own].max() + two_best) / 2, abs=1e-5)  # the table's own texts
    assert gate_plain[act] == pytest.approx(gate[act], abs=1e-5)  # no 不予处罚 conditions here
    assert int(np.argmax(gate)) == act


def test_one_clause_is_the_whole_facts(matcher):
    facts = "排放的污染物一直没有做过监测"
    _, _, gate, _ = matcher.dense_scores(facts)
    texts, owner, kind = matcher.meaning_texts()
    own = kind != matching.SAYING
    whole = matcher.embedder.embed_passages(texts) @ matcher.embedder.embed_queries([facts])[0]
    assert gate == pytest.approx([whole[own & (owner == i)].max() for i in range(len(matcher.groups))], abs=1e-5)


def test_an_act_stated_among_circumstances_stays_a_candidate(matcher):
    assert [c.group.violation for c in matcher.rank(FACTS)][:1] == [ACT]
