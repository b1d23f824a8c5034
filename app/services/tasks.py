"""Writing next steps (下一步工作) as tasks: open, done, moved; each audited, the caller commits.

A project's derived next step (Project.next_step / next_step_on: its earliest open task) is
refreshed after every write here, so lists, the ledger export and the API read one column.
Nothing here closes a task that was not named: a contact opens its own step and closes only
the one its author chose ("完成并安排下一步").
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select, update
from sqlalchemy.orm.util import identity_key

from app import audit
from app.database import any_of, insert_ids
from app.domain.period import PeriodError, check_entry_date
from app.domain.tasks import TaskError, move_error, owner_error, reassign_error
from app.extensions import db
from app.models import Project, Task, User
from app.models.task import DONE, MOVED, OPEN
from app.clock import utcnow
from app.services.projects import CHUNK
from .. import clock


@dataclass
class NewTask:
    project_id: int
    zone_id: int
    title: str
    due_on: date | None
    owner: User
    created_by: User | None
    contact_id: int | None = None
    imported: bool = False


def check_owner(owner: User, zone_id: int) -> None:
    error = owner_error(owner.role, owner.zone_id, owner.active, zone_id)
    if error:
        raise TaskError(error, "next_step_owner")


def check_new(title: str, due_on: date | None, today: date) -> str:
    title = (title or "").strip()
    if not title:
        raise TaskError("请填写下一步工作", "next_step")
    if len(title) > 200:
        raise TaskError("下一步工作不能超过 200 个字", "next_step")
    try:
        check_entry_date(due_on, today, "next_step_on", "下一步日期")
    except PeriodError as error:
        raise TaskError(str(error), error.field) from None
    return title


def open_tasks(items: list[NewTask], audited: bool = True) -> list[int]:
    """Insert open tasks (checked by the caller), audit each, refresh their projects."""
    if not items:
        return []
    rows = [{"zone_id": i.zone_id, "project_id": i.project_id, "title": i.title.strip(), "due_on": i.due_on,
             "owner_id": i.owner.id, "state": OPEN, "contact_id": i.contact_id,
             "created_by_id": i.created_by.id if i.created_by else None, "created_at": utcnow(),
             "imported": i.imported} for i in items]
    ids = insert_ids(Task.__table__, rows)
    if audited:
        audit.record_many([audit.values("create", "task", task_id, zone_id=row["zone_id"], user=item.created_by,
                                    after={"project_id": row["project_id"], "title": row["title"],
                                           "due_on": row["due_on"], "owner": item.owner.username,
                                           "contact_id": row["contact_id"]})
                           for task_id, row, item in zip(ids, rows, items)])
    refresh_projects({row["project_id"] for row in rows})
    return ids


def open_task(project: Project, title: str, due_on: date | None, owner: User, by: User,
              today: date | None = None) -> Task:
    today = today or clock.today()
    title = check_new(title, due_on, today)
    check_owner(owner, project.zone_id)
    (task_id,) = open_tasks([NewTask(project.id, project.zone_id, title, due_on, owner, by)])
    return db.session.get(Task, task_id)


def _check_open(task: Task) -> None:
    if task.state != OPEN:
        raise TaskError(f"这项下一步已{task.state_label}，不能再次操作")


def complete(task: Task, by: User, contact_id: int | None = None) -> Task:
    """Mark an open task done (by a tap on 我的待办, or by the contact that closed it)."""
    _check_open(task)
    task.state, task.closed_at, task.closed_by_id = DONE, utcnow(), by.id
    task.closed_by_contact_id = contact_id
    audit.record("task_done", "task", task.id, zone_id=task.zone_id, user=by,
                 before={"state": OPEN}, after={"state": DONE, "contact_id": contact_id})
    db.session.flush()
    refresh_projects({task.project_id})
    return task


def move(task: Task, new_due_on: date | None, by: User, today: date | None = None) -> Task:
    """Move an open task to another day: it is closed as moved and its successor opened with
    the new date, the same title and owner. Returns the successor."""
    today = today or clock.today()
    _check_open(task)
    error = move_error(task.due_on, new_due_on, today)
    if error:
        raise TaskError(error, "due_on")
    try:
        check_entry_date(new_due_on, today, "due_on", "新日期")
    except PeriodError as error:
        raise TaskError(str(error), error.field) from None
    successor = Task(zone_id=task.zone_id, project_id=task.project_id, title=task.title, due_on=new_due_on,
                     owner_id=task.owner_id, state=OPEN, contact_id=task.contact_id, created_by_id=by.id)
    db.session.add(successor)
    db.session.flush()
    task.state, task.closed_at, task.closed_by_id, task.moved_to_id = MOVED, utcnow(), by.id, successor.id
    audit.record("task_moved", "task", task.id, zone_id=task.zone_id, user=by,
                 before={"state": OPEN, "due_on": task.due_on},
                 after={"state": MOVED, "due_on": new_due_on, "moved_to_id": successor.id})
    db.session.flush()
    refresh_projects({task.project_id})
    return successor


def reassign(task: Task, new_owner: User, by: User) -> Task:
    """Hand an open step to another leader or staff member of its zone. Audited; the new owner
    finds it in 我的待办 and is told in the bell (unless they made the change themselves)."""
    _check_open(task)
    error = reassign_error(task.owner_id, new_owner.id)
    if error:
        raise TaskError(error, "owner_id")
    try:
        check_owner(new_owner, task.zone_id)
    except TaskError as owner_problem:
        raise TaskError(str(owner_problem), "owner_id") from None
    old_owner = db.session.get(User, task.owner_id)
    task.owner_id = new_owner.id
    audit.record("task_reassigned", "task", task.id, zone_id=task.zone_id, user=by,
                 before={"owner": old_owner.username if old_owner else None},
                 after={"owner": new_owner.username})
    db.session.flush()
    db.session.expire(task, ["owner"])
    if new_owner.id != by.id:
        from app.services.notifications import notify_task_reassigned
        notify_task_reassigned(task, new_owner, by)
    return task


def refresh_projects(project_ids) -> None:
    """Project.next_step / next_step_on := the project's earliest open task (by due date, an
    undated one last), or empty: a derived copy, written only here."""
    ids = sorted(project_ids)
    if not ids:
        return
    db.session.flush()

    def earliest(column):
        return (select(column).where(Task.project_id == Project.id, Task.state == OPEN)
                .order_by(Task.due_on.is_(None), Task.due_on, Task.id).limit(1).scalar_subquery())

    title, due_on = earliest(Task.title), earliest(Task.due_on)
    # Only projects whose copy can change: one with no open task and no step shown keeps both
    # empty (an import touches thousands of projects, most of them without steps).
    has_open = select(Task.id).where(Task.project_id == Project.id, Task.state == OPEN).exists()
    for start in range(0, len(ids), CHUNK):
        changing = db.session.scalars(select(Project.id).where(
            any_of(Project.id, ids[start:start + CHUNK]),
            or_(Project.next_step.is_not(None), Project.next_step_on.is_not(None), has_open))).all()
        if changing:
            db.session.execute(update(Project).where(any_of(Project.id, changing))
                               .values(next_step=title, next_step_on=due_on)
                               .execution_options(synchronize_session=False))
    for project_id in ids:
        project = db.session.identity_map.get(identity_key(Project, project_id))
        if project is not None:
            db.session.expire(project, ["next_step", "next_step_on"])
