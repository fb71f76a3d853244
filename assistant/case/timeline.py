"""The timeline of one case: for a procedure and the dates known so far, each step's state and deadline.

:func:`build_timeline` is what ``e-assistant case steps``, ``/api/case/steps``, the 办案 tab and the bots show.
"""

from __future__ import annotations

import re
from datetime import date

from assistant.case.book import ProcedureBook
from assistant.case.holidays import HolidayCalendar
from assistant.case.model import BasisArticle, Deadline, StepSpec, StepView, Timeline
from assistant.case.periods import count_period
from assistant.case.rules import RuleError, parse_period, parse_rule

MAX_STATED_DAYS = 90  # a 告知书's 陈述申辩 period longer than this is a typing error
FIRST_YEAR, LAST_YEAR = 1990, 2100  # dates outside are typing errors (行政处罚法 took effect 1996)
# a full date as officers write it: 2026-09-25, 2026/9/25, 2026年9月25日 (also found inside chat text, questions.py)
DATE_TEXT = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_DATE = re.compile(rf"^\s*{DATE_TEXT}\s*$")


class CaseInputError(ValueError):
    """A procedure, event, date or period the officer gave that cannot be used (Chinese message)."""


def parse_date(text: str) -> date:
    """「2026-09-25」, 「2026/9/25」, 「2026年9月25日」 → date. Raises CaseInputError."""
    m = _DATE.match(text or "")
    try:
        if not m:
            raise ValueError
        day = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise CaseInputError(f"日期「{text}」无法识别（例如 2026-09-25 或 2026年9月25日）") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CaseInputError(f"日期「{text}」超出可计算的范围（{FIRST_YEAR}—{LAST_YEAR}年）")
    return day


def parse_events(book: ProcedureBook, given: dict[str, str | date]) -> dict[str, date]:
    """{wording: date or text} → {event name: date}; wordings may be names or aliases (「告知书送达」).
    Raises CaseInputError naming the known events for an unknown one."""
    events: dict[str, date] = {}
    for wording, value in given.items():
        name = book.event_of(wording.strip())
        if name is None:
            raise CaseInputError(f"未知的办案节点「{wording}」；可用：{'、'.join(book.events)}")
        if name in events:
            raise CaseInputError(f"办案节点「{name}」给出了两次，请只保留一个日期")
        events[name] = value if isinstance(value, date) else parse_date(str(value))
    return events


def _working_rule(book: ProcedureBook, basis: BasisArticle | None, amount: int) -> BasisArticle | None:
    """The article that makes 「``amount`` 日」 of ``basis``'s law working days, if any."""
    if basis is None:
        return None
    for rule in book.working_days:
        if rule.law == basis.title and rule.applies(amount):
            return book.basis(rule.basis, rule.law)
    return None


def _counting_labels(book: ProcedureBook) -> dict[str, str]:
    c = book.counting
    labels = {}
    for key, ref in (("start", c.start), ("months", c.months), ("holiday_end", c.holiday_end)):
        basis = book.bases.get((c.law, ref))
        if basis is not None and basis.verified:
            labels[key] = f"《{basis.title.removeprefix('中华人民共和国')}》{ref}"
    return labels


def _deadline(book: ProcedureBook, step: StepSpec, events: dict[str, date], periods: dict[str, str],
              dues: dict[str, date | None], holidays: HolidayCalendar) -> Deadline | None:
    spec = step.deadline
    if spec is None:
        return None
    basis = book.bases.get((step.law, spec.basis)) if spec.basis else None
    if spec.rule:
        parsed = parse_rule(spec.rule)
        amount, unit, before = parsed.amount, parsed.unit, parsed.before
        event = spec.from_step if spec.from_step else book.event_of(parsed.event) or parsed.event
        start = dues.get(spec.from_step) if spec.from_step else events.get(event)
        rule_text = spec.rule
    else:  # 「按告知书载明的期限」: the officer states it
        event, start, before = spec.from_, events.get(spec.from_), False
        stated = periods.get(step.id) or periods.get(spec.stated_in)
        if not stated:
            return Deadline(rule=f"按{spec.stated_in}载明的期限", basis=basis, from_event=event, from_date=start,
                            note=spec.note, waiting_for=f"{spec.stated_in}载明的期限")
        try:
            amount, unit = parse_period(stated, "工作日")
        except RuleError as exc:
            raise CaseInputError(str(exc)) from None
        if unit not in ("日", "工作日") or amount > MAX_STATED_DAYS:
            raise CaseInputError(f"{spec.stated_in}载明的期限「{stated}」不合理：应为若干日或工作日（1—{MAX_STATED_DAYS}日）")
        rule_text = f"自{book.events[event].label or event}之日起{amount}{'个工作日' if unit == '工作日' else unit}内" \
                    f"（{spec.stated_in}载明）"
    deadline = Deadline(rule=rule_text, basis=basis, from_event=event, from_date=start, amount=amount, unit=unit,
                        before=before, note=spec.note)
    if start is None:
        label = book.events[event].label if event in book.events else f"「{event}」的期限"
        deadline.waiting_for = label
        return deadline
    notes: list[str] = []
    if unit == "日" and (working := _working_rule(book, basis, amount)) is not None:
        unit = deadline.unit = "工作日"
        notes.append(f"「{amount}日」指工作日，不含法定节假日"
                     f"（《{working.title.removeprefix('中华人民共和国')}》{_ref_of(working)}）")
    try:
        counted = count_period(start, amount, unit, holidays, _counting_labels(book), before=before)
    except (ValueError, OverflowError) as exc:
        raise CaseInputError(f"「{rule_text}」无法计算：{exc}") from None
    deadline.due, deadline.counted = counted.due, notes + counted.notes
    if counted.unknown_years:
        years = "、".join(str(y) for y in sorted(counted.unknown_years))
        deadline.estimated = True
        deadline.estimate_reason = estimate_reason(years)
    return deadline


