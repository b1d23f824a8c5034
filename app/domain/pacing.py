"""序时进度: the share of a yearly target that should be done by a date, and who is behind."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import cached_property

AHEAD, ON_PACE, BEHIND = "ahead", "on_pace", "behind"
PACE_LABELS = {AHEAD: "领先", ON_PACE: "符合序时", BEHIND: "落后"}
PACE_RULE = (
    "序时进度 = 已过月数 ÷ 12（月中按已过天数折算）；实际数 ≥ 目标下限 × 序时进度为符合序时，"
    "超出一个月以上进度（目标下限 ÷ 12）为领先，低于序时为落后。"
)


def expected_share(year: int, as_of: date) -> Fraction:
    """m/12 at the end of month m; within a month, by the days elapsed in it."""
    if as_of.year < year:
        return Fraction(0)
    if as_of.year > year:
        return Fraction(1)
    days_in_month = calendar.monthrange(year, as_of.month)[1]
    return Fraction(as_of.month - 1, 12) + Fraction(as_of.day, days_in_month * 12)


@dataclass(frozen=True)
class Pace:
    actual: int
    floor: int
    share: Fraction

    # Computed once per object: a page of 1,000 leaders reads each of these several times,
    # and Fraction arithmetic is slow enough for that to show.
    @cached_property
    def expected(self) -> Fraction:
        return self.floor * self.share

    @cached_property
    def gap(self) -> Fraction:
        """Positive when ahead of the expected count, negative when behind."""
        return self.actual - self.expected

    @cached_property
    def on_pace(self) -> bool:
        return self.actual >= self.expected

    @cached_property
    def status(self) -> str:
        if not self.on_pace:
            return BEHIND
        if self.floor and self.gap >= Fraction(self.floor, 12):
            return AHEAD
        return ON_PACE

    @property
    def label(self) -> str:
        return PACE_LABELS[self.status]


def one_decimal(value: Fraction) -> str:
    """A count shown to one decimal, half away from zero, e.g. 41.7."""
    tenths = abs(value) * 10
    rounded = int(tenths) + (1 if tenths - int(tenths) >= Fraction(1, 2) else 0)
    sign = "-" if value < 0 and rounded else ""
    return f"{sign}{rounded // 10}.{rounded % 10}"
