"""Which versions of a text are in force on a date — the one place that decides it.

Search filters, article lookup, citation warnings and the discretion advisor all ask :func:`in_force_ids`.

A document (one version of one title) is in force on day D when
- it took effect on or before D (``effective_date``, else ``version_date``; a text with neither is taken
  to be in force from the start),
- no later version of the same title (same ``title_key``) took effect on or before D, and
- it is not repealed by D: a document whose status is 已废止 counts as repealed today (its repeal date is
  not known yet), so it is out for today's date and later, and still in for an explicit earlier date;
  a document whose status is 尚未生效 is out for today.

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
    """The day the version took effect ("" when unknown)."""
    return doc.effective_date or doc.version_date or ""


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
        if asked_today and latest.status in (Status.REPEALED, Status.NOT_YET):
            continue
        out.add(latest.id)
    return out


def is_in_force(doc: Document, versions: Iterable[Document], on: str | None = None) -> bool:
    """Whether ``doc`` is in force on ``on`` (None: today), given every version of its title."""
    return doc.id in in_force_ids(versions, on)
