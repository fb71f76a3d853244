"""No-LLM answers: the most relevant provisions, quoted with their citations.

Used when no LLM is configured, and as the fallback when the LLM fails, times
out, or concludes against its own sources (the answer then says why).
"""

from __future__ import annotations

import re

from assistant.answer.context import ContextItem, cite_label
from corpus.model import DocType


def _quote(item: ContextItem, limit: int = 220) -> str:
    c = item.hit.chunk
    if c.record is not None:
        text = "；".join(c.text.splitlines())  # the rendered tier: 违法行为 / 违法情节 / 处罚幅度 …
    elif c.article is not None and item.hit.paragraph and c.paragraph(item.hit.paragraph):
        text = c.paragraph(item.hit.paragraph)
    elif c.article is not None and c.paragraphs:
        text = "".join(c.paragraphs)
    else:
        text = c.text
    text = text.replace("\n", "")
    return text if len(text) <= limit else text[:limit] + "……"


def _sentences(text: str) -> list[str]:
    """Sentences and 项 lines of ``text`` exactly as written (a 项 keeps its 「；」, no 「。」 is added), ≥ 6 characters."""
    return [s.strip() for s in re.findall(r"[^。\n]+。?", text) if len(s.strip().rstrip("。")) >= 6]


def key_sentence(item: ContextItem, question: str) -> str | None:
    """The sentence of the item's text that shares the most characters with the question."""
    c = item.hit.chunk
    source = (c.paragraph(item.hit.paragraph) if item.hit.paragraph else None) or "".join(c.paragraphs) or c.text
    best, score = None, 0
    for s in _sentences(source):
        overlap = len(set(s) & set(question) - set("，。、的了是和与及或在对"))
        if overlap > score:
            best, score = s, overlap
    return best if score >= 3 else None


def _discretion_conclusion(item: ContextItem) -> str:
    """The conclusion for a 裁量基准 row: its 处罚幅度 (or 不予处罚的情节), under the 情节 it belongs to.

    Issue #19 item 5: quoting the row's 违法行为 repeats the question instead of answering it.
    """
    r = item.hit.chunk.record
    label = cite_label(item.hit)
    if r.kind == "no_penalty":
        return (f"结论：依{label}（裁量基准），「{r.violation}」符合下列情节的不予处罚：「{r.range_text}」[{item.n}]。"
                "是否符合，取决于案件事实。")
    circumstances = "；".join(x for x in (r.circumstance, r.prior_violation) if x)
    where = f"情节为「{circumstances}」的，" if circumstances else ""
    return (f"结论：依{label}（裁量基准），{where}处罚幅度为「{r.range_text}」[{item.n}]。"
            "适用前须核实案件事实属于该情节，并在决定书中说明裁量理由。")


def extractive_answer(items: list[ContextItem], max_items: int = 3, notice: str = "", question: str = "") -> str:
    """结论 / 依据 built only from the retrieved text (the conclusion quotes the most relevant sentence)."""
    if not items:
        return "结论：未检索到明确依据。\n请换一种说法，或指明法律名称和条文（如「行政处罚法第三十三条」）。"
    statutes = [i for i in items if i.hit.chunk.doc_type not in (DocType.CASE,)][:max_items] or items[:max_items]
    lines = []
    if notice:
        lines.append(f"（{notice}）")
    top = statutes[0]
    record = top.hit.chunk.record
    sentence = key_sentence(top, question) if question and record is None else None
    if record is not None and record.range_text:
        lines.append(_discretion_conclusion(top))
    elif sentence:
        lines.append(f"结论：{cite_label(top.hit)}规定：「{sentence}」[{top.n}] 是否适用，取决于案件事实是否符合该规定的条件。")
    else:
        lines.append("结论：以下是与问题最相关的规定原文（未经模型分析），请对照案件事实适用。")
    lines.append("依据：")
    for k, item in enumerate(statutes, 1):
        lines.append(f"{k}. {cite_label(item.hit)} [{item.n}]：「{_quote(item)}」")
    return "\n".join(lines)
