"""Legal currency from the corpus itself: repeal and amendment clauses found in the texts the store holds.

Evidence, strongest first (newer and stronger overrides older and weaker):

a. a clause of another text that repeals this one — 「……《X》同时废止」, 「《X》自……起废止」,
   「……自本法施行之日起废止」 (in 附则 or 施行 articles), or a 废止决定 — taking effect on the repealing text's
   effective date (「同时」, 「自本法施行之日起」) or on the date the clause names; a 修改决定
   (「关于修改《X》的决定」) newer than every version the store holds marks X 已修改 from its date, with
   「现行文本未收录」;
b. the national-law DB's status (已废止, 历史版本 …) — see corpus/versions.py;
c. the term a text sets for itself (有效期五年, 有效期至…; corpus/term.py);
d. the document's own front matter;
e. version order by date (an older version is 已修改).

:func:`derive_validity` writes, per document, the status before any dated repeal, the repeal date and the
repealing text, and the evidence shown to the user («依据《中华人民共和国生态环境法典》第一千二百四十二条，
自2026年8月15日起废止»). Whether a text is in force on a given date is then decided in one place,
corpus/validity.py.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from corpus.metadata import title_key
from corpus.model import Chunk, DocType, Document, Status, normalise_date
from corpus.numerals import CN_NUM_CHARS
from corpus.store import Store, Validity
from corpus.term import document_terms
from corpus.versions import LAW_DB_BASIS
from corpus.validity import cn_date, start_date, status_on

_TITLE = re.compile(r"《([^《》]{2,80})》")
# what may stand between the last repealed title and 废止 (「同时」, 「自2020年1月1日起」, 「自本法施行之日起，予以」)
_TO_REPEAL = re.compile(r"^(?:\s*[（(][^（()）]{0,40}[）)])?[\s，,]*(?:同时|自[^。；]{0,30}?起[，,]?|即行)?[\s，,]*(?:予以)?废止")
# 「依照《立法法》予以废止」 names the law that says how, not the law repealed
_BY_WAY_OF = re.compile(r"(?:依照|依据|按照|根据|违反)\s*$")
_BETWEEN_TITLES = re.compile(r"^[\s、，,和及与以及]*$")
_DATE = re.compile(r"(\d{4}|[" + CN_NUM_CHARS + r"〇零]{4})\s*年\s*(\d{1,2}|[" + CN_NUM_CHARS + r"]{1,3})\s*月"
                   r"\s*(\d{1,2}|[" + CN_NUM_CHARS + r"]{1,3})\s*日")
_IN_FORCE_FROM = re.compile(r"自\s*(" + _DATE.pattern + r")\s*起施行")
_AMEND_DECISION = re.compile(r"关于修改《([^《》]{2,80})》")
_REPEAL_DECISION = re.compile(r"关于废止(《[^《》]{2,80}》(?:[、和及与]《[^《》]{2,80}》)*)")
_STATUTES = {t for t in DocType if t.is_statute}


@dataclass(frozen=True)
class Clause:
    """One text's statement that others are repealed (or amended) from a date."""

    kind: str  # repeal | amend
    doc: Document  # the repealing or amending text
    chunk: Chunk | None  # the article that says so (None: the document's title says it, e.g. a 废止决定)
    targets: tuple[str, ...]  # title keys of the texts repealed or amended
    effective: str  # YYYY-MM-DD the repeal or amendment takes effect

    @property
    def where(self) -> str:
        """《标题》第N条 of the clause (a title inside the title in 〈〉, as Chinese writes nested titles)."""
        title = self.doc.title.replace("《", "〈").replace("》", "〉")
        return f"《{title}》{self.chunk.label_cn if self.chunk is not None else ''}"


def parse_date(text: str) -> str:
    """「2026年8月15日」/「二〇二一年七月十五日」 → 2026-08-15 ("" when there is none)."""
    return normalise_date(text)


