"""The period a figure is reported for: a year, and the day it is counted up to (as of).

Every face (pages, API, commands, reports) reads its period through these two functions, so
a missing date, a date outside the year and a reversed range mean the same everywhere.
"""
from __future__ import annotations

from datetime import date

from .errors import UserFacingError

FIRST_YEAR, LAST_YEAR = 2000, 2100


class PeriodError(UserFacingError):
    pass


def check_year(year: int, field: str = "year") -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"年度应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间", field)
    return year


def reporting_period(year: int | None, as_of: date | None, today: date) -> tuple[int, date]:
    """The year (by default as_of's, else this year's) and the as-of day within it.

    Without an as-of day: today for this year, the last day of a past year, the first day of
    a future one. A day outside the year is brought to the year's nearer end, so "2024 as of
    2025-03-01" reports the whole of 2024.
    """
    year = check_year(year if year is not None else (as_of or today).year)
    first, last = date(year, 1, 1), date(year, 12, 31)
    if as_of is None:
        as_of = min(today, last) if year <= today.year else first
    return year, min(max(as_of, first), last)


def date_range(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """A period between two days, both included: by default from the first of the end's
    year to today. A range that ends before it starts is refused, not swapped."""
    end = end or today
    start = start or date(end.year, 1, 1)
    for day, field in ((start, "from"), (end, "to")):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise PeriodError(f"日期应在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间", field)
    if start > end:
        raise PeriodError("开始日期不能晚于结束日期", "from")
    return start, end


FIRST_ENTRY_YEAR = 2000


def check_entry_date(day: date | None, today: date, field: str | None = None, label: str = "日期") -> None:
    """A date a person enters (a contact, a stage change, a plan, a next step) lies between
    2000 and the end of next year: anything else is a typo (2204 for 2024), refused in Chinese
    on every path (forms, the API, the import)."""
    if day is None:
        return
    if day.year < FIRST_ENTRY_YEAR:
        raise PeriodError(f"{label}（{day.isoformat()}）早于 {FIRST_ENTRY_YEAR} 年，请检查年份", field)
    if day.year > today.year + 1:
        raise PeriodError(f"{label}（{day.isoformat()}）晚于 {today.year + 1} 年底，请检查年份", field)
