"""Benchmark: parse + chunk time for the default corpus and for ../shared/corpus-full.

Prints numbers; asserts nothing. ``python -m evals.bench_ingest [--full PATH] [--store]``.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections import Counter
from pathlib import Path

from assistant.settings import Settings, shared_dir
from corpus.chunking import chunk_document
from corpus.errors import IngestError, SkippedFile
from corpus.sources import iter_files, load_file
from corpus.sources.law_db import default_law_db, iter_law_db


def parse_and_chunk(roots: list[Path], law_db: Path | None) -> dict:
    start = time.perf_counter()
    docs = chunks = failed = skipped = 0
    by_type: Counter = Counter()
    slowest: list[tuple[float, str]] = []
    if law_db:
        for doc in iter_law_db(law_db):
            n = len(chunk_document(doc))
            docs += 1
            chunks += n
            by_type[doc.doc_type.value] += n
    for path in iter_files(roots):
        t0 = time.perf_counter()
        try:
            loaded = load_file(path)
            n = len(chunk_document(loaded.document, loaded.tiers))
        except SkippedFile:
            skipped += 1
            continue
        except IngestError:
            failed += 1
            continue
        docs += 1
        chunks += n
        by_type[loaded.document.doc_type.value] += n
        slowest.append((time.perf_counter() - t0, path.name))
    slowest.sort(reverse=True)
    return {"seconds": time.perf_counter() - start, "documents": docs, "chunks": chunks, "failed": failed,
            "skipped": skipped, "by_type": dict(by_type), "slowest": slowest[:3]}


def full_ingest(roots: list[Path], law_db: Path | None) -> dict:
    from corpus.ingest import ingest
    from corpus.sqlite_store import SQLiteStore

    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "corpus.db")
        t0 = time.perf_counter()
        report = ingest(store, roots, law_db=law_db)
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        ingest(store, roots, law_db=law_db)
        second = time.perf_counter() - t0
        counts = store.counts()
        store.close()
    return {"first": first, "unchanged_rerun": second, "failed": len(report.by_status("failed")), **counts}


def _print(label: str, r: dict) -> None:
    print(f"{label}: {r['documents']} documents, {r['chunks']} chunks, {r['failed']} failed, "
          f"{r['skipped']} skipped, parse+chunk {r['seconds']:.1f} s ({r['documents'] / r['seconds']:.0f} docs/s)")
    print(f"  chunks by doc_type: {r['by_type']}")
    print("  slowest files: " + "; ".join(f"{name} {sec:.1f} s" for sec, name in r["slowest"]))


def main() -> None:
    shared = shared_dir()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", type=Path, default=shared / "corpus-full" if shared else None,
                        help="a LawRefBook-layout folder (default ../shared/corpus-full)")
    parser.add_argument("--store", action="store_true", help="also time a full ingest into a temporary store")
    args = parser.parse_args()
    settings = Settings()
    law_db = default_law_db()
    _print("default corpus (+ national-law DB)", parse_and_chunk(list(settings.corpus), law_db))
    if args.full and args.full.is_dir():
        _print(f"corpus-full ({args.full})", parse_and_chunk([args.full], None))
    if args.store:
        r = full_ingest(list(settings.corpus), law_db)
        print(f"full ingest of defaults into SQLite: {r['first']:.1f} s; unchanged re-run {r['unchanged_rerun']:.1f} s;"
              f" {r['documents']} documents ({r['duplicates']} duplicates merged), {r['chunks']} chunks")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
