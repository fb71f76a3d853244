"""Cross-references between articles (#21): stated references, duty ↔ penalty pairs aligned by wording, their
storage with the chunks, and the evaluation on the code. The statute is synthetic, shaped like a 城市管理 条例."""

from corpus.chunking import chunk_document
from corpus.model import CITED_BY, CITES, DUTY, PENALTY, DocType, Document
from corpus.references import is_penalty_article, listed_acts, without_stated_references
from corpus.sqlite_store import SQLiteStore

BODY = """第一章 总则
第一条 为了加强城市市容和环境卫生管理，制定本条例。
第二条 本条例所称城市绿地，是指用于绿化的土地。
第三条 任何单位和个人不得在城市道路、桥梁、人行道上擅自摆摊设点。
第四条 任何单位和个人不得擅自占用城市绿地，不得将城市绿地改作停车场。
第五条 禁止擅自砍伐城市树木。确需砍伐的，应当经城市绿化行政主管部门批准。
第六条 在街道两侧的建筑物上设置户外广告，应当经市容环境卫生行政主管部门同意。
第七条 单位和个人应当按照规定的时间、地点投放生活垃圾。
第八条 本条例第三条至第五条规定的事项，由城市管理部门负责监督检查。
第二章 法律责任
第九条 违反本条例第三条规定的，由城市管理部门责令改正，可以处二百元以下的罚款。
第十条 违反本条例规定，有下列行为之一的，由城市绿化行政主管部门责令改正，处一千元以上五千元以下的罚款：
（一）擅自占用城市绿地改作停车场；
（二）擅自砍伐城市树木；
（三）其他违反本条例规定的行为。
第十一条 违反本条例规定，未经同意在街道两侧的建筑物上设置户外广告的，由市容环境卫生行政主管部门责令限期拆除，可以并处五百元以下的罚款。
第十二条 违反前条规定，拒不拆除的，依照《中华人民共和国行政处罚法》第七十二条的规定执行。
"""


def _chunks():
    doc = Document(title="某市城市管理条例", doc_type=DocType.LOCAL_REGULATION, body=BODY, region="某省某市")
    return doc, {c.article: c for c in chunk_document(doc) if c.article}


def _links(chunk, relation):
    return {(x.title, x.article) if x.title else x.article for x in chunk.links if x.relation == relation}


def test_a_stated_reference_after_violation_pairs_the_duty_with_its_penalty():
    _, by = _chunks()
    assert _links(by[9], DUTY) == {3}
    assert _links(by[3], PENALTY) == {9}
    link = next(x for x in by[3].links if x.relation == PENALTY)
    assert link.how == "stated" and link.score == 1.0 and link.chunk_id == by[9].id
    assert link.shown == "罚则：第九条"


def test_penalty_acts_without_numbers_are_aligned_with_the_duty_that_words_them():
    _, by = _chunks()
    assert _links(by[10], DUTY) == {4, 5}
    assert _links(by[11], DUTY) == {6}
    assert 10 in _links(by[4], PENALTY) and 10 in _links(by[5], PENALTY)
    aligned = next(x for x in by[10].links if x.article == 4)
    assert aligned.how == "aligned" and 0.5 <= aligned.score <= 1.0
    assert not _links(by[7], PENALTY)  # no penalty article names this duty
    assert not _links(by[2], PENALTY)  # a definition is no duty


def test_plain_citations_ranges_previous_article_and_other_documents():
    _, by = _chunks()
    assert _links(by[8], CITES) == {3, 4, 5}  # 「第三条至第五条」
    assert 8 in _links(by[4], CITED_BY)
    assert 11 in _links(by[12], CITES)  # 「违反前条规定」: the previous article, itself a penalty: a citation
    assert ("中华人民共和国行政处罚法", 72) in _links(by[12], CITES)


def test_what_a_penalty_article_lists():
    _, by = _chunks()
    assert is_penalty_article(by[9]) and is_penalty_article(by[10]) and not is_penalty_article(by[4])
    assert listed_acts(by[10].text) == ["擅自占用城市绿地改作停车场", "擅自砍伐城市树木"]  # the catch-all is dropped
    assert listed_acts("第二十条 违反本法规定，未取得许可证排放污染物，或者超过许可浓度排放污染物的，由……处罚款。") == [
        "未取得许可证排放污染物", "超过许可浓度排放污染物"]
    assert without_stated_references("违反本条例第三条、第四条第二款规定的") == "违反本条例规定的"


