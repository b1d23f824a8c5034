"""The bell: a user's notifications, and what delivery reads."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Notification, NotifyChannel, User, ZONE_ROLES

BELL_SHOWN = 100


def unread_count(user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.user_id == user_id, Notification.read_at.is_(None)))


def notifications_of(user_id: int, limit: int = BELL_SHOWN) -> list[Notification]:
    """Unread first, then the latest."""
    return db.session.scalars(
        select(Notification).where(Notification.user_id == user_id)
        .order_by(Notification.read_at.is_not(None), Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)).all()


def notification_of(user_id: int, notification_id: int) -> Notification | None:
    return db.session.scalar(select(Notification).where(Notification.id == notification_id,
                                                        Notification.user_id == user_id))


def pending_delivery(limit: int = 1000) -> list[Notification]:
    return db.session.scalars(select(Notification).where(Notification.delivered_at.is_(None))
                              .options(joinedload(Notification.user)).order_by(Notification.id).limit(limit)).all()


def channels(enabled_only: bool = True) -> list[NotifyChannel]:
    query = select(NotifyChannel).options(joinedload(NotifyChannel.zone)).order_by(NotifyChannel.id)
    if enabled_only:
        query = query.where(NotifyChannel.enabled.is_(True))
    return db.session.scalars(query).all()


def channel(channel_id: int) -> NotifyChannel | None:
    return db.session.get(NotifyChannel, channel_id)


def bulletin_recipients() -> list[tuple[int, int | None]]:
    """Everyone an issued bulletin goes to, with their zone: active zone leaders and staff, and
    the bureau (no zone)."""
    return db.session.execute(select(User.id, User.zone_id).where(
        User.active.is_(True), User.role.in_((*ZONE_ROLES, "bureau")))).all()


def existing_keys(key: str) -> set[int]:
    """The users who already have a notification with this key."""
    return set(db.session.scalars(select(Notification.user_id).where(Notification.key == key)))


def keys_of(keys) -> set[tuple[int, str]]:
    keys = list(keys)
    if not keys:
        return set()
    return {(u, k) for u, k in db.session.execute(select(Notification.user_id, Notification.key)
                                                  .where(Notification.key.in_(keys)))}


def zone_users() -> dict[int, list[int]]:
    """zone id -> its active leaders' and staff's ids."""
    result: dict[int, list[int]] = {}
    for user_id, zone_id in db.session.execute(select(User.id, User.zone_id).where(
            User.active.is_(True), User.role.in_(ZONE_ROLES)).order_by(User.id)):
        result.setdefault(zone_id, []).append(user_id)
    return result
