"""Deadline items (#25): 「立案日为……，作出决定的期限最后一日？」 (行政处罚法 第六十条), 「……送达告知书，要求听证的期限最后
一日？」 (第六十四条), the key computed by the 办案 timeline (assistant/case) with the holiday calendar."""

from __future__ import annotations

import random
from datetime import date, timedelta

from assistant.quiz.scenario_kit import ACTS, FIRMS, cn_date, raw_item
from corpus.store import Store

# ---- deadlines: 第六十条 (决定), 第六十四条 (听证申请), computed by the 办案 timeline ---------------------------------
DEADLINES = {  # step of 普通程序 → (the event the facts give, the question, the article deciding, a phrase of it)
    "审查决定": ("立案", "作出行政处罚决定的期限的最后一日是哪一天？", 60, None, "九十日"),
    "听证申请": ("告知送达", "当事人要求听证的期限的最后一日是哪一天？", 64, 1, "五日内"),
}
LAST_COVERED = date(2026, 12, 31)  # the last day chinese-calendar knows holidays for (its 2026 data)


def deadline_key(book, holidays, step: str, start: date):
    """The computed last day (and the Deadline) of ``step`` of 普通程序 when its event happened on ``start``."""
    from assistant.case.timeline import build_timeline

    event = DEADLINES[step][0]
    timeline = build_timeline(book, "普通程序", {"立案": start, event: start}, start, holidays)
    view = next(s for s in timeline.steps if s.id == step)
    return view.deadline


def _miscounts(start: date, due: date, amount: int, event: str) -> list[date]:
    """Three wrong last days an officer might compute: counting the start day, calendar days instead of working
    days (五日) or not moving a last day off a holiday (九十日), and three months for 九十日; then a day either side."""
    naive = start + timedelta(days=amount)  # calendar days, start day not counted, no holiday moved
    wrong = [naive - timedelta(days=1) if naive != due else due - timedelta(days=1), naive]
    if event == "立案":
        month = start.month + 3
        wrong.append(start.replace(year=start.year + (month - 1) // 12, month=(month - 1) % 12 + 1, day=min(start.day, 28)))
    wrong += [due + timedelta(days=1), due - timedelta(days=2), due + timedelta(days=2)]
    out: list[date] = []
    for d in wrong:
        if d != due and d not in out:
            out.append(d)
    return out[:3]


def _holidays_between(start: date, due: date) -> str:
    """The statutory holidays (named) between ``start`` and ``due``, from chinese-calendar."""
    import chinese_calendar

    names: dict[str, list[date]] = {}
    day = start + timedelta(days=1)
    while day <= due:
        try:
            on, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            break
        if on and name:
            names.setdefault(name, []).append(day)
        day += timedelta(days=1)
    zh = {"New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
          "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节"}
    return "、".join(f"{zh.get(n, n)}（{d[0].month}月{d[0].day}日—{d[-1].month}月{d[-1].day}日）" for n, d in names.items())


def deadline_items(store: Store, rng: random.Random) -> list[dict]:
    from assistant.case.book import load_book
    from assistant.case.holidays import HolidayCalendar

    try:
        book, holidays = load_book(store), HolidayCalendar(None)
    except Exception:  # noqa: BLE001 - a store without 行政处罚法 has no procedure book; no deadline items then
        return []
    out = []
    for step, (event, question, article, paragraph, needle) in DEADLINES.items():
        for _ in range(2):
            start = date(2025, 1, 2) + timedelta(days=rng.randrange(0, 540))
            deadline = deadline_key(book, holidays, step, start)
            if deadline is None or deadline.due is None or deadline.estimated or deadline.due > LAST_COVERED:
                continue
            due = deadline.due
            firm = rng.choice(FIRMS)
            what = (f"某综合行政执法队于{cn_date(start)}对{firm}涉嫌{rng.choice(ACTS)}一案立案调查（普通程序），"
                    "无延长办案期限的情形。") if event == "立案" else (
                f"某综合行政执法队拟对{firm}作出较大数额罚款，于{cn_date(start)}向其送达了行政处罚事先告知书，"
                "告知其有要求听证的权利。")
            others = [cn_date(d) for d in _miscounts(start, due, deadline.amount, event)]
            rules = "；".join(deadline.counted)
            skipped = _holidays_between(start, due)
            why = (f"{deadline.rule}，自{cn_date(start)}起算，最后一日为{cn_date(due)}（{rules}）。"
                   + (f"其间的法定节假日：{skipped}。" if skipped else ""))
            raw = raw_item(store, article, paragraph, needle, what + question, cn_date(due), others, why, "deadline",
                       {"step": step, "start": start.isoformat()}, "期限")
            if raw:
                out.append(raw)
    return out


