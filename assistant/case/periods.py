"""Counting a legal period from a date, with the rules the law sets.

- 《民法典》第二百零一条: the day the period starts is not counted; counting begins the next day.
- 《民法典》第二百零二条: a period in months (years) ends on the corresponding day of the last month, or that
  month's last day when it has none.
- 《民法典》第二百零三条: a period (in days, months, years) whose last day is a 法定休假日 ends on the first day
  after it. Weekends count as 休假日 here, as courts read the article.
- A law's own rule turns some 「N日」 into working days (行政处罚法 第八十五条, 行政强制法 第六十九条); working
  days skip public holidays and weekends and include adjusted working Saturdays (调休), as the holiday calendar
  says. No end-of-period shift is needed for them.

The labels of these articles (as looked up in the store) are passed in ``labels`` so that every note names
its basis.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from assistant.case.holidays import HolidayCalendar
from assistant.case.model import Unit

MAX_DAYS = 3660  # no procedural period here is longer than ten years; a longer one is refused


@dataclass
class Counted:
    """``due``: the last day; ``notes``: each rule applied, in order, with its basis; ``unknown_years``: years
    touched that the holiday calendar does not cover (the due date is then an estimate)."""

    due: date
    notes: list[str] = field(default_factory=list)
    unknown_years: set[int] = field(default_factory=set)


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _fmt(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def count_period(start: date, amount: int, unit: Unit, holidays: HolidayCalendar, labels: dict[str, str],
                 before: bool = False) -> Counted:
    """The last day of ``amount`` ``unit`` counted from ``start`` (or, with ``before``, the last day on which an
    act due 「``amount`` 日前」 of ``start`` may be done).

    ``labels``: {"start", "months", "holiday_end"} → 「《中华人民共和国民法典》第二百零一条」 (may be missing: the
    note then names no article). Raises ValueError for a period longer than ten years."""
    if amount <= 0 or (unit in ("日", "工作日") and amount > MAX_DAYS) or (unit == "月" and amount > 120) \
            or (unit == "年" and amount > 10):
        raise ValueError(f"期限「{amount}{unit}」超出可计算的范围")
    cite = {k: f"（{v}）" for k, v in labels.items()}
    result = Counted(start)
    if unit == "小时":
        result.due = start + timedelta(days=-(-amount // 24))
        result.notes.append(f"按小时计算：自{_fmt(start)}事件发生之时起{amount}小时（具体时刻以记录为准）")
        return result
    step = -1 if before else 1
    if unit == "工作日":
        day, counted = start, 0
        while counted < amount:
            day += timedelta(days=step)
            workday, known = holidays.is_workday(day)
            if not known:
                result.unknown_years.add(day.year)
            counted += workday
        result.due = day
        direction = "向前" if before else "向后"
        result.notes.append(f"{_fmt(start)}当日不计入{cite.get('start', '')}，{direction}数{amount}个工作日"
                            "（不含法定节假日和周末，调休上班日计入）")
        return result
    if unit == "日":
        result.due = start + timedelta(days=step * amount)
        result.notes.append(f"{_fmt(start)}当日不计入{cite.get('start', '')}，"
                            f"{'向前' if before else '自次日起'}数{amount}日")
    else:
        months = amount * (12 if unit == "年" else 1)
        result.due = _add_months(start, -months if before else months)
        result.notes.append(f"按{unit}计算，到期月的对应日（无对应日的为月末日）为最后一日{cite.get('months', '')}")
    if before:
        return result
    workday, known = holidays.is_workday(result.due)
    if not known:
        result.unknown_years.add(result.due.year)
    if not workday:
        first = result.due
        while not workday:
            result.due += timedelta(days=1)
            workday, known = holidays.is_workday(result.due)
            if not known:
                result.unknown_years.add(result.due.year)
        name = holidays.holiday_name(first) or "休假日"
        result.notes.append(f"最后一日{_fmt(first)}是法定休假日（{name}），顺延至休假日结束的次日"
                            f"{_fmt(result.due)}{cite.get('holiday_end', '')}")
    return result
