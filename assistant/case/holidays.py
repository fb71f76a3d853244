"""Which days are working days in China: public holidays and adjusted working days (调休).

The maintained ``chinese-calendar`` package answers for the years its release covers (1.11.0: 2004–2026). For
later years a deployer supplies the State Council's annual notice as a small text file
(``E_ASSISTANT_HOLIDAY_FILE``), one day per line::

    # 国务院办公厅关于2027年部分节假日安排的通知
    2027-01-01 休 元旦
    2027-02-07 班 春节调休

``休`` a day off that would otherwise be a working day, ``班`` an adjusted working day (a weekend day worked).
A year neither covers is *unknown*: Monday–Friday count as working days and every answer touching it says so.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import chinese_calendar


# the public holidays on fixed solar dates (全国年节及纪念日放假办法, 2024 revision, 第二条: 元旦 1月1日, 劳动节 5月1日、
# 2日, 国庆节 10月1日、2日、3日): off in every year, so an estimate for a year not yet announced excludes them too
# (the lunar ones — 春节, 清明, 端午, 中秋 — and the 调休 are unknown until the State Council's notice)
FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}


class HolidayFileError(ValueError):
    """A line of the holiday file that cannot be read (file, line number and the line, in Chinese)."""


class HolidayCalendar:
    """``is_workday(day)`` → (working day?, known?). ``known`` is False for a year neither the package nor the
    deployer's file covers; the answer is then Monday–Friday."""

    def __init__(self, extra_file: Path | None = None):
        self.days_off: set[date] = set()
        self.workdays: set[date] = set()
        self.file_years: set[int] = set()
        if extra_file is not None:
            self._read(Path(extra_file))

    def _read(self, path: Path) -> None:
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise HolidayFileError(f"节假日文件 {path} 无法读取：{exc}") from exc
        for number, line in enumerate(lines, 1):
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            parts = text.split()
            try:
                day = date.fromisoformat(parts[0])
                kind = parts[1]
                if kind not in ("休", "班"):
                    raise ValueError(kind)
            except (ValueError, IndexError):
                raise HolidayFileError(f"节假日文件 {path} 第{number}行无法识别：「{line.strip()}」"
                                       "（应为「2027-01-01 休 元旦」或「2027-02-07 班」）") from None
            (self.days_off if kind == "休" else self.workdays).add(day)
            self.file_years.add(day.year)

    def covers(self, year: int) -> bool:
        if year in self.file_years:
            return True
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
            return True
        except NotImplementedError:
            return False

    def is_workday(self, day: date) -> tuple[bool, bool]:
        if day.year in self.file_years:
            if day in self.workdays:
                return True, True
            return day.weekday() < 5 and day not in self.days_off, True
        try:
            return chinese_calendar.is_workday(day), True
        except NotImplementedError:
            return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS, False

    def holiday_name(self, day: date) -> str:
        """「国庆节」 for a public holiday the package knows, 「周末」 for a weekend day, else ""."""
        if day in self.days_off:
            return "节假日"
        try:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            on_holiday, name = day.weekday() >= 5, None
        if not on_holiday:
            return ""
        if name:
            return _HOLIDAY_ZH.get(name, "节假日")
        return "周末" if day.weekday() >= 5 else "节假日"


# the package names its holidays in English (Holiday enum values)
_HOLIDAY_ZH = {"New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
               "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
               "Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"}
