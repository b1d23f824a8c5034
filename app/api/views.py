"""The API's endpoints. Reads are scoped like the pages (a zone role reaches only its own
zone; another zone's rows answer 404; an issued bulletin shows a zone its own tier, as its
page does); writes go through the same services as the pages
(create_project, update_project, change_stage, log_contact, save_targets), which audit."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from flask import g, request, url_for

from app.auth.access import PUBLIC
from app.services import kept_forms
from app.services.contacts import ContactError, log_contact
from app.domain.money import UNITS, Money, read_money
from app.domain.period import PeriodError, reporting_period
from app.domain.pipeline import STAGES
from app.domain.project_fields import plain_fields
from app.domain.metrics import label as metric_label
from app.domain.pacing import one_decimal
from app.domain.ranking import movement_label
from app.extensions import db
from app.models import ADMIN, BUREAU, LEADER, ORIGINS, ROLES, STAFF, Contact, Project, User, Zone
from app.domain.classifications import UnknownWord
from app.queries import bulletins
from app.queries.reference import vocabularies
from app.queries.ledger import (ContactFilters, ProjectFilters, all_zones, contact_list, leaders_by_zone,
                                project_list, stage_history, zone_leaders)
from app.queries.duplicates import likely_duplicates
from app.queries.paging import page_of
from app.queries.progress import build_progress, rates_for
from app.queries.reference import target_rows
from app.queries.scope import get_in_scope, sees
from app.services.projects import (ProjectConflict, ProjectError, ProjectInput, change_stage, create_project,
                                  update_project)
from app.services.reference import ReferenceDataError, TargetInput, save_targets
from app.domain.funds import FundsError
from app.models import FundsArrival
from app.queries.money import monthly_rows, project_arrivals, project_funds
from app.services.funds import ArrivalInput, MonthlyInput, add_arrival, report_month

from . import bp
from . import schemas as S
from .errors import ApiError
from .spec import openapi, operation
from .. import clock

ZONE_READERS = (LEADER, STAFF, BUREAU)
WRITERS = (LEADER, STAFF)

# Service field names → the API's.
CONTACT_FIELDS = {"leaders": "leader_usernames"}


def _user() -> User:
    return g.api_user


def _in_scope(model, object_id: int):
    """The row, or 404 when it does not exist or belongs to another zone (as pages answer)."""
    obj = get_in_scope(model, object_id, _user())
    if obj is None:
        raise ApiError("not_found")
    return obj


def _service_error(error: ProjectError | ContactError, names: dict[str, str]) -> ApiError:
    field = names.get(error.field, error.field) if error.field else "body"
    if isinstance(error, ProjectConflict):
        return ApiError("conflict", str(error), {field: str(error)})
    return ApiError("validation_error", fields={field: str(error)})


def _page(query, page: int, per_page: int):
    result = page_of(query, page, per_page)
    return result.items, {"page": result.page, "per_page": result.per_page, "total": result.total,
                          "pages": result.pages}


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc)


def _zone_ref(zone: Zone) -> S.ZoneRef:
    return S.ZoneRef(id=zone.id, code=zone.code, name=zone.name)


def _person(user: User | None) -> S.PersonRef | None:
    return None if user is None else S.PersonRef(username=user.username, name=user.name)


# ---------------------------------------------------------------- description, account

@operation(bp, "GET", "/openapi.json", summary="OpenAPI 描述", tag="说明文档", roles=PUBLIC,
           description="本文档（OpenAPI 3.1），由接口校验所用的同一组模型生成。")
def openapi_document():
    return openapi()


@operation(bp, "GET", "/me", summary="当前用户", tag="账号", roles=tuple(ROLES), response=S.Me,
           description="令牌所属用户、角色与开发区。可用来检查令牌是否有效。")
def me():
    user = _user()
    return S.Me(username=user.username, name=user.name, role=user.role, role_label=user.role_label,
                zone=_zone_ref(user.zone) if user.zone else None)


# ---------------------------------------------------------------- zones

def _zone_out(zone: Zone, leaders: list[User]) -> S.ZoneOut:
    return S.ZoneOut(id=zone.id, code=zone.code, name=zone.name, county=zone.county, kind=zone.kind,
                     level=zone.level, tier=zone.tier, leaders=[_person(l) for l in leaders])


@operation(bp, "GET", "/zones", summary="开发区列表", tag="开发区", roles=(LEADER, STAFF, BUREAU, ADMIN),
           response=S.ZoneList, description="开发区角色只看到本开发区。")
def zones():
    zone_list = all_zones(_user())
    leaders = leaders_by_zone([z.id for z in zone_list])
    return S.ZoneList(items=[_zone_out(z, leaders.get(z.id, [])) for z in zone_list])


@operation(bp, "GET", "/zones/{zone_id}", summary="开发区详情", tag="开发区", roles=(LEADER, STAFF, BUREAU, ADMIN),
           response=S.ZoneOut, description="其他开发区对开发区角色返回 404。")
def zone(zone_id: int):
    z = _in_scope(Zone, zone_id)
    return _zone_out(z, leaders_by_zone([z.id]).get(z.id, []))


# ---------------------------------------------------------------- projects

def _industry_code(wording: str) -> str | None:
    """The code an industry wording reads as (the import's synonyms); None when it reads as none."""
    if not wording.strip():
        return None
    try:
        return vocabularies()["industry"].resolve(wording).value or None
    except UnknownWord:
        return None


def _project_out(p: Project, cls=S.ProjectOut, **extra):
    investor = p.investor
    return cls(
        id=p.id, zone=_zone_ref(p.zone), code=p.code, name=p.name,
        investor=None if investor is None else S.InvestorOut(
            name=investor.name, origin=investor.origin, origin_label=ORIGINS.get(investor.origin, investor.origin),
            usci=investor.usci),
        is_foreign=p.is_foreign, industry=p.industry, industry_code=p.industry_code,
        industry_name=p.industry_label, tags=p.tag_list, is_manufacturing=p.is_manufacturing,
        is_industrial=p.is_industrial, total_investment_cny=_amount(p.total_investment),
        foreign_capital_amount=_amount(p.foreign_capital), foreign_capital_currency=p.foreign_capital_currency,
        key_level=p.key_level, planned_on=p.planned_on, leader=_person(p.leader),
        leaders=[_person(u) for u in p.leaders], responsible=p.responsible,
        note=p.note, stage=p.stage, stage_label=STAGES[p.stage], entered_on=p.entered_on,
        negotiating_on=p.negotiating_on, signed_on=p.signed_on, started_on=p.started_on,
        produced_on=p.produced_on, dropped_on=p.dropped_on, last_contact_on=p.last_contact_on,
        next_step=p.next_step, next_step_on=p.next_step_on, created_at=_utc(p.created_at),
        updated_at=_utc(p.updated_at), **{f.key: getattr(p, f.key) for f in plain_fields()}, **extra)


def _project_detail(p: Project) -> S.ProjectDetail:
    return _project_out(p, S.ProjectDetail, stage_history=[
        S.StageChangeOut(stage=c.stage, stage_label=STAGES[c.stage], changed_on=c.changed_on, note=c.note,
                         recorded_by=c.recorded_by.username if c.recorded_by else None, corrected=c.is_corrected)
        for c in stage_history(p.id)])


@operation(bp, "GET", "/projects", summary="项目列表", tag="项目", roles=ZONE_READERS, query=S.ProjectQuery,
           response=S.ProjectPage, description="按录入先后倒序分页。开发区角色只看到本开发区的项目。")
def projects(query: S.ProjectQuery):
    filters = ProjectFilters(search=query.q or "", stage=query.stage, key_level=query.key_level, origin=query.origin,
                             zone_code=query.zone, leader_username=query.leader)
    items, page = _page(project_list(filters, _user()), query.page, query.per_page)
    return S.ProjectPage(items=[_project_out(p) for p in items], **page)


def _zone_leaders_named(usernames: list[str], zone_id: int, field: str) -> list[User]:
    """The zone's leaders (those who have left too: the services refuse them with their reason)
    by username; a name that is not one of them is refused here."""
    leaders = {l.username: l for l in zone_leaders(zone_id, active_only=False)}
    missing = [name for name in usernames if name not in leaders]
    if missing:
        raise ApiError("validation_error", fields={field: f"“{missing[0]}”不是本开发区的在职领导"})
    return [leaders[name] for name in usernames]


def _leader_id(username: str | None, zone_id: int) -> int | None:
    if username is None:
        return None
    return _zone_leaders_named([username], zone_id, "leader_username")[0].id


# Every creating POST: a client retrying after a network failure sends the same key.
ONCE = ("可带请求头 Idempotency-Key（不超过 100 个字符，每位用户各自独立）：同一键再次提交时不再新建，"
        "返回第一次创建的记录（响应头 Idempotent-Replayed: true），便于网络中断后安全重试。")


def _once(scope: str, create) -> tuple[int, dict]:
    """kept_forms.once with the request's Idempotency-Key: (record id, headers saying a replay)."""
    key = request.headers.get("Idempotency-Key", "").strip()[:100] or None
    resource_id, created = kept_forms.once(_user().id, scope, key, create)
    return resource_id, ({} if created else {"Idempotent-Replayed": "true"})


def _money(amount: str | None, currency: str) -> Money | None:
    """An API amount (a decimal string in 元 of its currency) through the one money reader."""
    if amount is None:
        return None
    base = next((unit for unit, (c, m) in UNITS.items() if c == currency and m == 1), None)
    return read_money(amount, base) if base else Money(Decimal(amount), currency)


@operation(bp, "POST", "/projects", summary="录入项目", tag="项目", roles=WRITERS, body=S.ProjectCreate,
           response=S.ProjectCreated, status=201, conflict=True,
           description="在本开发区台账中录入项目（与“录入项目”页面相同，记入审计日志）。"
                       "应答的 likely_duplicates 列出可能重复的已有项目（提醒，不阻止录入）。" + ONCE)
def project_create(body: S.ProjectCreate):
    user = _user()
    data = ProjectInput(
        name=body.name, code=body.code, investor_name=body.investor_name, origin=body.investor_origin,
        usci=body.investor_usci, industry=body.industry,
        industry_code=body.industry_code or _industry_code(body.industry), tags="、".join(body.tags),
        is_manufacturing=body.is_manufacturing,
        is_industrial=body.is_industrial, total_investment=_money(body.total_investment_cny, "CNY"),
        foreign_capital=_money(body.foreign_capital_amount, body.foreign_capital_currency),
        key_level=body.key_level, planned_on=body.planned_on,
        leader_id=_leader_id(body.leader_username, user.zone_id), responsible=body.responsible, note=body.note,
        plain={f.key: getattr(body, f.key) for f in plain_fields()})
    try:
        project_id, replayed = _once("project", lambda: create_project(
            user.zone_id, data, user, stage=body.stage, stage_on=body.stage_on).id)
    except ProjectError as error:
        db.session.rollback()
        raise _service_error(error, S.PROJECT_API_NAMES) from None
    project = db.session.get(Project, project_id)
    found = likely_duplicates(user.zone_id, data.name, data.investor_name, data.usci, exclude_id=project.id)
    zones = {z.id: z for z in all_zones()} if found else {}
    out = _project_out(project, S.ProjectCreated, stage_history=_project_detail(project).stage_history,
                       likely_duplicates=[S.DuplicateOut(
                           id=c.id, name=c.name, code=c.code, stage=c.stage, investor=c.investor or None,
                           zone=_zone_ref(zones[c.zone_id]), same_zone=c.same_zone, reasons=list(c.reasons))
                           for c in found])
    return out, {"Location": url_for("api.project", project_id=project.id), **replayed}


@operation(bp, "GET", "/projects/{project_id}", summary="项目详情", tag="项目", roles=ZONE_READERS,
           response=S.ProjectDetail, description="含阶段变更历史。其他开发区的项目对开发区角色返回 404。")
def project(project_id: int):
    return _project_detail(_in_scope(Project, project_id))


@operation(bp, "PATCH", "/projects/{project_id}", summary="修改项目", tag="项目", roles=WRITERS,
           body=S.ProjectUpdate, response=S.ProjectDetail, conflict=True,
           description="只修改请求体中出现的字段；可为空的字段传 null 即清空。阶段请用“变更阶段”。")
def project_update(project_id: int, body: S.ProjectUpdate):
    p = _in_scope(Project, project_id)
    sent = body.model_fields_set
    investor = p.investor

    def pick(name, current):
        return getattr(body, name) if name in sent else current

    data = ProjectInput(
        name=pick("name", p.name), code=pick("code", p.code or ""),
        investor_name=pick("investor_name", investor.name if investor else ""),
        origin=pick("investor_origin", investor.origin if investor else "CN"),
        usci=pick("investor_usci", (investor.usci or "") if investor else ""),
        industry=pick("industry", p.industry),
        industry_code=(body.industry_code or _industry_code(body.industry) if "industry_code" in sent
                       else _industry_code(body.industry) if "industry" in sent else p.industry_code),
        tags="、".join(body.tags) if "tags" in sent else p.tags, is_manufacturing=pick("is_manufacturing", p.is_manufacturing),
        is_industrial=pick("is_industrial", p.is_industrial),
        total_investment=(_money(body.total_investment_cny, "CNY") if "total_investment_cny" in sent
                          else p.total_investment_money),
        foreign_capital=(_money(body.foreign_capital_amount, body.foreign_capital_currency)
                         if "foreign_capital_amount" in sent else p.foreign_capital_money),
        key_level=pick("key_level", p.key_level), planned_on=pick("planned_on", p.planned_on),
        leader_id=(_leader_id(body.leader_username, p.zone_id) if "leader_username" in sent else p.leader_id),
        responsible=pick("responsible", p.responsible), note=pick("note", p.note),
        plain={f.key: pick(f.key, getattr(p, f.key)) or "" for f in plain_fields()})
    try:
        update_project(p, data, _user())
        db.session.commit()
    except ProjectError as error:
        db.session.rollback()
        raise _service_error(error, S.PROJECT_API_NAMES) from None
    return _project_detail(p)


@operation(bp, "POST", "/projects/{project_id}/stage", summary="变更项目阶段", tag="项目", roles=WRITERS,
           body=S.StageChangeIn, response=S.ProjectDetail, conflict=True,
           description="线索 → 在谈 → 签约 → 开工 → 投产，或从任一阶段终止；每次变更保留日期（记入审计日志）。"
                       "新阶段与当前阶段相同时返回 409。" + ONCE)
def project_stage(project_id: int, body: S.StageChangeIn):
    p = _in_scope(Project, project_id)
    try:
        _, replayed = _once("stage_change", lambda: change_stage(
            p, body.stage, body.changed_on or clock.today(), body.note, _user()).id)
    except ProjectError as error:
        db.session.rollback()
        raise _service_error(error, {}) from None
    return _project_detail(p), replayed


# ---------------------------------------------------------------- contacts

def _contact_out(c: Contact) -> S.ContactOut:
    return S.ContactOut(
        id=c.id, project=S.ProjectRef(id=c.project.id, name=c.project.name), zone=_zone_ref(c.project.zone),
        occurred_on=c.occurred_on, form=c.form, summary=c.summary, next_step=c.next_step,
        next_step_on=c.next_step_on, leaders=[_person(l) for l in c.leaders],
        recorded_by=c.recorded_by.username, created_at=_utc(c.created_at))


@operation(bp, "GET", "/contacts", summary="对接记录列表", tag="对接记录", roles=ZONE_READERS,
           query=S.ContactQuery, response=S.ContactPage,
           description="按对接日期倒序分页。开发区角色只看到本开发区的记录。")
def contacts(query: S.ContactQuery):
    filters = ContactFilters(project_id=query.project_id, leader_username=query.leader, zone_code=query.zone,
                             start=query.from_, end=query.to)
    items, page = _page(contact_list(filters, _user()), query.page, query.per_page)
    return S.ContactPage(items=[_contact_out(c) for c in items], **page)


@operation(bp, "POST", "/contacts", summary="记录对接", tag="对接记录", roles=WRITERS, body=S.ContactCreate,
           response=S.ContactOut, status=201, not_found=True,
           description="记录一次与本开发区项目的对接（与“记录对接”页面相同）：计入参与领导的对接任务，"
                       "更新项目的最近对接，填写下一步时新增一项待办，记入审计日志。project_id 不在本开发区时返回 404。"
                       + ONCE)
def contact_create(body: S.ContactCreate):
    user = _user()

    def write() -> int:
        p = _in_scope(Project, body.project_id)
        names = body.leader_usernames or ([user.username] if user.role == LEADER else [])
        leaders = _zone_leaders_named(sorted(set(names)), p.zone_id, "leader_usernames")
        return log_contact(project=p, occurred_on=body.occurred_on or clock.today(), form=body.form,
                           summary=body.summary, leaders=leaders, recorded_by=user,
                           next_step=body.next_step, next_step_on=body.next_step_on).id
    try:
        contact_id, replayed = _once("contact", write)
    except ContactError as error:
        db.session.rollback()
        raise _service_error(error, CONTACT_FIELDS) from None
    contact = db.session.get(Contact, contact_id)
    return _contact_out(contact), {"Location": url_for("api.contact", contact_id=contact.id), **replayed}


@operation(bp, "GET", "/contacts/{contact_id}", summary="对接记录详情", tag="对接记录", roles=ZONE_READERS,
           response=S.ContactOut, description="其他开发区的记录对开发区角色返回 404。")
def contact(contact_id: int):
    return _contact_out(_in_scope(Contact, contact_id))


# ---------------------------------------------------------------- progress, targets

@operation(bp, "GET", "/progress", summary="目标完成进度", tag="进度", roles=ZONE_READERS,
           query=S.ProgressQuery, response=S.ProgressOut,
           description="与命令 flask progress --json 完全相同的对象（同一函数生成）。"
                       "投促局看到全部开发区与领导；开发区角色只看到本开发区及其领导，全市指标照常提供。")
def progress(query: S.ProgressQuery):
    try:
        year, as_of = reporting_period(query.year, query.as_of, clock.today())
    except PeriodError as error:
        raise ApiError("validation_error", fields={error.field: str(error)}) from None
    progress = build_progress(year, as_of)
    user = _user()
    seen = {z.code for z in progress.zones if sees(user, z.id)}
    result = progress.to_dict()
    for part in ("leaders", "zones", "zone_values"):
        result[part] = [row for row in result[part] if row["zone"] in seen]
    return result


def _target_set(year: int) -> S.TargetSet:
    return S.TargetSet(year=year, targets=[S.TargetOut(
        tier=t.tier, metric=t.metric, metric_label=metric_label(t.metric),
        floor=t.floor, stretch=t.stretch, threshold_amount=_amount(t.threshold_amount),
        threshold_currency=t.threshold_currency, floor_value=_amount(t.floor_value),
        stretch_value=_amount(t.stretch_value)) for t in target_rows(year)],
        fx_rates={currency: f"{rate:.6f}" for currency, rate in rates_for(year).items()})


@operation(bp, "GET", "/targets", summary="年度目标", tag="目标", roles=(LEADER, STAFF, BUREAU, ADMIN),
           query=S.TargetQuery, response=S.TargetSet,
           description="各类开发区的年度目标（下限、争取目标、认定标准）与年度汇率。没有目标的年度返回空列表。")
def targets(query: S.TargetQuery):
    return _target_set(query.year or clock.today().year)


@operation(bp, "PUT", "/targets/{year}", summary="修改年度目标", tag="目标", roles=(ADMIN,),
           body=S.TargetsUpdate, response=S.TargetSet,
           description="按类别与指标修改该年度已有的目标行（与管理员“年度目标”页面相同，每项改动记入审计日志）。"
                       "该年度还没有目标时返回 404；新年度请先在页面或命令 flask targets init 中建立。")
def targets_update(year: int, body: S.TargetsUpdate):
    existing = {(t.tier, t.metric) for t in target_rows(year)}
    if not existing:
        raise ApiError("not_found", f"{year}年度还没有目标，请先建立该年度目标。")
    rows = []
    for i, row in enumerate(body.targets):
        if (row.tier, row.metric) not in existing:
            raise ApiError("validation_error", fields={f"targets.{i}.metric": f"{year}年度没有该类别的这项目标"})
        if (row.threshold_amount is None) != (row.threshold_currency is None):
            raise ApiError("validation_error", fields={
                f"targets.{i}.threshold_currency": "认定标准金额与币种须同时填写或同时为 null"})
        rows.append(TargetInput(row.tier, row.metric, row.floor, row.stretch,
                                _money(row.threshold_amount, row.threshold_currency or "CNY"),
                                _decimal(row.floor_value), _decimal(row.stretch_value)))
    try:
        save_targets(year, rows, _user())
        db.session.commit()
    except ReferenceDataError as error:
        db.session.rollback()
        raise ApiError("validation_error", fields={"targets": str(error)}) from None
    return _target_set(year)



def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


# ---------------------------------------------------------------- money that arrives

def _arrival_out(a: FundsArrival) -> S.ArrivalOut:
    return S.ArrivalOut(id=a.id, project_id=a.project_id, arrived_on=a.arrived_on, amount=_amount(a.amount),
                        currency=a.currency, kind=a.kind, kind_label=a.kind_label, source_note=a.source_note,
                        voucher_ref=a.voucher_ref)


def _project_funds(p: Project) -> S.ProjectFundsOut:
    arrivals = project_arrivals(p.id)
    funds = project_funds(p, arrivals, {y: rates_for(y) for y in {a.arrived_on.year for a in arrivals}})
    total, foreign = funds.promised_total, funds.promised_foreign
    return S.ProjectFundsOut(
        project_id=p.id, promised_total_investment=_amount(total.amount) if total else None,
        promised_total_investment_currency=total.currency if total else None,
        promised_foreign_capital=_amount(foreign.amount) if foreign else None,
        promised_foreign_capital_currency=foreign.currency if foreign else None,
        arrived_cny=_amount(funds.total_cny),
        by_year=[S.ArrivalYearOut(year=y, cny=_amount(cny), usd=_amount(usd)) for y, cny, usd in funds.by_year],
        arrivals=[_arrival_out(a) for a in arrivals])


@operation(bp, "GET", "/projects/{project_id}/funds", summary="项目到位资金", tag="到位资金", roles=ZONE_READERS,
           response=S.ProjectFundsOut,
           description="项目的承诺金额（总投资、合同外资）与到位资金：逐笔明细、各年合计（外币按到位当年汇率折算）与累计。")
def project_funds_get(project_id: int):
    return _project_funds(_in_scope(Project, project_id))


@operation(bp, "POST", "/projects/{project_id}/arrivals", summary="登记到位资金", tag="到位资金", roles=WRITERS,
           body=S.ArrivalCreate, response=S.ProjectFundsOut, status=201,
           description="登记一笔到位资金（与项目页面相同，记入审计日志）。金额为以 currency 计的元。" + ONCE)
def arrival_create(project_id: int, body: S.ArrivalCreate):
    p = _in_scope(Project, project_id)
    try:
        _, replayed = _once("arrival", lambda: add_arrival(p, ArrivalInput(
            body.arrived_on, _money(body.amount, body.currency), body.kind, body.source_note, body.voucher_ref),
            _user()).id)
    except FundsError as error:
        db.session.rollback()
        raise ApiError("validation_error", fields={error.field or "body": str(error)}) from None
    return _project_funds(p), replayed


def _monthly_out(rows) -> S.MonthlyList:
    return S.MonthlyList(items=[S.MonthlyOut(zone=r.zone.code, year=r.year, month=r.month, revenue=_amount(r.revenue),
                                             fdi=_amount(r.fdi)) for r in rows])


@operation(bp, "GET", "/zones/{zone_id}/monthly", summary="开发区月度指标", tag="月度指标", roles=ZONE_READERS,
           query=S.MonthlyQuery, response=S.MonthlyList,
           description="统计部门报送的营业收入（元）与实际使用外资（美元），按月；含上年同期（增长率的基数）。")
def monthly_get(zone_id: int, query: S.MonthlyQuery):
    zone = _in_scope(Zone, zone_id)
    year = query.year or clock.today().year
    return _monthly_out(monthly_rows([year - 1, year], zone.id))


@operation(bp, "PUT", "/zones/{zone_id}/monthly/{year}/{month}", summary="填报或更正月度指标", tag="月度指标",
           roles=(STAFF, BUREAU), body=S.MonthlyIn, response=S.MonthlyList,
           description="填报一个开发区一个月的营业收入与实际使用外资；修改已报送的数字须填写更正原因（记入审计日志）。")
def monthly_put(zone_id: int, year: int, month: int, body: S.MonthlyIn):
    zone = _in_scope(Zone, zone_id)
    try:
        report_month(MonthlyInput(zone.id, year, month, _money(body.revenue, "CNY"), _money(body.fdi, "USD"),
                                  body.reason), _user())
        db.session.commit()
    except (FundsError, PeriodError) as error:
        db.session.rollback()
        raise ApiError("validation_error", fields={error.field or "body": str(error)}) from None
    return _monthly_out(monthly_rows([year], zone.id))


# ---------------------------------------------------------------- bulletins

def _bulletin_summary(row, superseded: bool, cls=S.BulletinSummary, **extra):
    return cls(id=row.id, issue_label=row.issue_label, year=row.year, month=row.month, revision=row.revision,
               as_of=row.as_of, issued_on=row.issued_on, superseded=superseded, **extra)


@operation(bp, "GET", "/bulletins", summary="已签发的月度通报", tag="月度通报", roles=ZONE_READERS,
           query=S.BulletinQuery, response=S.BulletinList,
           description="新签发的在前；被更正通报替代的标明 superseded。")
def bulletin_list(query: S.BulletinQuery):
    return S.BulletinList(items=[_bulletin_summary(r, r.superseded) for r in bulletins.archive_rows(query.year)])


@operation(bp, "GET", "/bulletins/{bulletin_id}", summary="通报公布的排名", tag="月度通报", roles=ZONE_READERS,
           response=S.BulletinOut,
           description="签发时计算并存档的各开发区名次、综合得分与较上期进退位，与通报原文、通报页面完全相同，"
                       "之后的数据变化不改变它们（更正通报另有自己的排名）。开发区角色只看到本类开发区。")
def bulletin(bulletin_id: int):
    row = bulletins.archive(bulletin_id)
    if row is None:
        raise ApiError("not_found")
    published = bulletins.published(row)
    user = _user()
    own = published.zone(user.zone.code) if published and user.is_zone_role else None
    standings = []
    for tier, placed in (published.tiers.items() if published else []):
        if user.is_zone_role and (own is None or tier != own.tier):   # as the page: the zone's own tier
            continue
        standings += [S.StandingOut(
            zone=S.ZoneRef(id=z.zone_id, code=z.code, name=z.name), tier=z.tier, rank_in_tier=z.rank,
            score=one_decimal(z.score), score_exact=str(z.score), previous_rank=z.previous_rank,
            movement=z.movement, movement_label=movement_label(z.movement)) for z in placed]
    return _bulletin_summary(row, bulletins.superseding(row) is not None, S.BulletinOut,
                             correction_note=row.correction_note,
                             compared_with=published.previous.issue_label if published and published.previous else None,
                             standings=standings)
