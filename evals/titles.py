"""Abbreviated-title resolution (#21): Hit@1 of the cited title → stored title, on
evals/data/title_abbreviations.jsonl (see its README), for the resolver of corpus/titles.py and for the lookup
it replaced (exact key, known abbreviation, containment).

Each row: ``abbreviation``, ``full_title`` (as stored), ``region`` (the officer's, or null), ``kind``, and for
ambiguous citations ``also`` (other titles the abbreviation fits, to be offered).
"""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from pathlib import Path

from corpus.lookup import ABBREVIATIONS, resolve_title, title_resolver
from corpus.metadata import region_of, title_from_filename, title_key
from corpus.store import Store
from corpus.titles import TitleEntry, TitleResolver

DATA = Path(__file__).resolve().parent / "data" / "title_abbreviations.jsonl"


def same_title(title: str) -> str:
    """A title's key with 中华人民共和国 dropped inside too: «最高人民法院关于适用《中华人民共和国行政诉讼法》的解释»
    and «……适用《行政诉讼法》的解释» are one interpretation stored under two spellings."""
    return title_key(title).replace("中华人民共和国", "")


def load_pairs(path: Path = DATA) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _before(store: Store, cited: str, known: set[str] | None = None) -> str | None:
    """The lookup before #21: exact key (after the abbreviation table), then containment, shortest first;
    over ``known`` title keys when given instead of the store."""
    key = resolve_title(cited)
    if known is not None:
        exact = [k for k in known if k == key] or sorted((k for k in known if key in k), key=len)
        return exact[0] if exact else None
    docs = store.documents(title_key=key) or store.documents(title_key_contains=key)
    docs.sort(key=lambda d: len(title_key(d.title)))
    return docs[0].title if docs else None


def titles_under(folders: list[Path]) -> list[TitleEntry]:
    """The titles (and regions) of the Markdown files under ``folders``, read from their names as ingestion
    does (corpus.metadata): what a store that ingested them would hold, without ingesting 3,500 laws."""
    out = []
    for folder in folders:
        for path in sorted(folder.rglob("*.md")):
            title = title_from_filename(path)[0]
            if title and title.upper() != "README" and not path.name.startswith("_"):
                out.append(TitleEntry(title, title_key(title), region_of(title, path)))
    return out


def evaluate_titles(store: Store, rows: list[dict], extra_titles: list[TitleEntry] | None = None) -> dict:
    """Hit@1 overall and per kind for the resolver and for the earlier lookup; for ambiguous rows, the share
    whose other fitting titles are all offered; latency p50/p95 in ms; the misses (abbreviation → got).

    ``extra_titles`` join the store's (``titles_under``); the earlier lookup sees the store only, so compare
    the two on a store that holds every listed title."""
    resolver = title_resolver(store)
    if extra_titles:
        stored = [TitleEntry(d.title, title_key(d.title), d.region) for d in store.documents()]
        resolver = TitleResolver(stored + list(extra_titles), ABBREVIATIONS)
        known = {e.key for e in resolver.entries}
    else:
        known = None
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # cases, resolver hits, earlier hits
    offered = ambiguous = 0
    times, misses = [], []
    for r in rows:
        want = same_title(r["full_title"])
        t0 = time.perf_counter()
        match = resolver.resolve(r["abbreviation"], r.get("region"))
        times.append(1000 * (time.perf_counter() - t0))
        got = match.title if match else None
        hit = got is not None and same_title(got) == want
        before = _before(store, r["abbreviation"], known)
        counts = per_kind[r.get("kind", "?")]
        counts[0] += 1
        counts[1] += hit
        counts[2] += before is not None and same_title(before) == want
        if r.get("also"):
            ambiguous += 1
            shown = {title_key(t) for t in (match.alternatives if match else [])}
            offered += all(title_key(t) in shown for t in r["also"])
        if not hit:
            misses.append(f"{r['abbreviation']}（{r.get('region') or '—'}）→ {got or '无'}；应为 {r['full_title']}")
    n = sum(c[0] for c in per_kind.values()) or 1
    times.sort()
    return {
        "cases": n,
        "hit1": sum(c[1] for c in per_kind.values()) / n,
        "hit1_before": sum(c[2] for c in per_kind.values()) / n,
        "by_kind": {k: {"cases": c[0], "hit1": c[1] / c[0], "hit1_before": c[2] / c[0]} for k, c in sorted(per_kind.items())},
        "ambiguous_cases": ambiguous,
        "alternatives_offered": offered / ambiguous if ambiguous else 0.0,
        "latency_p50_ms": statistics.median(times) if times else 0.0,
        "latency_p95_ms": times[min(len(times) - 1, int(0.95 * len(times)))] if times else 0.0,
        "misses": misses,
    }


LOOKUPS = Path(__file__).resolve().parent / "data" / "article_lookups.jsonl"


def evaluate_lookups(retriever, rows: list[dict]) -> dict:
    """Officers' article citations with abbreviated titles (evals/data/article_lookups.jsonl, see its README):
    per split and kind, Hit@1 (the first hit is that article of that document) and the share answered by direct
    lookup; the misses with what came first (not for ``test`` and ``all``: the held-out misses stay unseen).
    Splits are the rows' ``split`` values (dev, dev2, test …) and ``all``. ``retriever``: a Retriever (the default search)."""
    from assistant.retrieval import Filters

    out: dict = {}
    from evals.references import splits_of

    for split in splits_of(rows):
        mine = [r for r in rows if split == "all" or r["split"] == split]
        by_kind: dict = defaultdict(lambda: [0, 0])
        hits1 = looked_up = 0
        misses = []
        for r in mine:
            hits = retriever.search(r["query"], 5, Filters())
            first = hits[0] if hits else None
            ok = first is not None and same_title(first.document.title) == same_title(r["title"]) and \
                first.chunk.article == r["article"]
            hits1 += ok
            looked_up += bool(first and first.via == "lookup")
            by_kind[r["kind"]][0] += ok
            by_kind[r["kind"]][1] += 1
            if not ok and split not in ("test", "all"):  # the test split's misses stay unseen
                got = f"《{first.document.title}》{first.chunk.label_cn}（{first.via}）" if first else "无结果"
                misses.append(f"{r['id']} {r['query']} → {got}")
        n = len(mine) or 1
        out[split] = {"cases": len(mine), "hit1": round(hits1 / n, 3), "by_lookup": round(looked_up / n, 3),
                      "by_kind": {k: round(v[0] / v[1], 3) for k, v in sorted(by_kind.items())}, "misses": misses}
    return out
