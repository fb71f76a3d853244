"""Exam items built from the article text itself, so that every key is checkable against that text.

- 单选: a sentence of the article with one term blanked — a time limit (十五日), an amount (五十元), a
  competent authority (县级以上人民政府…部门) or a modal (应当/可以/不得) — the key is the term, the
  distractors are terms of the same kind from other articles of the same law (confusable neighbours)
  that do not make the sentence true anywhere in the law;
- 多选: an article's enumerated 项 — the keys are two to four of its items, the distractors items of
  another article's list;
- 判断: a sentence as written (正确) or with its modal or time limit swapped (错误, and the changed
  sentence appears nowhere in the law).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from corpus.model import Chunk, Document
from corpus.numerals import int_to_cn

BLANK = "（　　）"
_CN = "一二三四五六七八九十百千万零两"
FACETS = {
    # not a date's day («2021年7月15日起施行»): the time limit is not preceded by 年/月
    "期限": re.compile(rf"(?<![第{_CN}\d年月])[{_CN}\d]+(?:个工作日|个月|日|年)(?=内|以内|之内|后|起|前|届满|的|，|。|；)"),
    "金额": re.compile(rf"(?<![第{_CN}\d])[{_CN}\d]+(?:万)?元(?=以上|以下|的|，|。|；)"),
    "机关": re.compile(r"(?:县级以上(?:地方)?人民政府|县级以上|国务院|省、自治区、直辖市人民政府)[^，。；、]{0,18}?(?:主管部门|部门|机关)"),
    "情态": re.compile(r"应当|可以|不得"),
}
MODAL_SWAP = {"应当": "可以", "可以": "应当", "不得": "可以"}
# a modal carries the rule when a legal effect follows it (不予处罚, 从轻, 责令, 当场作出, 举行听证 …); before 载明,
# 遵守 or 依法 any modal reads naturally and the blank tests nothing (#25)
_RULE_EFFECT = re.compile(r"[^，。；]{0,6}?(?:给予|处以|处罚|不予|从轻|减轻|责令|没收|吊销|暂扣|当场|举行|组织听证|告知|采取|"
                          r"申请|提出|回避|移送|决定|复核|送达|退还|收缴|加处|拍卖|划拨|执行|中止|终结|延长|撤销|公开)")


def rule_modal(text: str, end: int) -> bool:
    """Whether the modal ending at ``end`` in ``text`` decides a legal effect (see ``_RULE_EFFECT``)."""
    return bool(_RULE_EFFECT.match(text, end))


_LIST_LEAD = re.compile(r"(?:下列|以下|如下)[^。；]{0,12}[：:]$|[：:]$")
_ITEM = re.compile(r"^（([一二三四五六七八九十]+)）(.+?)[；;。]?$")


@dataclass
class Sentence:
    text: str
    chunk: Chunk
    paragraph: int  # 款 (1-based)


@dataclass
class LawPool:
    """What the items of one scope draw on: its sentences, and every facet term of the same law(s)."""

    doc: Document
    chunks: list[Chunk]
    law_text: str  # all article text of the law, for "this distractor makes no true sentence" checks
    terms: dict[str, list[str]] = field(default_factory=dict)
    lists: list[tuple[Chunk, int, str, list[str]]] = field(default_factory=list)  # (chunk, 款, lead, items)

    @classmethod
    def build(cls, doc: Document, chunks: list[Chunk], all_chunks: list[Chunk]) -> "LawPool":
        pool = cls(doc, chunks, "\n".join(p for c in all_chunks for p in c.paragraphs))
        for kind, rx in FACETS.items():
            seen: dict[str, None] = {}
            for c in all_chunks:
                for p in c.paragraphs:
                    for m in rx.finditer(p):
                        seen.setdefault(m.group(0), None)
            pool.terms[kind] = list(seen)
        for c in all_chunks:
            for i, p in enumerate(c.paragraphs, 1):
                lines = p.split("\n")
                items = [m.group(2).strip() for m in map(_ITEM.match, lines[1:]) if m]
                if len(items) >= 3 and lines[0].endswith(("：", ":")):
                    pool.lists.append((c, i, lines[0].rstrip("：:"), items))
        return pool

    def sentences(self) -> list[Sentence]:
        out = []
        for c in self.chunks:
            for i, p in enumerate(c.paragraphs, 1):
                for s in re.split(r"(?<=[。；])", p.split("\n")[0]):
                    s = s.strip()
                    # a list's lead (「……载明下列事项：」) is no stem without its items (#25)
                    # a whole sentence (「……。」), not a clause ending in 「；」 that reads as a fragment
                    if 12 <= len(s) <= 140 and s.endswith("。") and not _LIST_LEAD.search(s):
                        out.append(Sentence(s, c, i))
        return out


def source_of(c: Chunk, doc: Document, paragraph: int | None) -> dict:
    label = f"第{int_to_cn(c.article)}条" if c.article else ""
    return {"title": doc.title, "article": c.article, "paragraph": paragraph, "chunk_id": c.id,
            "label": label + (f"第{int_to_cn(paragraph)}款" if paragraph and len(c.paragraphs) > 1 else ""),
            "version_date": doc.version_date or None, "effective_date": doc.effective_date or None,
            "status": doc.status_on().value}


def _explain(doc: Document, s: Sentence) -> str:
    src = source_of(s.chunk, doc, s.paragraph)
    return f"《{doc.title}》{src['label']}规定：「{s.text}」"


def _stem_prefix(doc: Document) -> str:
    return f"根据《{doc.title}》，"


def single_items(pool: LawPool, rng: random.Random) -> list[dict]:
    out = []
    for s in pool.sentences():
        for kind in ("期限", "金额", "机关", "情态"):
            m = FACETS[kind].search(s.text)
            if not m or (kind == "情态" and not rule_modal(s.text, m.end())):
                continue
            key = m.group(0)
            fillers = [t for t in pool.terms.get(kind, []) if t != key and t not in key and key not in t]
            if kind == "情态":
                fillers = [t for t in ("应当", "可以", "不得", "无须") if t != key]  # not 必须: a synonym of 应当
            # a distractor must not make the sentence true anywhere in the law
            fillers = [t for t in fillers if s.text[:m.start()] + t + s.text[m.end():] not in pool.law_text]
            if len(fillers) < 3:
                continue
            distractors = rng.sample(fillers, 3)
            stem = _stem_prefix(pool.doc) + s.text[:m.start()] + BLANK + s.text[m.end():]
            out.append({"type": "single", "stem": stem, "choices": [key, *distractors], "keys": [key],
                        "explanation": _explain(pool.doc, s), "source": source_of(s.chunk, pool.doc, s.paragraph),
                        "tag": f"{pool.doc.title.removeprefix('中华人民共和国')}·{kind}", "difficulty": "中等" if kind != "情态" else "容易",
                        "verify": {"kind": "fill", "sentence": s.text, "start": m.start(), "end": m.end()}})
            break
    return out


def multi_items(pool: LawPool, rng: random.Random) -> list[dict]:
    out = []
    in_scope = {c.id for c in pool.chunks}
    for c, para, lead, items in pool.lists:
        if c.id not in in_scope:
            continue
        items = [i for i in items if not re.search(r"其他|规定的", i)]  # catch-all items make poor options
        others = [i for c2, _, _, its in pool.lists if c2.id != c.id for i in its
                  if i not in c.text and not re.search(r"其他|规定的", i)]
        if len(items) < 2 or len(others) < 2:
            continue
        n_keys = min(len(items), rng.choice((2, 3, 3, 4)))
        keys = rng.sample(items, n_keys)
        n_opts = 5 if n_keys >= 3 else 4
        distractors = rng.sample(others, min(len(others), n_opts - n_keys))
        if len(distractors) + n_keys < 4:
            continue
        stem = f"{_stem_prefix(pool.doc)}{lead}。下列属于该条所列情形的有（　　）"
        src = source_of(c, pool.doc, para)
        out.append({"type": "multi", "stem": stem, "choices": [*keys, *distractors], "keys": keys,
                    "explanation": f"《{pool.doc.title}》{src['label']}所列情形为：" + "；".join(items) + "。",
                    "source": src, "tag": f"{pool.doc.title.removeprefix('中华人民共和国')}·列举情形", "difficulty": "较难",
                    "verify": {"kind": "list", "text": c.paragraph(para) or c.text}})
    return out


def judge_items(pool: LawPool, rng: random.Random) -> list[dict]:
    out = []
    for s in pool.sentences():
        m = FACETS["情态"].search(s.text)
        if m and not rule_modal(s.text, m.end()):
            m = None
        m = m or FACETS["期限"].search(s.text)
        if not m:
            continue
        true = rng.random() < 0.5
        statement = s.text
        if not true:
            word = m.group(0)
            if word in MODAL_SWAP:
                swapped = MODAL_SWAP[word]
            else:
                alts = [t for t in pool.terms.get("期限", []) if t != word and word not in t and t not in word]
                if not alts:
                    continue
                swapped = rng.choice(alts)
            statement = s.text[:m.start()] + swapped + s.text[m.end():]
            if statement in pool.law_text:
                continue
        out.append({"type": "judge", "stem": f"{_stem_prefix(pool.doc)}{statement}", "choices": ["正确", "错误"],
                    "keys": ["正确" if true else "错误"], "explanation": _explain(pool.doc, s),
                    "source": source_of(s.chunk, pool.doc, s.paragraph),
                    "tag": f"{pool.doc.title.removeprefix('中华人民共和国')}·{'情态' if m.group(0) in MODAL_SWAP else '期限'}",
                    "difficulty": "容易", "verify": {"kind": "judge", "statement": statement, "sentence": s.text,
                                                      "true": true}})
    return out
