"""Statute-retrieval evaluation (STARD-format JSONL): Recall@k, Hit@k, MRR@10, nDCG@10.

A retrieved chunk matches a gold article when the normalised law titles are
equal and the article numbers are equal, or — when versions differ (e.g. a
renumbered article) — when the retrieved article's text is nearly the gold text,
or when it is the article that took the gold article's place after its law was
repealed or amended (corpus/succession.py: 大气污染防治法 第一百一十九条 →
生态环境法典 第一千一百三十一条), since current-only search rightly returns that one.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from assistant.retrieval import Filters, Hit, Retriever
from corpus.metadata import title_key

KS = (1, 5, 10, 20, 100)
TEXT_MATCH = 0.9
_PUNCT = re.compile(r"[\s，。、；：？！“”‘’（）()《》「」【】,.;:?!\"'·…—\-]")


def eval_corpus() -> list[Path]:
    """The evaluation corpus: corpus-src + corpus-full/{行政法规,司法解释,部门规章} (+ the national-law DB)."""
    from assistant.settings import shared_dir

    shared = shared_dir()
    if not shared:
        return []
    parts = [shared / "corpus-src"] + [shared / "corpus-full" / p for p in ("行政法规", "司法解释", "部门规章")]
    return [p for p in parts if p.is_dir()]


def law_key(title: str) -> str:
    return title_key(title).replace("中华人民共和国", "")


def _norm_text(text: str) -> str:
    return _PUNCT.sub("", text or "")


def _body(hit: Hit) -> str:
    return _norm_text("".join(hit.chunk.paragraphs) or hit.chunk.text)


def load_dataset(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from exc
    return rows


def with_successors(store, rows: list[dict]) -> int:
    """Give every gold article whose law is no longer in force the chunk id of the article in force today in
    its place (``gold["successor"]``): through the store's correspondence when the store holds the old law,
    else by aligning the gold text with the law that repealed it (环境噪声污染防治法, repealed by
    噪声污染防治法 第九十条, itself repealed by 生态环境法典). Returns how many gold articles got one."""
    from corpus.currency import find_clauses
    from corpus.lookup import find_article, find_documents
    from corpus.succession import current_successor

    repealers = {key: c.doc for c in find_clauses(store) if c.kind == "repeal" for key in c.targets}
    n = 0
    for row in rows:
        for gold in row["gold"]:
            found = find_article(store, gold["law"], gold["article"], current_only=False)
            if found is not None and found[0].status_on().value in ("现行有效", "unknown"):
                continue
            if found is not None:
                later = current_successor(store, found[1].id)
            elif find_documents(store, gold["law"]):
                continue  # the law is in force; this article is not in the store
            else:
                later = successor_of_text(store, gold["law"], gold.get("text", ""), repealers)
            if later is not None:
                gold["successor"] = later[1].id
                n += 1
    return n


def successor_of_text(store, title: str, text: str, repealers: dict) -> tuple | None:
    """Where an article of a text the store does not hold went, when a text in the store repealed it
    (``repealers``: repealed title key → repealing document): the gold text aligned with the repealing text's
    articles, then followed to the article in force today."""
    from corpus.model import Chunk
    from corpus.succession import align, current_successor

    target = repealers.get(title_key(title))
    if target is None:
        return None
    probe = Chunk(doc_id="", title=title, doc_type=target.doc_type, text=text, article=0)
    links = align([probe], store.chunks_of(target.id, articles_only=True))
    if not links:
        return None
    chunk = store.chunk(links[0].successor_chunk_id)
    if target.status_on().value in ("现行有效", "unknown"):
        return target, chunk, links[0].similarity
    later = current_successor(store, chunk.id)
    return (later[0], later[1], round(links[0].similarity * later[2], 3)) if later else None


def matches(hit: Hit, gold: dict) -> bool:
    if gold.get("successor") == hit.chunk.id:
        return True
    if law_key(hit.document.title) != law_key(gold["law"]):
        return False
    if hit.chunk.article == gold["article"] and (hit.chunk.article_suffix or None) == (gold.get("article_suffix") or None):
        return True
    text = _norm_text(gold.get("text", ""))
    if not text or hit.chunk.article is None:
        return False
    body = _body(hit)
    if abs(len(body) - len(text)) > 0.2 * max(len(text), 1):
        return False
    return SequenceMatcher(None, body, text, autojunk=False).ratio() >= TEXT_MATCH


@dataclass
class QueryResult:
    id: str
    admin: bool
    ranks: list[int | None]  # per gold item: 1-based rank of its first match, or None
    first_relevant: int | None  # rank of the first relevant hit
    relevant_flags: list[bool] = field(default_factory=list)  # per hit position (top 10)
    n_gold: int = 0
    seconds: float = 0.0


def evaluate_query(row: dict, hits: list[Hit]) -> QueryResult:
    golds = row["gold"]
    ranks: list[int | None] = [None] * len(golds)
    flags: list[bool] = []
    first = None
    for pos, hit in enumerate(hits, 1):
        rel = False
        for gi, gold in enumerate(golds):
            if ranks[gi] is None and matches(hit, gold):
                ranks[gi] = pos
                rel = True
        if rel and first is None:
            first = pos
        if pos <= 10:
            flags.append(rel)
    return QueryResult(row["id"], bool(row.get("admin")), ranks, first, flags, len(golds))


def summarise(results: list[QueryResult]) -> dict[str, float]:
    if not results:
        return {}
    out: dict[str, float] = {"queries": len(results)}
    for k in KS:
        out[f"recall@{k}"] = sum(sum(1 for r in q.ranks if r and r <= k) / q.n_gold for q in results) / len(results)
        out[f"hit@{k}"] = sum(1 for q in results if q.first_relevant and q.first_relevant <= k) / len(results)
    out["mrr@10"] = sum(1 / q.first_relevant for q in results if q.first_relevant and q.first_relevant <= 10) / len(results)
    ndcg = 0.0
    for q in results:
        dcg = sum(1 / math.log2(i + 2) for i, rel in enumerate(q.relevant_flags) if rel)
        idcg = sum(1 / math.log2(i + 2) for i in range(min(q.n_gold, 10)))
        ndcg += dcg / idcg if idcg else 0.0
    out["ndcg@10"] = ndcg / len(results)
    secs = sorted(q.seconds for q in results)
    out["latency_p50_ms"] = 1000 * secs[len(secs) // 2]
    out["latency_p95_ms"] = 1000 * secs[min(len(secs) - 1, int(0.95 * len(secs)))]
    return out


def run(retriever: Retriever, rows: list[dict], k: int = 100, filters: Filters | None = None,
        progress: Callable[[int, int], None] | None = None) -> dict[str, dict]:
    results = []
    if not any("successor" in g for r in rows for g in r["gold"]):
        with_successors(retriever.store, rows)
    for n, row in enumerate(rows, 1):
        t0 = time.perf_counter()
        hits = retriever.search(row["query"], k=k, filters=filters)
        res = evaluate_query(row, hits)
        res.seconds = time.perf_counter() - t0
        results.append(res)
        if progress:
            progress(n, len(rows))
    return {"all": summarise(results), "admin": summarise([r for r in results if r.admin])}


def compare(measured: dict, expected: dict, tolerance: float = 0.005) -> list[tuple[str, float, float, bool]]:
    """[(name, expected, measured, ok)] for every stored expected score of the measured modes (latencies are not compared)."""
    rows = []
    for mode, subsets in expected.items():
        if mode not in measured:
            continue
        for subset, metrics in subsets.items():
            for metric, want in metrics.items():
                got = measured.get(mode, {}).get(subset, {}).get(metric)
                ok = got is not None and abs(got - want) <= tolerance
                rows.append((f"{mode}/{subset}/{metric}", want, got if got is not None else float("nan"), ok))
    return rows
