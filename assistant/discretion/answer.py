"""Chat answers about the penalty amount, written from the discretion advisor's result (no LLM: table rows
are exactly what a small model gets wrong)."""

from __future__ import annotations

import re

from assistant.answer.context import ContextItem, render_block
from assistant.answer.pipeline import Answer
from assistant.answer.verify import CitationRecord, Unverified
from assistant.discretion.types import Advice
from assistant.retrieval import Hit
from corpus.store import Store

PENALTY_QUESTION = re.compile(r"罚多少|罚款多少|多少钱|罚几|怎么罚|如何处罚|怎样处罚|怎么处罚|处罚幅度|罚款幅度|罚款标准|裁量|处多少|罚款数额"
                              r"|罚款金额|顶格|从轻|从重|哪一档|什么档次")


def is_penalty_question(question: str) -> bool:
    """Whether the question asks about the amount or tier of a penalty (罚多少, 怎么处罚, 裁量 …)."""
    return bool(PENALTY_QUESTION.search(question or ""))


def answer_from_advice(question: str, advice: Advice, store: Store) -> Answer:
    """The chat answer for a penalty-amount question, written from the advisor's tiers (at most six, each a
    numbered source); the tables' cited articles become the 依据 line, each marked when the corpus lacks it."""
    matches = advice.matches[:6]
    items: list[ContextItem] = []
    citations: list[CitationRecord] = []
    unverified: list[Unverified] = []
    for n, m in enumerate(matches, 1):
        chunk = store.chunk(m.chunk_id)
        doc = store.document(chunk.doc_id) if chunk else None
        if chunk is None or doc is None:
            continue
        hit = Hit(chunk, doc, m.score, "discretion")
        items.append(ContextItem(n, hit, render_block(n, hit)))
        citations.append(CitationRecord(n=n, title=doc.title, article=None, paragraph=None, chunk_id=chunk.id,
                                        status=doc.status_on().value, verified=True, in_context=True))
    first = matches[0]
    lines = []
    if advice.decision == "matched":
        lines.append(f"结论：按裁量基准，该行为属于「{first.violation[:60]}」，适用档次的处罚幅度为"
                     f"「{first.range_text}」[1]。")
    elif advice.missing_facts:
        lines.append("结论：需要先查明下列事实才能确定裁量档次：" + "；".join(advice.missing_facts) + "。候选档次如下。")
        lines.append("请补充：" + " ".join(advice.questions))
    else:
        lines.append("结论：有多个候选档次，请对照各档情节选择。候选档次如下。")
    for fine in advice.fines[:1]:  # a factor-weight table: the amount its 备注 formula gives for the facts
        lines.append(f"按《{fine.document}》备注的计算方法：{fine.shown} [1]。")
    lines.append("理由：")
    lines.extend(f"[{i}] {m.line()}" + ("" if m.violation == first.violation else f"〔另一违法行为：{m.violation[:40]}〕")
                 for i, m in enumerate(matches, 1))
    basis = []
    for c in first.citations:
        mark = "" if c.verified else "〔该条文未收录于语料库，引自裁量表原文〕"
        if c.verified and not c.in_force:
            mark = f"〔{c.status}" + (f"，现行对应条文：{c.successor}〕" if c.successor else "〕")
        basis.append(c.label + mark)
        if not c.verified:
            unverified.append(Unverified(citation=c.label, reason="条文未收录于语料库（引自裁量表原文）"))
    if basis:
        lines.append("依据：" + "；".join(dict.fromkeys(basis)) + " [1]")
    for item in advice.no_penalty:
        lines.append(f"另：《{item.document}》列有「{item.violation[:40]}」的不予处罚情形：{item.conditions[:120]}")
    for rule in advice.general_rules:
        lines.append(f"另：{rule.label}规定：「{rule.text[:160]}」")
    answer = Answer(question=question, answer="\n".join(lines), backend="discretion", citations=citations,
                    unverified=unverified, warnings=list(advice.warnings), context=items, standalone_query=question)
    answer.notices.append("本回答直接取自裁量基准表（未经大模型改写）。")
    return answer
