"""Writing a planned import: the rows the plan creates or updates go through the project and
contact services' batch functions (app/services/projects.py write_projects,
app/services/contacts.py log_contacts), five thousand rows at a time.

Planning only decides; the services check each row's rules again, write it and audit it, and
keep the quota summary current, so an imported row obeys exactly what a row typed into a page
or sent to the API obeys. A row the services refuse aborts the whole import (ImportAborted,
naming the sheet and row); the caller owns the transaction and rolls everything back.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import text, update

from app.extensions import db
from app.models import User, Zone
from app.services.contacts import ContactError, ContactInput, log_contacts
from app.services.funds import ArrivalBatchError, ArrivalInput, add_arrivals
from app.services.projects import NewProject, ProjectChange, ProjectError, write_projects

from .planning import ArrivalOp, ContactOp, Pending, Plan, ProjectOp, Written
from .progress_reporter import ProgressReporter

STAGE_NOTE = "导入台账"   # the note on every stage change an import writes
# Rows written per batch: each batch is a few statements per table, and the progress moves on after it.
WRITE_BATCH = 5000


class ImportAborted(RuntimeError):
    """A write that failed midway; nothing of the import is kept. The message is in Chinese."""


def lock_zone(zone_id: int) -> None:
    """One import per zone at a time: a second waits, then plans against what the first wrote."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(7305, :zone)"), {"zone": zone_id})
    else:
        # SQLite has one writer; taking the write lock first serialises imports the same way.
        db.session.execute(update(Zone).where(Zone.id == zone_id).values(code=Zone.code)
                           .execution_options(no_data_change=True))


def apply_plan(plan: Plan, zone: Zone, user: User | None, today: date, progress: ProgressReporter) -> None:
    ops = [op for op in plan.project_ops if op.kind != "unchanged"]
    contacts = [op for op in plan.contact_ops if op.kind == "created"]
    arrivals = [op for op in plan.arrival_ops if op.kind == "created"]
    progress.start("write", len(ops) + len(contacts) + len(arrivals))
    # A new project's latest contact day, from the file's contacts with it: written with the
    # project instead of updated afterwards through every index of the new row.
    latest: dict[int, date] = {}
    for op in contacts:
        if isinstance(op.target, Pending):
            key = id(op.target)
            if key not in latest or latest[key] < op.occurred_on:
                latest[key] = op.occurred_on
    for start in range(0, len(ops), WRITE_BATCH):
        chunk = ops[start:start + WRITE_BATCH]
        _write_projects(chunk, zone, user, today, latest)
        progress.advance(len(chunk))
    # Those projects, with the latest of their contacts written so far (log_contacts' `noted`).
    noted: dict[int, date | None] = {op.pending.project.id: None for op in ops
                                     if op.kind == "created" and id(op.pending) in latest}
    for start in range(0, len(contacts), WRITE_BATCH):
        chunk = contacts[start:start + WRITE_BATCH]
        _write_contacts(chunk, user, today, noted)
        for op in chunk:
            if isinstance(op.target, Pending):
                project_id = op.target.project.id
                if noted[project_id] is None or noted[project_id] < op.occurred_on:
                    noted[project_id] = op.occurred_on
        progress.advance(len(chunk))
    for start in range(0, len(arrivals), WRITE_BATCH):
        chunk = arrivals[start:start + WRITE_BATCH]
        _write_arrivals(chunk, user, today)
        progress.advance(len(chunk))


def _write_projects(ops: list[ProjectOp], zone: Zone, user: User | None, today: date,
                    latest: dict[int, date]) -> None:
    items = []
    for op in ops:
        if op.kind == "created":
            (stage, on), *later = op.stages
            items.append(NewProject(op.data, stage, on, [(s, d, STAGE_NOTE) for s, d in later],
                                    latest.get(id(op.pending))))
        else:
            items.append(ProjectChange(op.project, op.data if op.fields_differ else None,
                                       [(s, d, STAGE_NOTE) for s, d in op.stages]))
    try:
        ids, _ = write_projects(zone.id, items, user, today=today)
    except ProjectError as error:
        row = ops[error.index or 0].row
        raise ImportAborted(f"{row.sheet}第{row.number}行：{error}") from error
    for op, project_id in zip(ops, ids):
        if op.kind == "created":
            op.pending.project = Written(project_id, zone.id)


def _write_contacts(ops: list[ContactOp], user: User | None, today: date, noted: dict) -> None:
    try:
        log_contacts([ContactInput(
            project=op.target.project if isinstance(op.target, Pending) else op.target, occurred_on=op.occurred_on,
            form=op.form, summary=op.summary, leaders=op.leaders, recorded_by=user or op.leaders[0],
            next_step=op.next_step, next_step_on=op.next_step_on) for op in ops], today=today,
            imported=True, noted=noted)
    except ContactError as error:
        op = ops[error.index or 0]
        raise ImportAborted(f"{op.sheet}第{op.number}行：{error}") from error


def _write_arrivals(ops: list[ArrivalOp], user: User | None, today: date) -> None:
    """Through the funds service's batch writer: checked and audited as the project page records one."""
    items = [(op.target.project if isinstance(op.target, Pending) else op.target,
              ArrivalInput(op.arrived_on, op.money, op.arrival_kind, op.source_note, op.voucher_ref)) for op in ops]
    try:
        add_arrivals(items, user, today=today)
    except ArrivalBatchError as error:
        op = ops[error.index]
        raise ImportAborted(f"{op.sheet}第{op.number}行：{error}") from error
