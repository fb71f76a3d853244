"""The 裁量 tables as the advisor reads them: one ``Group`` per (document, 违法行为), its ``Tier`` rows with their
conditions, and what the tables say of their own reading (以上/以下 and 本数, 含本次)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.discretion.facts import Condition, bigrams, conditions
from assistant.discretion.lists import unify_cut_lists
from assistant.discretion.overdue import mark_overdue
from corpus.chunking.table_notes import BOUNDS_KEY, bounds_of
from corpus.model import Chunk, Document
from corpus.store import Store

WEIGHT_TABLE = re.compile(r"裁量权重|裁量百分值|裁量起点")
SAME_ACT_TIERS = 0.4  # bigram Jaccard of two tables' rows for one act (a factor table ↔ a ranged table)


@dataclass
class Tier:
    chunk: Chunk
    doc: Document
    conds: list[Condition]
    bounds: str = ""  # whether 以上/以下 include the number (table_notes.bounds_of), from the table or its 规定
    counts_current: bool = False  # its table counts the present case in 同类违法 counts (counts_current_docs)


def counts_current_docs(records: list[tuple[str, str]]) -> set[str]:
    """The tables whose 同类违法 counts include the present case, from their own wording: (document id, a tier's
    circumstance and prior-violation text) pairs → the ids where some tier says 「（含本次）」 (and none
    「不含本次」). The 广东 罚款金额裁量表 heads its weighted rows 「近二年同类违法行为情况（含本次）」 and its ranged
    rows only 「近二年同类违法行为情况」 with 「2次以下 / 2次 / 3次以上」 — one column, one reading: 「2次」 is the
    second case in two years."""
    says, denies = set(), set()
    for doc_id, text in records:
        if "不含本次" in text:
            denies.add(doc_id)
        elif "含本次" in text:
            says.add(doc_id)
    return says - denies


def companion_bounds(store: Store, docs: dict[str, Document]) -> dict[str, str]:
    """Per 裁量 table without a note of its own: what the issuer's companion 规定 says about 以上/以下 and 本数.

    A table often leaves the reading of 以上/以下 to the 规定 it implements, e.g. 《广东省生态环境行政处罚自由裁量权
    规定》 第二十三条 「“以下”不包括本数，“以上”包括本数」 for the 罚款金额裁量表. The companion is a 裁量 document
    of the same issuer that is not a table (no tier records). Returns {document id: 「以上包括本数；以下不包括本数」 …};
    tables whose own note says it are left out (their tiers carry ``extra["以上以下"]``).
    """
    tables = {c.doc_id for c in store.record_chunks()}
    out: dict[str, str] = {}
    for rule in docs.values():
        if rule.id in tables or not rule.issuer:
            continue
        said = ""
        for chunk in store.chunks_of(rule.id):
            if "本数" in chunk.text and (said := bounds_of(chunk.text)):
                break
        if said:
            for table_id in tables:
                table = docs.get(table_id)
                if table is not None and table.issuer == rule.issuer and table.id not in out:
                    out[table.id] = said
    return out


@dataclass
class Group:
    """All tiers of one violation in one standard."""

    key: tuple[str, str]
    doc: Document
    violation: str
    tiers: list[Tier] = field(default_factory=list)
    no_penalty: bool = False
    terms: set[str] = field(default_factory=set)  # bigrams of the violation, its table chapter and tiers' 情节

    @property
    def weighted(self) -> bool:
        return any(WEIGHT_TABLE.search(t.chunk.record.range_text or "") for t in self.tiers)


def same_act_overlap(a: str, b: str) -> float:
    """Bigram Jaccard of two violation texts."""
    x, y = bigrams(a), bigrams(b)
    return len(x & y) / (len(x | y) or 1)


_FIRST_ROW = re.compile(r"无同类违法|没有同类违法|首次")


def _has_first_row(group: Group) -> bool:
    """Whether one of the group's rows is for a first violation («近二年无同类违法行为»): then its «1次» row counts one
    earlier violation, whatever the table's other rows say of 含本次 (伪造、变造…批准文件: 无 / 1次 / 2次以上, dev6 d6-009)."""
    return any(_FIRST_ROW.search(f"{t.chunk.record.circumstance} {t.chunk.record.prior_violation}") for t in group.tiers)


def load_groups(store: Store) -> list[Group]:
    """Every 裁量 record of ``store`` grouped by (document id, violation), each tier with its conditions, the
    table's 以上/以下 reading (its own note, else its issuer's 规定: companion_bounds) and whether its 同类违法 counts
    include the present case (counts_current_docs); a 情节 written again with its list cut short read as the fuller one
    (lists.unify_cut_lists); the 江门 groups' repeated rows marked 逾期 (overdue.mark_overdue).
    Returns the groups in the store's record order."""
    docs = {d.id: d for d in store.documents(doc_type="discretion")}
    by_key: dict[tuple[str, str], Group] = {}
    for chunk in store.record_chunks():
        doc = docs.get(chunk.doc_id)
        rec = chunk.record
        if doc is None or rec is None or not rec.violation:
            continue
        key = (doc.id, rec.violation)
        group = by_key.get(key)
        if group is None:
            group = by_key[key] = Group(key, doc, rec.violation, no_penalty=rec.kind == "no_penalty")
            group.terms = bigrams(f"{rec.violation} {rec.category}")
        group.tiers.append(Tier(chunk, doc, conditions(rec.circumstance, rec.prior_violation)))
        group.terms |= bigrams(rec.circumstance)  # circumstances name the acts too
    groups = list(by_key.values())
    fallback = companion_bounds(store, docs)
    counting = counts_current_docs([(g.doc.id, f"{t.chunk.record.circumstance} {t.chunk.record.prior_violation}")
                                    for g in groups for t in g.tiers])
    for group in groups:
        unify_cut_lists([t.conds for t in group.tiers])
        mark_overdue([(t.conds, t.chunk.record.circumstance, t.chunk.record.range_text) for t in group.tiers])
        for tier in group.tiers:
            tier.bounds = tier.chunk.record.extra.get(BOUNDS_KEY, "") or fallback.get(group.doc.id, "")
            tier.counts_current = group.doc.id in counting and not _has_first_row(group)
    return groups
