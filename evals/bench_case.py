"""办案助手 benchmark (printed numbers, #22 targets: steps + deadlines < 100 ms; a DOCX draft < 1 s without an
LLM): loading the procedure book against the store, the timeline of each procedure with its dates, and drafts
of the three 文书 from a fixed 裁量 tier (the advisor's own time is measured by ``eval discretion``).

    python -m evals.bench_case [--data-dir data] [--runs 50]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from pathlib import Path

from assistant.case.desk import CaseDesk
from assistant.discretion.types import Advice, ParsedFacts, TierMatch
from corpus.sqlite_store import SQLiteStore

CASES = {
    "简易程序": {"决定": "2026-09-25"},
    "普通程序": {"立案": "2026-09-25", "告知送达": "2026-09-30", "决定": "2026-11-20", "决定书送达": "2026-11-23"},
    "听证程序": {"告知送达": "2026-09-30", "听证申请": "2026-10-09", "举行听证": "2026-10-26"},
    "查封扣押": {"查封扣押": "2026-09-05", "延长查封扣押": "2026-09-30"},
}


def _ms(times: list[float]) -> str:
    ordered = sorted(times)
    return (f"median {statistics.median(times) * 1000:.1f} ms, p95 {ordered[int(0.95 * (len(ordered) - 1))] * 1000:.1f}"
            f" ms, max {max(times) * 1000:.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=Path("data"))
    ap.add_argument("--runs", type=int, default=50)
    args = ap.parse_args()
    desk = CaseDesk(SQLiteStore(args.data_dir / "corpus.db"))
    t0 = time.perf_counter()
    book = desk.book
    print(f"procedure book: {len(book.procedures)} procedures, {len(book.bases)} bases checked against the store in "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms; problems: {len(book.problems)}")
    for procedure, events in CASES.items():
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            desk.steps(procedure, events, {"告知书": "5个工作日"}, today=date(2026, 12, 1))
            times.append(time.perf_counter() - t0)
        print(f"steps + deadlines, {procedure} ({len(events)} dates): {_ms(times)}")
    tier = TierMatch(violation="未按规定设置排污口", circumstance="一般", prior_violation="", range_text="10万元以上50万元以下",
                     min_yuan=100000, max_yuan=500000, violated_provision="", penalty_basis="", document="裁量基准",
                     region="", status="现行有效", page=None, chunk_id="bench", citations=[], score=1.0, coverage=1.0)
    advice = Advice(facts="x", decision="matched", matches=[tier], no_penalty=[], missing_facts=[], general_rules=[],
                    warnings=[], parsed=ParsedFacts())
    for kind in ("责令改正通知书", "事先告知书", "决定书"):
        times = []
        for _ in range(max(5, args.runs // 5)):
            t0 = time.perf_counter()
            desk.draft(kind, "某公司未按规定设置排污口", advice, served_on="2026-09-30")
            times.append(time.perf_counter() - t0)
        print(f"DOCX draft, {kind} (no LLM, advice given): {_ms(times)}")


if __name__ == "__main__":
    main()
