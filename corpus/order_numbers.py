"""Order-number nicknames (#21): officers call a 规章 or 行政法规 by the number of the order that promulgated it —
«72号令» (互联网广告管理办法, 国家市场监督管理总局令第72号), «总局20号令», «国务院590号令», «公安部令第125号».

The numbers come from the corpus itself, not from a list: the opening of a stored document (the text before its
first article) names the order that promulgated it, «2023年2月25日 国家市场监督管理总局令第72号公布». An index
``number → [(issuer, title)]`` is built from those lines, and a nickname resolves to a title when one document
fits it (the issuer words the officer gave, «总局», «国务院», narrowing the field in order).

Only orders that *promulgate* or *revise* the text count (…令第N号公布 / 发布 / 修订); an order that amended many
rules at once («…令第42号第一次修正», «公安部令第132号《…关于修改…的决定》») names a decision, not this text.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from corpus.numerals import CN_NUM_CHARS, cn_to_int
from corpus.store import Store

_NUM = r"[0-9０-９" + CN_NUM_CHARS + r"]+"
# in a document's opening: «国家市场监督管理总局令第72号公布», «中华人民共和国国务院令第 590 号公布»
_PROMULGATED = re.compile(r"(?P<issuer>[\u4e00-\u9fff]{2,20}?)令\s*[（(]?\s*第\s*(?P<n>" + _NUM + r")\s*号\s*[)）]?"
                          r"\s*(?P<how>公布|发布|颁布|(?:第[一二三四五六七八九十]+次)?修订)")
# in a question: «72号令», «总局20号令», «第49号令», «国务院令第590号», «市场监管总局令第72号»
NICKNAME = re.compile(r"(?P<issuer>[\u4e00-\u9fff]{0,12}?)(?:令\s*第\s*(?P<n1>" + _NUM + r")\s*号|第?\s*(?P<n2>" + _NUM
                      + r")\s*号令)")
_ISSUER_NOISE = re.compile(r"^(?:中华人民共和国|原)")
INDEX_TTL = 30.0  # seconds, as corpus.lookup.RESOLVER_TTL


@dataclass(frozen=True)
class Order:
    """One promulgating order of a stored document: ``issuer`` as the opening writes it, without 中华人民共和国
    («国家市场监督管理总局», «国务院»), ``number`` (72), and the document's ``title``."""

    issuer: str
    number: int
    title: str


def orders_in_opening(text: str) -> list[tuple[str, int]]:
    """(issuer, number) of every promulgating or revising order named in a document's opening text.

    >>> orders_in_opening("2023年2月25日 国家市场监督管理总局令第72号公布 自2023年5月1日起施行")
    [('国家市场监督管理总局', 72)]
    """
    out = []
    for m in _PROMULGATED.finditer(text):
        number = cn_to_int(m.group("n"))
        issuer = _ISSUER_NOISE.sub("", re.split(r"[日号]", m.group("issuer"))[-1])
        if number and issuer and (issuer, number) not in out:
            out.append((issuer, number))
    return out


def build_index(store: Store) -> dict[int, list[Order]]:
    """number → the orders of that number over the store's documents (one entry per title), from the
    non-article chunks before each document's first article that mention «令第»."""
    first_article: dict[str, int] = {}
    openings: dict[str, list[str]] = {}
    seen: set[str] = set()
    for needle in ("令第", "令 第"):
        for chunk in store.chunks_containing(needle):
            if chunk.article is None and "号" in chunk.text and chunk.id not in seen:
                seen.add(chunk.id)
                openings.setdefault(chunk.doc_id, []).append((chunk.seq, chunk.text))
    index: dict[int, list[Order]] = {}
    for doc_id, parts in openings.items():
        doc = store.document(doc_id)
        if doc is None:
            continue
        if doc_id not in first_article:
            seqs = [c.seq for c in store.chunks_of(doc_id, articles_only=True)]
            first_article[doc_id] = min(seqs) if seqs else 10 ** 9
        text = "\n".join(t for seq, t in sorted(parts) if seq < first_article[doc_id])
        for issuer, number in orders_in_opening(text):
            same = index.setdefault(number, [])
            if not any(o.title == doc.title for o in same):
                same.append(Order(issuer, number, doc.title))
    return index


_INDEXES: dict[int, tuple[float, Store, dict[int, list[Order]]]] = {}


def order_index(store: Store) -> dict[int, list[Order]]:
    """The store's order index (build_index), rebuilt every ``INDEX_TTL`` seconds (the store is kept with its
    index, so a new store never inherits a freed one's index through a reused ``id``)."""
    now = time.monotonic()
    cached = _INDEXES.get(id(store))
    if cached is None or cached[1] is not store or now - cached[0] > INDEX_TTL:
        if len(_INDEXES) > 8:
            _INDEXES.clear()
        cached = _INDEXES[id(store)] = (now, store, build_index(store))
    return cached[2]


def parse_nickname(cited: str) -> tuple[str, int] | None:
    """(issuer words, number) when ``cited`` is an order-number nickname as a whole («总局20号令» → ("总局", 20),
    «72号令» → ("", 72), «国务院令第590号» → ("国务院", 590)); None otherwise."""
    m = NICKNAME.fullmatch(re.sub(r"\s+", "", cited.strip().strip("《》")))
    if not m:
        return None
    number = cn_to_int(m.group("n1") or m.group("n2"))
    return (m.group("issuer"), number) if number else None


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def resolve_nickname(store: Store, cited: str) -> str | None:
    """The title an order-number nickname names, None when it is no nickname or does not name one document.

    Issuer words narrow the candidates: the longest tail of them that is an in-order pick of a candidate's
    issuer («依据总局» → 总局 ⊂ 国家市场监督管理总局; «市场监管总局» too). Several documents left → None (the
    question goes to ordinary search)."""
    parsed = parse_nickname(cited)
    if parsed is None:
        return None
    words, number = parsed
    candidates = order_index(store).get(number, [])
    for start in range(len(words)):  # longest tail first; leading words of a sentence fall away
        hint = words[start:]
        if len(hint) < 2:
            break
        fitting = [o for o in candidates if _subsequence(hint, o.issuer)]
        if fitting:
            candidates = fitting
            break
    titles = {o.title for o in candidates}
    return titles.pop() if len(titles) == 1 else None
