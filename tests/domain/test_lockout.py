"""Lockout after repeated failures, and the login rate limit, as plain rules."""
from datetime import date, datetime, timedelta

import pytest

from app.domain.lockout import Counter, LockoutPolicy, RateLimit
from app.domain.retention import RetentionError, check_purge_cutoff, earliest_purge_cutoff

T0 = datetime(2024, 5, 6, 9, 0, 0)
POLICY = LockoutPolicy()


def fail(times, counter=Counter(), start=T0, step=timedelta(seconds=10)):
    locked = []
    for n in range(times):
        counter, just_locked = POLICY.after_failure(counter, start + n * step)
        locked.append(just_locked)
    return counter, locked


def test_five_failures_lock_for_fifteen_minutes():
    counter, locked = fail(5)
    assert locked == [False, False, False, False, True]
    assert counter.locked_until == T0 + 4 * timedelta(seconds=10) + timedelta(minutes=15)
    assert POLICY.is_locked(counter, counter.locked_until - timedelta(seconds=1))
    assert not POLICY.is_locked(counter, counter.locked_until)


def test_four_failures_do_not_lock():
    counter, locked = fail(4)
    assert not any(locked) and not POLICY.is_locked(counter, T0 + timedelta(minutes=1))


def test_failures_spread_beyond_the_window_start_again():
    counter, locked = fail(5, step=timedelta(minutes=4))
    assert not any(locked) and counter.count == 1


def test_failures_while_locked_do_not_extend_the_lock():
    counter, _ = fail(5)
    again, just_locked = POLICY.after_failure(counter, T0 + timedelta(minutes=5))
    assert again == counter and not just_locked


def test_after_the_lock_runs_out_counting_starts_over():
    counter, _ = fail(5)
    after, just_locked = POLICY.after_failure(counter, counter.locked_until + timedelta(seconds=1))
    assert after.count == 1 and after.locked_until is None and not just_locked


def test_rate_limit_counts_in_fixed_windows():
    limit = RateLimit(limit=3, window=timedelta(minutes=5))
    counter, results = Counter(), []
    for n in range(5):
        counter, allowed = limit.after_attempt(counter, T0 + timedelta(seconds=n))
        results.append(allowed)
    assert results == [True, True, True, False, False]
    counter, allowed = limit.after_attempt(counter, T0 + timedelta(minutes=5))
    assert allowed and counter.count == 1


def test_audit_records_are_kept_at_least_180_days():
    today = date(2024, 12, 31)
    assert earliest_purge_cutoff(today) == date(2024, 7, 4)
    check_purge_cutoff(date(2024, 7, 4), today)
    with pytest.raises(RetentionError, match="至少保留 180 天"):
        check_purge_cutoff(date(2024, 7, 5), today)
