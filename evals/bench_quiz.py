"""Quiz benchmark (printed numbers): a 50-item recall batch on 行政处罚法 — check pass rate, keys verified — the
time to generate 20 non-case items without an LLM, and (#25) 应用 papers: the share of application items, keys
verified, items per kind, items rejected and why, seconds per item; tier items on a loaded 裁量基准 table.

    python -m evals.bench_quiz [--data-dir data] [--scope 行政处罚法] [--table 广东省生态环境违法行为行政处罚罚款金额裁量表]
                               [--llm]   # also: a 10-item 应用 paper whose scenarios the bundled LLM rewords
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from pathlib import Path

from assistant.quiz import generate_quiz
from corpus.sqlite_store import SQLiteStore


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=Path("data"))
    ap.add_argument("--scope", default="行政处罚法")
    ap.add_argument("--table", default="广东省生态环境违法行为行政处罚罚款金额裁量表",
                    help="a 裁量基准 table for tier items (skipped when the store lacks it)")
    ap.add_argument("--llm", action="store_true", help="also time the bundled local LLM rewording scenarios")
    args = ap.parse_args()
    store = SQLiteStore(args.data_dir / "corpus.db")
    batch = generate_quiz(store, args.scope, n=50, types=("single", "multi", "judge"), seed=0)
    r = batch["report"]
    print(f"50-item batch on {args.scope}: {r['items']} items {r['by_type']}, passed checks {r['passed_checks']} "
          f"({r['pass_rate']:.0%}), keys verified {r['keys_verified']}/{r['items']}, dropped unverified "
          f"{r['dropped_unverified']}, key positions {r['single_key_positions']}")
    times = []
    for seed in range(10):
        t0 = time.perf_counter()
        generate_quiz(store, args.scope, n=20, types=("single", "multi", "judge"), seed=seed)
        times.append(time.perf_counter() - t0)
    print(f"20 non-case items without an LLM: median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms (10 seeds)")
    kinds: Counter = Counter()
    shares, verified, rejected, per_item = [], [], Counter(), []
    for seed in range(10):
        t0 = time.perf_counter()
        paper = generate_quiz(store, args.scope, n=20, level="应用", seed=seed)
        per_item.append((time.perf_counter() - t0) / max(1, len(paper["items"])))
        rep = paper["report"]
        shares.append(rep["application_items"] / max(1, rep["items"]))
        verified.append(rep["keys_verified"] / max(1, rep["items"]))
        kinds.update(i["tag"].rsplit("·", 1)[1] for i in paper["items"] if "·应用·" in i["tag"])
        rejected.update(x.split("：", 1)[1] for x in rep.get("application_rejected", []))
    print(f"20-item 应用 papers on {args.scope} (10 seeds, no LLM): application share {statistics.mean(shares):.0%}, "
          f"keys verified {statistics.mean(verified):.0%}, per item {statistics.median(per_item) * 1000:.0f} ms; "
          f"kinds {dict(kinds)}; rejected {dict(rejected) or 0}")
    try:
        from assistant.discretion.advisor import DiscretionAdvisor

        advisor = DiscretionAdvisor(store)
        t0 = time.perf_counter()
        paper = generate_quiz(store, args.table, n=10, level="应用", seed=0, advisor=lambda: advisor)
        took = time.perf_counter() - t0
        rep = paper["report"]
        print(f"10 tier items on 《{args.table}》 (words-only advisor): {rep['items']} items, keys verified "
              f"{rep['keys_verified']}/{rep['items']}, {took / max(1, rep['items']):.2f} s per item")
    except Exception as exc:  # noqa: BLE001 - the table is optional in the default data dir
        print(f"tier items: skipped ({exc})")
    if args.llm:
        from assistant.llm.factory import make_generator, stop_local_llm
        from assistant.settings import Settings

        generator = make_generator(Settings().replaced(backend="local"))
        try:
            t0 = time.perf_counter()
            paper = generate_quiz(store, args.scope, n=10, level="应用", seed=0, generator=generator)
            took = time.perf_counter() - t0
            rep = paper["report"]
            print(f"10-item 应用 paper, scenarios reworded by the local LLM: {rep['scenarios_rewritten']} of "
                  f"{rep['application_items']} rewrites kept every fact (the others stay plain), keys verified "
                  f"{rep['keys_verified']}/{rep['items']}, {took / max(1, rep['items']):.1f} s per item")
        finally:
            stop_local_llm()


if __name__ == "__main__":
    main()
