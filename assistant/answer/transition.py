"""新旧衔接: when the act happened before the law in force today took effect, the answer shows both texts.

行政处罚法 第三十七条 (and, for environmental matters, 生态环境法典 第一千零五十七条): apply the law in force
when the act occurred, unless the law in force when the decision is made punishes more lightly or no longer
treats the act as illegal (从旧兼从轻). So when a question dates the act (「今年七月发现的……」, 「2026年7月」)
before a repeal or amendment took effect, the articles in force then are retrieved too, each paired with the
article that took its place, and the two penalties are compared — every sentence quoted from the corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assistant.retrieval.base import Filters, Hit, Retriever
from corpus.amounts import parse_yuan_range
from corpus.lookup import find_article
from corpus.model import Chunk, Document
from corpus.numerals import cn_to_int
from corpus.store import Store
from corpus.succession import current_successor

_CN = "零〇一二两三四五六七八九十"
_MONTH = rf"(\d{{1,2}}|[{_CN}]{{1,3}})\s*月(?:份)?(?:\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*[日号])?"
_DATED = re.compile(rf"(?:(\d{{4}})\s*年|(今年|去年|前年))\s*{_MONTH}")
_LAST_MONTH = re.compile(r"(?<!上)上个?月")
# a date a law carries (「2021年7月15日施行的行政处罚法」), not the date of the act
_LAW_DATE = re.compile(r"^\s*(?:起)?(?:施行|公布|通过|修订|修正|颁布|发布|实施|生效)")
# the rule of 从旧兼从轻: the code's own for environmental law, else 行政处罚法's
RULES = (("生态环境法典", 1057), ("行政处罚法", 37))


def _num(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else cn_to_int(text.replace("两", "二").replace("〇", "零"))


def act_date(question: str, today: date | None = None) -> str | None:
    """The date of the act the question describes (YYYY-MM-DD; the first of the month when no day is
    given), when it names one in the past: 「2026年7月」, 「今年七月三日」, 「去年十月」, 「上个月」."""
    today = today or date.today()
    m = next((m for m in _DATED.finditer(question or "") if not _LAW_DATE.match(question[m.end():])), None)
    if m:
        year = int(m.group(1)) if m.group(1) else today.year - {"今年": 0, "去年": 1, "前年": 2}[m.group(2)]
        month, day = _num(m.group(3)), _num(m.group(4)) or 1
        if not month or not 1 <= month <= 12 or not 1 <= day <= 31:
            return None
        try:
            when = date(year, month, day)
        except ValueError:
            return None
    elif _LAST_MONTH.search(question or ""):
        when = date(today.year - (today.month == 1), today.month - 1 or 12, 1)
    else:
        return None
    return when.isoformat() if when < today else None


@dataclass
class Pair:
    """An article in force when the act occurred and the article in force today in its place."""

    then: Hit
    now_doc: Document
    now_chunk: Chunk
    similarity: float


def _range(text: str) -> tuple[float | None, float | None]:
    for sentence in re.split(r"[。；]", text):
        if "罚款" in sentence:
            lo, hi = parse_yuan_range(sentence)
            if lo is not None or hi is not None:
                return lo, hi
    return None, None


def _yuan(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{int(value)}元" if float(value).is_integer() else f"{value}元"


def _bounds(rng: tuple[float | None, float | None]) -> str:
    lo, hi = rng
    if lo is not None and hi is not None:
        return f"{_yuan(lo)}至{_yuan(hi)}" if lo != hi else _yuan(lo)
    return f"{_yuan(lo)}以上" if lo is not None else f"{_yuan(hi)}以下"


def compare(then: str, now: str) -> str:
    """The two fines compared — which rule is lighter — from the first fine each text states; "" when either
    states none. Only two closed ranges (or two fixed amounts) are called lighter or heavier; otherwise both are
    shown for the officer to weigh."""
    a, b = _range(then), _range(now)
    if a == (None, None) or b == (None, None):
        return ""
    shown = f"罚款：行为时 {_bounds(a)}，现行 {_bounds(b)}"
    if None in a or None in b:
        return shown + "——幅度不可直接比较，请对照两条全文判断轻重"
    if a == b:
        verdict = "罚款幅度相同"
    elif b[1] <= a[1] and b[0] <= a[0]:
        verdict = "新的规定处罚较轻，应适用新的规定"
    elif b[1] >= a[1] and b[0] >= a[0]:
        verdict = "新的规定处罚较重，应适用违法行为发生时的规定"
    else:
        verdict = "两者轻重互有高低，请对照两条全文判断"
    return f"{shown}——{verdict}（是否已不再认为是违法等，请对照两条全文）"


def pairs_for(retriever: Retriever, store: Store, question: str, on: str, filters: Filters | None,
              k: int = 6) -> list[Pair]:
    """Articles in force on ``on`` that are no longer in force today and have a successor article."""
    f = filters or Filters()
    then = retriever.search(question, k=k, filters=Filters(doc_types=f.doc_types, region=f.region, law=f.law,
                                                          current_only=True, as_of=on))
    out, seen = [], set()
    for hit in then:
        if hit.chunk.article is None or hit.document.status_on().value == "现行有效" or hit.chunk.id in seen:
            continue
        found = current_successor(store, hit.chunk.id)
        if found is not None:
            seen.add(hit.chunk.id)
            out.append(Pair(hit, found[0], found[1], found[2]))
    return out


def rule_text(store: Store, pairs: list[Pair]) -> tuple[Document, Chunk] | None:
    """The 从旧兼从轻 article that governs these pairs (the code's own for articles it replaced)."""
    for law, article in RULES:
        if law == "生态环境法典" and not any(law in p.now_doc.title for p in pairs):
            continue
        found = find_article(store, law, article)
        if found is not None:
            return found
    return None
