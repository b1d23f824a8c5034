"""序时进度: how much of a yearly target should be done by a date, and who is behind."""
import calendar
from datetime import date, timedelta
from fractions import Fraction

import pytest

from app.domain.pacing import (
    AHEAD,
    BEHIND,
    ON_PACE,
    PACE_LABELS,
    PACE_RULE,
    Pace,
    expected_share,
    one_decimal,
)


def end_of_month(year, month):
    return date(year, month, calendar.monthrange(year, month)[1])


@pytest.mark.parametrize("month", range(1, 13))
def test_at_the_end_of_month_m_the_expected_share_is_exactly_m_twelfths(month):
    assert expected_share(2024, end_of_month(2024, month)) == Fraction(month, 12)


def test_end_of_february_in_a_leap_year_is_the_29th():
    assert expected_share(2024, date(2024, 2, 29)) == Fraction(2, 12)
    assert expected_share(2024, date(2024, 2, 28)) == Fraction(1, 12) + Fraction(28, 29 * 12)
    assert expected_share(2024, date(2024, 2, 28)) < Fraction(2, 12)


def test_end_of_february_in_a_common_year_is_the_28th():
    assert expected_share(2023, date(2023, 2, 28)) == Fraction(2, 12)


def test_during_a_month_the_share_grows_by_days_elapsed():
    assert expected_share(2024, date(2024, 1, 15)) == Fraction(15, 31 * 12)
    assert expected_share(2024, date(2024, 4, 15)) == Fraction(3, 12) + Fraction(15, 30 * 12)
    assert expected_share(2024, date(2024, 4, 15)) == Fraction(7, 24)  # mid-April = 3.5 months


def test_the_share_rises_every_day_of_the_year_from_first_to_last():
    day, previous = date(2024, 1, 1), Fraction(0)
    while day.year == 2024:
        share = expected_share(2024, day)
        assert previous < share <= 1
        previous, day = share, day + timedelta(days=1)
    assert previous == 1


def test_before_the_year_nothing_is_expected_and_after_it_everything():
    assert expected_share(2024, date(2023, 12, 31)) == 0
    assert expected_share(2024, date(2025, 1, 1)) == 1
    assert expected_share(2023, date(2024, 6, 30)) == 1


# --- pace -----------------------------------------------------------------------------

HALF_YEAR = Fraction(6, 12)


def test_actual_equal_to_the_pro_rata_count_is_on_pace():
    pace = Pace(actual=6, floor=12, share=HALF_YEAR)
    assert pace.expected == 6
    assert pace.on_pace
    assert pace.gap == 0
    assert pace.status == ON_PACE
    assert pace.label == "符合序时"


def test_one_below_the_pro_rata_count_is_behind_with_a_negative_gap():
    pace = Pace(actual=5, floor=12, share=HALF_YEAR)
    assert not pace.on_pace
    assert pace.gap == -1
    assert pace.status == BEHIND
    assert pace.label == "落后"


def test_a_month_or_more_of_progress_ahead_is_ahead():
    # a month's worth of a floor of 12 is 1
    pace = Pace(actual=7, floor=12, share=HALF_YEAR)
    assert pace.gap == 1
    assert pace.status == AHEAD
    assert pace.label == "领先"


def test_less_than_a_month_ahead_is_only_on_pace():
    # floor 100 at mid-November: expected 93.75; a month's worth is 100/12 = 8.33…
    share = Fraction(45, 48)
    assert Pace(actual=100, floor=100, share=share).gap == Fraction(25, 4)
    assert Pace(actual=100, floor=100, share=share).status == ON_PACE
    assert Pace(actual=102, floor=100, share=share).status == ON_PACE  # 8.25 ahead
    assert Pace(actual=103, floor=100, share=share).status == AHEAD    # 9.25 ahead


def test_fractional_expectations_compare_exactly():
    # floor 5 at the end of March: expected 1.25, a month's worth 5/12
    assert Pace(actual=1, floor=5, share=Fraction(3, 12)).status == BEHIND
    assert Pace(actual=1, floor=5, share=Fraction(3, 12)).gap == Fraction(-1, 4)
    assert Pace(actual=2, floor=5, share=Fraction(3, 12)).status == AHEAD


def test_the_gap_is_positive_when_ahead_and_negative_when_behind():
    for actual in range(0, 25):
        pace = Pace(actual=actual, floor=12, share=HALF_YEAR)
        assert pace.gap == actual - 6
        assert pace.on_pace == (pace.gap >= 0)
        assert (pace.status == BEHIND) == (pace.gap < 0)


def test_the_status_follows_the_published_rule():
    assert "12" in PACE_RULE
    for actual in range(0, 13):
        for month in range(1, 13):
            pace = Pace(actual=actual, floor=12, share=Fraction(month, 12))
            expected_status = (BEHIND if actual < month
                               else AHEAD if actual - month >= 1
                               else ON_PACE)
            assert pace.status == expected_status, (actual, month)


@pytest.mark.parametrize("actual", [0, 1, 5])
@pytest.mark.parametrize("share", [Fraction(0), Fraction(1, 2), Fraction(1)])
def test_a_floor_of_zero_is_always_on_pace(actual, share):
    pace = Pace(actual=actual, floor=0, share=share)
    assert pace.on_pace
    assert pace.status != BEHIND


def test_before_the_year_starts_nobody_is_behind():
    share = expected_share(2024, date(2023, 12, 1))
    assert Pace(actual=0, floor=100, share=share).status == ON_PACE


def test_at_year_end_the_whole_floor_is_expected():
    share = expected_share(2024, date(2024, 12, 31))
    assert not Pace(actual=99, floor=100, share=share).on_pace
    assert Pace(actual=100, floor=100, share=share).on_pace


def test_every_status_has_a_chinese_label():
    assert PACE_LABELS == {AHEAD: "领先", ON_PACE: "符合序时", BEHIND: "落后"}


# --- one decimal ----------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (Fraction(125, 3), "41.7"),
    (Fraction(-125, 3), "-41.7"),
    (Fraction(1, 3), "0.3"),
    (Fraction(2, 3), "0.7"),
    (Fraction(7), "7.0"),
    (Fraction(0), "0.0"),
    (Fraction(1, 20), "0.1"),     # 0.05 rounds half away from zero
    (Fraction(-1, 20), "-0.1"),
    (Fraction(-5, 2), "-2.5"),
    (Fraction(-1, 100), "0.0"),   # no negative zero
    (Fraction(1999, 200), "10.0"),  # 9.995 carries into the units
    (Fraction(-6), "-6.0"),
    (Fraction(12345, 10), "1234.5"),
])
def test_counts_show_with_one_decimal_rounded_half_away_from_zero(value, text):
    assert one_decimal(value) == text
