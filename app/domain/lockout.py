"""Login lockout and rate limiting as plain rules on a counter (no Flask, no database).

The database keeps one counter per username (failed logins) and one per client address
(login attempts); these functions decide what the next attempt does to it, so the rules are
the same in every worker process.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Counter:
    count: int = 0
    window_started_at: datetime | None = None
    locked_until: datetime | None = None


@dataclass(frozen=True)
class LockoutPolicy:
    """`max_failures` failed logins within `window` lock the account for `lock_for`."""
    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    lock_for: timedelta = timedelta(minutes=15)

    def is_locked(self, counter: Counter, now: datetime) -> bool:
        return counter.locked_until is not None and now < counter.locked_until

    def after_failure(self, counter: Counter, now: datetime) -> tuple[Counter, bool]:
        """The counter after one more failed login, and whether this failure locked the account."""
        if self.is_locked(counter, now):
            return counter, False
        if (counter.window_started_at is None or counter.locked_until is not None
                or now - counter.window_started_at >= self.window):
            counter = Counter(0, now, None)  # a fresh window, also after a lock has run out
        counter = replace(counter, count=counter.count + 1)
        if counter.count >= self.max_failures:
            return replace(counter, locked_until=now + self.lock_for), True
        return counter, False


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` attempts per `window`, counted in fixed windows."""
    limit: int = 30
    window: timedelta = timedelta(minutes=5)

    def after_attempt(self, counter: Counter, now: datetime) -> tuple[Counter, bool]:
        """The counter after one more attempt, and whether the attempt is allowed."""
        if counter.window_started_at is None or now - counter.window_started_at >= self.window:
            counter = Counter(0, now, None)
        counter = replace(counter, count=counter.count + 1)
        return counter, counter.count <= self.limit

