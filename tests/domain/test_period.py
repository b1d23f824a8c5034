"""One period rule for every face: the year, the as-of day within it, and date ranges."""
from datetime import date

import pytest

from app.domain.period import PeriodError, date_range, reporting_period

TODAY = date(2026, 11, 29)


def test_without_dates_the_period_is_this_year_as_of_today():
    assert reporting_period(None, None, TODAY) == (2026, TODAY)


def test_a_past_year_is_reported_to_its_end_and_a_future_year_from_its_start():
    assert reporting_period(2024, None, TODAY) == (2024, date(2024, 12, 31))
    assert reporting_period(2027, None, TODAY) == (2027, date(2027, 1, 1))


def test_an_as_of_day_alone_gives_its_year():
    assert reporting_period(None, date(2025, 6, 30), TODAY) == (2025, date(2025, 6, 30))


def test_an_as_of_day_outside_the_year_is_brought_to_the_nearer_end():
    assert reporting_period(2024, date(2025, 3, 1), TODAY) == (2024, date(2024, 12, 31))
    assert reporting_period(2024, date(2023, 3, 1), TODAY) == (2024, date(2024, 1, 1))


@pytest.mark.parametrize("year", [1999, 2101, 0])
def test_a_year_outside_2000_to_2100_is_refused_in_chinese(year):
    with pytest.raises(PeriodError, match="年度应在 2000 至 2100 之间"):
        reporting_period(year, None, TODAY)


def test_a_range_defaults_to_the_year_so_far():
    assert date_range(None, None, TODAY) == (date(2026, 1, 1), TODAY)
    assert date_range(None, date(2025, 6, 30), TODAY) == (date(2025, 1, 1), date(2025, 6, 30))


def test_a_reversed_range_is_refused_not_swapped():
    with pytest.raises(PeriodError, match="开始日期不能晚于结束日期"):
        date_range(date(2026, 6, 1), date(2026, 5, 1), TODAY)


def test_a_range_beyond_the_years_served_is_refused():
    with pytest.raises(PeriodError, match="日期应在 2000 年至 2100 年之间"):
        date_range(date(1, 1, 1), date(9999, 12, 31), TODAY)


# --- dates people enter ------------------------------------------------------------------

from app.domain.period import check_entry_date  # noqa: E402


@pytest.mark.parametrize("day, message", [
    (date(1999, 12, 31), "（1999-12-31）早于 2000 年，请检查年份"),
    (date(2027, 1, 1), "（2027-01-01）晚于 2026 年底，请检查年份"),
    (date(2204, 3, 5), "晚于 2026 年底"),
])
def test_dates_before_2000_or_after_next_year_are_refused_in_chinese(day, message):
    with pytest.raises(PeriodError, match=message) as excinfo:
        check_entry_date(day, date(2025, 6, 1), "occurred_on", "对接日期")
    assert str(excinfo.value).startswith("对接日期") and excinfo.value.field == "occurred_on"


@pytest.mark.parametrize("day", [date(2000, 1, 1), date(2025, 6, 1), date(2026, 12, 31), None])
def test_dates_from_2000_to_the_end_of_next_year_pass(day):
    check_entry_date(day, date(2025, 6, 1))