def estimate_reason(years: str) -> str:
    """Why a deadline in ``years`` (「2027」) is an estimate."""
    return (f"{years}年度节假日安排未收录，按自然日估算（工作日按周一至周五计，已扣除元旦、劳动节、国庆节的固定假日，"
            "未扣除春节等农历假日和调休；部署方可在 E_ASSISTANT_HOLIDAY_FILE 中补充国务院办公厅公布的安排）")


def _ref_of(basis: BasisArticle) -> str:
    return basis.label[basis.label.index("》") + 1:] if "》" in basis.label else basis.label


def build_timeline(book: ProcedureBook, procedure: str, events: dict[str, date], today: date,
                   holidays: HolidayCalendar, periods: dict[str, str] | None = None) -> Timeline:
    """The steps of ``procedure`` with their states on ``today``.

    ``events``: event name → date (see :func:`parse_events`); ``periods``: step id or document (「告知书」) → a
    period the officer states (「5个工作日」). Raises CaseInputError for an unknown or unavailable procedure."""
    spec = book.procedures.get(procedure)
    if spec is None:
        raise CaseInputError(f"未知的程序「{procedure}」；可用：{'、'.join(p for p in book.procedures if p not in book.unavailable)}")
    if procedure in book.unavailable:
        raise CaseInputError(f"程序「{procedure}」暂不可用：{book.unavailable[procedure]}")
    periods = periods or {}
    stated = {n for st in spec.steps if st.deadline and st.deadline.stated_in for n in (st.id, st.deadline.stated_in)}
    unknown = [k for k in periods if k not in stated]
    if unknown:
        raise CaseInputError(f"「{'、'.join(unknown)}」不是本程序中由文书载明期限的步骤；可用：{'、'.join(sorted(stated)) or '无'}")
    dues: dict[str, date | None] = {}
    views: list[StepView] = []
    warnings: list[str] = []
    for step in spec.steps:
        bases = [book.bases[(step.law, ref)] for ref in step.basis]
        view = StepView(id=step.id, name=step.name or step.id, state="无时限", by=step.by, actions=step.actions,
                        documents=step.documents, basis=bases)
        if step.after_event and step.after_event not in events:
            view.state = "不适用"
            views.append(view)
            continue
        deadline = _deadline(book, step, events, periods, dues, holidays)
        dues[step.id] = deadline.due if deadline else None
        view.deadline = deadline
        view.done_on = events.get(step.event) if step.event else None
        due = deadline.due if deadline else None
        if view.done_on is not None:
            view.state = "逾期完成" if due is not None and view.done_on > due else "已完成"
        elif due is not None:
            view.state = ("已届满" if step.by == "当事人" else "已逾期") if today > due else "进行中"
            view.overdue_days = max(0, (today - due).days) if step.by != "当事人" else 0
        elif deadline is not None:
            view.state = "待前序"
        if deadline and deadline.estimated:
            warnings.append(f"「{view.name}」的期限为估算：{deadline.estimate_reason}")
        views.append(view)
    warnings += order_warnings(book, views, events, today)
    unverified = sorted({b.label for v in views for b in v.basis if not b.verified})
    if unverified:
        warnings.append("以下依据在知识库中无法核对，请人工查证：" + "、".join(unverified))
    return Timeline(procedure=procedure, name=spec.name or procedure, applies=spec.applies, today=today,
                    events=events, steps=views, warnings=list(dict.fromkeys(warnings)))


def order_warnings(book: ProcedureBook, views: list[StepView], events: dict[str, date], today: date) -> list[str]:
    """Dates that contradict the procedure: an event before one that must precede it (``book.order``), a date
    after ``today``, and a decision made before a party's 陈述、申辩 or 听证 period ran out (行政处罚法 第六十二条:
    no decision before the party was heard, unless they waived it)."""
    out = []
    label = lambda e: book.events[e].label or e  # noqa: E731
    for e, day in events.items():
        if day > today:
            out.append(f"「{label(e)}」的日期{day.isoformat()}晚于今天，请核对")
    known = [e for e in book.order if e in events]
    for a, b in zip(known, known[1:]):
        if events[b] < events[a]:
            out.append(f"「{label(b)}」（{events[b].isoformat()}）早于「{label(a)}」（{events[a].isoformat()}），顺序不对，请核对日期")
    decided = events.get("决定")
    if decided is not None:
        for v in views:
            d = v.deadline
            if v.by == "当事人" and d is not None and d.due is not None and d.from_event == "告知送达" and decided <= d.due:
                out.append(f"决定日期{decided.isoformat()}早于「{v.name}」的届满日（{d.due.isoformat()}）："
                           "当事人未明确放弃陈述、申辩或者听证的，不得作出行政处罚决定（《行政处罚法》第六十二条）")
    return out
