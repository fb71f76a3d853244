"""Article correspondence across versions and codifications: where each article of a repealed or amended
text went.

For a document that is no longer in force today and has a successor in the store — the text that repealed
it (生态环境法典 for 大气污染防治法), or the newer version of its title — each article is aligned with the
successor's most similar article: candidates by shared character bigrams (Dice), the best of them by
``difflib``'s ratio of the two texts. A pair is kept when that ratio is at least ``MIN_SIMILARITY``; the
similarity is stored with it and shown, so an officer can judge a loose match.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict

from corpus.metadata import title_key
from corpus.model import Chunk, Document
from corpus.store import Store, Successor
from corpus.validity import in_force_ids

# Below this difflib ratio two articles are not taken to correspond. Set from 噪声污染防治法 → 生态环境法典:
# rewritten-but-same articles score 0.45–0.95, unrelated neighbours of the same chapter ≤ 0.3.
MIN_SIMILARITY = 0.4
_CANDIDATES = 5
_PUNCT = re.compile(r"[\s，。、；：？！“”‘’（）()《》「」【】,.;:?!\"'·…—\-]")


def _norm(text: str) -> str:
    return _PUNCT.sub("", text or "")


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def align(old: list[Chunk], new: list[Chunk], min_similarity: float = MIN_SIMILARITY) -> list[Successor]:
    """For every article of ``old``, its most similar article of ``new`` (when similar enough)."""
    new_texts = [_norm(c.text) for c in new]
    new_grams = [_bigrams(t) for t in new_texts]
    postings: dict[str, list[int]] = defaultdict(list)
    for j, grams in enumerate(new_grams):
        for g in grams:
            postings[g].append(j)
    out = []
    for chunk in old:
        text = _norm(chunk.text)
        grams = _bigrams(text)
        if not grams:
            continue
        shared: Counter = Counter()
        for g in grams:
            shared.update(postings.get(g, ()))
        top = sorted(shared, key=lambda j: -2 * shared[j] / (len(grams) + len(new_grams[j])))[:_CANDIDATES]
        best, score = None, 0.0
        for j in top:
            ratio = difflib.SequenceMatcher(None, text, new_texts[j], autojunk=False).ratio()
            if ratio > score:
                best, score = j, ratio
        if best is not None and score >= min_similarity:
            out.append(Successor(chunk.id, new[best].id, round(score, 3)))
    return out


def successor_document(doc: Document, docs_by_title: dict[str, Document], versions: dict[str, list[Document]],
                       live: set[str]) -> Document | None:
    """The text that took ``doc``'s place: its repealing text, else the newest version of its title."""
    if doc.repealed_by:
        found = docs_by_title.get(title_key(doc.repealed_by))
        if found is not None:
            return found
    newer = [v for v in versions.get(title_key(doc.title), []) if v.id != doc.id and v.id in live]
    return newer[0] if newer else None


def link_successors(store: Store) -> int:
    """Store the article correspondence of every document not in force today that has a successor;
    returns how many documents were linked."""
    docs = [d for d in store.documents() if d.doc_type.is_statute]
    live = in_force_ids(docs)
    versions: dict[str, list[Document]] = defaultdict(list)
    for d in docs:
        versions[title_key(d.title)].append(d)
    by_title = {title_key(d.title): d for d in docs if d.id in live}
    linked = 0
    for doc in docs:
        if doc.id in live:
            continue
        target = successor_document(doc, by_title, versions, live)
        if target is None:
            continue
        old = store.chunks_of(doc.id, articles_only=True)
        new = store.chunks_of(target.id, articles_only=True)
        store.set_successors(doc.id, align(old, new))
        linked += 1
    return linked


def _cn_date(day: str) -> str:
    y, m, d = day.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


def successor_of(store: Store, chunk_id: str) -> tuple[Document, Chunk, float] | None:
    """(document, article, similarity) an article went to, when its document is repealed or amended."""
    link = store.successor(chunk_id)
    if link is None:
        return None
    chunk = store.chunk(link.successor_chunk_id)
    doc = store.document(chunk.doc_id) if chunk is not None else None
    return (doc, chunk, link.similarity) if doc is not None else None


def currency_note(store: Store, doc: Document, chunk: Chunk | None = None, on: str | None = None) -> str | None:
    """Why a cited text is not (or not wholly) in force on ``on`` (None: today), naming the successor article:
    「《中华人民共和国大气污染防治法》已于2026年8月15日废止（依据…）；第一百一十九条对应的现行条文为
    《中华人民共和国生态环境法典》第一千一百三十一条（文本相似度 0.78）」. None when it is in force."""
    from corpus.model import Status

    status = doc.status_on(on)
    if status == Status.CURRENT or status == Status.UNKNOWN:
        return None
    if status == Status.REPEALED:
        when = f"已于{_cn_date(doc.repealed_on)}废止" if doc.repealed_on else "已废止"
        note = f"《{doc.title}》{when}（{doc.status_basis or '来源标注'}）"
    elif status == Status.NOT_YET:
        note = f"《{doc.title}》尚未生效"
    elif doc.is_current:
        note = f"《{doc.title}》已被修改，现行文本未收录（{doc.status_basis or '来源标注'}），请核对现行文本"
    else:
        note = f"《{doc.title}》（{doc.version_date or doc.effective_date or '日期未载明'}版）已被新版本取代"
    found = successor_of(store, chunk.id) if chunk is not None else None
    if found is not None:
        succ_doc, succ_chunk, similarity = found
        note += (f"；{chunk.label_cn}对应的现行条文为《{succ_doc.title}》{succ_chunk.label_cn}"
                 f"（文本相似度 {similarity:.2f}）")
    elif chunk is not None and status == Status.REPEALED and doc.repealed_by:
        note += f"；{chunk.label_cn}在《{doc.repealed_by}》中没有找到相近的条文，请人工核对"
    return note


def current_successor(store: Store, chunk_id: str, hops: int = 3) -> tuple[Document, Chunk, float] | None:
    """The successor article in force today, following a chain (环境噪声污染防治法 → 噪声污染防治法 →
    生态环境法典); similarities multiply along the chain."""
    found = successor_of(store, chunk_id)
    similarity = found[2] if found else 0.0
    while found is not None and hops > 0 and found[0].status_on().value not in ("现行有效", "unknown"):
        nxt = successor_of(store, found[1].id)
        if nxt is None:
            break
        found, similarity, hops = nxt, similarity * nxt[2], hops - 1
    return (found[0], found[1], round(similarity, 3)) if found else None


def successor_of_text(store: Store, title: str, text: str, repealers: dict[str, Document]) -> \
        tuple[Document, Chunk, float] | None:
    """Where an article of a text the store does not hold went, when a text in the store repealed it:
    ``repealers`` maps repealed title keys to the repealing document (corpus.currency.find_clauses)."""
    target = repealers.get(title_key(title))
    if target is None:
        return None
    probe = Chunk(doc_id="", title=title, doc_type=target.doc_type, text=text, article=0)
    links = align([probe], store.chunks_of(target.id, articles_only=True))
    if not links:
        return None
    chunk = store.chunk(links[0].successor_chunk_id)
    later = current_successor(store, chunk.id) if target.status_on().value not in ("现行有效", "unknown") else None
    if later is not None:
        return later[0], later[1], round(links[0].similarity * later[2], 3)
    return target, chunk, links[0].similarity
