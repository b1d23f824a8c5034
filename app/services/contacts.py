"""Logging a contact: the record, its leaders, the quota summary and the project's latest
contact, written in one transaction."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Date, DateTime, Integer, bindparam, case, func, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.util import identity_key

from app import audit
from app.database import any_of, insert_ids, insert_rows, year_of
from app.domain.errors import UserFacingError
from app.domain.period import PeriodError, check_entry_date
from app.extensions import db
from app.domain.tasks import owner_error
from app.models import CONTACT_FORMS, LEADER, Contact, LeaderProject, Project, Task, User, contact_leaders
from app.models.task import DONE, OPEN
from app.clock import utcnow
from app.services.projects import CHUNK
from app.services.tasks import NewTask, complete, open_tasks, refresh_projects
from .. import clock


class ContactError(UserFacingError):
    """A contact that cannot be logged as given."""

    def __init__(self, message: str, field: str | None = None, index: int | None = None):
        super().__init__(message, field)
        self.index = index  # in a batch write, the position of the item refused


@dataclass
class ContactInput:
    """One contact to log; `project` is the project or, for one just written in the same
    batch of an import, anything with its `id` and `zone_id`."""
    project: object
    occurred_on: date
    form: str
    summary: str
    leaders: list[User]
    recorded_by: User
    next_step: str = ""
    next_step_on: date | None = None
    # Who owns the next step it opens (default: its author when a leader or staff member of
    # the zone, else its first leader); the open step of the project it closes, if any.
    next_step_owner: User | None = None
    closes_task: Task | None = None


def log_contact(*, project: Project, occurred_on: date, form: str, summary: str,
                leaders: list[User], recorded_by: User, next_step: str = "",
                next_step_on: date | None = None, next_step_owner: User | None = None,
                closes_task: Task | None = None, today: date | None = None) -> Contact:
    (contact_id,) = log_contacts([ContactInput(project, occurred_on, form, summary, leaders, recorded_by,
                                               next_step, next_step_on, next_step_owner, closes_task)],
                                 today=today)
    return db.session.get(Contact, contact_id)


def log_contacts(items: list[ContactInput], *, today: date | None = None, imported: bool = False,
                 noted: dict[int, date | None] | None = None) -> list[int]:
    """Log contacts: the records, their leaders, the quota summary, each project's latest
    contact, their next steps as open tasks, and one audit record each; returns their ids in
    order. Every item is checked before any is written; a refused one raises ContactError
    with its `index`. An import of a ledger's history (`imported`) keeps the old rule for
    its own steps: see _import_steps.

    `noted` names projects whose latest contact day is already stored, as the latest of every
    contact the caller logs for them in this transaction (an import inserts its new projects
    with it: one write of the row instead of an insert and an update); each maps to the latest
    day among those logged before these items (None if none), which is what the project's
    stored day would otherwise be now."""
    noted = noted or {}
    today = today or clock.today()
    rows = []
    for index, item in enumerate(items):
        try:
            rows.append(_checked(item, today))
        except ContactError as error:
            error.index = index
            raise
    db.session.flush()
    ids = insert_ids(Contact.__table__, rows)
    links, credits, latest, events, steps, last_of_project = [], {}, {}, [], [], {}
    for contact_id, row, item in zip(ids, rows, items):
        on, project_id = row["occurred_on"], row["project_id"]
        leader_ids = sorted({l.id for l in item.leaders})
        links += [{"contact_id": contact_id, "user_id": lid, "occurred_on": on} for lid in leader_ids]
        for lid in leader_ids:
            key = (lid, on.year, project_id)
            credits[key] = min(on, credits.get(key, on))
        # Contacts are applied in order: the latest day wins, and the later of two on one day.
        if project_id not in latest or latest[project_id]["latest_on"] <= on:
            latest[project_id] = {"target_id": project_id, "latest_on": on}
        if row["next_step"] and not imported:
            steps.append(NewTask(project_id, row["zone_id"], row["next_step"], row["next_step_on"],
                                 _step_owner(item), item.recorded_by, contact_id))
        if latest[project_id]["latest_on"] == on:
            last_of_project[project_id] = (contact_id, row, item)
        events.append(audit.values("create", "contact", contact_id, zone_id=row["zone_id"], user=item.recorded_by,
                                   after={"project_id": project_id, "occurred_on": on, "form": row["form"],
                                          "summary": row["summary"],
                                          "leaders": sorted(l.username for l in item.leaders),
                                          "next_step": row["next_step"], "next_step_on": row["next_step_on"]}))
    insert_rows(contact_leaders, links)
    # In key order, so two transactions crediting the same leaders lock their summary rows (and
    # the leader_months rows its triggers update) in the same order: no deadlock.
    _credit([{"leader_id": lid, "year": year, "project_id": pid, "first_contact_on": on}
             for (lid, year, pid), on in sorted(credits.items())])
    if imported:
        _import_steps(last_of_project, noted)
    _note_latest_contacts([row for project_id, row in latest.items() if project_id not in noted])
    audit.record_many(events)
    for contact_id, item in zip(ids, items):
        if item.closes_task is not None:
            complete(item.closes_task, item.recorded_by, contact_id)
    if steps:
        open_tasks(steps)
    return ids


def _import_steps(last_of_project: dict, noted: dict) -> None:
    """An imported ledger is history: each project's latest contact's step is its open
    imported step, the earlier ones are taken as done (they stay on their contacts). So the
    step of a project's latest imported contact, if it is the project's latest contact, is
    opened, and the project's open *imported* steps it follows are closed by it; steps
    opened on a screen, the API or 我的待办 are never touched. The same in batches of any
    size. Not audited one by one: the contact's own audit record names its step."""
    if not last_of_project:
        return
    ids = sorted(last_of_project)
    known, with_open = {}, set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        stored = [project_id for project_id in chunk if project_id not in noted]
        if stored:
            known.update(db.session.execute(select(Project.id, Project.last_contact_on)
                                            .where(any_of(Project.id, stored))).all())
        with_open.update(db.session.scalars(select(Task.project_id).distinct().where(
            any_of(Task.project_id, chunk), Task.state == OPEN, Task.imported.is_(True))))
    known.update((project_id, noted[project_id]) for project_id in ids if project_id in noted)
    steps, closing = [], []
    for project_id in ids:
        contact_id, row, item = last_of_project[project_id]
        previous = known.get(project_id)
        if previous is not None and previous > row["occurred_on"]:
            continue  # not the project's latest contact: its step is history
        if project_id in with_open:
            closing.append({"project": project_id, "contact": contact_id, "by": item.recorded_by.id})
        if row["next_step"]:
            steps.append(NewTask(project_id, row["zone_id"], row["next_step"], row["next_step_on"],
                                 _step_owner(item), item.recorded_by, contact_id, imported=True))
    _close_imported_steps(closing)
    open_tasks(steps, audited=False)
    refresh_projects(set(last_of_project))


