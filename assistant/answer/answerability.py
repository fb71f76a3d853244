"""Can the knowledge base answer this question? Decided from all the evidence, not from one encoder's cosine.

In order:

1. the question cites an article: answerable when it is found; else it says plainly that the law has no
   such article (「《某市测试条例》没有第九条（共二条）」) or that the law is not in the knowledge base;
2. it names a local law, or a foreign jurisdiction, that the knowledge base does not hold;
3. it asks a fact about particular people, an office's internal matters or a particular day — no law
   answers that (「我们科长最喜欢什么颜色」, 「张三那个案子办到哪一步了」);
4. a direct lookup or a general rule placed a hit;
5. a question about a legal matter (it names a penalty, a permit, a procedure, a regulated activity …) that
   passed 1–3 is answered: the best hits are shown for what they are, and every citation is verified;
6. any other question needs the retrieved text to cover it — at least half of its content words (jieba
   tokens less question words) in the three best hits — and the encoder to place it near the corpus
   (``Retriever.is_outside_corpus``).

Set on the dev half of ``evals/data/answerability.jsonl`` (88 questions written for this project, half
answerable from the default corpus, half not): requiring some coverage of legal-matter questions as well
(≥ 0.1–0.2 of their words) refused 1 answerable dev question of 22 and 2 of 22 on test — colloquial wording
(「门口私搭彩钢棚」, 「占道经营」 split by jieba into 占/道) that the lexical check cannot see — without refusing
one more unanswerable question, so it is not required.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.retrieval.base import FIXED_VIA, Hit, Retriever
from corpus.citations import find_citations
from corpus.lookup import find_article, find_documents
from corpus.numerals import int_to_cn
from corpus.store import Store

# share of content words the best hits must hold for a question that is not about a legal matter
COVERAGE_OTHER = 0.5

# words that make a question one about a legal matter: sanctions, permits, procedures, duties, regulated acts
LEGAL_CUE = re.compile(
    r"罚|处罚|违法|违规|违反|许可|执照|证照|无证|无照|登记|备案|听证|复议|诉讼|起诉|强制|查封|扣押|没收|拆|责令|整改|"
    r"规定|条例|法律|法规|规章|谁管|归谁管|来管|能管|管不管|处理|处置|投诉|举报|禁止|不得|义务|责任|条件|程序|期限|时效|"
    r"送达|催告|收缴|标价|广告|占道|摆摊|摊贩|经营|卖|焚烧|噪声|噪音|吵|音响|油烟|扰民|渣土|垃圾|绿地|树木|消防|规划|违建|建设|道路|"
    r"食品|卫生|污染|排放|执法证|执法人员")
# asking for a fact about particular people, an office's own affairs or a particular event — no law holds it
# (「…的案子办到哪一步了」, 「执法证编号是多少」, 「考核排名第几」); naming a person alone is not enough
# (「领导的车违停怎么处理」 is a legal question)
SPECIFIC_FACT = re.compile(
    r"办到哪|哪一步了|进展到哪|排名第几|排第几|编制数?是?多少|绩效|奖金|几点集合|编号是多少|叫什么名字|喜欢什么|"
    r"(?:我们|局里|队里|单位)(?:明天|下周|下个月|今年|上次)|开会(?:时|上)?(?:领导)?说")
# another jurisdiction's law: the place with 的/法律/法院/规定/州 or after 在 — not 「法国梧桐」, 「德国牧羊犬」
_PLACES = "美国|英国|法国|德国|日本|韩国|俄罗斯|加拿大|澳大利亚|新加坡|欧盟|加州|纽约|香港|澳门|台湾地区"
FOREIGN = re.compile(rf"(?:{_PLACES})(?:的|法律|法院|法规|政府|规定|州|当地)|在(?:{_PLACES})|加州|纽约|东京|首尔|伦敦|巴黎|柏林")
# a named local law: 「深圳市养犬管理条例」, 「成都市户外广告设置管理办法」, or anything in 《》; a sentence that only
# mentions a place and ends in 规定 (「在城市道路上摆摊违反哪些规定」) is not one
_NAMED_LAW = re.compile(r"《([^《》]{2,40})》|(?<![\u4e00-\u9fff])((?:[\u4e00-\u9fff]{2,6}(?:省|市|县|区))"
                        r"[\u4e00-\u9fff]{2,20}?(?:管理条例|条例|管理办法|实施办法|办法|管理规定|若干规定|细则))")
_NOT_A_TITLE = re.compile(r"哪|什么|违反|有关|相关|怎么|如何|是否|的规定|按照|依照|根据|上|里|在")
_QUESTION_WORDS = set("的 了 吗 呢 啊 吧 么 怎么 怎样 如何 什么 哪些 哪个 哪 是否 是不是 可以 能 能不能 要 要不要 需要 应该 "
                      "应当 会 有 没有 是 在 和 与 或者 还 就 都 也 被 把 给 对 让 一 个 多少 几 谁 为什么 讲 内容 请 帮 我 "
                      "我们 他 她 它 这 那 这个 那个 上 下 里 一般".split())


@dataclass(frozen=True)
class Answerability:
    """Whether the knowledge base can answer, why (``kind``), and what to tell the officer when it cannot."""

    answerable: bool
    kind: str  # lookup | rule | legal_question | evidence | missing_article | missing_law | foreign | specific_fact
    # | no_match | ambiguous_reference (set by the pipeline: assistant/answer/references.py)
    message: str = ""  # Chinese, shown as the answer's conclusion when not answerable
    coverage: float = 0.0  # share of the question's content words found in the best hits


def content_words(question: str, tokenize) -> list[str]:
    """The question's content words: tokens of two or more characters, question words and digits left out."""
    return [t for t in dict.fromkeys(tokenize(question))
            if len(t) >= 2 and t not in _QUESTION_WORDS and not re.fullmatch(r"[\W\d_]+", t)]