def test_links_are_stored_with_the_chunks(tmp_path):
    doc, by = _chunks()
    store = SQLiteStore(tmp_path / "corpus.db")
    store.replace_file("x.md", "sha", 1, [(doc, list(by.values()), 0)])
    again = {c.article: c for c in store.chunks_of(doc.id, articles_only=True)}
    assert again[10].links == by[10].links and again[3].links == by[3].links
    assert again[1].links == []


def test_search_brings_the_penalty_article_after_its_duty(tmp_path, hashing_index):
    from assistant.retrieval import Filters, HybridRetriever

    root = tmp_path / "corpus"
    root.mkdir()
    (root / "某市城市管理条例.md").write_text("# 某市城市管理条例\n\n" + BODY, encoding="utf-8")
    retriever = HybridRetriever(*hashing_index(root, tmp_path / "data"))
    hits = retriever.search("有人把城市绿地改作停车场，怎么处罚？", 5, Filters())
    duty = next(i for i, h in enumerate(hits) if h.chunk.article == 4)
    after = hits[duty + 1]
    assert (after.chunk.article, after.via, after.relation) == (10, "linked", PENALTY)
    assert after.score == hits[duty].score
    assert "罚则：第十条" in hits[duty].pairs and hits[duty].to_dict()["pairs"] == hits[duty].pairs
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # a question that is not about enforcement gets no partners; nor does a retriever without them
    assert not any(h.via == "linked" for h in retriever.search("城市绿地是什么意思", 5, Filters()))
    plain = HybridRetriever(retriever.store, retriever.index, retriever.embedder, pair_depth=0)
    assert not any(h.via == "linked" for h in plain.search("有人把城市绿地改作停车场，怎么处罚？", 5, Filters()))


def test_everyday_words_point_to_regulations_by_their_title_words():
    from assistant.retrieval.terms import topic_words

    assert topic_words("饭店把门口的绿化带挖掉做了硬化") == ("城市绿化",)
    assert "城市道路" in topic_words("推车摆摊占了人行道") and "市容" in topic_words("电线杆上贴满了小广告")
    assert topic_words("合同纠纷怎么起诉") == ()


def test_answers_and_the_ui_name_the_penalty_next_to_the_duty(tmp_path, hashing_index):
    from assistant.answer.pipeline import AnswerPipeline
    from assistant.retrieval import HybridRetriever
    from web.ui import sources_panel

    root = tmp_path / "corpus"
    root.mkdir()
    (root / "某市城市管理条例.md").write_text("# 某市城市管理条例\n\n" + BODY, encoding="utf-8")
    ans = AnswerPipeline(HybridRetriever(*hashing_index(root, tmp_path / "data")), None).ask(
        "有人把城市绿地改作停车场，怎么处罚？")
    duty = next(item for item in ans.context if item.hit.chunk.article == 4)
    assert "【罚则：第十条】" in duty.text  # what the generator sees
    assert "罚则：第十条" in "".join(sources_panel(ans))  # the UI's sources


def test_a_local_rule_brings_the_national_duty_it_cites(tmp_path, hashing_index):
    from assistant.retrieval import Filters, HybridRetriever

    root = tmp_path / "corpus"
    root.mkdir()
    (root / "城市绿化条例.md").write_text(
        "# 城市绿化条例\n\n第十九条 任何单位和个人都不得擅自占用城市绿化用地。\n\n第二十条 任何单位和个人都不得损坏城市树木花草。\n",
        encoding="utf-8")
    (root / "某县绿地管理办法.md").write_text(
        "# 某县绿地管理办法\n\n第一条 为了管好本县绿地，制定本办法。\n\n第五条 违反《城市绿化条例》第十九条规定，擅自把绿地改作停车场的，"
        "由县城市管理综合执法局责令限期恢复，处五百元以上二千元以下罚款。\n", encoding="utf-8")
    retriever = HybridRetriever(*hashing_index(root, tmp_path / "data"))
    hits = retriever.search("有人擅自把绿地改作停车场，怎么处罚？", 4, Filters())
    local = next(i for i, h in enumerate(hits) if h.document.title == "某县绿地管理办法" and h.chunk.article == 5)
    partner = hits[local + 1]
    assert (partner.document.title, partner.chunk.article, partner.via, partner.relation) == ("城市绿化条例", 19, "linked", DUTY)
    assert "违反条款：《城市绿化条例》第十九条" in hits[local].pairs


