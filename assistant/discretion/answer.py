"""Chat answers about the penalty amount, written from the discretion advisor's result (no LLM: table rows
are exactly what a small model gets wrong)."""

from __future__ import annotations

import re

from assistant.answer.pipeline import Answer
from assistant.answer.context import ContextItem, render_block
from assistant.retrieval import Hit
from corpus.numerals import article_label
from corpus.store import Store

PENALTY_QUESTION = re.compile(r"罚多少|罚款多少|多少钱|罚几|怎么罚|如何处罚|怎样处罚|怎么处罚|处罚幅度|罚款幅度|罚款标准|裁量|处多少|罚款数额"
                              r"|罚款金额|顶格|从轻|从重|哪一档|什么档次")


def is_penalty_question(question: str) -> bool:
    return bool(PENALTY_QUESTION.search(question or ""))


def _where(c: dict) -> str:
    return article_label(c.get("article"), c.get("paragraph"))


def _tier_line(n: int, m: dict) -> str:
    facts = "；".join(x for x in (m["circumstance"], m["prior_violation"]) if x) or "（未分情节）"
    page = f"第{m['page']}页" if m.get("page") else ""
    return f"[{n}] 情节：{facts} → 处罚幅度：{m['range_text'] or '见原表'}（《{m['document']}》{page}）"


def answer_from_advice(question: str, advice: dict, store: Store) -> Answer:
    matches = advice["matches"][:6]
    items, citations, unverified = [], [], []
    for n, m in enumerate(matches, 1):
        chunk = store.chunk(m["chunk_id"])
        doc = store.document(chunk.doc_id) if chunk else None
        if chunk is None or doc is None:
            continue
        hit = Hit(chunk, doc, m["score"], "discretion")
        items.append(ContextItem(n, hit, render_block(n, hit)))
        citations.append({"n": n, "title": doc.title, "article": None, "paragraph": None, "chunk_id": chunk.id,
                          "status": doc.status.value, "verified": True, "in_context": True})
    first = matches[0]
    lines = []
    if advice["decision"] == "matched":
        lines.append(f"结论：按裁量基准，该行为属于「{first['violation'][:60]}」，适用档次的处罚幅度为"
                     f"「{first['range_text']}」[1]。")
    else:
        if advice["missing_facts"]:
            lines.append("结论：需要先查明下列事实才能确定裁量档次：" + "；".join(advice["missing_facts"]) + "。候选档次如下。")
        else:
            lines.append("结论：有多个候选档次，请对照各档情节选择。候选档次如下。")
    lines.append("理由：")
    lines.extend(_tier_line(i, m) + ("" if m["violation"] == first["violation"] else f"〔另一违法行为：{m['violation'][:40]}〕")
                 for i, m in enumerate(matches, 1))
    basis = []
    for c in first["citations"]:
        mark = "" if c["verified"] else "〔该条文未收录于语料库，引自裁量表原文〕"
        basis.append(f"《{c['title']}》{_where(c)}{mark}")
        if not c["verified"]:
            unverified.append({"citation": f"《{c['title']}》{_where(c)}", "reason": "条文未收录于语料库（引自裁量表原文）"})
    if basis:
        lines.append("依据：" + "；".join(dict.fromkeys(basis)) + " [1]")
    for np in advice["no_penalty"]:
        lines.append(f"另：《{np['document']}》列有「{np['violation'][:40]}」的不予处罚情形：{np['conditions'][:120]}")
    for rule in advice["general_rules"]:
        lines.append(f"另：{rule['label']}规定：「{rule['text'][:160]}」")
    answer = Answer(question=question, answer="\n".join(lines), backend="discretion", citations=citations,
                    unverified=unverified, warnings=list(advice["warnings"]), context=items,
                    standalone_query=question)
    answer.notices.append("本回答直接取自裁量基准表（未经大模型改写）。")
    return answer
