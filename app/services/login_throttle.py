"""Failed-login lockout and login rate limiting, counted in the database.

Counters live in the `login_throttles` table, so two worker processes (or two servers)
share them. The rules are app.domain.lockout's; this module loads a counter, applies a
rule and stores the result, locking the row so concurrent attempts do not lose counts.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from app.domain.lockout import Counter, LockoutPolicy, RateLimit
from app.extensions import db
from app.models.throttle import ADDRESS, USERNAME, LoginThrottle
from app.clock import utcnow

STALE_AFTER = timedelta(days=1)


def lockout_policy() -> LockoutPolicy:
    config = current_app.config
    return LockoutPolicy(max_failures=config["LOGIN_MAX_FAILURES"],
                         window=timedelta(minutes=config["LOGIN_LOCKOUT_MINUTES"]),
                         lock_for=timedelta(minutes=config["LOGIN_LOCKOUT_MINUTES"]))


def rate_limit() -> RateLimit:
    config = current_app.config
    return RateLimit(limit=config["LOGIN_RATE_LIMIT"],
                     window=timedelta(seconds=config["LOGIN_RATE_WINDOW_SECONDS"]))


def _key(scope: str, value: str) -> str:
    return value.strip().lower()[:128] if scope == USERNAME else value[:128]


def _counter(row: LoginThrottle | None) -> Counter:
    if row is None:
        return Counter()
    return Counter(row.count, row.window_started_at, row.locked_until)


def _locked_row(scope: str, key: str) -> LoginThrottle:
    """The counter row, created when missing, locked for this transaction."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    db.session.execute(
        insert(LoginThrottle).values(scope=scope, key=key, count=0, updated_at=utcnow())
        .on_conflict_do_nothing(index_elements=["scope", "key"]))
    return db.session.scalars(
        select(LoginThrottle).where(LoginThrottle.scope == scope, LoginThrottle.key == key)
        .with_for_update().execution_options(populate_existing=True)).one()


def _store(row: LoginThrottle, counter: Counter, now: datetime) -> None:
    row.count, row.window_started_at, row.locked_until = counter.count, counter.window_started_at, counter.locked_until
    row.updated_at = now


def allow_attempt(address: str, now: datetime) -> tuple[bool, bool]:
    """Count one login attempt from a client address: (allowed, first refusal in this window)."""
    _forget_stale(now)
    row = _locked_row(ADDRESS, _key(ADDRESS, address or "unknown"))
    counter, allowed = rate_limit().after_attempt(_counter(row), now)
    _store(row, counter, now)
    return allowed, counter.count == rate_limit().limit + 1


def locked_until(username: str, now: datetime) -> datetime | None:
    row = db.session.scalar(select(LoginThrottle).where(
        LoginThrottle.scope == USERNAME, LoginThrottle.key == _key(USERNAME, username)))
    counter = _counter(row)
    return counter.locked_until if lockout_policy().is_locked(counter, now) else None


def record_failure(username: str, now: datetime) -> tuple[Counter, bool]:
    """Count a failed login for the username: (the counter, whether this failure locked it)."""
    row = _locked_row(USERNAME, _key(USERNAME, username))
    counter, just_locked = lockout_policy().after_failure(_counter(row), now)
    _store(row, counter, now)
    return counter, just_locked


def clear_failures(username: str) -> None:
    db.session.execute(delete(LoginThrottle).where(
        LoginThrottle.scope == USERNAME, LoginThrottle.key == _key(USERNAME, username)))


def _forget_stale(now: datetime) -> None:
    """Drop counters nobody has touched for a day and that hold no running lock."""
    db.session.execute(delete(LoginThrottle).where(
        LoginThrottle.updated_at < now - STALE_AFTER,
        or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < now)))
