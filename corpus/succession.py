"""Article correspondence across versions and codifications: where each article of a repealed or amended
text went.

For a document that is no longer in force today and has a successor in the store — the text that repealed
it (生态环境法典 for 大气污染防治法), or the newer version of its title — each article is aligned with the
successor's most similar article: the cosine of the two texts' character bigrams, each weighted by how rare
it is among the successor's articles (IDF). Penalty boilerplate (「责令改正……处十万元以上一百万元以下的罚款；情节
严重的，报经有批准权的人民政府批准，责令停业、关闭」) is shared by hundreds of articles and weighs little; what
the article is about (「排污许可证」, 「工业噪声」, 「过境转移危险废物」) decides. A pair is kept when the cosine is at
least ``MIN_SIMILARITY``; the similarity is stored with it and shown, so an officer can judge a loose match.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

from corpus.metadata import title_key
from corpus.model import Chunk, Document, Status
from corpus.store import Store, Successor
from corpus.validity import cn_date, in_force_ids, start_date

# Below this cosine two articles are not taken to correspond. Measured on the ten laws 生态环境法典 repealed
# (881 articles, 2026-11-30): 0.4 keeps 746 pairs; rewritten-but-same articles score 0.5–0.98 (噪声污染防治法
# 第六十四条 → 法典 第五百九十三条 0.98), articles split over several of the code's articles 0.5–0.6, and the
# wrong matches seen in a sample of the pairs below 0.4 score 0.2–0.4. Plain difflib ratios, used before, put
# 大气污染防治法 第九十九条 (无证排放大气污染物) on 第一千一百四十条 (工业废水) at 0.53 through the shared boilerplate.
MIN_SIMILARITY = 0.4
# Below this the correspondence is shown with 「仅供参考」: the article was split or rewritten (see above)
LOOSE_SIMILARITY = 0.6
# The alignment method, stored with each correspondence: a store aligned by an older method is aligned again
ALIGNMENT = "idf-bigram-cosine-1"
_PUNCT = re.compile(r"[\s，。、；：？！“”‘’（）()《》「」【】,.;:?!\"'·…—\-]")


def _norm(text: str) -> str:
    return _PUNCT.sub("", text or "")


def _bigrams(text: str) -> Counter:
    return Counter(text[i:i + 2] for i in range(len(text) - 1))


def align(old: list[Chunk], new: list[Chunk], min_similarity: float = MIN_SIMILARITY) -> list[Successor]:
    """For every article of ``old``, its most similar article of ``new`` when the IDF-weighted bigram cosine is at
    least ``min_similarity`` (0–1)."""
    grams = [_bigrams(_norm(c.text)) for c in new]
    df = Counter(g for counts in grams for g in counts)
    n = len(new)
    idf = {g: math.log(n / (1 + k)) + 1 for g, k in df.items()}  # > 0 for every k ≤ n
    unseen = math.log(n + 1) + 1
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    norms = []
    for j, counts in enumerate(grams):
        weights = {g: tf * idf[g] for g, tf in counts.items()}
        norms.append(math.sqrt(sum(w * w for w in weights.values())))
        for g, w in weights.items():
            postings[g].append((j, w))
    out = []
    for chunk in old:
        weights = {g: tf * idf.get(g, unseen) for g, tf in _bigrams(_norm(chunk.text)).items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        if not norm:
            continue
        dot: Counter = Counter()
        for g, w in weights.items():
            for j, wj in postings.get(g, ()):
                dot[j] += w * wj
        best, score = None, 0.0
        for j, d in dot.items():
            cos = d / (norm * norms[j]) if norms[j] else 0.0
            if cos > score:
                best, score = j, cos
        if best is not None and score >= min_similarity:
            out.append(Successor(chunk.id, new[best].id, round(min(score, 1.0), 3)))
    return out


def similarity_note(similarity: float) -> str:
    """「（文本相似度 0.98）」, or for a loose match (below LOOSE_SIMILARITY) the same with a caution to check it."""
    if similarity < LOOSE_SIMILARITY:
        return f"（文本相似度 {similarity:.2f}，仅供参考：该条可能已被拆分或改写，请核对）"
    return f"（文本相似度 {similarity:.2f}）"


def successor_document(doc: Document, by_title: dict[str, Document], versions: dict[str, list[Document]]
                       ) -> Document | None:
    """The text that took ``doc``'s place: its repealing text, else the next version of its title."""
    if doc.repealed_by:
        found = by_title.get(title_key(doc.repealed_by))
        if found is not None:
            return found
    start = start_date(doc)
    later = sorted((v for v in versions.get(title_key(doc.title), []) if v.id != doc.id and start_date(v) > start),
                   key=start_date)
    return later[0] if later else None


