"""Numbered context for the generator: [1..n] blocks with title, article/款, status and dates."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.retrieval import Hit
from corpus.model import DocType
from corpus.numerals import int_to_cn

DOC_TYPE_ZH = {"law": "法律", "regulation": "行政法规", "rule": "规章", "judicial_interpretation": "司法解释",
               "local_regulation": "地方性法规", "discretion": "裁量基准", "case": "案例", "procedure": "工作规范"}


@dataclass
class ContextItem:
    n: int
    hit: Hit
    text: str  # the rendered block, as the generator sees it

    @property
    def citation(self) -> str:
        return cite_label(self.hit)


def cite_label(hit: Hit) -> str:
    """《标题》第三十三条 / 《标题》第51页 / 《标题》（基本案情）."""
    c = hit.chunk
    where = c.label_cn
    if where and hit.paragraph:
        where += f"第{int_to_cn(hit.paragraph)}款"
    if not where and c.doc_type == DocType.DISCRETION and c.page:
        where = f"第{c.page}页"
    if not where and c.heading and c.heading != hit.document.title:
        where = f"（{c.heading}）"
    return f"《{hit.document.title}》{where}"


def render_block(n: int, hit: Hit, on: str | None = None) -> str:
    """Context block [n] as the generator sees it: citation, type, status on ``on`` (None: today), region, dates,
    headings, then the text (款 numbered, a 裁量 row rendered field by field)."""
    d, c = hit.document, hit.chunk
    status = d.status_on(on).value
    meta = [DOC_TYPE_ZH.get(d.doc_type.value, d.doc_type.value), "效力未标注" if status == "unknown" else status]
    if d.region and d.region != "全国":
        meta.append(d.region)
    if d.effective_date:
        meta.append(f"{d.effective_date}施行")
    if c.path:
        meta.append(" ".join(c.path[-2:]))
    head = f"[{n}] {cite_label(hit)}（{'；'.join(meta)}）"
    if hit.via == "rule":
        head += "【与问题所述事实直接相关的总则性规定】"
    if hit.pairs:  # the duty ↔ penalty partners (corpus/references.py): 「罚则：第一千一百八十九条」
        head += "【" + "；".join(hit.pairs[:3]) + "】"
    if c.record is not None:
        body = c.record.render()
    elif c.article is not None and len(c.paragraphs) > 1:
        body = "\n".join(f"第{int_to_cn(i)}款：{p}" for i, p in enumerate(c.paragraphs, 1))
    elif c.article is not None and c.paragraphs:
        body = c.paragraphs[0]
    else:
        body = c.text
    return f"{head}\n{body}"


def build_context(hits: list[Hit], budget_chars: int = 2400, max_items: int = 6,
                  on: str | None = None) -> list[ContextItem]:
    """Number the hits in order while they fit the budget of ``budget_chars`` characters. The first one always
    fits (truncated if needed), and so does the article in force in place of a cited one no longer in force
    (``via="successor"``, truncated to what is left, at least 300 characters): the answer must be able to name it."""
    items: list[ContextItem] = []
    used = 0
    for hit in hits:
        if len(items) >= max_items:
            break
        block = render_block(len(items) + 1, hit, on)
        if items and used + len(block) > budget_chars:
            if hit.via != "successor":
                continue
            block = block[:max(300, budget_chars - used)] + "……"
        if not items and len(block) > budget_chars:
            block = block[:budget_chars] + "……"
        items.append(ContextItem(len(items) + 1, hit, block))
        used += len(block)
    return items


def render_context(items: list[ContextItem]) -> str:
    return "\n\n".join(i.text for i in items)


def planted_notice(items: list[ContextItem]) -> str | None:
    """The notice that a source document held instructions addressed to a language model (removed at ingestion,
    corpus/planted.py), or None."""
    flagged = {i.hit.document.title: len(i.hit.document.planted) for i in items if i.hit.document.planted}
    if not flagged:
        return None
    names = "、".join(f"《{t}》（{n}处）" for t, n in flagged.items())
    return (f"注意：{names}含有疑似针对人工智能的指令文本，已在导入时隔离，未作为依据使用；"
            "请核查该文件的来源与内容。")