def _close_imported_steps(closing: list[dict]) -> None:
    """Close the open imported steps of the given projects, each by its contact: one
    executemany over the projects that have such steps (most projects of an import have none)."""
    if not closing:
        return
    table = Task.__table__
    statement = (update(table).where(table.c.project_id == bindparam("project"), table.c.state == OPEN,
                                     table.c.imported.is_(True))
                 .values(state=DONE, closed_at=utcnow(), closed_by_contact_id=bindparam("contact"),
                         closed_by_id=bindparam("by")))
    for start in range(0, len(closing), CHUNK):
        db.session.execute(statement, closing[start:start + CHUNK])
    projects = {row["project"] for row in closing}
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Task) and obj.project_id in projects:
            db.session.expire(obj)


def _step_owner(item: ContactInput) -> User:
    if item.next_step_owner is not None:
        return item.next_step_owner
    author = item.recorded_by
    if owner_error(author.role, author.zone_id, author.active, item.project.zone_id) is None:
        return author
    return item.leaders[0]


def _checked(item: ContactInput, today: date) -> dict:
    """The contact's row, once the rules allow it (the same for a screen and an import)."""
    project, occurred_on, form, leaders = item.project, item.occurred_on, item.form, item.leaders
    summary, next_step, next_step_on = item.summary.strip(), item.next_step.strip(), item.next_step_on
    if occurred_on > today:
        raise ContactError("对接日期不能晚于今天", "occurred_on")
    try:
        check_entry_date(occurred_on, today, "occurred_on", "对接日期")
        check_entry_date(next_step_on, today, "next_step_on", "下一步日期")
    except PeriodError as error:
        raise ContactError(str(error), error.field) from None
    if form not in CONTACT_FORMS:
        raise ContactError(f"未知的对接方式：{form}", "form")
    if not summary:
        raise ContactError("请填写对接内容", "summary")
    if not leaders:
        raise ContactError("请至少选择一位参与对接的领导", "leaders")
    for leader in leaders:
        if leader.role != LEADER or leader.zone_id != project.zone_id or not leader.active:
            raise ContactError(f"{leader.name}不是本开发区的在职领导，不能作为对接领导", "leaders")
    if next_step_on is not None and next_step_on < occurred_on:
        raise ContactError("下一步日期不能早于对接日期", "next_step_on")
    if next_step_on is not None and not next_step:
        raise ContactError("填写了下一步日期，请同时填写下一步工作", "next_step")
    owner = item.next_step_owner
    if owner is not None:
        error = owner_error(owner.role, owner.zone_id, owner.active, project.zone_id)
        if error:
            raise ContactError(error, "next_step_owner")
    task = item.closes_task
    if task is not None and (task.project_id != project.id or task.state != OPEN):
        raise ContactError("要完成的下一步不是该项目的待办事项（可能已被完成或改期）", "closes_task")
    return {"zone_id": project.zone_id, "project_id": project.id, "occurred_on": occurred_on, "form": form,
            "summary": summary, "next_step": next_step, "next_step_on": next_step_on,
            "recorded_by_id": item.recorded_by.id}


