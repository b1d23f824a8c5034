"""Signing in: rate limit, lockout and password check, each refusal audited.

Each function adds its audit records to the session; the caller commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app import audit
from app.models import User
from app.clock import utcnow
from app.extensions import db

from . import login_throttle as throttle

OK, BAD_CREDENTIALS, LOCKED, RATE_LIMITED = "ok", "bad_credentials", "locked", "rate_limited"


@dataclass
class LoginOutcome:
    result: str
    user: User | None = None
    locked_until: datetime | None = None


@cache
def _dummy_hash() -> str:
    return generate_password_hash("not-a-real-password", method="scrypt")


def attempt_login(username: str, password: str, address: str, now: datetime | None = None) -> LoginOutcome:
    """Check one login attempt against rate limit, lockout and password, auditing each refusal."""
    now = now or utcnow()
    username = username.strip()
    allowed, first_refusal = throttle.allow_attempt(address, now)
    if not allowed:
        if first_refusal:
            audit.record("login_rate_limited", "", None, after={"username": username, "address": address}, user=None)
        return LoginOutcome(RATE_LIMITED)
    user = db.session.scalar(select(User).where(User.username == username))
    until = throttle.locked_until(username, now)
    if until is not None:
        audit.record("login_failed", "user", user.id if user else None,
                     after={"username": username, "reason": "locked"}, user=None)
        return LoginOutcome(LOCKED, locked_until=until)
    # The same work whether or not the user exists, so timing does not reveal usernames.
    password_ok = check_password_hash(user.password_hash if user else _dummy_hash(), password)
    if user is not None and user.active and password_ok:
        throttle.clear_failures(username)
        audit.record("login", "user", user.id, user=user)
        return LoginOutcome(OK, user=user)
    counter, just_locked = throttle.record_failure(username, now)
    reason = "inactive" if user is not None and not user.active and password_ok else "bad_credentials"
    audit.record("login_failed", "user", user.id if user else None,
                 after={"username": username, "reason": reason, "failures": counter.count}, user=None)
    if just_locked:
        audit.record("lockout", "user", user.id if user else None, user=None, after={
            "username": username, "failures": counter.count,
            "locked_until": counter.locked_until.isoformat(timespec="seconds")})
        return LoginOutcome(LOCKED, locked_until=counter.locked_until)
    return LoginOutcome(BAD_CREDENTIALS)