def link_successors(store: Store) -> int:
    """Align every repealed or superseded statute with the text that took its place — whatever today's date, so
    that a repeal taking effect later is ready when it does — re-aligning only documents whose successor changed,
    and forgetting the correspondence of documents that no longer have one. Returns how many were aligned."""
    docs = [d for d in store.documents() if d.doc_type.is_statute]
    versions: dict[str, list[Document]] = defaultdict(list)
    for d in docs:
        versions[title_key(d.title)].append(d)
    live = in_force_ids(docs)
    by_title: dict[str, Document] = {}
    for d in sorted(docs, key=lambda d: (d.id in live, start_date(d))):  # the one in force wins its title
        by_title[title_key(d.title)] = d
    stored = store.successor_targets()
    needed: dict[str, str] = {}
    aligned = 0
    for doc in docs:
        target = successor_document(doc, by_title, versions)
        if target is None or target.id == doc.id:
            continue
        key = f"{target.id}|{ALIGNMENT}"
        needed[doc.id] = key
        if stored.get(doc.id) == key:
            continue
        old = store.chunks_of(doc.id, articles_only=True)
        new = store.chunks_of(target.id, articles_only=True)
        store.set_successors(doc.id, key, align(old, new))
        aligned += 1
    for doc_id in set(stored) - set(needed):
        store.set_successors(doc_id, "", [])
    return aligned


def successor_of(store: Store, chunk_id: str) -> tuple[Document, Chunk, float] | None:
    """(document, article, similarity) an article went to, when its document is repealed or amended."""
    link = store.successor(chunk_id)
    if link is None:
        return None
    chunk = store.chunk(link.successor_chunk_id)
    doc = store.document(chunk.doc_id) if chunk is not None else None
    return (doc, chunk, link.similarity) if doc is not None else None


def current_successor(store: Store, chunk_id: str, on: str | None = None, hops: int = 4
                      ) -> tuple[Document, Chunk, float] | None:
    """The article in force on ``on`` (None: today) that took this one's place, following a chain of successions
    (环境噪声污染防治法 → 噪声污染防治法 → 生态环境法典); the similarities multiply along the chain. None when there is
    no successor, or the chain ends in a text that is not in force either."""
    found = successor_of(store, chunk_id)
    similarity = found[2] if found else 0.0
    while found is not None and found[0].status_on(on) not in (Status.CURRENT, Status.UNKNOWN):
        nxt = successor_of(store, found[1].id) if hops > 0 else None
        if nxt is None:
            return None
        found, similarity, hops = nxt, similarity * nxt[2], hops - 1
    return (found[0], found[1], round(similarity, 3)) if found else None


def currency_note(store: Store, doc: Document, chunk: Chunk | None = None, on: str | None = None) -> str | None:
    """Why a cited text is not (or not wholly) in force on ``on`` (None: today), naming the article in force in its
    place: 「《中华人民共和国大气污染防治法》已于2026年8月15日废止（依据…）；第一百一十九条对应的现行条文为
    《中华人民共和国生态环境法典》第一千一百三十一条（文本相似度 0.78）」. None when it is in force.

    The one place such a warning is worded: answers, 裁量 advice, the quiz and ``show`` all use it."""
    status = doc.status_on(on)
    if status in (Status.CURRENT, Status.UNKNOWN):
        return None
    if status == Status.REPEALED:
        when = f"已于{cn_date(doc.repealed_on)}废止" if doc.repealed_on else "已废止"
        note = f"《{doc.title}》{when}（{doc.status_basis or '来源标注'}）"
    elif status == Status.EXPIRED:
        note = f"《{doc.title}》已于{cn_date(doc.repealed_on)}失效（{doc.status_basis or '有效期届满'}）"
    elif status == Status.NOT_YET:
        note = f"《{doc.title}》尚未生效（自{cn_date(start_date(doc)) or '施行日期未载明'}起施行）"
    elif not doc.is_current:
        note = (f"《{doc.title}》（{doc.version_date or doc.effective_date or '日期未载明'}版）已被新版本取代"
                f"（{doc.status_basis or '语料中有更新的版本'}）")
    else:
        note = f"《{doc.title}》已被修改，现行文本未收录（{doc.status_basis or '来源标注'}），请核对现行文本"
    if chunk is None or status == Status.NOT_YET:
        return note
    found = current_successor(store, chunk.id, on)
    if found is not None:
        succ_doc, succ_chunk, similarity = found
        note += (f"；{chunk.label_cn}对应的现行条文为《{succ_doc.title}》{succ_chunk.label_cn}"
                 + similarity_note(similarity))
    elif status == Status.REPEALED and doc.repealed_by:
        note += f"；{chunk.label_cn}在《{doc.repealed_by}》中没有找到相近的条文，请人工核对"
    return note