def test_more_acts_are_read_from_penalty_articles():
    # two acts joined by a bare 或者, each a clause of its own; 「伪造或者冒用」 stays one act
    assert listed_acts("第六十四条 未取得建设工程规划许可证或者未按照建设工程规划许可证的规定进行建设的，由城乡规划主管部门"
                       "责令停止建设，处罚款。") == ["未取得建设工程规划许可证", "未按照建设工程规划许可证的规定进行建设"]
    assert listed_acts("第五十三条 伪造或者冒用他人厂名、厂址的，伪造或者冒用认证标志等质量标志的，责令改正，处罚款。") == [
        "伪造或者冒用他人厂名、厂址", "伪造或者冒用认证标志等质量标志"]
    # what the rules broken are about
    assert listed_acts("第九十三条 对违反道路交通安全法律、法规关于机动车停放、临时停车规定的，可以指出违法行为，"
                       "并予以口头警告，令其立即驶离。") == ["机动车停放、临时停车"]


def test_a_sanction_on_officials_brings_the_duty_and_the_fine_for_it():
    from assistant.retrieval import Filters, Hit
    from assistant.retrieval.partners import with_partners
    from tests.fakes import MemoryStore

    body = """第一章 总则
第一条 为了加强城乡规划管理，制定本法。
第二条 在城市规划区内进行建筑物、构筑物建设的，建设单位或者个人应当向城乡规划主管部门申请办理建设工程规划许可证。
第二章 法律责任
第三条 城乡规划主管部门有下列行为之一的，由本级人民政府责令改正，通报批评；对直接负责的主管人员依法给予处分：
（一）对未依法取得建设工程规划许可证的建设单位或者个人予以放行的；
（二）接到举报后不予查处的。
第四条 未取得建设工程规划许可证进行建设的，由城乡规划主管部门责令停止建设，处建设工程造价百分之五以上百分之十以下的罚款。
"""
    doc = Document(title="某城乡规划法", doc_type=DocType.LAW, body=body, region="全国")
    chunks = chunk_document(doc)
    store = MemoryStore()
    store.replace_file("plan.md", "x", 1, [(doc, chunks, 0)])
    by = {c.article: c for c in chunks if c.article}
    assert _links(by[3], DUTY) == {2} and _links(by[4], DUTY) == {2}
    hits = [Hit(by[3], doc, 1.0, "hybrid")]
    # the officer asks what to fine: the sanction on officials brings the duty and the duty's fine
    got = with_partners(store, hits, {"规划", "举报", "罚款"}, Filters())
    assert [(h.chunk.article, h.via) for h in got] == [(3, "hybrid"), (2, "linked"), (4, "linked")]
    # a question not about punishment: the duty only
    assert [h.chunk.article for h in with_partners(store, hits, {"规划", "举报"}, Filters())] == [3, 2]


def test_a_penalty_for_what_an_article_prohibits_states_its_duty():
    body = """第一章 总则
第一条 为了规范广告活动，制定本法。
第二条 广告不得使用“国家级”、“最高级”、“最佳”等用语。
第三条 本法第二条规定的用语，由市场监督管理部门解释。
第二章 法律责任
第四条 发布有本法第二条规定的禁止情形的广告的，由市场监督管理部门责令停止发布广告，处二十万元以上一百万元以下的罚款。
"""
    doc = Document(title="某广告法", doc_type=DocType.LAW, body=body, region="全国")
    by = {c.article: c for c in chunk_document(doc) if c.article}
    assert _links(by[4], DUTY) == {2} and _links(by[2], PENALTY) == {4}
    assert _links(by[3], DUTY) == set()  # 「本法第二条规定的用语」 names no act broken


