"""What the daily checks read: the next steps (tasks) that fall due, for their owners.

A next step is a task with an owner in the zone, a leader or a staff member (services/tasks.py);
the daily check reminds the owner, in post, of each open one due today or overdue."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.domain.pipeline import OPEN_STAGES
from app.extensions import db
from app.models import OPEN, Project, Task, User


@dataclass(frozen=True)
class DueStep:
    user_id: int
    project_id: int
    project_name: str
    next_step: str
    due_on: date


def next_steps_due(today: date) -> list[DueStep]:
    """Every open task due today or overdue, for its owner in post, on open projects: one query."""
    rows = db.session.execute(
        select(Task.owner_id, Project.id, Project.name, Task.title, Task.due_on)
        .join(Project, Project.id == Task.project_id)
        .join(User, User.id == Task.owner_id)
        .where(Task.state == OPEN, Task.due_on <= today, Project.stage.in_(OPEN_STAGES), User.active.is_(True))
        .order_by(Task.owner_id, Task.due_on, Project.id))
    return [DueStep(user_id, project_id, name, title, on) for user_id, project_id, name, title, on in rows]
