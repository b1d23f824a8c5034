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


NO_BASE = "no_base"
VALUE_PACE_RULE = (
    "金额指标的序时进度为实际数占年度目标的比例，不低于序时进度（已过月数 ÷ 12）为符合序时；"
    "增长率指标以截至所选月份的累计增长率对照目标增长率，不低于目标为符合序时；上年同期为零时不作判断。"
)


@dataclass(frozen=True)
class ValuePace:
    """序时进度 of an amount (its share of the yearly target against the time elapsed) or of a
    growth rate (the growth to date against the target rate). Exact: Decimal in, Fractions inside."""
    actual: object          # Decimal amount or growth rate (%); None: a growth with a zero base
    floor: object           # Decimal: the yearly amount, or the target rate (%)
    share: Fraction
    growth: bool = False
    stretch: object = None
    expected: Fraction = field(init=False, compare=False)
    gap: Fraction = field(init=False, compare=False)
    on_pace: bool = field(init=False, compare=False)
    status: str = field(init=False, compare=False)

    def __post_init__(self):
        floor = Fraction(self.floor)
        if self.actual is None:
            values = (floor, Fraction(0), True, NO_BASE)
        else:
            actual = Fraction(self.actual)
            expected = floor if self.growth else floor * self.share
            lead = actual - expected
            if lead < 0:
                status = BEHIND
            elif self.growth:
                status = AHEAD if self.stretch is not None and actual >= Fraction(self.stretch) else ON_PACE
            else:
                status = AHEAD if floor and 12 * lead >= floor else ON_PACE
            values = (expected, lead, lead >= 0, status)
        for name, value in zip(("expected", "gap", "on_pace", "status"), values):
            object.__setattr__(self, name, value)

    @property
    def label(self) -> str:
        return "上年同期为零" if self.status == NO_BASE else PACE_LABELS[self.status]
