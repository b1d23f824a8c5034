"""Accounts as the administrator manages them: create, change role/zone/status, reset password.

三员分立 (app/domain/separation.py): the administrator cannot create, change or reset an
auditor or security-administrator account; the security administrator manages auditors only.
Every change is audited; a change of role or zone is also recorded as a `role_change`
security event. An account someone else created or reset must choose its own password at
first login. The administrator cannot change or disable their own account here, so the
system is never left without an administrator by accident.
"""
from __future__ import annotations

from sqlalchemy import delete, select
from werkzeug.security import check_password_hash

from app import audit
from app.domain.errors import UserFacingError
from app.domain.passwords import REUSE_DEPTH, password_problems, reused
from app.domain.separation import may_manage, refusal
from app.extensions import db
from app.models import ROLES, ZONE_ROLES, PasswordHistory, User, Zone
from app.services import sessions, tokens

AUDITED = ("username", "name", "role", "zone_id", "active")


class AccountError(UserFacingError):
    """An account change that cannot be made as asked."""


class PasswordPolicyError(UserFacingError):
    """A password the policy refuses; the message lists why."""


def _check_role_and_zone(role: str, zone: Zone | None) -> None:
    if role not in ROLES:
        raise AccountError(f"未知的角色：{role}")
    if role in ZONE_ROLES and zone is None:
        raise AccountError(f"{ROLES[role]}必须指定所属开发区")
    if role not in ZONE_ROLES and zone is not None:
        raise AccountError(f"{ROLES[role]}不属于某个开发区，请勿指定开发区")


def _check_may_manage(by: User | None, role: str) -> None:
    if not may_manage(by.role if by is not None else None, role):
        raise AccountError(refusal(by.role if by is not None else None, role))


def create_user(username: str, name: str, role: str, zone: Zone | None, password: str, *,
                by: User | None) -> User:
    """A new account; `by` is the signed-in user creating it (None: the command line)."""
    _check_may_manage(by, role)
    username, name = username.strip(), name.strip()
    if not username or not name:
        raise AccountError("请填写用户名和姓名")
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(f"用户名“{username}”已存在")
    _check_role_and_zone(role, zone)
    problems = password_problems(password, username)
    if problems:
        raise PasswordPolicyError("；".join(problems))
    user = User(username=username, name=name, role=role, zone=zone, must_change_password=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("create", "user", user.id, zone_id=zone.id if zone else None,
                 after={"username": username, "name": name, "role": role, "zone": zone.code if zone else None})
    return user


def update_user(user: User, *, name: str, role: str, zone: Zone | None, active: bool, by: User | None) -> None:
    if by is not None and user.id == by.id and (role != user.role or zone != user.zone or not active):
        raise AccountError("不能修改自己的角色、所属开发区或停用自己的账号")
    _check_role_and_zone(role, zone)
    _check_may_manage(by, user.role)
    _check_may_manage(by, role)
    before = audit.snapshot(user, AUDITED)
    user.name, user.role, user.zone, user.active = name.strip() or user.name, role, zone, active
    db.session.flush()
    after = audit.snapshot(user, AUDITED)
    changed = {k for k in AUDITED if before[k] != after[k]}
    if not changed:
        return
    audit.record("update", "user", user.id, zone_id=user.zone_id,
                 before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    if changed & {"role", "zone_id"}:
        audit.record("role_change", "user", user.id, zone_id=user.zone_id,
                     before={"role": before["role"], "zone_id": before["zone_id"]},
                     after={"role": after["role"], "zone_id": after["zone_id"]})
    if changed & {"role", "zone_id", "active"}:
        user.end_all_sessions()  # new rights (or none) apply from the next request on
        sessions.end_all(user, "role_change")
        tokens.revoke_all(user, "role_change" if changed & {"role", "zone_id"} else "disabled")


def change_password(user: User, new_password: str) -> None:
    """The user's own change: the new password ends every other session of the user."""
    _set_password(user, new_password)
    user.must_change_password = False
    audit.record("password_change", "user", user.id, user=user, zone_id=user.zone_id)


def reset_password(user: User, new_password: str, *, by: User | None) -> None:
    """An administrator's (or operator's, by=None) reset: the user must choose a new one at
    next login. Only the security administrator or the command line resets an auditor (三员分立)."""
    if not may_manage(by.role if by is not None else None, user.role):
        raise PasswordPolicyError(refusal(by.role if by is not None else None, user.role))
    _set_password(user, new_password)
    user.must_change_password = True
    audit.record("password_reset", "user", user.id, zone_id=user.zone_id,
                 after={"username": user.username})


def _recent_hashes(user: User) -> list[str]:
    """The current hash, then the previous ones, newest first: the last REUSE_DEPTH passwords."""
    previous = db.session.scalars(select(PasswordHistory.password_hash).where(
        PasswordHistory.user_id == user.id).order_by(PasswordHistory.id.desc()).limit(REUSE_DEPTH - 1)).all()
    return ([user.password_hash] if user.password_hash else []) + list(previous)


def _remember(user: User, old_hash: str) -> None:
    """Keep the hash being replaced; forget all but the newest REUSE_DEPTH - 1 (with the
    current one, the last REUSE_DEPTH passwords)."""
    db.session.add(PasswordHistory(user_id=user.id, password_hash=old_hash))
    db.session.flush()
    keep = select(PasswordHistory.id).where(PasswordHistory.user_id == user.id).order_by(
        PasswordHistory.id.desc()).limit(REUSE_DEPTH - 1).scalar_subquery()
    db.session.execute(delete(PasswordHistory).where(PasswordHistory.user_id == user.id,
                                                     PasswordHistory.id.not_in(keep)),
                       execution_options={"synchronize_session": False})


def _set_password(user: User, new_password: str) -> None:
    problems = password_problems(new_password, user.username)
    if user.id is not None:
        problem = reused(new_password, _recent_hashes(user), check_password_hash)
        if problem:
            problems.append(problem)
    if problems:
        raise PasswordPolicyError("；".join(problems))
    old_hash = user.password_hash
    user.set_password(new_password)
    if user.id is not None and old_hash:
        _remember(user, old_hash)
    user.end_all_sessions()
    if user.id is not None:
        sessions.end_all(user, "password")
        tokens.revoke_all(user, "password")
