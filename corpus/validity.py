"""Which versions of a text are in force on a date — the one place that decides it.

Search filters, article lookup, citation warnings and the discretion advisor all ask :func:`in_force_ids`.

A document (one version of one title) is in force on day D when
- it took effect on or before D (the later of ``effective_date`` and ``version_date``; a text with neither
  is taken to be in force from the start),
- no later version of the same title (same ``title_key``) took effect on or before D, and
- it is not repealed by D: a repeal the corpus dates (``repealed_on``, from a repeal clause — see
  corpus/currency.py) takes it out from that day; a document whose status is 已废止 without a known date
  counts as repealed today, so it is out for today's date and later, and still in for an explicit earlier
  date; a document whose status is 尚未生效 is out for today.

A current version whose status is 已修改 (the source says a newer text exists that the store lacks)
stays in force here: it is the newest text there is, and the answer warns about it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from corpus.metadata import title_key
from corpus.model import Document, Status


def today() -> str:
    """Today's date as YYYY-MM-DD (local time)."""
    return date.today().isoformat()


def start_date(doc: Document) -> str:
    """The day the version took effect ("" when unknown): the later of its 施行 and version dates — sources give
    an amended version the 施行 date of the original enactment (大气污染防治法 2018 version: 2016-01-01)."""
    return max(doc.effective_date or "", doc.version_date or "")


def in_force_ids(docs: Iterable[Document], on: str | None = None) -> set[str]:
    """The ids of the documents in force on ``on`` (YYYY-MM-DD; None: today) among ``docs``.

    Pass every version of a title together (e.g. all servable documents): versions are compared within
    the same ``title_key``.
    """
    day = on or today()
    asked_today = on is None or day >= today()
    by_title: dict[str, list[Document]] = defaultdict(list)
    for d in docs:
        by_title[title_key(d.title)].append(d)
    out: set[str] = set()
    for versions in by_title.values():
        started = [d for d in versions if start_date(d) <= day]
        if not started:
            continue
        # the latest version that has taken effect; the version marked current breaks a tie of dates
        latest = max(started, key=lambda d: (start_date(d), d.version_date, d.is_current))
        if latest.repealed_on and latest.repealed_on <= day:
            continue
        if asked_today and latest.status in (Status.REPEALED, Status.NOT_YET):
            continue
        out.add(latest.id)
    return out


def status_on(doc: Document, on: str | None = None, versions: Iterable[Document] = ()) -> Status:
    """The document's status on ``on`` (YYYY-MM-DD; None: today).

    已废止 from the day a dated repeal takes effect (before it, the status it had); 尚未生效 before it took
    effect; with ``versions`` (every version of its title) an older version is 已修改 once a later one took
    effect and 现行有效 before; otherwise the status the evidence gave.
    """
    day = on or today()
    if doc.repealed_on and doc.repealed_on <= day:
        return Status.REPEALED
    start = start_date(doc)
    if start and start > day:
        return Status.NOT_YET
    later = [v for v in versions if v.id != doc.id and start < start_date(v) <= day]
    if later:
        return Status.AMENDED
    if versions and not doc.is_current and doc.status == Status.AMENDED:
        return Status.CURRENT  # the newer version had not taken effect yet
    return doc.status


def status_label(doc: Document, on: str | None = None, versions: Iterable[Document] = ()) -> str:
    """The status on ``on`` with its evidence, as shown: 「已废止（依据《…》第…条，自…起废止）」."""
    status = status_on(doc, on, versions)
    if status == Status.AMENDED and doc.is_current and "现行文本未收录" not in doc.status_basis:
        return f"{status.value}（现行文本未收录；{doc.status_basis or '来源标注'}）"
    if status == Status.REPEALED and doc.repealed_on and doc.repealed_on <= (on or today()):
        return f"{status.value}（{doc.status_basis}）"
    if status == doc.status and doc.status_basis:
        return f"{status.value}（{doc.status_basis}）"
    return status.value


def is_in_force(doc: Document, versions: Iterable[Document], on: str | None = None) -> bool:
    """Whether ``doc`` is in force on ``on`` (None: today), given every version of its title."""
    return doc.id in in_force_ids(versions, on)
