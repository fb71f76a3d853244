"""Benchmark: search latency (warm p50/p95), 4-way concurrent throughput, index build times, size, RSS.

Prints numbers; asserts nothing. ``python -m evals.bench_retrieval [--data-dir DIR] [--rebuild]``.
Queries come from the dev split when present (else a built-in list of officer questions).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from assistant.retrieval.factory import ensure_index, make_reranker, make_retriever, make_settings_embedder
from assistant.storage import open_store
from assistant.retrieval.rerank import EmbeddingReranker
from assistant.settings import Settings, shared_dir
from indexing.embedding_cache import EmbeddingCache

FALLBACK_QUERIES = ["行政处罚法第三十三条", "摊贩占道经营第一次被发现要罚款吗", "初次违法且危害后果轻微并及时改正的可以不罚吗",
                    "执法人员不出示证件当事人可以拒绝吗", "查封扣押的期限是多久", "噪声扰民怎么处罚",
                    "销售过期食品如何处罚", "听证的条件", "违法建设责令限期拆除", "政府信息公开申请答复期限"]


def _queries(n: int) -> list[str]:
    shared = shared_dir()
    path = shared / "evals-dev" / "statute_retrieval_dev.jsonl" if shared else None
    if path and path.exists():
        qs = [json.loads(line)["query"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return (qs * (n // max(len(qs), 1) + 1))[:n]
    return (FALLBACK_QUERIES * (n // len(FALLBACK_QUERIES) + 1))[:n]


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, help="data dir with an ingested store (default: settings)")
    parser.add_argument("--rebuild", action="store_true", help="also time index builds from scratch and warm cache")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rerank", action="store_true", help="also time hybrid + e5 re-ranking (cold and warm cache)")
    args = parser.parse_args()
    settings = Settings()
    if args.data_dir:
        settings.data_dir = args.data_dir
    store = open_store(settings)
    if store.counts()["chunks"] == 0:
        from assistant.storage import run_ingest
        from evals.retrieval import eval_corpus

        settings.corpus = eval_corpus() or settings.corpus
        t0 = time.perf_counter()
        run_ingest(settings, store)
        print(f"ingest of {', '.join(p.name for p in settings.corpus)} + national-law DB: {time.perf_counter() - t0:.1f} s")
    embedder = make_settings_embedder(settings)
    if args.rebuild:
        cold = settings.data_dir / "bench-cold"
        shutil.rmtree(cold, ignore_errors=True)
        cold.mkdir(parents=True)
        cold_settings = settings.model_copy(update={"data_dir": cold})
        t0 = time.perf_counter()
        ensure_index(cold_settings, store, embedder, force=True)
        print(f"index build from scratch (empty embedding cache): {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        ensure_index(cold_settings, store, embedder, force=True)
        print(f"index build with a warm embedding cache: {time.perf_counter() - t0:.1f} s")
        shutil.rmtree(cold, ignore_errors=True)
    t0 = time.perf_counter()
    index = ensure_index(settings, store, embedder)
    print(f"index load: {time.perf_counter() - t0:.2f} s; {index.manifest.n_chunks} chunks; model {index.manifest.model_id}")
    print(f"index size on disk: {_dir_size(settings.index_dir) / 2**20:.1f} MB "
          f"(+ store {settings.store_path.stat().st_size / 2**20:.1f} MB)")
    retriever = make_retriever(settings, store, index, embedder, mode="hybrid")
    print(f"hybrid search, {settings.fusion} fusion")
    queries = _queries(args.queries)
    for q in queries[:20]:  # warm-up
        retriever.search(q, k=10)
    print(f"single query, warm, k=10: {_percentiles(_timed(retriever, queries))}")
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda q: retriever.search(q, k=10), queries))
    elapsed = time.perf_counter() - t0
    print(f"4 concurrent clients: {len(queries) / elapsed:.1f} queries/s")
    if args.rerank:
        _bench_rerank(settings, store, index, embedder, queries)
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def _timed(retriever, queries: list[str]) -> list[float]:
    """Milliseconds per ``search(q, k=10)``, one query at a time."""
    times = []
    for q in queries:
        t0 = time.perf_counter()
        retriever.search(q, k=10)
        times.append(1000 * (time.perf_counter() - t0))
    return times


def _percentiles(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    return f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms (n={len(times)})"


def _bench_rerank(settings, store, index, embedder, queries: list[str]) -> None:
    """Hybrid + re-ranking: officer questions whose candidates are not cached yet, then the same with a warm cache."""
    name = settings.rerank if settings.rerank != "none" else "e5"
    reranker = make_reranker(settings.model_copy(update={"rerank": name}))
    print(f"hybrid + {name} re-ranking of the top {reranker.depth}")
    empty = EmbeddingReranker(reranker.embedder, EmbeddingCache(":memory:"), reranker.depth, reranker.weight)
    cold_retriever = make_retriever(settings, store, index, embedder, mode="hybrid", reranker=empty)
    cold = _timed(cold_retriever, FALLBACK_QUERIES)  # an empty cache, so this pass is cold on every run
    print(f"  empty cache (passages embedded: {empty.cache.misses}): {_percentiles(cold)}")
    empty.cache.close()
    retriever = make_retriever(settings, store, index, embedder, mode="hybrid", reranker=reranker)
    for q in queries:  # fills the cache for the timed pass
        retriever.search(q, k=10)
    print(f"  warm cache, k=10: {_percentiles(_timed(retriever, queries))}")
    reranker.close()


if __name__ == "__main__":
    main()
