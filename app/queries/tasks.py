"""Next steps (tasks) as the pages read them: a user's 我的待办, a project's steps, and the
people who may own one."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.domain.tasks import OWNER_ROLES, week_end
from app.extensions import db
from app.models import Project, Task, User
from app.models.task import OPEN


def my_due_tasks(user_id: int, today: date, limit: int = 200) -> list[Task]:
    """The user's open steps that are overdue or due by the end of this week, earliest first."""
    return db.session.scalars(
        select(Task).where(Task.owner_id == user_id, Task.state == OPEN, Task.due_on <= week_end(today))
        .options(joinedload(Task.project)).order_by(Task.due_on, Task.id).limit(limit)).all()


def my_later_tasks(user_id: int, today: date, limit: int = 50) -> list[Task]:
    """The user's other open steps: due after this week, or undated."""
    return db.session.scalars(
        select(Task).where(Task.owner_id == user_id, Task.state == OPEN,
                           (Task.due_on > week_end(today)) | Task.due_on.is_(None))
        .options(joinedload(Task.project))
        .order_by(Task.due_on.is_(None), Task.due_on, Task.id).limit(limit)).all()


def project_tasks(project_id: int) -> list[Task]:
    """A project's steps: open ones first by date, then the closed ones, latest first."""
    return db.session.scalars(
        select(Task).where(Task.project_id == project_id).options(joinedload(Task.owner))
        .order_by((Task.state != OPEN), Task.due_on.is_(None), Task.due_on, Task.id.desc())).all()


def open_tasks_of(project_id: int) -> list[Task]:
    return db.session.scalars(
        select(Task).where(Task.project_id == project_id, Task.state == OPEN).options(joinedload(Task.owner))
        .order_by(Task.due_on.is_(None), Task.due_on, Task.id)).all()


def task_owners(zone_id: int) -> list[User]:
    """Who may own a step in a zone: its leaders and staff in post, leaders first."""
    return db.session.scalars(
        select(User).where(User.zone_id == zone_id, User.role.in_(OWNER_ROLES), User.active.is_(True))
        .order_by(User.role, User.name, User.username)).all()


def task_of(task_id: int) -> Task | None:
    return db.session.get(Task, task_id)


__all__ = ["my_due_tasks", "my_later_tasks", "project_tasks", "open_tasks_of", "task_owners", "task_of", "Project"]