def test_the_sanction_after_an_opening_act_is_no_act():
    # 「……申领机动车驾驶证的，公安机关……不予受理或者不予办理，处……」: what follows the act is the sanction
    assert listed_acts("第九十三条 申请人隐瞒有关情况或者提供虚假材料申领机动车驾驶证的，公安机关交通管理部门不予受理或者"
                       "不予办理，处五百元以下罚款。") == ["申请人隐瞒有关情况或者提供虚假材料申领机动车驾驶证"]


def test_acts_of_later_paragraphs_of_named_rules_and_of_alternative_verbs():
    # 生态环境法典 第一千一百六十九条: the third paragraph punishes an act of its own; the second grades the first
    text = ("第十条 违反本法规定，擅自倾倒、堆放、丢弃、遗撒固体废物的，由生态环境主管部门责令停止违法行为，处十万元以上罚款。\n"
            "前款规定的固体废物为危险废物的，处二十万元以上二百万元以下的罚款。\n"
            "个人擅自倾倒、堆放、丢弃、遗撒个人产生的生活垃圾、建筑垃圾的，由环境卫生主管部门责令改正，处一百元以上罚款。")
    assert listed_acts(text) == ["擅自倾倒、堆放、丢弃、遗撒固体废物", "个人擅自倾倒、堆放、丢弃、遗撒个人产生的生活垃圾、建筑垃圾"]
    # 第一千二百一十六条: the rules named are not the act
    assert listed_acts("第十一条 违反本法有关海洋生态保护的规定，造成珊瑚礁等海洋生态系统破坏的，由有关部门责令改正，处罚款。") == [
        "造成珊瑚礁等海洋生态系统破坏"]
    # 第一千一百一十七条: two acts, two duties (煤炭 第二百零四条, 石油焦 第二百零六条)
    assert listed_acts("第十二条 违反本法规定，单位燃用不符合质量标准的煤炭或者使用不符合质量标准的石油焦的，由生态环境主管部门"
                       "责令改正，处货值金额一倍以上五倍以下的罚款。") == ["单位燃用不符合质量标准的煤炭", "使用不符合质量标准的石油焦"]
    # a graded or derived act of a later paragraph is none of its own
    assert listed_acts("第十三条 违反本法规定，擅自砍伐城市树木的，处罚款。\n纠集他人多次实施前款行为的，处二千元以上罚款。") == [
        "擅自砍伐城市树木"]


def test_a_brought_penalty_brings_the_other_duty_the_question_is_about():
    from assistant.retrieval import Filters, Hit
    from assistant.retrieval.partners import with_partners
    from tests.fakes import MemoryStore

    body = """第一章 总则
第一条 为了加强城市供水管理，制定本条例。
第二条 禁止盗用或者转供城市公共供水。
第三条 禁止擅自将自建设施供水管网系统与城市公共供水管网系统连接。
第二章 法律责任
第四条 违反本条例规定，有下列行为之一的，由城市供水行政主管部门责令限期改正，可以处以罚款：
（一）盗用或者转供城市公共供水的；
（二）擅自将自建设施供水管网系统与城市公共供水管网系统连接的。
"""
    doc = Document(title="某城市供水条例", doc_type=DocType.REGULATION, body=body, region="全国")
    chunks = chunk_document(doc)
    store = MemoryStore()
    store.replace_file("water.md", "x", 1, [(doc, chunks, 0)])
    by = {c.article: c for c in chunks if c.article}
    assert _links(by[4], DUTY) == {2, 3}
    hits = [Hit(by[3], doc, 1.0, "hybrid")]
    # the question is about 盗用: 第三条 brought 第四条, and 第四条 brings 第二条, which holds more of its words
    got = with_partners(store, hits, {"盗用", "城市公共供水", "罚款"}, Filters())
    assert [(h.chunk.article, h.via, h.relation) for h in got] == [(3, "hybrid", ""), (4, "linked", PENALTY),
                                                                 (2, "linked", DUTY)]
    # words the hit holds as well: no sibling
    assert [h.chunk.article for h in with_partners(store, hits, {"管网系统", "罚款"}, Filters())] == [3, 4]
