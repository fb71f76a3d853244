"""References without a title (「本规定第十条」, 「该条例第二条」, 「第十条讲什么」): resolved or asked about (#19 item 2)."""

from __future__ import annotations

import pytest

from assistant.answer.pipeline import AnswerPipeline
from assistant.answer.references import resolve_references
from assistant.retrieval import Filters, HybridRetriever
from corpus.citations import find_citations

TEST_REGULATION = "# 某市测试条例\n\n第一条　摆摊设点的，处五十元罚款。\n\n第二条　本条例自发布之日起施行。\n"


@pytest.fixture(scope="module")
def retriever(laws, tmp_path_factory, hashing_index) -> HybridRetriever:
    # 行政处罚法 has 86 articles, 行政强制法 71, 某市测试条例 2: only one has 第八十六条, all three 第一条
    root = laws(tmp_path_factory.mktemp("corpus"), "中华人民共和国行政处罚法", "中华人民共和国行政强制法")
    (root / "某市测试条例.md").write_text(TEST_REGULATION, encoding="utf-8")
    return HybridRetriever(*hashing_index(root, tmp_path_factory.mktemp("data")))


@pytest.mark.parametrize("text, article, paragraph", [
    ("本规定第十条", 10, None), ("本办法第3条", 3, None), ("该条例第十二条第三款", 12, 3), ("第十条讲什么", 10, None),
    ("问一下这部法第五条", 5, None), ("上述办法第二条", 2, None)])
def test_a_reference_back_has_no_title(text, article, paragraph):
    (cite,) = find_citations(text)
    assert (cite.title, cite.article, cite.paragraph) == (None, article, paragraph)


def test_the_only_document_with_the_article_is_meant(retriever):
    r = resolve_references("本法第八十六条讲什么", retriever.store)
    assert r.query == "《中华人民共和国行政处罚法》第八十六条讲什么" and not r.unresolved
    hits = retriever.search("第八十六条讲什么")  # search resolves it the same way
    assert hits[0].via == "lookup" and hits[0].chunk.article == 86 and "行政处罚法" in hits[0].document.title


def test_the_law_named_earlier_in_the_question_or_conversation(retriever):
    store = retriever.store
    r = resolve_references("某市测试条例一共几条？该条例第一条规定罚款多少？", store)
    assert r.query == "某市测试条例一共几条？《某市测试条例》第一条规定罚款多少？"
    history = [{"role": "user", "content": "行政强制法第一条是什么？"},
               {"role": "assistant", "content": "结论：《中华人民共和国行政强制法》第一条 [1] ……"}]
    assert resolve_references("本法第二条第一款呢", store, history).query == "《中华人民共和国行政强制法》第二条第一款呢"
    assert resolve_references("本条例第二条", store, law="某市测试条例").query == "《某市测试条例》第二条"


def test_several_documents_and_no_scope_ask_which_one(retriever):
    r = resolve_references("第一条讲什么", retriever.store)
    assert r.unresolved == "第一条" and r.total_candidates == 3
    assert set(r.candidates[:2]) == {"中华人民共和国行政强制法", "中华人民共和国行政处罚法"}  # laws before local texts
    assert "没有写明是哪部法律" in r.message and "《某市测试条例》" in r.message


def test_the_answer_asks_instead_of_guessing(retriever):
    pipeline = AnswerPipeline(retriever, None)
    ans = pipeline.ask("第一条讲什么？")
    assert ans.answerability == "ambiguous_reference" and ans.answer.startswith("结论：问题中的「第一条」没有写明")
    assert not ans.citations and not ans.context  # no source card presented as the basis
    ans = pipeline.ask("本条例第一条罚多少？", history=[{"role": "user", "content": "某市测试条例是哪年的？"}])
    assert "《某市测试条例》第一条" in ans.standalone_query
    assert ans.citations and ans.citations[0].title == "某市测试条例" and ans.citations[0].article == 1
    assert "五十元" in ans.answer and all(c.verified for c in ans.citations)
    ans = pipeline.ask("本条例第二条讲什么", filters=Filters(law="某市测试条例"))
    assert ans.citations and ans.citations[0].title == "某市测试条例" and ans.citations[0].article == 2


def test_candidates_the_search_ranks_higher_come_first(retriever):
    r = resolve_references("第一条讲什么", retriever.store, prefer=["某市测试条例", "中华人民共和国行政强制法"])
    assert r.candidates == ("某市测试条例", "中华人民共和国行政强制法", "中华人民共和国行政处罚法")


PENALTY_2017 = """---
title: "中华人民共和国行政处罚法"
doc_type: "law"
effective_date: "2018-01-01"
version_date: "2017-09-01"
---
# 中华人民共和国行政处罚法

第二十九条 违法行为在二年内未被发现的，不再给予行政处罚。法律另有规定的除外。

第六十四条 本法自1996年10月1日起施行。
"""
PENALTY_2021 = """---
title: "中华人民共和国行政处罚法"
doc_type: "law"
effective_date: "2021-07-15"
version_date: "2021-01-22"
---
# 中华人民共和国行政处罚法

第二十九条 对当事人的同一个违法行为，不得给予两次以上罚款的行政处罚。

第三十六条 违法行为在二年内未被发现的，不再给予行政处罚；涉及公民生命健康安全、金融安全且有危害后果的，上述期限延长至五年。法律另有规定的除外。

第八十六条 本法自2021年7月15日起施行。
"""


def test_an_article_of_a_named_older_version_and_the_article_now(tmp_path, hashing_index):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "行政处罚法(2017).md").write_text(PENALTY_2017, encoding="utf-8")
    (root / "行政处罚法(2021).md").write_text(PENALTY_2021, encoding="utf-8")
    retriever = HybridRetriever(*hashing_index(root, tmp_path / "data"))
    for q in ("2017年行政处罚法第二十九条规定的追责时效是多久", "2017版处罚法第29条"):
        hits = retriever.search(q, k=3)
        assert [(h.document.version_date, h.chunk.article, h.via) for h in hits[:2]] == [
            ("2017-09-01", 29, "lookup"), ("2021-01-22", 36, "successor")], q
    plain = retriever.search("行政处罚法第二十九条", k=1)  # no year: the version in force
    assert (plain[0].document.version_date, plain[0].chunk.article) == ("2021-01-22", 29)
    act_year = retriever.search("2017年发现违反行政处罚法第二十九条的行为", k=1)  # a year of the act, not a version?
    assert act_year[0].chunk.article == 29
    ans = AnswerPipeline(retriever, None).ask("2017年行政处罚法第二十九条是什么内容")
    assert "不再给予行政处罚" in ans.answer and any("第三十六条" in w for w in ans.warnings), ans.warnings
