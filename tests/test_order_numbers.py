"""Order-number nicknames (#21): «72号令第10条» names the rule that 国家市场监督管理总局令第72号 promulgated, read from the
opening of the stored text (corpus/order_numbers.py), not from a list."""

from assistant.retrieval import Filters
from assistant.retrieval.cited import cited_articles
from corpus.chunking import chunk_document
from corpus.citations import find_citations
from corpus.lookup import find_documents
from corpus.model import DocType, Document
from corpus.order_numbers import build_index, orders_in_opening, parse_nickname
from tests.fakes import MemoryStore

RULE = """2023年2月25日 国家市场监督管理总局令第72号公布 自2023年5月1日起施行
第一条 为了规范互联网广告活动，制定本办法。
第十条 以弹出等形式发布互联网广告，广告主、广告发布者应当显著标明关闭标志，确保一键关闭。
第十一条 本办法自2023年5月1日起施行。2016年7月4日原国家工商行政管理总局令第87号公布的《互联网广告管理暂行办法》同时废止。
"""
REGULATION = """2011年1月21日 中华人民共和国国务院令第590号公布
第一条 为了规范国有土地上房屋征收与补偿活动，制定本条例。
第二十七条 实施房屋征收应当先补偿、后搬迁。
"""
AMENDED = """（2018年12月21日国家市场监督管理总局令第2号公布 根据2021年7月2日国家市场监督管理总局令第42号第一次修正）
第一条 为了规范市场监督管理部门行政处罚程序，制定本规定。
"""
OTHER_72 = """2001年1月1日 某省人民政府令第72号发布
第一条 为了某事，制定本办法。
第十条 某事应当报告。
"""


def _store(*texts: tuple[str, str, DocType]) -> MemoryStore:
    store = MemoryStore()
    docs = [Document(title=t, doc_type=kind, body=body, region="全国") for t, body, kind in texts]
    store.replace_file("orders.md", "x", 1, [(d, chunk_document(d), 0) for d in docs])
    return store


def test_the_promulgating_order_is_read_from_the_opening_and_amending_orders_are_not():
    assert orders_in_opening(AMENDED.splitlines()[0]) == [("国家市场监督管理总局", 2)]
    assert orders_in_opening("2019年4月3日 中华人民共和国国务院令第711号修订") == [("国务院", 711)]
    store = _store(("互联网广告管理办法", RULE, DocType.RULE), ("市场监督管理行政处罚程序规定", AMENDED, DocType.RULE))
    index = build_index(store)
    assert [o.title for o in index[72]] == ["互联网广告管理办法"]
    assert 87 not in index  # named in an article (the text it repeals), not in the opening
    assert 42 not in index  # an amending decision, not this text


def test_a_nickname_is_cited_and_looked_up():
    assert parse_nickname("总局20号令") == ("总局", 20) and parse_nickname("国务院令第590号") == ("国务院", 590)
    assert parse_nickname("市容条例") is None
    assert find_citations("72号令第10条 弹窗广告")[0].title == "72号令"
    store = _store(("互联网广告管理办法", RULE, DocType.RULE), ("国有土地上房屋征收与补偿条例", REGULATION, DocType.REGULATION))
    hits = cited_articles(store, "72号令第10条 弹窗广告没有关闭按钮怎么算", Filters())
    assert hits and hits[0].document.title == "互联网广告管理办法" and hits[0].chunk.article == 10
    hits = cited_articles(store, "国务院590号令第二十七条 先补偿后搬迁", Filters())
    assert hits and hits[0].document.title == "国有土地上房屋征收与补偿条例" and hits[0].chunk.article == 27
    assert find_documents(store, "73号令") == []  # no stored text was promulgated by it


def test_issuer_words_choose_between_documents_of_one_number():
    store = _store(("互联网广告管理办法", RULE, DocType.RULE), ("某省某事办法", OTHER_72, DocType.RULE))
    assert find_documents(store, "72号令") == []  # two documents: no direct lookup, ordinary search instead
    assert find_documents(store, "总局72号令")[0].title == "互联网广告管理办法"
    assert find_documents(store, "市场监管总局令第72号")[0].title == "互联网广告管理办法"
    assert find_documents(store, "省政府72号令")[0].title == "某省某事办法"
