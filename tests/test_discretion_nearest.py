"""Facts no 裁量基准 covers get the statutes' nearest 罚则, as the corpus words them (2026-12-02: a break test found
«未找到适用的裁量基准» alone left officers empty-handed for 小广告, 渣土车 …)."""

from __future__ import annotations

from assistant.discretion.nearest import nearest_penalty_articles
from assistant.retrieval.base import Hit
from corpus.ingest import ingest
from corpus.sqlite_store import SQLiteStore
from tests.builders import front_matter, write
from tests.fakes import FakeRetriever

RULES = front_matter(title="某市市容管理条例", doc_type="local_regulation", region="某市", effective_date="2015-01-01",
                     status="现行有效") + """
# 某市市容管理条例

第一条 为了加强市容管理，制定本条例。

第九条 任何单位和个人不得在建筑物外墙擅自张贴宣传品。

第十一条 在建筑物外墙擅自悬挂、张贴宣传品的，由城市管理部门责令清除，处一百元以上五百元以下罚款。
"""


def test_only_articles_that_punish_are_offered_nearest_first(tmp_path):
    write(tmp_path / "corpus", "rules.md", RULES)
    store = SQLiteStore(tmp_path / "corpus.db")
    ingest(store, [tmp_path / "corpus"])
    doc = next(d for d in store.documents() if d.title == "某市市容管理条例")
    chunks = {c.article: c for c in store.chunks_of(doc.id, articles_only=True)}
    hits = [Hit(chunk=chunks[9], document=doc, score=3.0, via="hybrid"),
            Hit(chunk=chunks[11], document=doc, score=2.0, via="linked", relation="罚则"),
            Hit(chunk=chunks[1], document=doc, score=1.0, via="hybrid")]
    found = nearest_penalty_articles(FakeRetriever(store, hits), "有人在楼道外墙乱贴小广告")
    assert [a.label for a in found] == ["《某市市容管理条例》第十一条"]
    assert found[0].text.startswith("第十一条") and "一百元以上五百元以下罚款" in found[0].text
    assert found[0].status == "现行有效" and found[0].relation == "罚则"


def test_a_refused_search_gives_nothing(tmp_path):
    store = SQLiteStore(tmp_path / "corpus.db")
    assert nearest_penalty_articles(FakeRetriever(store, [], max_query_chars=5), "有人在楼道外墙乱贴小广告") == []
