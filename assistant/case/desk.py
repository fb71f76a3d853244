"""The 办案助手 behind every channel: procedure steps with computed deadlines, and 文书 drafts.

The procedure book is read and checked against the store on first use and again after the corpus changed
(:meth:`CaseDesk.invalidate`, called by the service after uploads, deletions and re-indexing).
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from corpus.store import Store

from assistant.case.book import ProcedureBook, load_book
from assistant.case.drafts import Draft, draft_docx, make_draft
from assistant.case.holidays import HolidayCalendar
from assistant.case.model import Timeline
from assistant.case.timeline import CaseInputError, build_timeline, parse_date, parse_events
from assistant.discretion.types import Advice


class CaseDesk:
    """``rules``: a deployer's extra procedure files; ``holiday_file``: their holiday days for years the
    calendar package does not cover; ``templates``: their own 文书 templates; ``hearing_threshold``: 较大数额罚款
    (yuan) from which a 告知书 states the 听证 right."""

    def __init__(self, store: Store, rules: list[Path] | None = None, holiday_file: Path | None = None,
                 templates: Path | None = None, hearing_threshold: float = 50000.0):
        self.store, self.rules, self.templates = store, list(rules or []), templates
        self.hearing_threshold = hearing_threshold
        self.holidays = HolidayCalendar(holiday_file)
        self._book: ProcedureBook | None = None
        self._lock = threading.Lock()

    @property
    def book(self) -> ProcedureBook:
        book = self._book
        if book is None:
            with self._lock:
                book = self._book = self._book or load_book(self.store, self.rules)
        return book

    def invalidate(self) -> None:
        self._book = None

    def procedures(self) -> list[dict]:
        """[{id, name, law, applies, available, why}] for menus and ``case rules``."""
        book = self.book
        return [{"id": p.id, "name": p.name or p.id, "law": p.law, "applies": p.applies,
                 "available": p.id not in book.unavailable, "why": book.unavailable.get(p.id, "")}
                for p in book.procedures.values()]

    def steps(self, procedure: str, events: dict[str, str | date] | None = None,
              periods: dict[str, str] | None = None, today: date | str | None = None) -> Timeline:
        """The timeline of ``procedure`` (see timeline.build_timeline); ``events`` {节点: 日期}. Raises
        CaseInputError (Chinese) for an unknown procedure, node, date or period."""
        book = self.book
        day = parse_date(today) if isinstance(today, str) else (today or date.today())
        return build_timeline(book, procedure.strip(), parse_events(book, events or {}), day, self.holidays,
                              periods)

    def deadline_reply(self, text: str, today: date | None = None) -> str | None:
        """The computed answer to a deadline question in chat (see questions.deadline_answer), or None."""
        from assistant.case.questions import deadline_answer

        return deadline_answer(text, self.book, self.holidays, today or date.today())

    def draft(self, kind: str, facts: str, advice: Advice | None, *, party: str = "", case_no: str = "",
              organ: str = "", served_on: date | str | None = None, statement_period: str = "5个工作日",
              region: str | None = None, today: date | None = None) -> tuple[Draft, bytes]:
        """(the draft, its DOCX bytes); see drafts.make_draft. Raises DraftError / CaseInputError."""
        served = parse_date(served_on) if isinstance(served_on, str) and served_on.strip() else \
            (served_on if isinstance(served_on, date) else None)
        draft = make_draft(kind, facts, advice, self.book, self.store, self.holidays, party=party.strip(),
                           case_no=case_no.strip(), served_on=served, statement_period=statement_period,
                           hearing_threshold=self.hearing_threshold, region=region)
        return draft, draft_docx(draft, organ.strip(), self.templates, today)


__all__ = ["CaseDesk", "CaseInputError"]
