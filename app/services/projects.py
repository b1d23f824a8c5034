"""Writing projects: the ledger entry, its investor, and dated stage changes, audited.

Every write goes through one batch writer, write_projects: it reads what it checks in a
few queries, checks every item before writing any, then writes each table with one
statement per few hundred rows. The single-project functions the screens call are
batches of one, so a screen and an import can never disagree on a rule.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm.util import identity_key

from app import audit
from app.database import any_of, insert_ids
from app.domain.classifications import INDUSTRIES, join_tags, split_tags
from app.domain.counting import is_foreign_origin
from app.domain.errors import UserFacingError
from app.domain.money import Money
from app.domain.names import company_key
from app.domain.period import PeriodError, check_entry_date
from app.domain.project_fields import FieldLimitError, audited_columns, check_text, plain_fields, project_field
from app.domain.pipeline import (LEAD, STAGES, StageDates, StageRecord, check_history, check_stage_change,
                                 correction_conflicts, describe_change, history_dates, in_force, next_stage_dates)
from app.domain.usci import normalize_usci, usci_error
from app.extensions import db
from app.models import LEADER, ORIGINS, Investor, Project, StageChange, User, project_co_leaders
from app.clock import utcnow
from .. import clock

AUDITED_FIELDS = audited_columns()


class ProjectError(UserFacingError):
    """A project that cannot be saved as given."""

    def __init__(self, message: str, field: str | None = None, index: int | None = None):
        super().__init__(message, field)
        self.index = index  # in a batch write, the position of the item refused


class ProjectConflict(ProjectError):
    """The input clashes with data already saved (a project code in use, a stage already reached)."""


@dataclass
class ProjectInput:
    name: str
    investor_name: str = ""
    origin: str = "CN"
    usci: str = ""
    code: str = ""
    industry: str = ""                  # the zone's own wording (电子, 现代食品)
    industry_code: str | None = None    # GB/T 4754-2017 section or division (C, 39)
    tags: str = ""                      # strategic emerging areas, leading industries, joined by 、
    is_manufacturing: bool = False
    is_industrial: bool = False
    total_investment: Money | None = None
    foreign_capital: Money | None = None
    key_level: str | None = None
    planned_on: date | None = None
    leader_id: int | None = None
    # The other leaders in charge, after leader_id, in order; None leaves a project's as they are.
    co_leader_ids: tuple[int, ...] | None = None
    responsible: str = ""
    note: str = ""
    # The declaration's plain text fields (domain.project_fields.plain_fields), by key.
    plain: dict[str, str] = field(default_factory=dict)


@dataclass
class NewProject:
    """A project to create: the ledger entry, the stage it enters at, and later changes of
    stage already known (an imported row at 开工 brings its 签约 and 开工 dates), each
    (stage, date, note)."""
    data: ProjectInput
    stage: str = LEAD
    stage_on: date | None = None
    later: list[tuple[str, date, str]] = field(default_factory=list)
    # The day of its latest contact, when the caller logs its contacts right after it in the
    # same transaction (an import's file holds both): stored at the insert, so that logging
    # them need not update the new row again (log_contacts' `noted`).
    last_contact_on: date | None = None


@dataclass
class ProjectChange:
    """An existing project to save: new values (None leaves them) and changes of stage."""
    project: Project
    data: ProjectInput | None = None
    later: list[tuple[str, date, str]] = field(default_factory=list)


STAGE_FIELDS = ("stage", "signed_on", "started_on", "produced_on", "dropped_on")
DATE_FIELDS = ("stage", "entered_on", "negotiating_on", "signed_on", "started_on", "produced_on", "dropped_on")
# What a save writes (stage columns are written by stage changes only).
SAVED_FIELDS = ("code", "name", "investor_id", "is_foreign", "industry", "industry_code", "tags", "is_manufacturing",
                "is_industrial",
                "total_investment", "total_investment_currency", "foreign_capital", "foreign_capital_currency",
                "key_level", "planned_on", "leader_id", "responsible", "note",
                *(f.key for f in plain_fields()))
# Items per statement: keeps IN lists and multi-row VALUES under both databases' parameter limits.
CHUNK = 500


def create_project(zone_id: int, data: ProjectInput, user: User | None, *, stage: str = LEAD,
                   stage_on: date | None = None, today: date | None = None) -> Project:
    (project_id,), _ = write_projects(zone_id, [NewProject(data, stage, stage_on)], user, today=today)
    return db.session.get(Project, project_id)


def update_project(project: Project, data: ProjectInput, user: User | None, today: date | None = None) -> Project:
    write_projects(project.zone_id, [ProjectChange(project, data)], user, today=today)
    from app.services.notifications import notify_project_changed
    notify_project_changed(project, user, "修改")
    return project


def change_stage(project: Project, new_stage: str, on: date, note: str, user: User | None,
                 today: date | None = None) -> StageChange:
    _, (change_id,) = write_projects(project.zone_id, [ProjectChange(project, None, [(new_stage, on, note)])], user,
                                     today=today)
    from app.services.notifications import notify_project_changed
    notify_project_changed(project, user, f"变更为“{STAGES[new_stage]}”阶段")
    return db.session.get(StageChange, change_id)


def check_change(project: Project, new_stage: str, on: date, note: str, today: date | None = None) -> str:
    """Whether change_stage would accept this change, without writing it: the change in words
    for the confirmation that names it (由“在谈”退回“线索”)."""
    today = today or clock.today()
    _plausible(on, today, "changed_on", "阶段变更日期")
    _next(project.stage_dates(), last_changes({project.id}).get(project.id), new_stage, on, today, note)
    return describe_change(project.stage, new_stage)


class StageConflict(ProjectError):
    """A correction that would turn later entries of the history into steps back or repeats;
    `conflicts` lists them (StageRecord) for the user to correct in the same step, or cancel."""

    def __init__(self, conflicts: list[StageRecord]):
        super().__init__("更正后，以下阶段记录与前后的记录相比会变成退回或重复：" + "、".join(r.label for r in conflicts)
                         + "。请勾选“同时撤销这条记录”一并更正，或取消更正。", "also")
        self.conflicts = conflicts


def correct_stage(project: Project, wrong: StageChange, true_stage: str | None, true_on: date | None, reason: str,
                  user: User, today: date | None = None, also: Iterable[int] = ()) -> StageChange | None:
    """更正: mark a mistaken stage change as corrected and record the true one (if any) with
    its real date, which may be earlier than later changes. The corrected history is checked
    whole: entries it would silently turn into a step back or a repeat raise StageConflict,
    unless the user corrects them in the same step (`also`: entries revoked with the same
    reason). The project's stage and dates are replayed from the history as corrected. Every
    entry corrected and the project's change are audited. Returns the true change."""
    today = today or clock.today()
    reason = (reason or "").strip()
    if wrong.project_id != project.id:
        raise ProjectError("该阶段记录不属于此项目", "change")
    if wrong.corrected_at is not None:
        raise ProjectConflict("该阶段记录已经更正过", "change")
    if not reason:
        raise ProjectError("更正须填写原因", "note")
    if (true_stage is None) != (true_on is None):
        raise ProjectError("请同时填写正确的阶段和日期，或都不填（撤销该记录）", "stage" if true_stage is None else "changed_on")
    if true_stage is not None:
        if true_stage not in STAGES:
            raise ProjectError(f"未知的项目阶段：{true_stage}", "stage")
        _plausible(true_on, today, "changed_on", "阶段变更日期")
    records = stage_records(project.id)
    also = set(also) - {wrong.id}
    if also - {r.id for r in records}:
        raise ProjectConflict("要同时撤销的阶段记录不存在或已经更正过", "also")
    gone = {wrong.id, *also}
    added = StageRecord(true_stage, true_on) if true_stage is not None else None
    conflicts = correction_conflicts(records, wrong.id, added, also)
    if conflicts:
        raise StageConflict(conflicts)
    kept = [r for r in records if r.id not in gone] + ([added] if added else [])
    try:
        check_history([(r.stage, r.on) for r in in_force(kept)], today)
    except ValueError as error:
        raise ProjectError(str(error), getattr(error, "field", None)) from None
    before = project.stage_dates()
    after = history_dates(kept)
    revoked = sorted(db.session.scalars(select(StageChange).where(any_of(StageChange.id, sorted(also)))).all(),
                     key=lambda c: (c.changed_on, c.id)) if also else []
    for change in (wrong, *revoked):
        change.corrected_at, change.corrected_by_id, change.correction_note = utcnow(), user.id, reason[:200]
    true_change = None
    if true_stage is not None:
        true_change = StageChange(project_id=project.id, stage=true_stage, changed_on=true_on,
                                  note=f"更正：{reason}"[:200], recorded_by_id=user.id, corrects_id=wrong.id)
        db.session.add(true_change)
    for name in DATE_FIELDS:
        setattr(project, name, getattr(after, name))
    db.session.flush()
    audit.record_many([
        audit.values("stage_correct", "stage_change", wrong.id, zone_id=project.zone_id, user=user,
                     before={"project_id": project.id, "stage": wrong.stage, "changed_on": wrong.changed_on},
                     after={"corrected": True, "reason": reason,
                            "replaced_by": true_change.id if true_change else None}),
        *(audit.values("stage_correct", "stage_change", change.id, zone_id=project.zone_id, user=user,
                       before={"project_id": project.id, "stage": change.stage, "changed_on": change.changed_on},
                       after={"corrected": True, "reason": reason, "replaced_by": None, "with_correction_of": wrong.id})
          for change in revoked),
        audit.values("stage_change", "project", project.id, zone_id=project.zone_id, user=user,
                     before=_fields(before, STAGE_FIELDS), after=_fields(after, STAGE_FIELDS)),
    ])
    return true_change