def repealed_titles(sentence: str) -> list[str]:
    """The titles a sentence repeals as wholes: 《X》、《Y》同时废止 → [X, Y]; 《X》第N条 … is not a repeal of X."""
    for m in re.finditer("废止", sentence):
        head = sentence[:m.start()]
        titles = list(_TITLE.finditer(head))
        if not titles or not _TO_REPEAL.match(head[titles[-1].end():] + "废止"):
            continue
        group = [titles[-1]]
        for prev in reversed(titles[:-1]):  # the list of titles directly before: 《A》、《B》和《C》
            between = head[prev.end():group[0].start()]
            if not _BETWEEN_TITLES.match(between) and not re.fullmatch(r"[^《》]{0,40}(?:通过|公布|颁布|发布)的", between):
                break
            group.insert(0, prev)
        if _BY_WAY_OF.search(head[:group[0].start()]):
            continue
        return [t.group(1) for t in group]
    return []


def _effective_of(doc: Document, chunk: Chunk | None, sentence: str) -> str:
    """The date a repeal takes effect: the date the sentence names for it, else the repealing text's own."""
    named = re.search(r"自\s*(" + _DATE.pattern + r")\s*起(?:[^施。；]{0,6})废止", sentence)
    if named:
        return parse_date(named.group(1))
    own = _IN_FORCE_FROM.search(chunk.text if chunk is not None else "")
    return (parse_date(own.group(1)) if own else "") or doc.effective_date or doc.version_date


def find_clauses(store: Store) -> list[Clause]:
    """Every repeal or amendment the servable statutes of the store state."""
    docs = {d.id: d for d in store.documents() if d.doc_type in _STATUTES}
    out: list[Clause] = []
    for chunk in store.chunks_containing("废止"):
        doc = docs.get(chunk.doc_id)
        if doc is None or chunk.article is None:
            continue
        for sentence in re.split(r"(?<=[。；])", chunk.text):
            titles = repealed_titles(sentence)
            if titles:
                out.append(Clause("repeal", doc, chunk, tuple(title_key(t) for t in titles),
                                  _effective_of(doc, chunk, sentence)))
    for doc in docs.values():
        for pattern, kind in ((_REPEAL_DECISION, "repeal"), (_AMEND_DECISION, "amend")):
            m = pattern.search(doc.title)
            if m:
                titles = _TITLE.findall(m.group(1)) if kind == "repeal" else [m.group(1)]
                out.append(Clause(kind, doc, None, tuple(title_key(t) for t in titles),
                                  doc.effective_date or doc.version_date))
    return [c for c in out if c.effective]


