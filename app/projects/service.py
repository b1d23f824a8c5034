"""Writing projects: the ledger entry, its investor, and dated stage changes, audited."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update

from app import audit
from app.domain.counting import is_foreign_origin
from app.domain.money import Money
from app.domain.names import company_key
from app.domain.pipeline import STAGES, check_stage_change, stage_dates
from app.domain.usci import normalize_usci, usci_error
from app.extensions import db
from app.models import LEADER, ORIGINS, Investor, Project, StageChange, User

AUDITED_FIELDS = (
    "code", "name", "investor_id", "is_foreign", "industry", "is_manufacturing", "is_industrial",
    "total_investment", "total_investment_currency", "foreign_capital",
    "foreign_capital_currency", "key_level", "planned_on", "leader_id", "responsible",
    "note", "stage", "signed_on", "started_on", "produced_on", "dropped_on",
)


class ProjectError(ValueError):
    """A project that cannot be saved as given; the message is for the user, in Chinese.
    `field` names the input at fault when there is one (the API reports it)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class ProjectConflict(ProjectError):
    """The input clashes with data already saved (a project code in use, a stage already reached)."""


@dataclass
class ProjectInput:
    name: str
    investor_name: str = ""
    origin: str = "CN"
    usci: str = ""
    code: str = ""
    industry: str = "其他"
    is_manufacturing: bool = False
    is_industrial: bool = False
    total_investment: Money | None = None
    foreign_capital: Money | None = None
    key_level: str | None = None
    planned_on: date | None = None
    leader_id: int | None = None
    responsible: str = ""
    note: str = ""


def create_project(zone_id: int, data: ProjectInput, user: User | None, *, stage: str = "lead",
                   stage_on: date | None = None, today: date | None = None) -> Project:
    today = today or date.today()
    project = Project(zone_id=zone_id, stage=stage)
    _apply(project, data, today)
    if stage not in STAGES:
        raise ProjectError(f"未知的项目阶段：{stage}", "stage")
    stage_on = stage_on or today
    if stage_on > today:
        raise ProjectError("阶段日期不能晚于今天", "stage_on")
    project.stage_changes.append(
        StageChange(stage=stage, changed_on=stage_on, note="录入台账", recorded_by_id=user.id if user else None)
    )
    _replay_stages(project)
    db.session.add(project)
    db.session.flush()
    audit.record("create", "project", project.id, after=audit.snapshot(project, AUDITED_FIELDS),
                 zone_id=zone_id, **_who(user))
    return project


def update_project(project: Project, data: ProjectInput, user: User | None, today: date | None = None) -> Project:
    before = audit.snapshot(project, AUDITED_FIELDS)
    _apply(project, data, today or date.today())
    db.session.flush()
    after = audit.snapshot(project, AUDITED_FIELDS)
    changed = {k for k in after if after[k] != before[k]}
    if changed:
        audit.record("update", "project", project.id,
                     before={k: before[k] for k in changed}, after={k: after[k] for k in changed},
                     zone_id=project.zone_id, **_who(user))
    return project


def change_stage(project: Project, new_stage: str, on: date, note: str, user: User | None,
                 today: date | None = None) -> StageChange:
    history = project.stage_changes
    last_on = history[-1].changed_on if history else None
    try:
        check_stage_change(project.stage, new_stage, on, last_on, today or date.today())
    except ValueError as error:
        kind = ProjectConflict if new_stage == project.stage else ProjectError
        raise kind(str(error), getattr(error, "field", None)) from None
    before = audit.snapshot(project, ("stage", "signed_on", "started_on", "produced_on", "dropped_on"))
    change = StageChange(stage=new_stage, changed_on=on, note=note.strip(), recorded_by_id=user.id if user else None)
    project.stage_changes.append(change)
    _replay_stages(project)
    db.session.flush()
    audit.record("stage_change", "project", project.id, before=before,
                 after=audit.snapshot(project, tuple(before)), zone_id=project.zone_id, **_who(user))
    return change


def _replay_stages(project: Project) -> None:
    dates = stage_dates((c.stage, c.changed_on) for c in project.stage_changes)
    project.stage = dates.stage
    project.entered_on = dates.entered_on
    project.negotiating_on = dates.negotiating_on
    project.signed_on = dates.signed_on
    project.started_on = dates.started_on
    project.produced_on = dates.produced_on
    project.dropped_on = dates.dropped_on


def _apply(project: Project, data: ProjectInput, today: date) -> None:
    name = data.name.strip()
    if not name:
        raise ProjectError("请填写项目名称", "name")
    code = data.code.strip() or None
    if code is not None:
        clash = db.session.scalar(select(Project.id).where(
            Project.zone_id == project.zone_id, Project.code == code, Project.id != project.id))
        if clash is not None:
            raise ProjectConflict(f"项目编号“{code}”已被本区其他项目使用", "code")
    if data.leader_id is not None:
        leader = db.session.get(User, data.leader_id)
        if leader is None or leader.role != LEADER or leader.zone_id != project.zone_id:
            raise ProjectError("分包领导须为本开发区的领导", "leader_id")
    if data.total_investment is not None and data.total_investment.currency != "CNY":
        raise ProjectError("总投资以人民币万元填写", "total_investment")
    project.name = name
    project.code = code
    project.investor = _investor(project.zone_id, data)
    project.is_foreign = project.investor is not None and project.investor.is_foreign
    project.industry = data.industry or "其他"
    project.is_manufacturing = data.is_manufacturing
    project.is_industrial = data.is_industrial
    project.total_investment = data.total_investment.amount if data.total_investment else None
    project.total_investment_currency = "CNY"
    project.foreign_capital = data.foreign_capital.amount if data.foreign_capital else None
    project.foreign_capital_currency = data.foreign_capital.currency if data.foreign_capital else "USD"
    project.key_level = data.key_level or None
    project.planned_on = data.planned_on or project.planned_on or today
    project.leader_id = data.leader_id
    project.responsible = data.responsible.strip()
    project.note = data.note.strip()


def _investor(zone_id: int, data: ProjectInput) -> Investor | None:
    name = data.investor_name.strip()
    if not name:
        return None
    usci = normalize_usci(data.usci) if data.usci.strip() else None
    if usci is not None:
        error = usci_error(usci)
        if error:
            raise ProjectError(error, "usci")
    investor = db.session.scalar(select(Investor).where(Investor.zone_id == zone_id, Investor.name == name))
    if investor is None:
        # The key can be longer than the name (NFKC expands some characters); it is only compared.
        investor = Investor(zone_id=zone_id, name=name, name_key=company_key(name)[:200])
        db.session.add(investor)
    origin = (data.origin or "CN").strip().upper()
    if origin not in ORIGINS:
        raise ProjectError(f"未知的国别或地区代码：{origin}", "origin")
    if investor.id is not None and investor.origin != origin:
        # The investor's other projects change between foreign and domestic with it.
        db.session.execute(update(Project).where(Project.investor_id == investor.id)
                           .values(is_foreign=is_foreign_origin(origin)))
    investor.origin = origin
    if usci is not None:
        investor.usci = usci
    return investor


def _who(user: User | None) -> dict:
    return {} if user is None else {"user": user}
