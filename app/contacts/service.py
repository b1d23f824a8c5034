"""Logging a contact: the record, its leaders, the quota summary and the project's latest
contact, written in one transaction."""
from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy import Date, String, bindparam, case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app import audit
from app.database import year_of
from app.extensions import db
from app.models import CONTACT_FORMS, LEADER, Contact, LeaderProject, Project, User, contact_leaders


class ContactError(ValueError):
    """A contact that cannot be logged as given; the message is for the user, in Chinese.
    `field` names the input at fault (the API reports it)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def log_contact(*, project: Project, occurred_on: date, form: str, summary: str,
                leaders: list[User], recorded_by: User, next_step: str = "",
                next_step_on: date | None = None, today: date | None = None) -> Contact:
    today = today or date.today()
    summary, next_step = summary.strip(), next_step.strip()
    if occurred_on > today:
        raise ContactError("对接日期不能晚于今天", "occurred_on")
    if form not in CONTACT_FORMS:
        raise ContactError(f"未知的对接方式：{form}", "form")
    if not summary:
        raise ContactError("请填写对接内容", "summary")
    if not leaders:
        raise ContactError("请至少选择一位参与对接的领导", "leaders")
    for leader in leaders:
        if leader.role != LEADER or leader.zone_id != project.zone_id:
            raise ContactError(f"{leader.name}不是本开发区的领导，不能作为对接领导", "leaders")
    if next_step_on is not None and next_step_on < occurred_on:
        raise ContactError("下一步日期不能早于对接日期", "next_step_on")
    if next_step_on is not None and not next_step:
        raise ContactError("填写了下一步日期，请同时填写下一步工作", "next_step")

    leader_ids = sorted({l.id for l in leaders})
    contact = Contact(
        zone_id=project.zone_id, project=project, occurred_on=occurred_on, form=form,
        summary=summary, next_step=next_step, next_step_on=next_step_on, recorded_by_id=recorded_by.id,
    )
    db.session.add(contact)
    db.session.flush()
    db.session.execute(contact_leaders.insert(), [
        {"contact_id": contact.id, "user_id": lid, "occurred_on": occurred_on} for lid in leader_ids])
    credit_leaders(leader_ids, project.id, occurred_on)
    _note_latest_contact(contact)
    audit.record("create", "contact", contact.id, zone_id=project.zone_id, user=recorded_by, after={
        "project_id": project.id, "occurred_on": occurred_on, "form": form, "summary": summary,
        "leaders": sorted(l.username for l in leaders), "next_step": next_step,
        "next_step_on": next_step_on,
    })
    return contact


def credit_leaders(leader_ids, project_id: int, occurred_on: date) -> None:
    """Upsert the quota summary: keep the earliest contact day per leader, year and project.

    A single INSERT .. ON CONFLICT keeps it right when two workers log contacts at once.
    """
    if not leader_ids:
        return
    db.session.execute(_credit_statement(db.session.get_bind().dialect.name), [
        {"leader_id": lid, "year": occurred_on.year, "project_id": project_id, "first_contact_on": occurred_on}
        # In id order, so two transactions crediting the same leaders lock their summary rows
        # (and the leader_months rows the triggers update) in the same order: no deadlock.
        for lid in sorted(leader_ids)
    ])


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


def _note_latest_contact(contact: Contact) -> None:
    """The project's latest contact day and the next step it set, in one atomic UPDATE."""
    db.session.execute(_latest_contact_statement(), {
        "target_id": contact.project_id, "latest_on": contact.occurred_on,
        "latest_step": contact.next_step or None, "latest_step_on": contact.next_step_on,
    })
    db.session.expire(contact.project, ["last_contact_on", "next_step", "next_step_on"])


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
