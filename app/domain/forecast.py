"""Pace forecast: at the rate so far, where a yearly count lands on 31 December, and the
monthly rate still needed to reach the floor. The rate is the count so far over the share of
the year elapsed (序时进度's share, so a month-end forecast is actual × 12 ÷ months elapsed)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from .pacing import expected_share

FORECAST_RULE = ("预计全年 = 已完成数 ÷ 序时进度（按目前速度推算到12月31日）；"
                 "尚需每月 = （目标下限 − 已完成数）÷ 剩余月数。")


@dataclass(frozen=True)
class Forecast:
    actual: int
    floor: int
    elapsed: Fraction              # share of the year gone, 0..1
    year_end: Fraction | None      # None before the year has begun (no rate yet)
    months_left: Fraction
    needed_per_month: Fraction | None   # None when the floor is reached, or no time is left

    @property
    def reaches_floor(self) -> bool:
        return self.actual >= self.floor or (self.year_end is not None and self.year_end >= self.floor)

    @property
    def shortfall(self) -> int:
        return max(self.floor - self.actual, 0)


def forecast(actual: int, floor: int, year: int, as_of: date) -> Forecast:
    elapsed = expected_share(year, as_of)
    months_left = 12 * (1 - elapsed)
    year_end = Fraction(actual) / elapsed if elapsed > 0 else None
    shortfall = max(floor - actual, 0)
    needed = Fraction(shortfall) / months_left if shortfall and months_left > 0 else None
    return Forecast(actual, floor, elapsed, year_end, months_left, needed)
