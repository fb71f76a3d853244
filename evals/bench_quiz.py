"""Quiz benchmark (printed numbers): a 50-item batch on 行政处罚法 — check pass rate, keys verified — and the
time to generate 20 non-case items without an LLM.

    python -m evals.bench_quiz [--data-dir data]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from assistant.quiz import generate_quiz
from corpus.sqlite_store import SQLiteStore


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=Path("data"))
    ap.add_argument("--scope", default="行政处罚法")
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


if __name__ == "__main__":
    main()
