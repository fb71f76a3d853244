"""How officers say an act (assistant/discretion/sayings.py): one key for one act's wordings in two tables,
the data file's shape, and the matcher's use — the sayings lift the act they were written for, and open no gate
for facts that share nothing with the table's own words."""

from __future__ import annotations

import json
import re

from assistant.discretion import matching, ranking, sayings, scope
from assistant.discretion.facts import bigrams
from assistant.discretion.matching import ViolationMatcher
from tests.fakes import FakeGroup as _Group, HashingEmbedder


def test_one_act_in_two_tables_has_one_key():
    assert sayings.act_key("对不能密闭的易产生扬尘的物料，未设置严密围挡") == sayings.act_key("对不能密闭的易产生扬尘的物料，未设置严密围挡的")
    assert sayings.act_key("（三）未按照规定设置排污口") == sayings.act_key("未按照规定设置排污口。")
    assert sayings.act_key("未按照规定设置排污口") != sayings.act_key("未按照规定设置危险废物识别标志")
    assert re.fullmatch(r"[0-9a-f]{12}", sayings.act_key("擅自倾倒、堆放危险废物"))


def test_loading(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"key": sayings.act_key("未按照规定设置排污口"), "head": "未按照规定设置排污口",
                                "says": ["厂里排口乱开，没按要求设", " "]}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert sayings.sayings_for("未按照规定设置排污口的", path) == ("厂里排口乱开，没按要求设",)
    assert sayings.sayings_for("别的行为", path) == ()
    assert sayings.load_sayings(tmp_path / "missing.jsonl") == {}


