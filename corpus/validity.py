"""Which versions of a text are in force on a date, and a document's status on a date — the one place that
decides both.

Search filters, article lookup, citation warnings, the discretion advisor, the quiz and ``show`` all ask
:func:`in_force_ids` (which version to serve) or :func:`status_on` (what to call it). Dates come from the
evidence corpus/currency.py applied: ``repealed_on`` (a repeal clause), ``superseded_on`` (a newer version
took effect, or an amending decision the store's text lacks).

A document (one version of one title) is in force on day D when
- it took effect on or before D (the later of ``effective_date`` and ``version_date``; a text with neither is
  taken to be in force from the start),
- no later version of the same title (same ``title_key``) took effect on or before D, and
- it is not repealed by D: a dated repeal takes it out from that day; a repeal whose date is not known (the
  national-law DB's or the front matter's 已废止) takes it out for every date, since no day can be vouched for.
A 尚未生效 of the source counts only while no start date is known: with one, the dates decide.

A current version whose newer text the store lacks (status 已修改 without a date, like 刑法 in the national-law
DB) stays in force: it is the newest text there is, and answers warn 「现行文本未收录」.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from corpus.metadata import title_key
from corpus.model import Document, Status

CHINA = ZoneInfo("Asia/Shanghai")  # the law takes effect on Beijing's date, whatever the server's clock zone


def today() -> str:
    """Today's date in China as YYYY-MM-DD."""
    return datetime.now(CHINA).date().isoformat()


def cn_date(day: str) -> str:
    """2026-08-15 → 2026年8月15日 ("" stays "")."""
    if not day:
        return ""
    d = date.fromisoformat(day)
    return f"{d.year}年{d.month}月{d.day}日"


def calendar_day(day: str | None) -> str | None:
    """``day`` stripped, when it is a calendar date written YYYY-MM-DD; None or blank → None.

    Raises:
        ValueError: (message in Chinese) for anything else («2026-02-30», «明天», «2026/1/1»).
    """
    day = (day or "").strip()
    if not day:
        return None
    try:
        if len(day) != 10:
            raise ValueError
        date.fromisoformat(day)
    except ValueError:
        raise ValueError(f"日期应为 YYYY-MM-DD 形式的有效日期：{day[:20]}") from None
    return day


def start_date(doc: Document) -> str:
    """The day the version took effect ("" when unknown): the later of its 施行 and version dates — sources give
    an amended version the 施行 date of the original enactment (大气污染防治法 2018 version: 2016-01-01)."""
    return max(doc.effective_date or "", doc.version_date or "")


def _out_on(doc: Document, day: str) -> bool:
    """Repealed by ``day``, or not yet in force while no start date is known."""
    if doc.repealed_on:
        return doc.repealed_on <= day
    if doc.status == Status.REPEALED:
        return True  # repealed at a date nobody recorded: not vouched for on any day
    return doc.status == Status.NOT_YET and not start_date(doc)


def in_force_ids(docs: Iterable[Document], on: str | None = None) -> set[str]:
    """The ids of the documents in force on ``on`` (YYYY-MM-DD; None: today) among ``docs``.

    Pass every version of a title together (e.g. all servable documents): versions are compared within the same
    ``title_key``.
    """
    day = on or today()
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
        if not _out_on(latest, day):
            out.add(latest.id)
    return out


def status_on(doc: Document, on: str | None = None) -> Status:
    """The document's status on ``on`` (YYYY-MM-DD; None: today).

    已废止 from the day a dated repeal by another document takes effect (and always for an undated one); 已失效 from
    the day its own term ran out (corpus/term.py: 「有效期三年」, 「有效期至…」 — ``repealed_on`` without ``repealed_by``); 尚未生效 before the version
    took effect; 已修改 from the day a newer version or an amending decision took effect (``superseded_on``) —
    before that, 现行有效; otherwise the status the evidence gave (现行有效, unknown, or 已修改 when the source
    says a newer text exists that the store lacks).
    """
    day = on or today()
    if doc.repealed_on and doc.repealed_on <= day:  # a dated end: a repealing document's, or the term's own
        return Status.REPEALED if doc.repealed_by else Status.EXPIRED
    if doc.status == Status.REPEALED and not doc.repealed_on:
        return Status.REPEALED
    start = start_date(doc)
    if start and start > day or doc.status == Status.NOT_YET and not start:
        return Status.NOT_YET
    if doc.superseded_on:
        return Status.AMENDED if doc.superseded_on <= day else Status.CURRENT
    if doc.status in (Status.REPEALED, Status.NOT_YET):  # a dated repeal not yet effective; a start now passed
        return Status.CURRENT
    return doc.status
