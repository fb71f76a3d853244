"""Corpus-wide ingestion regression check: article counts per document, before and after a loader/chunker change.

Prints numbers; asserts nothing. Two steps:

* ``python -m evals.ingest_regression dump OUT.json [ROOT ...] [--law-db]`` loads and chunks every file below the
  roots (default ``../shared/corpus-full`` and ``../shared/corpus-src``) and, with ``--law-db``, every law of the
  national-law DB, and writes one record per document: title, doc_type, articles (chunks with a 条 number), 款
  (paragraphs of those chunks), chunks, 裁量 records, or the reason it failed. To measure the code of another
  commit, run this file by path with that checkout first on ``PYTHONPATH`` (it uses only
  ``corpus.sources.iter_files / load_file``, ``corpus.chunking.chunk_document`` and ``corpus.sources.law_db``).
* ``python -m evals.ingest_regression compare BEFORE.json AFTER.json`` prints the totals per doc_type (articles,
  款, chunks, documents) before and after, and every document whose article count, doc_type, title or failure
  changed (those whose 款 alone changed are counted, and listed with ``--paragraphs``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path


def _record(doc, chunks) -> dict:
    articles = [c for c in chunks if c.article is not None]
    return {"title": doc.title, "doc_type": doc.doc_type.value, "articles": len(articles),
            "paragraphs": sum(len(c.paragraphs) for c in articles), "chunks": len(chunks),
            "records": sum(c.record is not None for c in chunks)}


def dump(roots: list[Path], law_db: bool) -> dict[str, dict]:
    """{document key: record} for every file below ``roots`` (key: the path relative to its root's parent) and,
    with ``law_db``, every law of the national-law DB (key: its source URI)."""
    from corpus.chunking import chunk_document
    from corpus.errors import IngestError, SkippedFile
    from corpus.sources import iter_files, load_file

    out: dict[str, dict] = {}
    if law_db:
        from corpus.sources.law_db import default_law_db, iter_law_db

        db = default_law_db()
        for doc in iter_law_db(db) if db else ():
            out[doc.source] = _record(doc, chunk_document(doc))
    for root in roots:
        for path in iter_files([root]):
            key = str(path.relative_to(root.parent))
            try:
                loaded = load_file(path)
                out[key] = _record(loaded.document, chunk_document(loaded.document, loaded.tiers))
            except SkippedFile:
                continue
            except IngestError as exc:
                out[key] = {"failed": str(exc)}
    return out


def compare(before: dict[str, dict], after: dict[str, dict], show_paragraphs: bool = False) -> None:
    def totals(data: dict[str, dict]) -> dict[str, Counter]:
        t: dict[str, Counter] = defaultdict(Counter)
        for rec in data.values():
            kind = rec.get("doc_type", "failed")
            t[kind]["documents"] += 1
            for k in ("articles", "paragraphs", "chunks", "records"):
                t[kind][k] += rec.get(k, 0)
        return t

    tb, ta = totals(before), totals(after)
    print("| doc_type | documents before → after | articles before → after | 款 before → after "
          "| chunks before → after | 裁量 records before → after |")
    print("|---|---|---|---|---|---|")
    for kind in sorted(set(tb) | set(ta)):
        cells = [f"{tb[kind][k]:,} → {ta[kind][k]:,}" for k in ("documents", "articles", "paragraphs", "chunks",
                                                                 "records")]
        print(f"| {kind} | " + " | ".join(cells) + " |")
    all_b = sum(t["articles"] for t in tb.values())
    all_a = sum(t["articles"] for t in ta.values())
    print(f"| all | {len(before):,} → {len(after):,} | {all_b:,} → {all_a:,} | "
          f"{sum(t['paragraphs'] for t in tb.values()):,} → {sum(t['paragraphs'] for t in ta.values()):,} | "
          f"{sum(t['chunks'] for t in tb.values()):,} → {sum(t['chunks'] for t in ta.values()):,} | "
          f"{sum(t['records'] for t in tb.values()):,} → {sum(t['records'] for t in ta.values()):,} |")
    changed, para_only = [], []
    for key in sorted(set(before) | set(after)):
        b, a = before.get(key, {}), after.get(key, {})
        fields = ("title", "doc_type", "articles", "failed", "records")
        if any(b.get(f) != a.get(f) for f in fields):
            changed.append((key, b, a))
        elif b.get("paragraphs") != a.get("paragraphs"):
            para_only.append((key, b, a))
    print(f"\n{len(changed)} documents changed (title, type, articles, 裁量 records or failure); "
          f"{len(para_only)} more changed only their 款 count "
          f"({sum(a.get('paragraphs', 0) - b.get('paragraphs', 0) for _, b, a in para_only):+,} 款)\n")

    def show(b: dict, a: dict) -> str:
        if "failed" in b or "failed" in a:
            return f"{b.get('failed') or b.get('doc_type')} → {a.get('failed') or a.get('doc_type')}"
        parts = []
        for f in ("title", "doc_type"):
            if b.get(f) != a.get(f):
                parts.append(f"{f} {b.get(f)} → {a.get(f)}")
        for f in ("articles", "paragraphs", "records"):
            if b.get(f) != a.get(f):
                parts.append(f"{f} {b.get(f, 0)} → {a.get(f, 0)}")
        return "; ".join(parts)

    for key, b, a in changed:
        print(f"- {key}: {show(b, a)}")
    if show_paragraphs:
        print()
        for key, b, a in para_only:
            print(f"- {key}: {show(b, a)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("roots", type=Path, nargs="*")
    d.add_argument("--law-db", action="store_true")
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    c.add_argument("--paragraphs", action="store_true", help="also list documents whose 款 count alone changed")
    args = parser.parse_args(argv)
    if args.cmd == "dump":
        roots = args.roots
        if not roots:
            shared = Path(__file__).resolve().parents[1].parent / "shared"
            roots = [shared / "corpus-full", shared / "corpus-src"]
        t0 = time.perf_counter()
        data = dump([r.resolve() for r in roots], args.law_db)
        args.out.write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")
        print(f"{len(data)} documents in {time.perf_counter() - t0:.1f} s → {args.out}", file=sys.stderr)
    else:
        compare(json.loads(args.before.read_text(encoding="utf-8")),
                json.loads(args.after.read_text(encoding="utf-8")), args.paragraphs)


if __name__ == "__main__":
    main()
