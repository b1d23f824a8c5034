"""What the daily checks read: next steps that fall due, and who they belong to.

A next step is still a project's (the latest contact's next step, kept on the project); it is
a leader's when they lead the project or have contacted it this year, as on the leader's home
page (app/queries/ledger.py due_next_steps). When next steps become tasks with owners, this is
the one function to re-point."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, select, union

from app.domain.pipeline import OPEN_STAGES
from app.extensions import db
from app.models import LEADER, LeaderProject, Project, User


@dataclass(frozen=True)
class DueStep:
    user_id: int
    project_id: int
    project_name: str
    next_step: str
    due_on: date


def next_steps_due(today: date) -> list[DueStep]:
    """Every leader's next steps due today or overdue, on open projects: one query."""
    due = and_(Project.next_step_on <= today, Project.stage.in_(OPEN_STAGES), Project.next_step_on.is_not(None))
    owners = union(
        select(Project.id.label("project_id"), Project.leader_id.label("user_id"))
        .where(due, Project.leader_id.is_not(None)),
        select(Project.id.label("project_id"), LeaderProject.leader_id.label("user_id"))
        .join(LeaderProject, LeaderProject.project_id == Project.id)
        .where(due, LeaderProject.year == today.year),
    ).subquery()
    rows = db.session.execute(
        select(owners.c.user_id, Project.id, Project.name, Project.next_step, Project.next_step_on)
        .join(Project, Project.id == owners.c.project_id)
        .join(User, User.id == owners.c.user_id)
        .where(User.role == LEADER, User.active.is_(True))
        .order_by(owners.c.user_id, Project.next_step_on, Project.id))
    return [DueStep(user_id, project_id, name, step or "", on) for user_id, project_id, name, step, on in rows]
