"""Versions and duplicates: the same law from two sources is stored once; versions are ordered.

Documents with the same normalised title are compared by content (discretion tables of one
title are one table whatever their parse; across titles they must share nearly all rows):
- same text (≥ 80 % of their articles or records identical, and no conflicting
  version dates) → one document is kept (the one with structured records, then
  the best source), the others become ``duplicate_of`` it and lend it missing
  metadata; their chunks are never served;
- otherwise they are versions: the latest is current, older ones that the
  source called 现行有效 or did not label become 已修改.
Discretion tables are also compared across titles, because the same table
arrives as PDF/XLS (titled by file name) and as Markdown (titled by its front matter).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

from corpus.model import Status
from corpus.store import Store

SAME_TEXT = 0.8
_PUNCT = re.compile(r"[\s，。、；：？！“”‘’（）()《》〈〉「」\[\]【】,.;:?!\"'·…—\-]")


def _norm(text: str) -> str:
    return _PUNCT.sub("", text or "")


def _signature(store: Store, doc_id: str) -> frozenset[str]:
    rows = store.execute("SELECT article, article_suffix, text, record FROM chunks WHERE doc_id=?", (doc_id,))
    sig = set()
    for article, suffix, text, record in rows:
        if record:
            r = json.loads(record)
            sig.add(_norm(r.get("violation", "")[:60] + "|" + r.get("range_text", "")))
        elif article is not None:
            sig.add(f"{article}.{suffix or 0}:{_norm(text)}")
    return frozenset(sig)


def _similar(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _is_table_file(source: str) -> bool:
    """Whether the document came from a PDF/XLS file itself (not from a Markdown extraction of one)."""
    path = (source or "").split(" ← ", 1)[0].lower()
    return path.endswith((".pdf", ".xls", ".xlsx"))


def _same_or_missing(a: str, b: str) -> bool:
    return not a or not b or a == b


def _date(row: dict) -> str:
    return row["version_date"] or row["effective_date"] or ""


def reconcile(store: Store, keys: set[str] | None = None) -> dict[str, int]:
    """Recompute duplicates and current versions (for the given title keys, or all)."""
    rows = [dict(zip(("id", "title_key", "doc_type", "effective_date", "version_date", "source_status",
                      "origin_rank", "original_table", "n_records", "n_chunks"), r)) for r in store.execute(
        "SELECT d.id, d.title_key, d.doc_type, d.effective_date, d.version_date, d.source_status,"
        " d.origin_rank, d.source, (SELECT count(*) FROM chunks c WHERE c.doc_id=d.id AND c.record IS NOT NULL),"
        " (SELECT count(*) FROM chunks c WHERE c.doc_id=d.id) FROM documents d")]
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        r["original_table"] = _is_table_file(r.pop("original_table"))
        group = "裁量:*" if r["doc_type"] == "discretion" else r["title_key"]
        if keys is None or r["title_key"] in keys or group == "裁量:*":
            groups[group].append(r)
    stats = {"duplicates": 0, "versions": 0}
    with store.con:
        for members in groups.values():
            if len(members) == 1:
                _set(store, members[0]["id"], None, True, members[0]["source_status"])
                continue
            clusters = _cluster(store, members)
            stats["duplicates"] += sum(len(c) - 1 for c in clusters)
            _order_versions(store, clusters, stats)
    return stats


def _cluster(store: Store, members: list[dict]) -> list[list[dict]]:
    # structured records first, then the original table file (PDF/XLS) over its Markdown extraction,
    # then the better-ranked source
    members.sort(key=lambda r: (-r["n_records"], not r["original_table"], r["origin_rank"], -r["n_chunks"]))
    sigs = {r["id"]: _signature(store, r["id"]) for r in members}
    clusters: list[list[dict]] = []
    for r in members:
        for cluster in clusters:
            head = cluster[0]
            if head["doc_type"] == "discretion" and head["title_key"] != r["title_key"]:
                # another title: the same table only when both hold nearly the same rows
                a, b = sigs[head["id"]], sigs[r["id"]]
                same = bool(a and b) and len(a & b) / max(len(a), len(b)) >= SAME_TEXT
            elif head["doc_type"] == "discretion":
                # one title, one table: a PDF/XLS and its flattened Markdown extraction
                same = _same_or_missing(head["version_date"], r["version_date"]) and _same_or_missing(
                    head["effective_date"], r["effective_date"])
            elif head["title_key"] != r["title_key"]:
                continue
            else:
                va, vb = head["version_date"], r["version_date"]
                identical = sigs[head["id"]] == sigs[r["id"]] and bool(sigs[r["id"]])
                compatible = (not va or not vb or va == vb) and _same_or_missing(head["effective_date"],
                                                                                 r["effective_date"])
                no_text = not sigs[head["id"]] or not sigs[r["id"]]
                same = identical or (compatible and (no_text or _similar(sigs[head["id"]], sigs[r["id"]]) >= SAME_TEXT))
            if same:
                cluster.append(r)
                break
        else:
            clusters.append([r])
    return clusters


def _order_versions(store: Store, clusters: list[list[dict]], stats: dict[str, int]) -> None:
    by_key: dict[str, list[list[dict]]] = defaultdict(list)
    for cluster in clusters:
        head = cluster[0]
        for dup in cluster[1:]:
            _set(store, dup["id"], head["id"], False, dup["source_status"])
            _lend_metadata(store, head, dup)
        by_key[head["title_key"]].append(cluster)
    for versions in by_key.values():
        versions.sort(key=lambda c: max(_date(r) for r in c))
        stats["versions"] += len(versions) - 1
        for i, cluster in enumerate(versions):
            head = cluster[0]
            latest = i == len(versions) - 1
            status = _best_status(cluster)
            if not latest and status in (Status.CURRENT.value, Status.UNKNOWN.value):
                status = Status.AMENDED.value
            _set(store, head["id"], None, latest, status)


def _best_status(cluster: list[dict]) -> str:
    for r in sorted(cluster, key=lambda r: r["origin_rank"]):
        if r["source_status"] and r["source_status"] != Status.UNKNOWN.value:
            return r["source_status"]
    return Status.UNKNOWN.value


def _set(store: Store, doc_id: str, duplicate_of: str | None, current: bool, status: str) -> None:
    store.con.execute("UPDATE documents SET duplicate_of=?, is_current=?, status=? WHERE id=?",
                      (duplicate_of, int(current), status, doc_id))


def _lend_metadata(store: Store, head: dict, dup: dict) -> None:
    """Fill the kept document's empty fields from a duplicate; a better-ranked source's title wins."""
    (h,) = store.execute("SELECT title, issuer, effective_date, version_date, note FROM documents WHERE id=?",
                         (head["id"],))
    (d,) = store.execute("SELECT title, issuer, effective_date, version_date, note FROM documents WHERE id=?",
                         (dup["id"],))
    title = d[0] if dup["origin_rank"] < head["origin_rank"] else h[0]
    merged = [title] + [hv or dv for hv, dv in zip(h[1:], d[1:])]
    store.con.execute("UPDATE documents SET title=?, issuer=?, effective_date=?, version_date=?, note=? WHERE id=?",
                      (*merged, head["id"]))
    if title != h[0]:
        store.con.execute("UPDATE chunks SET title=? WHERE doc_id=?", (title, head["id"]))
