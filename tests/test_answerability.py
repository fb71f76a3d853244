"""When can the knowledge base answer? Cases a reviewer found refused or let through wrongly, on a small corpus."""

import pytest

from assistant.answer.answerability import assess
from tests.builders import front_matter, write

LAW = front_matter(title="中华人民共和国行政处罚法", doc_type="law", status="现行有效", effective_date="2021-07-15") + """
# 中华人民共和国行政处罚法

第一条 为了规范行政处罚的设定和实施，制定本法。

第二条 行政处罚是指行政机关依法对违反行政管理秩序的公民、法人或者其他组织，以减损权益或者增加义务的方式予以惩戒的行为。

第三条 占道经营、油烟扰民、乱贴小广告等违反行政管理秩序的行为，依法应当给予行政处罚的，依照本法实施。
"""


@pytest.fixture(scope="module")
def retriever(tmp_path_factory, hashing_index):
    from assistant.retrieval import HybridRetriever

    root = tmp_path_factory.mktemp("corpus")
    write(root, "law.md", LAW)
    return HybridRetriever(*hashing_index(root, tmp_path_factory.mktemp("data")))


def verdict(retriever, question):
    return assess(question, retriever.search(question, k=5), retriever, retriever.tokenize)


@pytest.mark.parametrize("question", [
    "我想问行政处罚法第三条", "新修订的行政处罚法第三条", "2021年7月15日施行的行政处罚法第三条是什么内容",
    "在城市道路上摆摊违反哪些规定", "韩国烤肉店油烟扰民怎么处罚", "擅自砍伐法国梧桐怎么处理", "领导的车违停怎么处理",
    "同事被打了怎么处理", "台湾居民在大陆无证经营怎么处理"])
def test_ordinary_legal_questions_are_answered(retriever, question):
    v = verdict(retriever, question)
    assert v.answerable, (question, v)


@pytest.mark.parametrize("question, kind, words", [
    ("行政处罚法第九十条是什么内容", "missing_article", "没有第九十条（共三条）"),
    ("深圳市养犬管理条例规定每户能养几条狗", "missing_law", "知识库中没有《深圳市养犬管理条例》"),
    ("《某省电梯安全条例》第五条", "missing_law", "知识库中没有《某省电梯安全条例》"),
    ("美国加州闯红灯罚多少钱", "foreign", "中国内地"),
    ("德国的垃圾分类法律怎么处罚", "foreign", "中国内地"),
    ("张三上周被罚的那个案子现在办到哪一步了", "specific_fact", "具体人员"),
    ("某某街道2031年的执法人员编制数是多少", "specific_fact", "具体人员"),
    ("红烧肉怎么做才不腻", "no_match", "未检索到明确依据"),
])
def test_what_the_knowledge_base_cannot_answer_is_said_plainly(retriever, question, kind, words):
    v = verdict(retriever, question)
    assert not v.answerable and v.kind == kind and words in v.message, (question, v)


def test_a_long_follow_up_without_an_llm_stays_within_the_limit(retriever):
    from assistant.answer.pipeline import AnswerPipeline

    history = [{"role": "user", "content": "占道经营" * 120}, {"role": "assistant", "content": "……"}]
    ans = AnswerPipeline(retriever, None).ask("那油烟扰民呢" * 25, history=history)
    assert len(ans.standalone_query) <= retriever.max_query_chars
