"""Rules of next steps (下一步工作) as tasks: who may own one, and how a user's open steps
are grouped on 我的待办."""
from __future__ import annotations

from datetime import date, timedelta

from app.domain.errors import UserFacingError

OWNER_ROLES = ("leader", "staff")
OVERDUE, TODAY, THIS_WEEK, LATER = "overdue", "today", "week", "later"
BUCKETS = {OVERDUE: "已逾期", TODAY: "今天到期", THIS_WEEK: "本周到期"}


class TaskError(UserFacingError):
    """A next step that cannot be written as given."""


def owner_error(role: str, user_zone_id: int | None, active: bool, zone_id: int) -> str | None:
    """Why this person cannot own a step of a project in `zone_id`, or None."""
    if role not in OWNER_ROLES or user_zone_id != zone_id or not active:
        return "下一步负责人须为本开发区在职的领导或招商专员"
    return None


def may_handle(owner_id: int, zone_id: int, user_id: int, role: str, user_zone_id: int | None) -> bool:
    """Who may mark a step done, move or hand it on: its owner, or any staff member of its zone."""
    return user_zone_id == zone_id and (owner_id == user_id or role == "staff")


def week_end(today: date) -> date:
    """The Sunday closing `today`'s week (Monday to Sunday, as a Chinese calendar reads)."""
    return today + timedelta(days=6 - today.weekday())


def bucket(due_on: date | None, today: date) -> str:
    if due_on is None:
        return LATER
    if due_on < today:
        return OVERDUE
    if due_on == today:
        return TODAY
    if due_on <= week_end(today):
        return THIS_WEEK
    return LATER


def move_error(due_on: date | None, new_due_on: date | None, today: date) -> str | None:
    if new_due_on is None:
        return "请填写新的日期"
    if new_due_on < today:
        return "改期后的日期不能早于今天"
    if due_on is not None and new_due_on == due_on:
        return "新日期与原日期相同"
    return None


def reassign_error(owner_id: int, new_owner_id: int) -> str | None:
    if owner_id == new_owner_id:
        return "新负责人与原负责人相同"
    return None