def stage_records(project_id: int) -> list[StageRecord]:
    """A project's stage history in force (uncorrected), as the pipeline's rule reads it."""
    return [StageRecord(stage, on, change_id) for change_id, stage, on in db.session.execute(
        select(StageChange.id, StageChange.stage, StageChange.changed_on)
        .where(StageChange.project_id == project_id, StageChange.corrected_at.is_(None)))]


def write_projects(zone_id: int, items: list[NewProject | ProjectChange], user: User | None, *,
                   today: date | None = None) -> tuple[list[int], list[int]]:
    """Create and change a zone's projects, in order, as if one by one: returns the projects'
    ids and the ids of the stage changes written, in order.

    Every item is checked against the rules (and against the items before it) before any is
    written. A refused item raises ProjectError with its `index`. Audited as one `create`
    per new project (as it stood at its entry stage), one `update` per project whose values
    changed (the fields that did) and one `stage_change` per change of stage.
    """
    today = today or clock.today()
    db.session.flush()
    batch = _Batch(zone_id, [item.data for item in items if item.data is not None],
                   [item.project.id for item in items
                    if isinstance(item, ProjectChange) and item.data is not None and item.data.co_leader_ids is not None])
    last_on = last_changes({item.project.id for item in items if isinstance(item, ProjectChange) and item.later})
    plans, deferred = [], []
    for index, item in enumerate(items):
        with _item(index):
            plans.append(_plan(item, batch, last_on, today, user, deferred))
    batch.write_investors()
    new = [plan for plan in plans if plan.project is None]
    ids = insert_ids(Project.__table__, [
        {"zone_id": zone_id, **batch.columns(plan.row), **_fields(plan.dates, DATE_FIELDS),
         "last_contact_on": plan.last_contact_on} for plan in new])
    for plan, project_id in zip(new, ids):
        plan.id = project_id
    _save_changed([plan for plan in plans if plan.project is not None], batch)
    _save_co_leaders(plans, batch, deferred, user)
    change_ids = insert_ids(StageChange.__table__, [_change_row(plan.id, stage, on, note, user)
                                                    for plan in plans for stage, on, note in plan.changes])
    audit.record_many([event for event in (build() for build in deferred) if event is not None])
    return [plan.id for plan in plans], change_ids


