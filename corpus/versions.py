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

import re
from collections import defaultdict
from dataclasses import asdict

from corpus.model import Status
from corpus.sources.law_db import SOURCE_PREFIX
from corpus.store import Store, VersionState

SAME_TEXT = 0.8
_PUNCT = re.compile(r"[\s，。、；：？！“”‘’（）()《》〈〉「」\[\]【】,.;:?!\"'·…—\-]")

LAW_DB_BASIS = "国家法律库"  # the basis of a status the national-law DB declares (stronger than a file's)


def _norm(text: str) -> str:
    return _PUNCT.sub("", text or "")


def _signature(store: Store, doc_id: str) -> frozenset[str]:
    sig = set()
    for c in store.chunks_of(doc_id):
        if c.record is not None:
            sig.add(_norm(c.record.violation[:60] + "|" + c.record.range_text))
        elif c.article is not None:
            sig.add(f"{c.article}.{c.article_suffix or 0}:{_norm(c.text)}")
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
    """Recompute duplicates and current versions (for the given title keys, or all).

    Returns {"duplicates": n, "versions": n}: documents now marked duplicate, older versions found.
    """
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in store.version_rows():
        r = asdict(row)
        r["from_law_db"] = r["source"].startswith(SOURCE_PREFIX)
        r["original_table"] = _is_table_file(r.pop("source"))
        group = "裁量:*" if r["doc_type"] == "discretion" else r["title_key"]
        if keys is None or r["title_key"] in keys or group == "裁量:*":
            groups[group].append(r)
    stats = {"duplicates": 0, "versions": 0}
    states: list[VersionState] = []
    with store.transaction():
        for members in groups.values():
            if len(members) == 1:
                states.append(VersionState(members[0]["id"], None, True, *_best_status(members)))
                continue
            clusters = _cluster(store, members)
            stats["duplicates"] += sum(len(c) - 1 for c in clusters)
            _order_versions(store, clusters, stats, states)
        store.set_version_states(states)
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


def _order_versions(store: Store, clusters: list[list[dict]], stats: dict[str, int],
                    states: list[VersionState]) -> None:
    by_key: dict[str, list[list[dict]]] = defaultdict(list)
    for cluster in clusters:
        head = cluster[0]
        for dup in cluster[1:]:
            states.append(VersionState(dup["id"], head["id"], False, *_best_status([dup])))
            # a better-ranked source's title wins
            store.merge_metadata(head["id"], dup["id"], take_title=dup["origin_rank"] < head["origin_rank"])
        by_key[head["title_key"]].append(cluster)
    for versions in by_key.values():
        versions.sort(key=lambda c: max(_date(r) for r in c))
        stats["versions"] += len(versions) - 1
        newest = max(_date(r) for r in versions[-1])
        for i, cluster in enumerate(versions):
            head = cluster[0]
            latest = i == len(versions) - 1
            status, basis = _best_status(cluster)
            if not latest and status in (Status.CURRENT.value, Status.UNKNOWN.value):
                status, basis = Status.AMENDED.value, f"语料中有更新的版本（{newest or '日期未载明'}）"
            states.append(VersionState(head["id"], None, latest, status, basis))


def _best_status(cluster: list[dict]) -> tuple[str, str]:
    """(status, basis) the sources of one text declare: the national-law DB's status wins over a file's front
    matter (a collector's judgement, often older), then the better-ranked source's."""
    for r in sorted(cluster, key=lambda r: (not r["from_law_db"], r["origin_rank"])):
        if r["source_status"] and r["source_status"] != Status.UNKNOWN.value:
            where = LAW_DB_BASIS if r["from_law_db"] else "来源文件"
            return r["source_status"], f"{where}标注为「{r['source_status']}」"
    return Status.UNKNOWN.value, "来源未标注效力状态"
