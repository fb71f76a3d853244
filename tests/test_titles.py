"""Cited titles resolved by in-order alignment against the store's titles (#21): abbreviations that drop words,
regions, the document type, and ambiguous citations reported with their alternatives."""

import pytest

from corpus.metadata import title_key
from corpus.model import Document, DocType
from corpus.lookup import find_documents, resolve_cited_title
from corpus.titles import TitleEntry, TitleResolver, type_word
from tests.fakes import MemoryStore

TITLES = [
    ("城市市容和环境卫生管理条例", ""), ("北京市市容环境卫生条例", "北京"), ("浙江省城市市容和环境卫生管理条例", "浙江"),
    ("市场监督管理行政处罚程序规定", ""), ("中华人民共和国道路交通安全法", ""), ("中华人民共和国道路交通安全法实施条例", ""),
    ("中华人民共和国行政处罚法", ""), ("城市道路管理条例", ""), ("城市绿化条例", ""), ("中华人民共和国城市规划法", ""),
    ("中华人民共和国城乡规划法", ""), ("物业管理条例", ""), ("北京市物业管理条例", "北京"),
    ("中华人民共和国环境影响评价法", ""), ("中华人民共和国治安管理处罚法", ""), ("中华人民共和国城市房地产管理法", ""),
]


@pytest.fixture(scope="module")
def resolver() -> TitleResolver:
    return TitleResolver([TitleEntry(t, title_key(t), r) for t, r in TITLES], {"道交法": "道路交通安全法"})


@pytest.mark.parametrize("cited, title", [
    ("市容条例", "城市市容和环境卫生管理条例"),
    ("《市场监管处罚程序规定》", "市场监督管理行政处罚程序规定"),
    ("城市道路条例", "城市道路管理条例"),
    ("绿化条例", "城市绿化条例"),
    ("道交法", "中华人民共和国道路交通安全法"),  # a known abbreviation: not a subsequence of the title
    ("道路交通安全法实施条例", "中华人民共和国道路交通安全法实施条例"),
    ("治安处罚法", "中华人民共和国治安管理处罚法"),
    ("北京市容条例", "北京市市容环境卫生条例"),  # the citation names its region
    ("中华人民共和国行政处罚法", "中华人民共和国行政处罚法"),
])
def test_abbreviations_resolve_to_the_stored_title(resolver, cited, title):
    assert resolver.resolve(cited).title == title


def test_an_ambiguous_citation_prefers_the_national_title_and_offers_the_others(resolver):
    match = resolver.resolve("市容条例")
    assert match.ambiguous and set(match.alternatives) == {"北京市市容环境卫生条例", "浙江省城市市容和环境卫生管理条例"}
    assert resolver.resolve("市容条例", region="北京").title == "北京市市容环境卫生条例"
    assert resolver.resolve("物业条例", region="北京").title == "北京市物业管理条例"
    assert resolver.resolve("物业条例").title == "物业管理条例"


def test_the_document_type_must_agree(resolver):
    assert type_word("城市市容和环境卫生管理条例") == "条例" and type_word("行政处罚法（2021修订）") == "法"
    assert resolver.resolve("道路交通安全条例").title.endswith("实施条例")
    assert resolver.resolve("市容法") is None  # no 法 about 市容 is stored


def test_a_missing_distinctive_character_costs_more_than_a_dropped_word(resolver):
    assert resolver.resolve("城乡规划法").title == "中华人民共和国城乡规划法"
    assert resolver.resolve("规划法") is None  # the ending of two laws' names: it names neither
    assert resolver.resolve("市场监管处罚程序规定").cost < resolver.resolve("市容条例").cost


def test_titles_nobody_stores_are_not_forced(resolver):
    assert resolver.resolve("食品安全法") is None
    assert resolver.resolve("") is None
    # a short citation that ends another law's name is not that law (合同法 is not 劳动合同法)
    assert resolver.resolve("处罚法") is None and resolver.resolve("安全法") is None
    # only characters of dropped words (城市, 管理): «城管法» is no abbreviation of 城市规划法 or 城市道路管理条例
    assert resolver.resolve("城管法") is None and resolver.resolve("城管条例") is None


