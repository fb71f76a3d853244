"""Duty ↔ penalty partners in search results (#21): after a hit, the article that punishes breaking its duty
(罚则), or the duty a penalty article punishes (违反条款), from the links built at ingestion (corpus/references.py)."""

from __future__ import annotations

import re

from assistant.retrieval.base import PAIRED, Filters, Hit
from assistant.retrieval.cited import allowed
from corpus.lookup import find_article
from corpus.model import DUTY, PENALTY, Chunk, Document, Status
from corpus.store import Store

# The best hits whose duty ↔ penalty partners are brought in after them, and how many partners each: set on the
# dev splits (evals/README.md, 「Duty ↔ penalty links and topic words」). Depth 8 (was 5): a 罚则 found 6th–8th
# brings its duty too — pairs dev 0.861 → 0.889, dev2 0.350 → 0.400 (6 and 7: dev2 unchanged; 10 as 8).
PAIR_DEPTH = 8
PARTNERS_PER_HIT = 2
# question words another duty of a brought 罚则 must hold (and more than the hit that brought it) to come too
SIBLING_WORDS = 2
# only a question about enforcement wants the 罚则 beside the duty (and the duty beside the 罚则): on the STARD dev
# split 12 of 233 questions say so, on the officers' pair questions 75 of 76
ASKS_ENFORCEMENT = re.compile(r"罚(?!金)|没收|(?:怎么|如何|怎样|能|可以|该|予以|依法)处[理置]|处[理置]吗|依据哪|依据什么|查处"
                              r"|执法|谁管|能管|管不管|能不能管|违法|违反|违章|违规")  # not 罚金 (刑罚), not 个人信息处理


def with_partners(store: Store, hits: list[Hit], words: set[str], f: Filters, depth: int = PAIR_DEPTH) -> list[Hit]:
    """Each of the ``depth`` best hits in force followed by its duty ↔ penalty partners (at most
    ``PARTNERS_PER_HIT``; corpus/references.py) with ``via="linked"`` and the relation named; a partner found
    lower down moves up; a stated link to another document's article («违反《城市绿化条例》第十九条规定») brings that
    article. Stated links come first; an aligned one only when the partner holds one of ``words``
    (the question's search words, 2+ characters: 市容条例 第三十四条 punishes five duties — the one asked about,
    not the strongest alignment). A hit no longer in force brings none: the article in force after it brings its
    own. Scores stay non-increasing: a partner takes the score of the hit it follows."""
    out: list[Hit] = []
    placed: set[str] = set()
    asks_fine = any("罚" in w for w in words)
    for i, hit in enumerate(hits):
        if hit.chunk.id in placed:
            continue
        out.append(hit)
        placed.add(hit.chunk.id)
        if i >= depth or hit.document.status_on(f.as_of) in (Status.REPEALED, Status.EXPIRED, Status.AMENDED):
            continue
        partners = []
        for link in hit.chunk.links:
            if link.relation not in PAIRED:
                continue
            found = _partner(store, hit, link, f)
            if found is None or found[1].id in placed:
                continue
            doc, chunk = found
            shared = sum(w in chunk.text for w in words)
            # a question about punishment (罚款, 处罚, 怎么罚) wants the 罚则 that fines, not the one on officials (处分)
            no_fine = link.relation == PENALTY and asks_fine and "罚款" not in chunk.text
            if link.how == "stated" or shared:
                partners.append((link.how != "stated", no_fine, -shared, -link.score, doc, chunk, link))
        for *_, doc, chunk, link in sorted(partners, key=lambda p: p[:4])[:PARTNERS_PER_HIT]:
            out.append(Hit(chunk, doc, hit.score, "linked", relation=link.relation))
            placed.add(chunk.id)
            if link.relation == PENALTY and (sibling := _sibling_duty(store, doc, chunk, hit, words, placed, f)):
                out.append(Hit(sibling[1], sibling[0], hit.score, "linked", relation=DUTY))
                placed.add(sibling[1].id)
            if asks_fine and link.relation == DUTY and is_sanction_on_officials(hit.chunk.text):
                # 城乡规划法 第六十条 (主管部门 … 给予处分) brings 第四十条: the officer asking what to fine wants
                # the 罚则 of that duty that fines (第六十四条) too
                fine = _fining_penalty(store, doc, chunk, words, placed, f)
                if fine is not None:
                    out.append(Hit(fine[1], fine[0], hit.score, "linked", relation=PENALTY))
                    placed.add(fine[1].id)
    return out


def _sibling_duty(store: Store, doc: Document, penalty: Chunk, hit: Hit, words: set[str], placed: set[str],
                  f: Filters) -> tuple[Document, Chunk] | None:
    """Another duty the 罚则 ``penalty`` (brought by the duty ``hit``) punishes, when it holds more of the question's
    ``words`` than ``hit`` does and at least ``SIBLING_WORDS``: 城市供水条例 第三十二条 brings 第三十五条, and the
    question («私接公共供水管网») is about 第二十五条, another act 第三十五条 lists."""
    own = sum(w in hit.chunk.text for w in words)
    best = None
    for link in penalty.links:
        if link.relation != DUTY:
            continue
        found = _partner(store, Hit(penalty, doc, 0.0, "linked"), link, f)
        if found is None or found[1].id in placed:
            continue
        shared = sum(w in found[1].text for w in words)
        if shared >= SIBLING_WORDS and shared > own and (best is None or (shared, link.score) > best[0]):
            best = ((shared, link.score), found)
    return best[1] if best else None


def is_sanction_on_officials(text: str) -> bool:
    """Whether a penalty article sanctions the administration only: 处分 / 通报批评, no 罚款 (城乡规划法 第六十条)."""
    return "罚款" not in text and ("处分" in text or "通报批评" in text)


def _fining_penalty(store: Store, doc: Document, duty: Chunk, words: set[str], placed: set[str],
                    f: Filters) -> tuple[Document, Chunk] | None:
    """The 罚则 of ``duty`` that sets a 罚款, not yet placed: stated first, then the one sharing most ``words``."""
    best = None
    for link in duty.links:
        if link.relation != PENALTY:
            continue
        found = _partner(store, Hit(duty, doc, 0.0, "linked"), link, f)
        if found is None or found[1].id in placed or "罚款" not in found[1].text:
            continue
        key = (link.how != "stated", -sum(w in found[1].text for w in words), -link.score)
        if best is None or key < best[0]:
            best = (key, found)
    return best[1] if best else None


def _partner(store: Store, hit: Hit, link, f: Filters) -> tuple[Document, Chunk] | None:
    """The article a link points to: in the hit's document, or — for 「违反《城市绿化条例》第十九条规定」 in a local
    rule — the cited document's article in force on the filter's date, when the filters allow that document."""
    if link.chunk_id:
        chunk = store.chunk(link.chunk_id)
        return (hit.document, chunk) if chunk is not None else None
    if not link.title:
        return None
    found = find_article(store, link.title, link.article, current_only=True, on=f.as_of, region=f.region)
    return found if found is not None and allowed(found[0], f) else None
