"""Legal currency from the corpus itself: repeal and amendment clauses found in the texts the store holds.

Evidence, strongest first (newer and stronger overrides older and weaker):

a. a clause of another text that repeals this one — 「……《X》同时废止」, 「《X》自……起废止」,
   「……自本法施行之日起废止」 (in 附则 or 施行 articles), or a 废止决定 — taking effect on the repealing text's
   effective date (「同时」, 「自本法施行之日起」) or on the date the clause names; a 修改决定
   (「关于修改《X》的决定」) newer than every version the store holds marks X 已修改 from its date, with
   「现行文本未收录」;
b. the national-law DB's status (已废止, 历史版本 …) — see corpus/versions.py;
c. the document's own front matter;
d. version order by date (an older version is 已修改).

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
from corpus.model import Chunk, DocType, Document, Status
from corpus.numerals import CN_NUM_CHARS, cn_to_int
from corpus.store import Store, Validity
from corpus.validity import start_date

_TITLE = re.compile(r"《([^《》]{2,80})》")
# what may stand between the last repealed title and 废止 (「同时」, 「自2020年1月1日起」, 「自本法施行之日起，予以」)
_TO_REPEAL = re.compile(r"^[\s，,]*(?:同时|自[^。；]{0,30}?起[，,]?|即行)?[\s，,]*(?:予以)?废止")
_BETWEEN_TITLES = re.compile(r"^[\s、，,和及与以及]*$")
_DATE = re.compile(r"(\d{4}|[" + CN_NUM_CHARS + r"〇零]{4})\s*年\s*(\d{1,2}|[" + CN_NUM_CHARS + r"]{1,3})\s*月"
                   r"\s*(\d{1,2}|[" + CN_NUM_CHARS + r"]{1,3})\s*日")
_IN_FORCE_FROM = re.compile(r"自\s*(" + _DATE.pattern + r")\s*起施行")
_AMEND_DECISION = re.compile(r"关于修改《([^《》]{2,80})》")
_REPEAL_DECISION = re.compile(r"关于废止《([^《》]{2,80})》")
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
        """《标题》第N条 of the clause."""
        return f"《{self.doc.title}》{self.chunk.label_cn if self.chunk is not None else ''}"


def parse_date(text: str) -> str:
    """「2026年8月15日」/「二〇二一年七月十五日」 → 2026-08-15 ("" when there is none)."""
    m = _DATE.search(text or "")
    if not m:
        return ""
    year = m.group(1)
    if not year.isdigit():
        year = "".join(str("〇一二三四五六七八九".index(c)) if c in "〇一二三四五六七八九" else
                       str("零一二三四五六七八九".index(c)) for c in year)
    month = int(m.group(2)) if m.group(2).isdigit() else cn_to_int(m.group(2))
    day = int(m.group(3)) if m.group(3).isdigit() else cn_to_int(m.group(3))
    if not month or not day or not 1 <= month <= 12 or not 1 <= day <= 31:
        return ""
    return f"{int(year):04d}-{month:02d}-{day:02d}"


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
                out.append(Clause(kind, doc, None, (title_key(m.group(1)),), doc.effective_date or doc.version_date))
    return [c for c in out if c.effective]


def _cn_date(day: str) -> str:
    y, m, d = day.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


def derive_validity(store: Store) -> list[Validity]:
    """Apply the repeal and amendment clauses of the store to the documents they name; returns the documents
    whose validity changed (and writes them).

    A clause counts against a document of another title that took effect before the clause does. A text
    repealing its own earlier version is left to version order. Of several repeals the earliest counts.
    """
    clauses = find_clauses(store)
    by_target: dict[str, list[Clause]] = defaultdict(list)
    for clause in clauses:
        for key in clause.targets:
            by_target[key].append(clause)
    docs = store.documents()
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
        # an amendment the store's newest text does not include yet (a decision newer than every version)
        newest = max((v.version_date or start_date(v) for v in versions[key]), default="")
        amend = min((c for c in relevant if c.kind == "amend" and (c.doc.version_date or c.effective) > newest),
                    key=lambda c: c.effective, default=None)
        declared, declared_basis = outcomes.get(doc.id, ("", ""))
        status = Status.parse(declared) if declared else doc.status
        repealed_on, repealed_by, basis = "", "", declared_basis or doc.status_basis
        if repeal is not None:
            # the status before the repeal: the undated 已废止 of weaker evidence is this repeal
            status = Status.AMENDED if status == Status.AMENDED or not doc.is_current else Status.CURRENT
            repealed_on, repealed_by = repeal.effective, repeal.doc.title
            basis = f"依据{repeal.where}，自{_cn_date(repeal.effective)}起废止"
        elif amend is not None and doc.is_current:
            status = Status.AMENDED
            basis = f"依据{amend.where}，自{_cn_date(amend.effective)}起修改；现行文本未收录"
        state = Validity(doc.id, status.value, repealed_on, repealed_by, basis)
        if (status, repealed_on, repealed_by, basis) != (doc.status, doc.repealed_on, doc.repealed_by,
                                                          doc.status_basis):
            changed.append(state)
    if changed:
        store.set_validity(changed)
    return changed