def derive_validity(store: Store) -> list[Validity]:
    """Apply the evidence to every servable document and write what changed; returns the changed ones.

    - a repeal clause counts against a document of another title that took effect before the clause does (a
      text repealing its own earlier version is left to version order); of several repeals the earliest counts;
    - a newer version of the title supersedes a document from the day it took effect (``superseded_on``);
    - an amending decision newer than every version the store holds supersedes the newest from the decision's
      施行 date, with 「现行文本未收录」;
    - a term the text sets for itself (有效期, corpus/term.py) ends it like a dated repeal, unless a repeal takes
      effect earlier.
    The stored status is the one before any dated change, so that corpus.validity.status_on can tell any date.
    """
    by_target: dict[str, list[Clause]] = defaultdict(list)
    for clause in find_clauses(store):
        for key in clause.targets:
            by_target[key].append(clause)
    docs = store.documents()
    terms = document_terms(store, docs)
    outcomes = store.version_outcomes()
    versions: dict[str, list[Document]] = defaultdict(list)
    for d in docs:
        versions[title_key(d.title)].append(d)
    changed: list[Validity] = []
    for doc in docs:
        key = title_key(doc.title)
        start = start_date(doc)
        relevant = [c for c in by_target.get(key, []) if title_key(c.doc.title) != key and c.doc.id != doc.id
                    and (not start or start < c.effective)]
        repeal = min((c for c in relevant if c.kind == "repeal"), key=lambda c: c.effective, default=None)
        later = sorted(start_date(v) for v in versions[key] if v.id != doc.id and start_date(v) > start)
        newest = max((v.version_date or start_date(v) for v in versions[key]), default="")
        amend = min((c for c in relevant if c.kind == "amend" and (c.doc.version_date or c.effective) > newest),
                    key=lambda c: c.effective, default=None)
        declared, declared_basis = outcomes.get(doc.id, ("", ""))
        status = Status.parse(declared) if declared else doc.status
        basis = declared_basis or doc.status_basis
        repealed_on = repealed_by = superseded_on = ""
        if later and later[0]:  # a newer version in the store: current until it took effect
            superseded_on = later[0]
            status = Status.CURRENT if status in (Status.AMENDED, Status.UNKNOWN, Status.CURRENT) else status
            basis = f"语料中有更新的版本，自{cn_date(later[0])}起施行"
        elif amend is not None and doc.is_current:
            superseded_on = amend.effective
            status = Status.CURRENT if status in (Status.AMENDED, Status.UNKNOWN, Status.CURRENT) else status
            basis = f"依据{amend.where}，自{cn_date(amend.effective)}起修改；现行文本未收录"
        if repeal is not None:
            # the status before the repeal: the undated 已废止 of weaker evidence is this repeal
            if status == Status.REPEALED:
                status = Status.CURRENT
            repealed_on, repealed_by = repeal.effective, repeal.doc.title
            basis = f"依据{repeal.where}，自{cn_date(repeal.effective)}起废止"
        term = terms.get(doc.id)
        if term is not None and (repeal is None or term.ends_on < repeal.effective) and not (
                declared_basis.startswith(LAW_DB_BASIS)):  # the national-law DB's status outranks a term
            if status == Status.REPEALED:  # the front matter's undated 已废止/已失效 is this term's end
                status = Status.CURRENT
            repealed_on, repealed_by, basis = term.ends_on, "", term.basis
        state = Validity(doc.id, status.value, repealed_on, repealed_by, superseded_on, basis)
        if (status, repealed_on, repealed_by, superseded_on, basis) != (
                doc.status, doc.repealed_on, doc.repealed_by, doc.superseded_on, doc.status_basis):
            changed.append(state)
    if changed:
        store.set_validity(changed)
    return changed


@dataclass(frozen=True)
class ReportRow:
    """One document whose status the corpus's own evidence set (``e-assistant status``)."""

    doc_id: str
    title: str
    doc_type: str
    declared: str  # what its own source said
    status: str  # on the report's date
    basis: str
    repealed_on: str
    repealed_by: str


def currency_report(store: Store, on: str | None = None, everything: bool = False) -> list[ReportRow]:
    """Documents whose status on ``on`` (None: today) comes from evidence beyond their own source — a dated
    repeal, a newer version, an amending decision, the national-law DB — with that evidence; with
    ``everything``, every document not 现行有效 as well."""
    rows = []
    for d in store.documents():
        now = status_on(d, on)
        news = bool(d.repealed_on or d.superseded_on) or (now != d.declared_status and not (
            d.declared_status == Status.UNKNOWN and now in (Status.CURRENT, Status.UNKNOWN)))
        if not news and not (everything and now != Status.CURRENT):
            continue
        basis = d.status_basis
        if now == Status.NOT_YET:
            basis = f"自{cn_date(start_date(d))}起施行" if start_date(d) else "来源标注为尚未生效，施行日期未载明"
        rows.append(ReportRow(d.id, d.title, d.doc_type.value, d.declared_status.value, now.value, basis,
                              d.repealed_on, d.repealed_by))
    rows.sort(key=lambda r: (r.status, r.title))
    return rows
