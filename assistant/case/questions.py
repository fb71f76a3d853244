"""Deadline questions in chat (「9月25日立案的，最晚什么时候要作出决定？」): when a message names a case event, a
date and asks by when, the answer is the computed date with its basis — not a retrieved article alone.

Used by the bots before ordinary answering (web/bots/common.py) through ``AssistantService.deadline_reply``.
"""

from __future__ import annotations

import re
from datetime import date

from assistant.case.book import ProcedureBook
from assistant.case.holidays import HolidayCalendar
from assistant.case.rules import parse_rule
from assistant.case.timeline import DATE_TEXT, build_timeline

_FULL = re.compile(DATE_TEXT)
_SHORT = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_ASKS = re.compile(r"多久|多长时间|多少天|几天|哪天|哪一天|什么时候|何时|最晚|最迟|截止|期限|几号|日期")
_PROCEDURE_WORDS = {"简易": "简易程序", "当场": "简易程序", "听证": "听证程序", "查封": "查封扣押", "扣押": "查封扣押",
                    "市场监管": "市场监管普通程序", "市场监督": "市场监管普通程序"}


def _dates(text: str, today: date) -> list[tuple[date, int]]:
    """(date, end position in ``text``) for each date written 「2026年9月25日」「2026-09-25」 or 「9月25日」 (this
    year)."""
    found: list[tuple[date, int]] = []
    for m in _FULL.finditer(text):
        try:
            found.append((date(int(m[1]), int(m[2]), int(m[3])), m.end()))
        except ValueError:
            continue
    if not found:
        for m in _SHORT.finditer(text):
            try:
                found.append((date(today.year, int(m[1]), int(m[2])), m.end()))
            except ValueError:
                continue
    return found


def _events_named(text: str, book: ProcedureBook) -> list[tuple[str, int]]:
    """(event name, position) of each event wording in ``text``, longest wordings first, without overlaps."""
    wordings = sorted(((w, name) for name, spec in book.events.items()
                       for w in (name, *spec.aliases) if len(w) >= 2), key=lambda x: -len(x[0]))
    named, rest = [], text
    for wording, name in wordings:
        at = rest.find(wording)
        while at >= 0:
            named.append((name, at))
            rest = rest[:at] + "　" * len(wording) + rest[at + len(wording):]
            at = rest.find(wording)
    return named


_PAUSE = re.compile(r"[，。,；;？?！!、]")


def _event_at(text: str, named: list[tuple[str, int]], at: int) -> str:
    """The event the date belongs to: written right after it in the same clause (「9月25日立案」), else right
    before it in the same clause (「立案日期是9月25日」), else the nearest."""
    after = [(p - at, n) for n, p in named if p >= at and p - at <= 6 and not _PAUSE.search(text[at:p])]
    if after:
        return min(after)[1]
    before = [(at - p, n) for n, p in named if p < at and not _PAUSE.search(text[p:at])]
    if before:
        return min(before)[1]
    return min(named, key=lambda e: abs(e[1] - at))[0]


def deadline_answer(text: str, book: ProcedureBook, holidays: HolidayCalendar, today: date) -> str | None:
    """The reply to a deadline question, or None when ``text`` is not one (no date, no event, no «by when»)."""
    if not _ASKS.search(text):
        return None
    days = _dates(text, today)
    named = _events_named(text, book)
    if not days or not named:
        return None
    day, at = days[0]
    start_event = _event_at(text, named, at)
    events = [start_event] + [n for n, _ in named if n != start_event]
    wanted = [p for w, p in _PROCEDURE_WORDS.items() if w in text and p in book.procedures
              and p not in book.unavailable]
    procedures = wanted or [p for p in ("普通程序", "简易程序", "听证程序", "查封扣押") if p in book.procedures]
    found = []
    for pid in procedures:
        spec = book.procedures[pid]
        for step in spec.steps:
            rule = step.deadline.rule if step.deadline else ""
            if not rule or step.deadline.from_step or parse_rule(rule).before or \
                    book.event_of(parse_rule(rule).event) != start_event:
                continue
            relevance = sum(ch in text for ch in set(step.name)) + 5 * any(e in text for e in events[1:]
                                                                            if e == step.event)
            found.append((relevance, pid, step.id))
    if not found:
        return None
    found.sort(key=lambda x: -x[0])
    lines, seen = [], set()
    for _, pid, sid in found[:3]:
        timeline = build_timeline(book, pid, {start_event: day}, today, holidays)
        view = next(s for s in timeline.steps if s.id == sid)
        d = view.deadline
        if d is None or d.due is None or (view.name, d.due) in seen:
            continue
        seen.add((view.name, d.due))
        label = book.events[start_event].label or start_event
        lines.append(f"【{timeline.name}】{day.year}年{day.month}月{day.day}日{label} → {view.name}：最迟"
                     f"{d.due.year}年{d.due.month}月{d.due.day}日（周{'一二三四五六日'[d.due.weekday()]}）"
                     + ("（估算）" if d.estimated else ""))
        if d.basis is not None and d.basis.verified:
            lines.append(f"依据：{d.basis.label}：「{d.basis.text}」")
        lines += [f"· {c}" for c in d.counted]
        if d.estimated:
            lines.append(f"⚠ {d.estimate_reason}")
    if not lines:
        return None
    lines.append("期限由系统按法定计算规则推算，仅供参考；完整步骤可用「办案」功能查看。")
    return "\n".join(lines)
