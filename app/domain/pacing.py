"""序时进度: the share of a yearly target that should be done by a date, and who is behind."""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

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
    expected: Fraction = field(init=False, compare=False)
    gap: Fraction = field(init=False, compare=False)   # positive when ahead of the expected count
    on_pace: bool = field(init=False, compare=False)
    status: str = field(init=False, compare=False)

    def __post_init__(self):
        # Decided in whole numbers, each value built once: a desk of 1,200 cells and a page of
        # 1,000 leaders build a Pace each, and repeated Fraction arithmetic there cost more
        # than the page's SQL.
        n, d = self.share.numerator, self.share.denominator
        lead = self.actual * d - self.floor * n          # (actual − expected) × d
        if lead < 0:
            status = BEHIND
        elif self.floor and 12 * lead >= self.floor * d:   # a month (floor ÷ 12) or more ahead
            status = AHEAD
        else:
            status = ON_PACE
        for name, value in (("expected", Fraction(self.floor * n, d)), ("gap", Fraction(lead, d)),
                            ("on_pace", lead >= 0), ("status", status)):
            object.__setattr__(self, name, value)

    @property
    def label(self) -> str:
        return PACE_LABELS[self.status]


def one_decimal(value: Fraction) -> str:
    """A count shown to one decimal, half away from zero, e.g. 41.7."""
    numerator, denominator = value.as_integer_ratio()
    tenths, rest = divmod(abs(numerator) * 10, denominator)
    rounded = tenths + (1 if 2 * rest >= denominator else 0)
    sign = "-" if numerator < 0 and rounded else ""
    return f"{sign}{rounded // 10}.{rounded % 10}"
