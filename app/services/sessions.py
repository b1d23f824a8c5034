"""Server-side sessions: open, find, keep alive and end them (app.models.UserSession).

The cookie holds only a random id; the row holds its SHA-256 and every fact about the
session, so logout, a password or role change, the concurrent-session limit and an
administrator's "sign out everywhere" take effect at once on every worker and host.
Each function adds its audit records to the session; the caller commits.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select, update

from app import audit
from app.extensions import db
from app.models import User, UserSession
from app.clock import utcnow

# Why a session ended, as the user and the auditor read it.
END_REASONS = {
    "logout": "用户退出", "idle": "长时间未操作", "max_age": "登录时间超过上限", "password": "密码已修改或重置",
    "role_change": "角色、开发区或账号状态变更", "limit": "超过同时登录数上限", "ended_by_user": "用户结束该会话",
    "ended_by_admin": "管理员强制下线", "revoked": "已失效",
}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(user: User, ip: str, user_agent: str, limit: int,
                 now: datetime | None = None) -> tuple[str, UserSession]:
    """A new session for the user; returns the cookie's id (never stored) and the row.
    When the user already has `limit` open sessions, the least recently used ones end."""
    now = now or utcnow()
    active = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .order_by(UserSession.last_seen_at, UserSession.id)).all()
    for old in active[:max(0, len(active) - max(limit, 1) + 1)]:
        end_session(old, "limit", user=user, now=now)
    token = secrets.token_urlsafe(32)
    row = UserSession(user_id=user.id, token_hash=_digest(token), created_at=now, last_seen_at=now,
                      ip=(ip or "")[:45], user_agent=(user_agent or "")[:255])
    db.session.add(row)
    db.session.flush()
    return token, row


def find(token: str | None) -> UserSession | None:
    if not token or not isinstance(token, str) or len(token) > 100:
        return None
    return db.session.scalar(select(UserSession).where(UserSession.token_hash == _digest(token)))


def end_session(row: UserSession, reason: str, *, user=audit._ANONYMOUS, now: datetime | None = None) -> None:
    """End one session; recorded here unless its caller records why (logout, expiry)."""
    if row.ended_at is not None:
        return
    row.ended_at, row.end_reason = now or utcnow(), reason
    if reason not in ("logout", "idle", "max_age"):
        audit.record("session_end", "user", row.user_id, user=user, after={
            "session": row.id, "reason": reason, "address": row.ip})


def end_all(user: User, reason: str, *, by=audit._ANONYMOUS, except_id: int | None = None) -> int:
    """End every open session of the user (except one); returns how many ended."""
    query = (update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
             .values(ended_at=utcnow(), end_reason=reason))
    if except_id is not None:
        query = query.where(UserSession.id != except_id)
    ended = db.session.execute(query).rowcount
    if ended:
        audit.record("sessions_revoked", "user", user.id, user=by, zone_id=user.zone_id,
                     after={"reason": reason, "sessions": ended})
    return ended


def active_sessions(user: User) -> list[UserSession]:
    return db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .order_by(UserSession.last_seen_at.desc())).all()
