from datetime import date
from fractions import Fraction

from app.domain.forecast import forecast


def test_at_a_month_end_the_rate_is_per_month_elapsed():
    f = forecast(actual=30, floor=100, year=2024, as_of=date(2024, 6, 30))
    assert f.elapsed == Fraction(1, 2) and f.year_end == 60 and f.months_left == 6
    assert f.needed_per_month == Fraction(70, 6) and not f.reaches_floor and f.shortfall == 70


def test_ahead_of_the_floor_needs_nothing_more():
    f = forecast(actual=5, floor=3, year=2024, as_of=date(2024, 3, 31))
    assert f.year_end == 20 and f.needed_per_month is None and f.reaches_floor and f.shortfall == 0


def test_mid_month_uses_days_elapsed():
    f = forecast(actual=1, floor=5, year=2024, as_of=date(2024, 1, 31))   # one month gone
    assert f.year_end == 12 and f.needed_per_month == Fraction(4, 11)
    mid = forecast(actual=1, floor=5, year=2024, as_of=date(2024, 2, 15))
    assert Fraction(1, 12) < mid.elapsed < Fraction(2, 12) and 6 < mid.year_end < 12


def test_before_the_year_and_after_it():
    before = forecast(actual=0, floor=5, year=2025, as_of=date(2024, 12, 1))
    assert before.year_end is None and before.months_left == 12 and before.needed_per_month == Fraction(5, 12)
    after = forecast(actual=2, floor=5, year=2023, as_of=date(2024, 3, 1))
    assert after.year_end == 2 and after.months_left == 0 and after.needed_per_month is None
    assert not after.reaches_floor


def test_a_zero_floor_is_reached():
    assert forecast(actual=0, floor=0, year=2024, as_of=date(2024, 6, 30)).reaches_floor