def coverage(question: str, hits: list[Hit], tokenize, top: int = 3) -> float:
    """Share (0–1) of the question's content words that occur in the ``top`` best hits (title and text)."""
    words = content_words(question, tokenize)
    if not words:
        return 0.0
    text = " ".join(h.document.title + h.chunk.text for h in hits[:top])
    return sum(1 for w in words if w in text) / len(words)


def _missing_citation(question: str, hits: list[Hit], store: Store) -> Answerability | None:
    looked_up = {(h.chunk.article, h.chunk.article_suffix or None) for h in hits if h.via == "lookup"}
    for cite in find_citations(question):
        if not cite.title or (cite.article, cite.suffix) in looked_up:
            continue
        docs = find_documents(store, cite.title, current_only=False)
        if not docs:
            return Answerability(False, "missing_law", f"知识库中没有《{cite.title}》，无法据以回答；请确认法律名称，"
                                                       f"或上传该文件后再问。")
        doc = docs[0]
        if find_article(store, cite.title, cite.article, current_only=False) is None:
            numbers = [c.article for c in store.chunks_of(doc.id, articles_only=True)]
            total = f"（共{int_to_cn(max(numbers))}条）" if numbers else ""
            return Answerability(False, "missing_article", f"《{doc.title}》没有{cite.label}{total}，无法据以回答。")
    return None


def assess(question: str, hits: list[Hit], retriever: Retriever, tokenize) -> Answerability:
    """Decide whether ``hits`` (the retriever's answer to ``question``) let the knowledge base answer it."""
    store = retriever.store
    missing = _missing_citation(question, hits, store)
    if missing is not None:
        return missing
    if any(h.via == "lookup" for h in hits):
        return Answerability(True, "lookup", coverage=1.0)
    for m in _NAMED_LAW.finditer(question):
        title = m.group(1) or m.group(2)
        if m.group(2) and _NOT_A_TITLE.search(title):
            continue
        if not find_documents(store, title, current_only=False):
            return Answerability(False, "missing_law", f"知识库中没有《{title}》，无法据以回答；请上传该文件后再问。")
    if FOREIGN.search(question):
        return Answerability(False, "foreign", "知识库只收录中国内地的法律、法规、规章和裁量基准，无法回答其他国家或地区的规定。")
    if SPECIFIC_FACT.search(question):
        return Answerability(False, "specific_fact", "这是关于具体人员、单位内部事务或特定时间的问题，法律法规和裁量基准中没有答案。")
    if any(h.via in FIXED_VIA for h in hits):
        return Answerability(True, "rule", coverage=1.0)
    share = coverage(question, hits, tokenize)
    if LEGAL_CUE.search(question):
        return Answerability(True, "legal_question", coverage=share)
    ok = share >= COVERAGE_OTHER and not retriever.is_outside_corpus(question)
    return Answerability(ok, "evidence" if ok else "no_match", "" if ok else
                         "未检索到明确依据：知识库中没有与问题相符的规定。请换一种说法，或指明法律名称和条文。", share)