def test_a_citation_several_titles_of_one_kind_fit_is_not_decisive():
    titles = [("上海市消防条例", "上海"), ("山东省消防条例", "山东"), ("城市绿化条例", "")]
    resolver = TitleResolver([TitleEntry(t, title_key(t), r) for t, r in titles])
    match = resolver.resolve("消防条例")
    assert match is not None and not match.decisive  # two provinces' 消防条例: no direct lookup
    assert resolver.resolve("消防条例", region="上海").title == "上海市消防条例"


def test_find_documents_falls_back_on_the_resolver():
    store = MemoryStore()
    docs = [Document(title=t, doc_type=DocType.REGULATION, region=r or "全国", body=f"第一条 {t}。") for t, r in TITLES[:3]]
    store.replace_file("synthetic.md", "x", 1, [(d, [], 0) for d in docs])
    found = find_documents(store, "市容条例")
    assert found and found[0].title == "城市市容和环境卫生管理条例"
    assert resolve_cited_title(store, "市容条例", region="浙江").title == "浙江省城市市容和环境卫生管理条例"


def test_a_title_read_greedily_out_of_a_sentence_is_still_resolved():
    store = MemoryStore()
    docs = [Document(title=t, doc_type=DocType.REGULATION, region=r or "全国", body=f"第一条 {t}。") for t, r in TITLES[:3]]
    store.replace_file("synthetic.md", "x", 1, [(d, [], 0) for d in docs])
    for asked in ("请问市容条例", "当事人违反市容条例"):
        assert find_documents(store, asked)[0].title == "城市市容和环境卫生管理条例"
    assert find_documents(store, "合同法") == []
    # the tail of a title the store lacks is no title: 河道条例 is not 城市道路管理条例 (道…条例)
    store.replace_file("more.md", "y", 1, [(Document(title="城市道路管理条例", doc_type=DocType.REGULATION, region="全国",
                                                     body="第一条 城市道路。"), [], 0)])
    assert find_documents(store, "城市道路管理条例") and find_documents(store, "河道条例") == []
    assert find_documents(store, "铁路条例") == []


def test_initials_keep_each_word_first_character():
    titles = [("中华人民共和国动物防疫法", ""), ("中华人民共和国行政诉讼法", ""), ("中华人民共和国反间谍法", ""),
              ("最高人民法院关于适用《中华人民共和国行政诉讼法》的解释", ""), ("道路交通安全违法行为处理程序规定", "")]
    resolver = TitleResolver([TitleEntry(t, title_key(t), r) for t, r in titles])
    assert resolver.resolve("动防法").title == "中华人民共和国动物防疫法"  # 动(物) 防(疫) 法
    assert resolver.resolve("行诉法").title == "中华人民共和国行政诉讼法"
    assert resolver.resolve("反法") is None  # two characters are too few for initials: 反不正当竞争法 is meant
    # 违法行为 → 违法: 行为 is a word officers drop
    assert resolver.resolve("交通违法处理程序规定").title == "道路交通安全违法行为处理程序规定"


def test_an_interpretation_is_named_by_its_law():
    titles = [("中华人民共和国行政诉讼法", ""), ("最高人民法院关于适用《中华人民共和国行政诉讼法》的解释", ""),
              ("中华人民共和国民事诉讼法", "")]
    resolver = TitleResolver([TitleEntry(t, title_key(t), r) for t, r in titles], {"行诉法": "行政诉讼法"})
    for cited in ("行诉法解释", "行政诉讼法司法解释", "行政诉讼法的解释"):
        assert resolver.resolve(cited).title == "最高人民法院关于适用《中华人民共和国行政诉讼法》的解释"
    assert resolver.resolve("民诉法解释") is None  # the law is stored, its interpretation is not


def test_the_second_of_two_coordinated_subjects_may_be_left_out():
    titles = [("城镇排水与污水处理条例", ""), ("上海市排水与污水处理条例", "上海"), ("明码标价和禁止价格欺诈规定", "")]
    resolver = TitleResolver([TitleEntry(t, title_key(t), r) for t, r in titles if not r])
    assert resolver.resolve("排水条例").title == "城镇排水与污水处理条例"
    with_local = TitleResolver([TitleEntry(t, title_key(t), r) for t, r in titles])
    assert with_local.resolve("排水条例", region="上海").title == "上海市排水与污水处理条例"  # the officer's own first
    assert resolver.resolve("明码标价规定").title == "明码标价和禁止价格欺诈规定"