@dataclass
class _Plan:
    """What one item writes, once checked; `project` is None for a new one."""
    id: int | None
    project: Project | None
    row: dict | None
    dates: StageDates
    changes: list[tuple[str, date, str]]
    last_contact_on: date | None = None


def _plan(item, batch: "_Batch", last_on: dict, today: date, user: User | None, deferred: list) -> _Plan:
    """Check one item against the rules and the items before it; its audit records are added
    to `deferred`, built once the ids they name are known."""
    zone_id = batch.zone_id
    if isinstance(item, NewProject):
        row = batch.row(item.data, None, None, today)
        if item.stage not in STAGES:
            raise ProjectError(f"未知的项目阶段：{item.stage}", "stage")
        stage_on = item.stage_on or today
        _plausible(stage_on, today, "stage_on", "阶段日期")
        if stage_on > today:
            raise ProjectError("阶段日期不能晚于今天", "stage_on")
        dates = next_stage_dates(StageDates(LEAD), item.stage, stage_on)
        plan = _Plan(None, None, row, dates, [(item.stage, stage_on, "录入台账")], item.last_contact_on)
        # As it stood when entered: its first stage, its investor's origin at this item.
        deferred.append(lambda: audit.values("create", "project", plan.id, zone_id=zone_id, **_who(user),
                                             after={**_ordered({**batch.columns(row), "is_foreign": row["is_foreign"],
                                                                **_fields(dates, DATE_FIELDS)}),
                                                    **({"co_leader_ids": list(row["co_leader_ids"])}
                                                       if row["co_leader_ids"] else {})}))
        last = stage_on
    else:
        project = item.project
        plan = _Plan(project.id, project, None, project.stage_dates(), [])
        if item.data is not None:
            before = audit.snapshot(project, AUDITED_FIELDS)
            # An earlier item may have changed this project's investor's origin, and so its flag.
            investor = batch.by_id.get(project.investor_id)
            if investor is not None and investor.origin != investor.stored[0]:
                before["is_foreign"] = is_foreign_origin(investor.origin)
            row = plan.row = batch.row(item.data, project.id, before["planned_on"], today, before["code"],
                                       before["leader_id"])

            def updated(project=project, row=row, before=before):
                after = {**before, **batch.columns(row), "is_foreign": row["is_foreign"]}
                changed = [k for k in AUDITED_FIELDS if after[k] != before[k]]
                if changed:
                    return audit.values("update", "project", project.id, zone_id=project.zone_id, **_who(user),
                                        before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
            deferred.append(updated)
        last = last_on.get(project.id)
    for new_stage, on, note in item.later:
        _plausible(on, today, "changed_on", "阶段变更日期")
        before_dates = plan.dates
        plan.dates = _next(before_dates, last, new_stage, on, today, note)
        plan.changes.append((new_stage, on, note.strip()))
        last = on
        deferred.append(lambda b=before_dates, a=plan.dates: _stage_event(plan.id, zone_id, b, a, user))
    return plan


def _co_leaders(project_ids) -> dict[int, tuple[int, ...]]:
    """The co-leaders of the given projects, in order."""
    found: dict[int, list[int]] = {}
    ids = sorted(set(project_ids))
    for start in range(0, len(ids), CHUNK):
        for project_id, user_id in db.session.execute(
                select(project_co_leaders.c.project_id, project_co_leaders.c.user_id)
                .where(any_of(project_co_leaders.c.project_id, ids[start:start + CHUNK]))
                .order_by(project_co_leaders.c.project_id, project_co_leaders.c.position)):
            found.setdefault(project_id, []).append(user_id)
    return {k: tuple(v) for k, v in found.items()}


def _save_co_leaders(plans: list["_Plan"], batch: "_Batch", deferred: list, user: User | None) -> None:
    """Replace the co-leaders of the projects whose item names them, when they differ; audited."""
    table = project_co_leaders
    changed = [(plan, plan.row["co_leader_ids"]) for plan in plans
               if plan.row is not None and plan.row["co_leader_ids"] is not None
               and plan.row["co_leader_ids"] != batch.co_leaders.get(plan.id, ())]
    ids = [plan.id for plan, _ in changed if plan.project is not None]
    for start in range(0, len(ids), CHUNK):
        db.session.execute(table.delete().where(any_of(table.c.project_id, ids[start:start + CHUNK])))
    rows = [{"project_id": plan.id, "user_id": user_id, "position": n + 1}
            for plan, co in changed for n, user_id in enumerate(co)]
    for start in range(0, len(rows), CHUNK):
        db.session.execute(table.insert(), rows[start:start + CHUNK])
    for plan, co in changed:
        if plan.project is not None:
            db.session.expire(plan.project, ["co_leaders"])
            deferred.append(lambda plan=plan, co=co: audit.values(
                "update", "project", plan.id, zone_id=batch.zone_id, **_who(user),
                before={"co_leader_ids": list(batch.co_leaders.get(plan.id, ()))}, after={"co_leader_ids": list(co)}))


def _ordered(values: dict) -> dict:
    return {k: values[k] for k in AUDITED_FIELDS}


def _save_changed(plans: list[_Plan], batch: "_Batch") -> None:
    """Write existing projects' new values and stage dates; an unchanged project is not written."""
    groups: dict[tuple, list[dict]] = {}
    for plan in plans:
        values = {}
        if plan.row is not None:
            columns = batch.columns(plan.row)
            if any(columns[k] != getattr(plan.project, k) for k in SAVED_FIELDS):
                values.update(columns)
        if plan.changes:
            values.update(_fields(plan.dates, DATE_FIELDS))
        if values:
            groups.setdefault(tuple(values), []).append({"project_id": plan.id, **values})
        db.session.expire(plan.project, [*SAVED_FIELDS, *DATE_FIELDS, "investor", "stage_changes", "updated_at"])
    table = Project.__table__
    statement = update(table).where(table.c.id == bindparam("project_id"))
    for rows in groups.values():
        for start in range(0, len(rows), CHUNK):
            db.session.execute(statement, rows[start:start + CHUNK])


@contextmanager
def _item(index: int):
    try:
        yield
    except ProjectError as error:
        error.index = index
        raise


def _next(dates: StageDates, last_on: date | None, new_stage: str, on: date, today: date,
          note: str | None = None) -> StageDates:
    try:
        check_stage_change(dates.stage, new_stage, on, last_on, today, note)
    except ValueError as error:
        kind = ProjectConflict if new_stage == dates.stage else ProjectError
        raise kind(str(error), getattr(error, "field", None)) from None
    return next_stage_dates(dates, new_stage, on)


def last_changes(project_ids: set[int] = frozenset(), zone_id: int | None = None) -> dict[int, date]:
    """Each project's latest change of stage in force (uncorrected: domain.pipeline's
    last_change_on), for the given projects or a whole zone: a new change may not be dated
    before it. The screens and the import both read it here."""
    latest = (select(StageChange.project_id, func.max(StageChange.changed_on))
              .where(StageChange.corrected_at.is_(None)).group_by(StageChange.project_id))
    if zone_id is not None:
        return dict(db.session.execute(latest.join(Project, Project.id == StageChange.project_id)
                                       .where(Project.zone_id == zone_id)).all())
    found = {}
    ids = sorted(project_ids)
    for start in range(0, len(ids), CHUNK):
        found.update(db.session.execute(latest.where(any_of(StageChange.project_id, ids[start:start + CHUNK]))).all())
    return found


def _fields(dates: StageDates, names) -> dict:
    return {name: getattr(dates, name) for name in names}


def _change_row(project_id: int, stage: str, on: date, note: str, user: User | None) -> dict:
    return {"project_id": project_id, "stage": stage, "changed_on": on, "note": note,
            "recorded_by_id": user.id if user else None}


def _stage_event(project_id: int, zone_id: int, before: StageDates, after: StageDates, user: User | None) -> dict:
    return audit.values("stage_change", "project", project_id, before=_fields(before, STAGE_FIELDS),
                        after=_fields(after, STAGE_FIELDS), zone_id=zone_id, **_who(user))


@dataclass
class _Investor:
    zone_id: int
    name: str
    origin: str
    usci: str | None
    id: int | None = None
    stored: tuple | None = None   # (origin, usci) as the database holds them; None for a new investor


class _Batch:
    """What saving a batch of projects checks against, read once: the project codes in use,
    the leaders named and the investors named. Investors are kept here as the items change
    them and written once, after every item has been checked."""

    def __init__(self, zone_id: int, inputs: list[ProjectInput], project_ids: list[int] = ()):
        self.zone_id = zone_id
        codes = sorted({d.code.strip() for d in inputs if d.code.strip()})
        names = sorted({d.investor_name.strip() for d in inputs if d.investor_name.strip()})
        leader_ids = sorted({d.leader_id for d in inputs if d.leader_id is not None}
                            | {i for d in inputs for i in (d.co_leader_ids or ())})
        self.codes: dict[str, object] = {}
        self.investors: dict[str, _Investor] = {}
        self.leaders: dict[int, User] = {}
        for start in range(0, max(len(codes), len(names), len(leader_ids)), CHUNK):
            if codes[start:start + CHUNK]:
                self.codes.update(db.session.execute(select(Project.code, Project.id).where(
                    Project.zone_id == zone_id, any_of(Project.code, codes[start:start + CHUNK]))).all())
            if names[start:start + CHUNK]:
                for i in db.session.execute(select(Investor.id, Investor.name, Investor.origin, Investor.usci).where(
                        Investor.zone_id == zone_id, any_of(Investor.name, names[start:start + CHUNK]))):
                    self.investors[i.name] = _Investor(zone_id, i.name, i.origin, i.usci, i.id, (i.origin, i.usci))
            if leader_ids[start:start + CHUNK]:
                self.leaders.update((u.id, u) for u in db.session.scalars(
                    select(User).where(any_of(User.id, leader_ids[start:start + CHUNK]))))
        self.by_id = {i.id: i for i in self.investors.values()}
        self.co_leaders = _co_leaders(project_ids)

    def row(self, data: ProjectInput, project_id: int | None, planned_on: date | None, today: date,
            old_code: str | None = None, old_leader_id: int | None = None) -> dict:
        """The project's columns as `data` sets them, checked; the investor as an _Investor.
        A leader who has left may stay on the projects they led, but no project is given one."""
        zone_id = self.zone_id
        try:  # the limits of every text field, as domain.project_fields declares them
            name, code, responsible, note = (check_text(key, getattr(data, key))
                                             for key in ("name", "code", "responsible", "note"))
            check_text("investor_name", data.investor_name)
            plain = {f.key: check_text(f.key, data.plain.get(f.key, "")) for f in plain_fields()}
        except FieldLimitError as error:
            raise ProjectError(str(error), error.field) from None
        code = code or None
        owner = self.codes.get(code) if code is not None else None
        if owner is not None and (project_id is None or owner != project_id):
            raise ProjectConflict(f"项目编号“{code}”已被本区其他项目使用", "code")
        if data.leader_id is not None:
            leader = self.leaders.get(data.leader_id)
            if leader is None or leader.role != LEADER or leader.zone_id != zone_id:
                raise ProjectError("分包领导须为本开发区的领导", "leader_id")
            if not leader.active and data.leader_id != old_leader_id:
                raise ProjectError(f"{leader.name}已停用，不能担任分包领导", "leader_id")
        if data.planned_on != planned_on:  # a date kept from before the rule is not refused again
            _plausible(data.planned_on, today, "planned_on", "谋划日期")
        co_leader_ids = None
        if data.co_leader_ids is not None:
            if data.co_leader_ids and data.leader_id is None:
                raise ProjectError("有多位分包领导时，请先指定第一位", "leader_id")
            co_leader_ids = tuple(dict.fromkeys(i for i in data.co_leader_ids if i != data.leader_id))
            for co_id in co_leader_ids:
                leader = self.leaders.get(co_id)
                if leader is None or leader.role != LEADER or leader.zone_id != zone_id:
                    raise ProjectError("分包领导须为本开发区的领导", "leader_id")
                if not leader.active and co_id not in self.co_leaders.get(project_id, ()):
                    raise ProjectError(f"{leader.name}已停用，不能担任分包领导", "leader_id")
        if data.total_investment is not None and data.total_investment.currency != "CNY":
            raise ProjectError("总投资以人民币万元填写", "total_investment")
        industry_code = (data.industry_code or "").strip().upper() or None
        if industry_code is not None and industry_code not in INDUSTRIES:
            raise ProjectError(f"未知的行业代码：{industry_code}（应为 GB/T 4754-2017 的门类或大类代码）", "industry_code")
        industry = (data.industry or "").strip()
        if industry == "其他" and industry_code is None:
            industry = ""   # the old label for "no industry": blank wording, no code
        try:
            industry = check_text("industry", industry)
            tags = check_text("tags", join_tags(split_tags(data.tags)))
        except FieldLimitError as error:
            raise ProjectError(str(error), error.field) from None
        for key in ("total_investment", "foreign_capital"):
            money = getattr(data, key)
            if money is not None and money.amount < 0:
                raise ProjectError(f"{project_field(key).label}不能为负数", key)
        investor = self._investor(data)
        # The code is taken from here on: a later item of the batch may not take it too.
        if old_code and old_code != code and self.codes.get(old_code) == project_id:
            del self.codes[old_code]
        if code is not None:
            self.codes[code] = project_id if project_id is not None else object()
        return {
            "code": code, "name": name, "investor": investor,
            "is_foreign": investor is not None and is_foreign_origin(investor.origin),
            "industry": industry, "industry_code": industry_code, "tags": tags,
            "is_manufacturing": data.is_manufacturing,
            "is_industrial": data.is_industrial,
            "total_investment": data.total_investment.amount if data.total_investment else None,
            "total_investment_currency": "CNY",
            "foreign_capital": data.foreign_capital.amount if data.foreign_capital else None,
            "foreign_capital_currency": data.foreign_capital.currency if data.foreign_capital else "USD",
            "key_level": data.key_level or None, "planned_on": data.planned_on or planned_on or today,
            "leader_id": data.leader_id, "responsible": responsible, "note": note,
            "co_leader_ids": co_leader_ids, **plain,
        }

    def _investor(self, data: ProjectInput) -> _Investor | None:
        name = data.investor_name.strip()
        if not name:
            return None
        usci = normalize_usci(data.usci) if data.usci.strip() else None
        if usci is not None:
            error = usci_error(usci)
            if error:
                raise ProjectError(error, "usci")
        origin = (data.origin or "CN").strip().upper()
        if origin not in ORIGINS:
            raise ProjectError(f"未知的国别或地区代码：{origin}", "origin")
        investor = self.investors.get(name)
        if investor is None:
            investor = self.investors[name] = _Investor(self.zone_id, name, "CN", None)
        investor.origin = origin
        if usci is not None:
            investor.usci = usci
        return investor

    def columns(self, row: dict) -> dict:
        """The row as written: the investor's id, and its origin as the batch leaves it (the
        investor's every project follows its origin, as `write_investors` does for the others)."""
        investor = row["investor"]
        values = {k: row[k] for k in SAVED_FIELDS if k != "investor_id"}
        values["investor_id"] = investor.id if investor else None
        values["is_foreign"] = investor is not None and is_foreign_origin(investor.origin)
        return values

    def write_investors(self) -> None:
        new = [i for i in self.investors.values() if i.stored is None]
        table = Investor.__table__
        # The key can be longer than the name (NFKC expands some characters); it is only compared.
        ids = insert_ids(table, [{"zone_id": i.zone_id, "name": i.name, "name_key": company_key(i.name)[:200],
                                  "origin": i.origin, "usci": i.usci} for i in new])
        for investor, investor_id in zip(new, ids):
            investor.id, investor.stored = investor_id, (investor.origin, investor.usci)
        changed = [i for i in self.investors.values() if i.stored != (i.origin, i.usci)]
        if not changed:
            return
        db.session.execute(update(table).where(table.c.id == bindparam("investor_id")),
                           [{"investor_id": i.id, "origin": i.origin, "usci": i.usci} for i in changed])
        for flag in (True, False):
            # The investor's other projects change between foreign and domestic with it.
            ids = [i.id for i in changed if i.stored[0] != i.origin and is_foreign_origin(i.origin) == flag]
            for start in range(0, len(ids), CHUNK):
                db.session.execute(update(Project).where(any_of(Project.investor_id, ids[start:start + CHUNK]))
                                   .values(is_foreign=flag))
        for investor in changed:
            investor.stored = (investor.origin, investor.usci)
            obj = db.session.identity_map.get(identity_key(Investor, investor.id))
            if obj is not None:
                db.session.expire(obj, ["origin", "usci"])


def _plausible(day: date | None, today: date, field: str, label: str) -> None:
    try:
        check_entry_date(day, today, field, label)
    except PeriodError as error:
        raise ProjectError(str(error), field) from None


def _who(user: User | None) -> dict:
    return {} if user is None else {"user": user}
