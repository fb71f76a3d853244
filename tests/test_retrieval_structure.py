"""Retrieval by legal structure (#21): everyday words point to regulations by their title words, and a text that
binds one place yields to the national one when the question gives no region."""

from assistant.retrieval import Filters, FusionWeights, HybridRetriever

NATIONAL = """# 城市绿化条例

第一条 为了促进城市绿化事业的发展，制定本条例。
第二条 任何单位和个人都不得擅自占用城市绿化用地。
第三条 未经同意擅自占用城市绿化用地的，由城市绿化行政主管部门责令限期退还、恢复原状，可以并处罚款。
"""
LOCAL = NATIONAL.replace("# 城市绿化条例", "# 浙江省城市绿化管理条例").replace("城市绿化行政主管部门", "县级以上城市绿化主管部门")
OTHER = """# 某市停车场管理办法

第一条 停车场经营者应当公示收费标准。
第二条 不得擅自改变停车场用途，不得把停车位改作他用。
"""


def _retriever(tmp_path, hashing_index, **weights) -> HybridRetriever:
    root = tmp_path / "corpus"
    root.mkdir(parents=True, exist_ok=True)
    for name, text in (("城市绿化条例", NATIONAL), ("浙江省城市绿化管理条例", LOCAL), ("某市停车场管理办法", OTHER)):
        (root / f"{name}.md").write_text(text, encoding="utf-8")
    store, index, embedder = hashing_index(root, tmp_path / "data")
    return HybridRetriever(store, index, embedder, weights=FusionWeights(**weights))


def test_topic_words_lift_the_regulation_the_street_words_point_to(tmp_path, hashing_index):
    a = _retriever(tmp_path / "a", hashing_index)
    b = HybridRetriever(a.store, a.index, a.embedder, weights=FusionWeights(topic=0.0))
    q = "草坪被铲了改停车位，擅自占用怎么罚"  # 草坪 → 城市绿化 (topics.tsv); its words also say 停车位

    def first_green(hits) -> int:
        return next(i for i, h in enumerate(hits) if "绿化" in h.document.title)

    assert first_green(a.search(q, 3, Filters())) < first_green(b.search(q, 3, Filters()))


def test_a_local_text_yields_to_the_national_one_unless_the_region_is_given(tmp_path, hashing_index):
    r = _retriever(tmp_path, hashing_index, topic=0.0)
    q = "擅自占用城市绿化用地怎么处罚"
    assert r.search(q, 2, Filters())[0].document.title == "城市绿化条例"
    local_first = r.search("县级以上城市绿化主管部门 擅自占用城市绿化用地", 2, Filters(region="浙江"))
    assert local_first[0].document.title == "浙江省城市绿化管理条例"


def test_a_place_the_question_names_counts_as_where_the_officer_is(tmp_path, hashing_index):
    r = _retriever(tmp_path, hashing_index, topic=0.0)
    assert r._place_named("浙江的绿化条例怎么规定占用绿地") == "浙江" and r._place_named("占用绿地怎么罚") is None
    hits = r.search("浙江擅自占用城市绿化用地怎么处罚", 2, Filters())
    assert hits[0].document.title == "浙江省城市绿化管理条例"