def test_the_shipped_data_is_well_formed():
    rows = [json.loads(line) for line in sayings.DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 390
    assert len({r["key"] for r in rows}) == len(rows)
    for r in rows:
        assert re.fullmatch(r"[0-9a-f]{12}", r["key"]) and len(r["head"]) <= 12
        assert len(r["says"]) >= 4
        assert all(6 <= len(s) <= 60 for s in r["says"]), r


SIGN = "未按照规定设置危险废物识别标志"
MIXED = "将危险废物混入非危险废物中贮存"
FISHING = "在饮用水水源一级保护区内垂钓"
SAID = {sayings.act_key(SIGN): ("危废仓库门口没挂牌子", "危废间连个标识牌都没有"),
        sayings.act_key(FISHING): ("有人在水库边上甩竿", "钓鱼佬跑到水源地里甩竿")}


def _matcher(monkeypatch, with_sayings: bool) -> ViolationMatcher:
    monkeypatch.setattr(matching, "sayings_for",
                        lambda v: SAID.get(sayings.act_key(v), ()) if with_sayings else ())
    others = ["未按照国家有关规定填写危险废物转移联单", "未经批准擅自转移危险废物", "拒绝、阻挠监督检查", "未按照规定设置排污口",
              "超过大气污染物排放标准排放大气污染物", "在人口集中地区焚烧秸秆", "船舶向水体倾倒船舶垃圾"]
    groups = [_Group(v, bigrams(v)) for v in [SIGN, MIXED, FISHING, *others]]
    return ViolationMatcher(groups, embedder=HashingEmbedder())


def _score(matcher: ViolationMatcher, facts: str, violation: str) -> float:
    return next((c.score for c in matcher.rank(facts) if c.group.violation == violation), 0.0)


def test_a_saying_lifts_its_act(monkeypatch):
    facts = "危废仓库没设置识别标志，门口牌子都没挂"
    without = _score(_matcher(monkeypatch, False), facts, SIGN)
    assert without > 0  # a candidate by the table's words already
    assert _score(_matcher(monkeypatch, True), facts, SIGN) > without
    assert _score(_matcher(monkeypatch, True), facts, MIXED) == _score(_matcher(monkeypatch, False), facts, MIXED)


def test_sayings_open_no_gate(monkeypatch):
    facts = "又有人在水库边上甩竿"  # shares the saying's words, none of the act's
    assert [c.group.violation for c in _matcher(monkeypatch, True).rank(facts)] == []


LOADING = "装卸物料未采取密闭或者喷淋等方式控制扬尘排放"


def test_every_signal_first_opens_the_gate(monkeypatch):
    said = {sayings.act_key(LOADING): ("码头卸沙没喷淋灰很大", "砂石码头卸河沙不喷淋")}
    monkeypatch.setattr(matching, "sayings_for", lambda v: said.get(sayings.act_key(v), ()))
    others = ["未按照规定设置排污口", "在人口集中地区焚烧秸秆", "船舶向水体倾倒船舶垃圾", "码头、矿山未采取有效措施防治扬尘污染",
              "对不能密闭的易产生扬尘的物料，未设置严密围挡", "超过大气污染物排放标准排放大气污染物"]
    groups = [_Group(v, bigrams(v)) for v in [LOADING, *others]]
    facts = "砂石码头卸河沙，没喷淋也没遮挡，灰很大"  # few of the act's words; its sayings and the encoder agree
    monkeypatch.setattr(matching, "MEANING_DEPTH", 0)  # a small table: the encoder's depth gate would open for all
    ranked = ViolationMatcher(groups, embedder=HashingEmbedder()).rank(facts)
    assert ranked and ranked[0].group.violation == LOADING
    monkeypatch.setattr(matching, "UNANIMOUS_DENSE", -1)  # without the rule, the sayings and all-texts gate opens
    assert LOADING in [c.group.violation for c in ViolationMatcher(groups, embedder=HashingEmbedder()).rank(facts)]
    monkeypatch.setattr(matching, "SAYINGS_GATE_SHARE", 0)  # without either, the gate stays shut
    assert LOADING not in [c.group.violation for c in ViolationMatcher(groups, embedder=HashingEmbedder()).rank(facts)]


def _sayings_gate_only(monkeypatch) -> list:
    """Three groups, LOADING with two sayings, and only the sayings gate open (no depth gate, no unanimous rule)."""
    said = {sayings.act_key(LOADING): ("码头卸沙没喷淋灰很大", "砂石码头卸河沙不喷淋")}
    monkeypatch.setattr(matching, "sayings_for", lambda v: said.get(sayings.act_key(v), ()))
    monkeypatch.setattr(matching, "MEANING_DEPTH", 0)
    monkeypatch.setattr(matching, "UNANIMOUS_DENSE", -1)
    return [_Group(v, bigrams(v)) for v in [LOADING, "未按照规定设置排污口", "在人口集中地区焚烧秸秆"]]


def _found(groups: list, facts: str = "砂石码头卸河沙，没喷淋也没遮挡，灰很大") -> bool:
    return LOADING in [c.group.violation for c in ViolationMatcher(groups, embedder=HashingEmbedder()).rank(facts)]


def test_the_sayings_gate_needs_the_word_floor(monkeypatch):
    groups = _sayings_gate_only(monkeypatch)
    assert _found(groups)
    monkeypatch.setattr(matching, "MIN_WORDS", 100.0)  # under the word floor, the act both signals put first needs
    assert _found(groups)  # only the first floor (dev14 d14-002: sayings 1st, all texts 1st, words 5.17 < 5.83)
    monkeypatch.setattr(matching, "MIN_ANY_WORDS", 100.0)  # words under both floors: sayings and meaning open nothing
    assert not _found(groups)


def test_under_the_word_floor_the_sayings_gate_needs_both_signals_first(monkeypatch):
    groups = _sayings_gate_only(monkeypatch)
    monkeypatch.setattr(matching, "MIN_WORDS", 100.0)
    said = {sayings.act_key(LOADING): ("码头卸沙没喷淋灰很大",), sayings.act_key("未按照规定设置排污口"): ("砂石码头卸河沙没喷淋也没遮挡灰很大",)}
    monkeypatch.setattr(matching, "sayings_for", lambda v: said.get(sayings.act_key(v), ()))
    assert not _found(groups)  # another act's sayings come first


def test_the_sayings_gate_opens_for_few_words_of_the_act(monkeypatch):
    # dev12 d12-033 («没给负责收运医疗废物的护工搞过培训»): the encoder over all texts put the 培训 act first, the sayings
    # 5th, and the facts' act words scored under the first floor (4.64 < 4.95): the gate must come before that floor
    groups = _sayings_gate_only(monkeypatch)
    monkeypatch.setattr(matching, "MIN_ANY_WORDS", 100.0)  # the act's words under the first floor
    assert _found(groups)
    monkeypatch.setattr(matching, "SAYINGS_GATE_SHARE", 0)
    assert not _found(groups)


def test_every_signal_first_needs_no_word_floor(monkeypatch):
    # dev10 d10-023 («载客中巴…拉了一桶废机油»): BM25, sayings and the encoder all put 「将危险废物与旅客在同一运输工具上
    # 载运」 first, and its words scored just under the floor (5.36 < 5.83)
    said = {sayings.act_key(LOADING): ("码头卸沙没喷淋灰很大", "砂石码头卸河沙不喷淋")}
    monkeypatch.setattr(matching, "sayings_for", lambda v: said.get(sayings.act_key(v), ()))
    groups = [_Group(v, bigrams(v)) for v in [LOADING, "未按照规定设置排污口", "在人口集中地区焚烧秸秆", "船舶向水体倾倒船舶垃圾"]]
    monkeypatch.setattr(matching, "MEANING_DEPTH", 0)
    monkeypatch.setattr(matching, "MIN_WORDS", 100.0)  # every BM25 score under the word floor
    ranked = ViolationMatcher(groups, embedder=HashingEmbedder()).rank("砂石码头卸河沙，没喷淋也没遮挡，灰很大")
    assert ranked and ranked[0].group.violation == LOADING


def test_a_lifted_item_takes_its_place_without_pushing_the_others_down():
    import numpy as np

    base = np.array([0.9, 0.5, 0.7, 0.2])
    lifted = np.array([0.9, 0.5, 0.7, 0.8])  # entry 3: a 不予处罚 item its conditions lift
    ranks = ranking.lifted_ranks(base, lifted, np.array([False, False, False, True]))
    assert list(ranks) == [0, 2, 1, 1]  # the item is 2nd among the others; they keep their own ranks


def test_an_act_whose_subject_lists_the_kind_the_facts_name():
    from assistant.retrieval.terms import expand

    def said(facts: str) -> str:
        return f"{facts} {expand(facts)}"

    industry = "钢铁、建材、有色金属、石油、化工、制药、矿产开采等企业，未采取集中收集处理、密闭、围挡、遮盖、清扫、洒水等措施"
    assert scope.subject_named(industry, said("清远一个水泥厂，熟料和煤都露天堆着"))  # 水泥厂 → 建材
    assert not scope.subject_named(industry, said("工地上的沙子没盖"))
    assert scope.subject_named("码头、矿山、填埋场和消纳场未采取有效措施防治扬尘污染", said("采石场破碎机那边不洒水"))
    assert not scope.subject_named("对不能密闭的易产生扬尘的物料，未设置严密围挡", said("水泥厂的煤堆没盖"))  # no list
    assert not scope.subject_named("产生、收集、贮存、运输、利用、处置固体废物的单位未依法及时公开", said("收集固废"))  # verbs


def test_words_and_sayings_agreeing_open_the_gate_however_far_the_encoder(monkeypatch):
    # dev10 d10-017 («登记时承诺的风险防控措施一项没落实»): BM25 first (20.8), sayings first, the encoder 26th over all
    # texts and 127th over the table's own; o051, d5-008, d10-021 alike
    said = {sayings.act_key(LOADING): ("码头卸沙没喷淋灰很大", "砂石码头卸河沙不喷淋")}
    monkeypatch.setattr(matching, "sayings_for", lambda v: said.get(sayings.act_key(v), ()))
    groups = [_Group(v, bigrams(v)) for v in [LOADING, "未按照规定设置排污口", "在人口集中地区焚烧秸秆", "船舶向水体倾倒船舶垃圾"]]
    monkeypatch.setattr(matching, "MEANING_DEPTH", 0)
    monkeypatch.setattr(matching, "UNANIMOUS_DENSE", -1)  # the encoder agrees with nothing
    monkeypatch.setattr(matching, "SAYINGS_GATE_SHARE", 0)
    monkeypatch.setattr(matching, "MIN_COVERAGE", 2.0)  # nor do the table's own words cover a clause or stand
    monkeypatch.setattr(matching, "VIOLATION_NEAR", 0)  # near the encoder's first
    monkeypatch.setattr(matching, "LEGAL_HELD", 2.0)
    facts = "装卸物料没有密闭，也没有喷淋，扬尘排放很大"
    assert _found(groups, facts)
    monkeypatch.setattr(matching, "WORDS_AND_SAYINGS", 100.0)  # words under that floor: the gate stays shut
    assert not _found(groups, facts)
