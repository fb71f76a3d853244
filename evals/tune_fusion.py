"""Fusion tuning grid on the dev split: how BM25 and dense results are combined.

Every variant is a :class:`FusionWeights` run through the public retriever over
the whole dataset (k=100), so the numbers are the ones ``e-assistant eval
retrieval`` would print for that setting. Prints a table; asserts nothing.
Tune on the dev split only: the held-out split is for reporting.

    python -m evals.tune_fusion --dataset ../shared/evals-dev/statute_retrieval_dev.jsonl [--data-dir data/eval]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from assistant.retrieval.factory import open_retriever
from assistant.retrieval import Filters, FusionWeights, HybridRetriever
from assistant.settings import Settings
from evals.retrieval import eval_corpus, load_dataset, run

DEFAULT = FusionWeights()


def variants() -> list[tuple[str, FusionWeights]]:
    out: list[tuple[str, FusionWeights]] = []
    for rrf_k in (10, 20, 60):
        for dense in (0.7, 1.0, 1.5):
            out.append((f"rrf k={rrf_k} dense={dense}", FusionWeights(method="rrf", rrf_k=rrf_k, dense=dense)))
    for dense in (0.6, 0.8, 1.0, 1.25):
        for law in (1.0, 1.25, 1.5, 2.0):
            out.append((f"score dense={dense} law-prior={law}",
                        replace(DEFAULT, dense=dense, type_prior={"law": law} if law != 1.0 else {})))
    for depth in (100, 200, 1000):
        out.append((f"score depth={depth}", replace(DEFAULT, depth=depth)))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", type=Path, required=True, help="STARD-format JSONL (the dev split)")
    parser.add_argument("--data-dir", type=Path, default=None, help="evaluation data dir (default: <data>/eval)")
    parser.add_argument("--only", default="", help="run only variants whose name contains this text")
    args = parser.parse_args(argv)
    settings = Settings()
    settings.data_dir = args.data_dir or settings.data_dir / "eval"
    settings.corpus = eval_corpus() or settings.corpus
    base = open_retriever(settings.model_copy(update={"rerank": "none", "query_expansion": "none"}), mode="hybrid")
    rows = load_dataset(args.dataset)
    print(f"{len(rows)} questions, {len(base.index.ids)} chunks, encoder {base.index.manifest.model_id}")
    header = f"{'variant':36s} | {'all R@10':>8s} {'MRR@10':>7s} {'R@100':>6s} | {'admin R@10':>10s} {'MRR@10':>7s} {'R@100':>6s}"
    print(header)
    print("-" * len(header))
    for name, weights in variants():
        if args.only and args.only not in name:
            continue
        retriever = HybridRetriever(base.store, base.index, base.embedder, weights=weights)
        m = run(retriever, rows, k=100, filters=Filters())
        a, b = m["all"], m["admin"]
        mark = "  ← default" if weights == DEFAULT else ""
        print(f"{name:36s} | {a['recall@10']:8.3f} {a['mrr@10']:7.3f} {a['recall@100']:6.3f} | "
              f"{b.get('recall@10', 0):10.3f} {b.get('mrr@10', 0):7.3f} {b.get('recall@100', 0):6.3f}{mark}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
