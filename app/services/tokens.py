"""Personal API tokens: created and revoked by their user, kept only as a SHA-256 hash.

A token is `zcrm_` and 43 URL-safe characters (256 random bits), shown once when it is
created. It authenticates its user with that user's current role and zone until it
expires (its lifetime is chosen at creation, DEFAULT_LIFETIME_DAYS unless chosen); a
revoked or expired token, or any token of a disabled user, does not. Every token of a user
is revoked when the user's password is changed or reset, or the account is disabled or its
role or zone changed (app/services/users.py). The auditor and the security administrator
hold no tokens (三员分立: their work is done signed in, in the browser). Creating and
revoking are audited; the caller commits.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import func, select

from app import audit
from app.domain.errors import UserFacingError
from app.extensions import db
from app.models import AUDITOR, SECADMIN, ApiToken, User
from app.clock import utcnow

PREFIX = "zcrm_"
MAX_ACTIVE_PER_USER = 10
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# The lifetimes offered at creation, in days, and the default.
LIFETIMES = (7, 30, 90, 180, 365)
DEFAULT_LIFETIME_DAYS = 90
# Roles that may not hold a token.
NO_TOKEN_ROLES = (AUDITOR, SECADMIN)


class TokenError(UserFacingError):
    """A token that cannot be created as asked."""


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def may_hold_tokens(user: User) -> bool:
    return user.role not in NO_TOKEN_ROLES


def create_token(user: User, name: str, lifetime_days: int = DEFAULT_LIFETIME_DAYS) -> tuple[ApiToken, str]:
    """A new token for `user`: the row, and the token itself (to show once, never stored)."""
    if not may_hold_tokens(user):
        raise TokenError(f"{user.role_label}不能创建 API 令牌")
    if lifetime_days not in LIFETIMES:
        raise TokenError("请选择令牌有效期：" + "、".join(f"{d} 天" for d in LIFETIMES))
    name = name.strip()
    if not name:
        raise TokenError("请填写令牌名称（例如用途或调用它的系统）")
    if len(name) > 50:
        raise TokenError("令牌名称不能超过 50 个字符")
    active = db.session.scalar(select(func.count()).select_from(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > utcnow()))
    if active >= MAX_ACTIVE_PER_USER:
        raise TokenError(f"每位用户最多保留 {MAX_ACTIVE_PER_USER} 个有效令牌，请先撤销不再使用的令牌")
    raw = PREFIX + secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(days=lifetime_days)
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_token(raw), expires_at=expires_at)
    db.session.add(token)
    db.session.flush()
    audit.record("token_create", "api_token", token.id, zone_id=user.zone_id, user=user,
                 after={"name": name, "expires_at": expires_at.replace(microsecond=0)})
    return token, raw


def revoke_token(token: ApiToken, user: User) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    audit.record("token_revoke", "api_token", token.id, after={"name": token.name}, zone_id=user.zone_id, user=user)


def revoke_all(user: User, reason: str) -> int:
    """Revoke every live token of `user` (password changed or reset, account disabled, role or
    zone changed); audited as the acting user, one record per token. How many were revoked."""
    live = db.session.scalars(select(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))).all()
    now = utcnow()
    for token in live:
        token.revoked_at = now
        audit.record("token_revoke", "api_token", token.id, zone_id=user.zone_id,
                     after={"name": token.name, "reason": reason})
    return len(live)


def user_tokens(user: User) -> list[ApiToken]:
    return db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                              .order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())).all()


def authenticate(header: str | None) -> User | None:
    """The user an `Authorization: Bearer <token>` header stands for, or None."""
    token = authenticate_token(header)
    return token.user if token is not None else None


def authenticate_token(header: str | None) -> ApiToken | None:
    """The live token of an active user that an `Authorization: Bearer <token>` header carries.

    Notes when the token was last used (at most once a minute per token) and commits that.
    """
    if not header:
        return None
    scheme, _, raw = header.partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    if token is None or not token.active:
        return None
    user = token.user
    if user is None or not user.active or not may_hold_tokens(user):
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.commit()
    return token
