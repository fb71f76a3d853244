"""Everyday descriptions per article (#21, assistant/retrieval/sayings.py): the shipped data's shape, the words
index, and the search — an article whose descriptions hold the question's street words joins the candidates, with
its 罚则 after it; a named law or an empty set of descriptions changes nothing."""

from __future__ import annotations

import json

from assistant.retrieval import Filters, HybridRetriever
from assistant.retrieval.hybrid import FusionWeights
from assistant.retrieval.sayings import DATA, ArticleSayings, load_article_sayings

BODY = """第一章 总则
第一条 为了加强城市市容和环境卫生管理，制定本条例。
第二条 任何单位和个人不得在城市道路、桥梁、人行道上擅自设置摊点、堆放物料。
第三条 任何单位和个人不得擅自占用城市绿地。
第四条 单位和个人应当按照规定的时间、地点投放生活垃圾。
第五条 在街道两侧的建筑物上设置户外广告，应当经市容环境卫生行政主管部门同意。
第二章 法律责任
第六条 违反本条例第二条规定的，由城市管理部门责令改正，可以处二百元以下的罚款。
第七条 违反本条例第五条规定的，由市容环境卫生行政主管部门责令限期拆除，可以并处五百元以下的罚款。
"""
TITLE = "某市市容管理条例"


def test_the_shipped_descriptions_are_well_formed():
    entries = load_article_sayings(DATA)
    assert len(entries) >= 400
    assert {t for t, _, _ in entries} <= {"中华人民共和国生态环境法典", "城市道路管理条例", "城市市容和环境卫生管理条例",
                                         "城市绿化条例"}
    assert len({(t, a) for t, a, _ in entries}) == len(entries)
    assert all(1 <= len(says) <= 4 and all(8 <= len(s) <= 60 for s in says) for _, _, says in entries)


def test_the_words_index_ranks_the_article_described(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"title": TITLE, "article": 2, "says": ["推着小车在人行道上摆摊卖水果", "早餐摊占了半条人行道"]},
        {"title": TITLE, "article": 4, "says": ["半夜把垃圾袋扔在路边"]},
        {"title": TITLE, "article": 3, "says": []}]), encoding="utf-8")
    entries = load_article_sayings(path)
    assert [(t, a) for t, a, _ in entries] == [(TITLE, 2), (TITLE, 4)]  # no descriptions, no entry
    best = ArticleSayings(entries).best("小贩推车在人行道摆摊", 5)
    assert best[0][:2] == (TITLE, 2) and all(score > 0 for *_, score in best)
    assert ArticleSayings(()).best("小贩推车在人行道摆摊") == []
    assert load_article_sayings(tmp_path / "missing.jsonl") == ()


def test_search_brings_the_described_article_and_its_penalty(tmp_path, hashing_index):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / f"{TITLE}.md").write_text(f"# {TITLE}\n\n" + BODY, encoding="utf-8")
    store, index, embedder = hashing_index(root, tmp_path / "data")
    said = ArticleSayings(((TITLE, 2, ("推着小车在人行道上摆摊卖水果", "早餐摊占了半条人行道，行人只能走马路")),))
    question = "有个卖水果的推车摆摊，把人行道占了，怎么处罚？"
    with_sayings = HybridRetriever(store, index, embedder, sayings=said).search(question, 4, Filters())
    articles = [h.chunk.article for h in with_sayings]
    assert articles[:2] == [2, 6]  # the duty, then its 罚则 as its partner
    without = HybridRetriever(store, index, embedder, sayings=ArticleSayings(())).search(question, 4, Filters())
    with_law_named = HybridRetriever(store, index, embedder, sayings=said).search(
        f"{TITLE}里卖水果的推车摆摊占人行道怎么罚", 4, Filters())
    plain_named = HybridRetriever(store, index, embedder, sayings=ArticleSayings(())).search(
        f"{TITLE}里卖水果的推车摆摊占人行道怎么罚", 4, Filters())
    assert [h.chunk.id for h in with_law_named] == [h.chunk.id for h in plain_named]  # a named law: no sayings
    score = {h.chunk.article: h.score for h in without}
    gained = {h.chunk.article: round(h.score - score.get(h.chunk.article, 0.0), 6) for h in with_sayings}
    assert gained[2] == FusionWeights().sayings  # the best-described article gains the whole weight …
    assert gained[7] == 0.0  # … an article without descriptions nothing
