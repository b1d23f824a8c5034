"""Logging a contact: the record, its leaders, the quota summary and the project's latest
contact, written in one transaction."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Date, String, bindparam, case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.util import identity_key

from app import audit
from app.database import insert_ids, year_of
from app.domain.errors import UserFacingError
from app.domain.period import PeriodError, check_entry_date
from app.extensions import db
from app.models import CONTACT_FORMS, LEADER, Contact, LeaderProject, Project, User, contact_leaders
from app.services.projects import CHUNK


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


def log_contact(*, project: Project, occurred_on: date, form: str, summary: str,
                leaders: list[User], recorded_by: User, next_step: str = "",
                next_step_on: date | None = None, today: date | None = None) -> Contact:
    (contact_id,) = log_contacts([ContactInput(project, occurred_on, form, summary, leaders, recorded_by,
                                               next_step, next_step_on)], today=today)
    return db.session.get(Contact, contact_id)


def log_contacts(items: list[ContactInput], *, today: date | None = None) -> list[int]:
    """Log contacts: the records, their leaders, the quota summary, each project's latest
    contact, and one audit record each; returns their ids in order. Every item is checked
    before any is written; a refused one raises ContactError with its `index`."""
    today = today or date.today()
    rows = []
    for index, item in enumerate(items):
        try:
            rows.append(_checked(item, today))
        except ContactError as error:
            error.index = index
            raise
    db.session.flush()
    ids = insert_ids(Contact.__table__, rows)
    links, credits, latest, events = [], {}, {}, []
    for contact_id, row, item in zip(ids, rows, items):
        on, project_id = row["occurred_on"], row["project_id"]
        leader_ids = sorted({l.id for l in item.leaders})
        links += [{"contact_id": contact_id, "user_id": lid, "occurred_on": on} for lid in leader_ids]
        for lid in leader_ids:
            key = (lid, on.year, project_id)
            credits[key] = min(on, credits.get(key, on))
        # Contacts are applied in order: the latest day wins, and the later of two on one day.
        if project_id not in latest or latest[project_id]["latest_on"] <= on:
            latest[project_id] = {"target_id": project_id, "latest_on": on, "latest_step": row["next_step"] or None,
                                  "latest_step_on": row["next_step_on"]}
        events.append(audit.values("create", "contact", contact_id, zone_id=row["zone_id"], user=item.recorded_by,
                                   after={"project_id": project_id, "occurred_on": on, "form": row["form"],
                                          "summary": row["summary"],
                                          "leaders": sorted(l.username for l in item.leaders),
                                          "next_step": row["next_step"], "next_step_on": row["next_step_on"]}))
    for start in range(0, len(links), CHUNK):
        db.session.execute(contact_leaders.insert(), links[start:start + CHUNK])
    # In key order, so two transactions crediting the same leaders lock their summary rows (and
    # the leader_months rows its triggers update) in the same order: no deadlock.
    _credit([{"leader_id": lid, "year": year, "project_id": pid, "first_contact_on": on}
             for (lid, year, pid), on in sorted(credits.items())])
    _note_latest_contacts(list(latest.values()))
    audit.record_many(events)
    return ids


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
    return {"zone_id": project.zone_id, "project_id": project.id, "occurred_on": occurred_on, "form": form,
            "summary": summary, "next_step": next_step, "next_step_on": next_step_on,
            "recorded_by_id": item.recorded_by.id}


def _credit(rows: list[dict]) -> None:
    """Upsert the quota summary: keep the earliest contact day per leader, year and project.

    INSERT .. ON CONFLICT keeps it right when two workers log contacts at once. The rows
    carry each key once: PostgreSQL refuses a multi-row upsert that meets a key twice.
    """
    statement = _credit_statement(db.session.get_bind().dialect.name)
    for start in range(0, len(rows), CHUNK):
        db.session.execute(statement, rows[start:start + CHUNK])


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
    """Each project's latest contact day and the next step it set, in atomic UPDATEs."""
    for start in range(0, len(rows), CHUNK):
        db.session.execute(_latest_contact_statement(), rows[start:start + CHUNK])
    for row in rows:
        project = db.session.identity_map.get(identity_key(Project, row["target_id"]))
        if project is not None:
            db.session.expire(project, ["last_contact_on", "next_step", "next_step_on"])


@cache
def _latest_contact_statement():
    # On the table, not the mapped class: no ORM bookkeeping to do (the project is expired above).
    table = Project.__table__
    on = bindparam("latest_on", type_=Date)
    is_latest = or_(table.c.last_contact_on.is_(None), table.c.last_contact_on <= on)
    return update(table).where(table.c.id == bindparam("target_id")).values(
        last_contact_on=case((is_latest, on), else_=table.c.last_contact_on),
        next_step=case((is_latest, bindparam("latest_step", type_=String)), else_=table.c.next_step),
        next_step_on=case((is_latest, bindparam("latest_step_on", type_=Date)), else_=table.c.next_step_on),
    )