def _credit(rows: list[dict]) -> None:
    """Upsert the quota summary: keep the earliest contact day per leader, year and project.

    INSERT .. ON CONFLICT keeps it right when two workers log contacts at once. The rows
    carry each key once: PostgreSQL refuses a multi-row upsert that meets a key twice.
    """
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql" and len(rows) > 1:
        # One statement per chunk, the values as arrays: an executemany is a statement per row,
        # and the summary's statement-level triggers (migration 0022) then run once per row too.
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            db.session.execute(_CREDIT_PG, {key: [row[key] for row in chunk] for key in _CREDIT_KEYS})
        return
    statement = _credit_statement(dialect)
    for start in range(0, len(rows), CHUNK):
        db.session.execute(statement, rows[start:start + CHUNK])


_CREDIT_KEYS = ("leader_id", "year", "project_id", "first_contact_on")
# As _credit_statement, for many rows at once, in the order given (the lock order).
_CREDIT_PG = text(
    "INSERT INTO leader_projects (leader_id, year, project_id, first_contact_on) "
    "SELECT v.leader_id, v.year, v.project_id, v.first_contact_on "
    "FROM unnest(:leader_id, :year, :project_id, :first_contact_on) WITH ORDINALITY "
    "AS v(leader_id, year, project_id, first_contact_on, n) ORDER BY v.n "
    "ON CONFLICT (leader_id, year, project_id) DO UPDATE SET first_contact_on = CASE "
    "WHEN excluded.first_contact_on < leader_projects.first_contact_on THEN excluded.first_contact_on "
    "ELSE leader_projects.first_contact_on END"
).bindparams(*(bindparam(key, type_=postgresql.ARRAY(Integer)) for key in _CREDIT_KEYS[:3]),
             bindparam("first_contact_on", type_=postgresql.ARRAY(Date)))


@cache
def _credit_statement(dialect: str):
    # Built once: constructing the statement costs more than running it (an import logs thousands).
    table = LeaderProject.__table__
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    return stmt.on_conflict_do_update(
        index_elements=["leader_id", "year", "project_id"],
        set_={"first_contact_on": case(
            (stmt.excluded.first_contact_on < table.c.first_contact_on, stmt.excluded.first_contact_on),
            else_=table.c.first_contact_on,
        )},
    )


def recount_leader_projects(year: int | None = None) -> None:
    """Rebuild the quota summary from the contacts themselves (operators' repair command)."""
    delete = LeaderProject.__table__.delete()
    rows = (
        select(contact_leaders.c.user_id, year_of(Contact.occurred_on), Contact.project_id,
               func.min(Contact.occurred_on))
        .join(Contact, Contact.id == contact_leaders.c.contact_id)
        .group_by(contact_leaders.c.user_id, year_of(Contact.occurred_on), Contact.project_id)
    )
    if year is not None:
        delete = delete.where(LeaderProject.year == year)
        rows = rows.where(year_of(Contact.occurred_on) == year)
    db.session.execute(delete)
    db.session.execute(LeaderProject.__table__.insert().from_select(
        ["leader_id", "year", "project_id", "first_contact_on"], rows))


def _note_latest_contacts(rows: list[dict]) -> None:
    """Each project's latest contact day, in atomic UPDATEs. (Its next step is no longer the
    latest contact's: contacts open tasks, services.tasks derives the project's.)"""
    if db.session.get_bind().dialect.name == "postgresql":
        # One statement per chunk, the values as two arrays: an UPDATE per project (executemany)
        # cost more than all the rest of writing an import's contacts.
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            db.session.execute(_LATEST_CONTACTS_PG, {"ids": [row["target_id"] for row in chunk],
                                                     "ons": [row["latest_on"] for row in chunk], "now": utcnow()})
    else:
        for start in range(0, len(rows), CHUNK):
            db.session.execute(_latest_contact_statement(), rows[start:start + CHUNK])
    for row in rows:
        project = db.session.identity_map.get(identity_key(Project, row["target_id"]))
        if project is not None:
            db.session.expire(project, ["last_contact_on"])


# As _latest_contact_statement, for many projects at once (each listed once); updated_at as
# the column's onupdate sets it.
_LATEST_CONTACTS_PG = text(
    "UPDATE projects SET last_contact_on = CASE WHEN projects.last_contact_on IS NULL "
    "OR projects.last_contact_on <= v.latest_on THEN v.latest_on ELSE projects.last_contact_on END, "
    "updated_at = :now FROM unnest(:ids, :ons) AS v(id, latest_on) WHERE projects.id = v.id"
).bindparams(bindparam("ids", type_=postgresql.ARRAY(Integer)), bindparam("ons", type_=postgresql.ARRAY(Date)),
             bindparam("now", type_=DateTime))


@cache
def _latest_contact_statement():
    # On the table, not the mapped class: no ORM bookkeeping to do (the project is expired above).
    table = Project.__table__
    on = bindparam("latest_on", type_=Date)
    is_latest = or_(table.c.last_contact_on.is_(None), table.c.last_contact_on <= on)
    return update(table).where(table.c.id == bindparam("target_id")).values(
        last_contact_on=case((is_latest, on), else_=table.c.last_contact_on),
    )
