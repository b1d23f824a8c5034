"""The API's request and response shapes: the one source both the endpoints validate with
and /api/v1/openapi.json is generated from (app/api/spec.py).

Conventions (also on the API page):
- Amounts are decimal strings in whole currency units (元 for CNY, 美元 for USD) with at
  most two decimals, e.g. "1500000000.00" for 15亿元; never JSON numbers. Field names say
  the currency: `total_investment_cny`, `foreign_capital_amount` + `foreign_capital_currency`.
- Dates are ISO 8601 calendar dates (YYYY-MM-DD); times are ISO 8601 in UTC.
- Bodies are validated strictly: no type coercion, no unknown fields.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema,
                      create_model)
from pydantic_core import PydanticCustomError

from app.domain.counting import KEY_LEVELS
from app.domain.money import CURRENCIES
from app.domain.pipeline import STAGES
from app.domain.metrics import all_metrics
from app.domain.targets import TIERS
from app.domain.funds import ARRIVAL_KINDS
from app.domain.usci import usci_error
from app.domain.classifications import INDUSTRIES
from app.domain.project_fields import plain_fields, project_field
from app.models import CONTACT_FORMS, ORIGINS, ROLES
from app.models.types import MAX_ID
from .. import clock

# ---------------------------------------------------------------- value types

AMOUNT_PATTERN = r"^[0-9]{1,13}(\.[0-9]{1,2})?$"
RATE_PATTERN = r"^[0-9]{1,6}(\.[0-9]{1,6})?$"
# One line of text: no control characters (PostgreSQL refuses NUL; a line has no breaks).
LINE_PATTERN = r"^[^\x00-\x1f\x7f]*$"
# Free text: line breaks and tabs allowed, other control characters not.
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

Amount = Annotated[str, StringConstraints(pattern=AMOUNT_PATTERN), Field(examples=["1500000000.00"])]
Rate = Annotated[str, StringConstraints(pattern=RATE_PATTERN)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def Line(max_length: int, min_length: int = 0):  # noqa: N802  (a type factory)
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length, pattern=LINE_PATTERN)]


def Text(max_length: int, min_length: int = 0):  # noqa: N802
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length, pattern=TEXT_PATTERN)]


Username = Line(64, 1)
StageKey = Literal[tuple(STAGES)]  # type: ignore[valid-type]
KeyLevel = Literal[tuple(KEY_LEVELS)]  # type: ignore[valid-type]
Origin = Literal[tuple(ORIGINS)]  # type: ignore[valid-type]
IndustryCode = Literal[tuple(INDUSTRIES)]  # type: ignore[valid-type]
ContactForm = Literal[tuple(CONTACT_FORMS)]  # type: ignore[valid-type]
Tier = Literal[tuple(TIERS)]  # type: ignore[valid-type]
Metric = Literal[tuple(m.key for m in all_metrics())]  # type: ignore[valid-type]
Currency = Literal[tuple(CURRENCIES)]  # type: ignore[valid-type]
Role = Literal[tuple(ROLES)]  # type: ignore[valid-type]


def _query_int(value: Any) -> Any:
    """Query strings carry text: only plain decimal digits are an integer ("1.0", " 1", "1_0" are not)."""
    if isinstance(value, str):
        if not re.fullmatch(r"-?[0-9]{1,12}", value):
            raise PydanticCustomError("query_int", "应为整数")
        return int(value)
    return value


def _query_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("query_date", "应为 ISO 8601 日期（YYYY-MM-DD）") from None
    return value


QueryInt = Annotated[int, BeforeValidator(_query_int)]


def QueryIntIn(ge: int, le: int):  # noqa: N802
    return Annotated[int, Field(ge=ge, le=le), BeforeValidator(_query_int)]
QueryDate = Annotated[date, BeforeValidator(_query_date), WithJsonSchema({"type": "string", "format": "date"})]


def _usci(value: Any) -> Any:
    if isinstance(value, str) and value.strip():
        error = usci_error(value)
        if error:
            raise PydanticCustomError("usci", error)
    return value


Usci = Annotated[str, StringConstraints(max_length=18, pattern=LINE_PATTERN), AfterValidator(_usci)]


def _not_in_future(value: Any) -> Any:
    if isinstance(value, date) and value > clock.today():
        raise PydanticCustomError("future_date", "日期不能晚于今天")
    return value


def _drop_defaults(schema: dict[str, Any]) -> None:
    """PATCH bodies: an omitted field keeps its value, so no field shows a default."""
    for prop in schema.get("properties", {}).values():
        prop.pop("default", None)


class Body(BaseModel):
    """Request bodies: strict types, unknown fields refused."""
    model_config = ConfigDict(strict=True, extra="forbid")


class Query(BaseModel):
    """Query parameters: every value arrives as text; unknown parameters are refused (a typo
    such as `stages=` must not silently return everything)."""
    model_config = ConfigDict(strict=True, extra="forbid", populate_by_name=True)


class Out(BaseModel):
    """Response bodies."""
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- errors

ERROR_CODES = {
    "bad_request": (400, "请求无法解析（例如请求体不是有效的 JSON）"),
    "unauthorized": (401, "缺少 API 令牌，或令牌无效、已撤销、已过期、所属账号已停用"),
    "forbidden": (403, "当前角色无权进行此操作"),
    "not_found": (404, "资源不存在，或不在您的开发区范围内"),
    "method_not_allowed": (405, "该地址不支持此请求方法"),
    "conflict": (409, "与已有数据冲突，例如项目编号已被使用、项目已处于该阶段"),
    "payload_too_large": (413, "请求体过大"),
    "validation_error": (422, "请求内容未通过校验；fields 逐项列出出错的字段及原因"),
    "rate_limited": (429, "该令牌的请求过于频繁；按 Retry-After 响应头所示秒数后再试"),
    "internal_error": (500, "系统内部错误"),
}
ErrorCode = Literal[tuple(ERROR_CODES)]  # type: ignore[valid-type]


class ErrorDetail(Out):
    code: ErrorCode = Field(description="稳定的错误代码，程序据此判断")
    message: str = Field(description="中文说明，可直接展示给用户")
    fields: dict[str, str] = Field(default_factory=dict,
                                   description="校验错误时，出错字段名 → 中文原因；嵌套字段用点号连接，如 targets.0.floor")


class Error(Out):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"error": {
        "code": "validation_error", "message": "请求内容有误，请按 fields 逐项修改。",
        "fields": {"total_investment_cny": "应为金额字符串（单位元，最多两位小数），例如 \"150000000.00\""}}}]})
    error: ErrorDetail


# ---------------------------------------------------------------- people, zones

class PersonRef(Out):
    username: str
    name: str


class ZoneRef(Out):
    id: int
    code: str
    name: str


class Me(Out):
    username: str
    name: str
    role: Role = Field(description="leader 开发区领导、staff 招商专员、bureau 投促局、admin 系统管理员、auditor 审计管理员")
    role_label: str
    zone: ZoneRef | None = Field(description="开发区角色所属开发区；其他角色为 null")


class ZoneOut(Out):
    id: int
    code: str
    name: str
    county: str
    kind: str
    level: str
    tier: Tier = Field(description="开发区类别（A/B/C），决定领导对接任务与项目目标")
    leaders: list[PersonRef] = Field(description="在职的开发区领导（记录对接时按 username 指定）")


class ZoneList(Out):
    items: list[ZoneOut]


# ---------------------------------------------------------------- projects

class StageChangeOut(Out):
    stage: StageKey
    stage_label: str
    changed_on: date
    note: str
    recorded_by: str | None = Field(description="记录人用户名；系统导入为 null")
    corrected: bool = Field(False, description="已更正（误操作的记录，保留备查，不再计入项目阶段）")


class InvestorOut(Out):
    name: str
    origin: Origin = Field(description="国别或地区代码；CN 为中国大陆，其余（含港澳台）计为外资")
    origin_label: str
    usci: str | None = Field(description="统一社会信用代码")


# The API's name of a declared project field (domain.project_fields) where it is not the key:
# the investor's fields, amounts named by their currency, the leader by username.
PROJECT_API_NAMES = {"origin": "investor_origin", "usci": "investor_usci", "total_investment": "total_investment_cny",
                     "foreign_capital": "foreign_capital_amount", "leader_id": "leader_username"}


def about(key: str, detail: str = "") -> str:
    """A project field's API description: its declared label, then what the API adds (format,
    unit) or else the declared help."""
    f = project_field(key)
    more = detail or f.help
    return f"{f.label}：{more}" if more else f.label


def _length(key: str) -> int:
    return project_field(key).max_length


class _ProjectOut(Out):
    id: int
    zone: ZoneRef
    code: str | None = Field(description=about("code"))
    name: str = Field(description=about("name"))
    investor: InvestorOut | None = Field(description=about("investor_name"))
    is_foreign: bool = Field(description=about("is_foreign", "投资方在境外（含港澳台）时为 true"))
    industry: str = Field(description=about("industry", "本区的表述（如 电子、现代食品）"))
    industry_code: IndustryCode | None = Field(description=about("industry_code", "门类或大类代码；未分类为 null"))
    industry_name: str = Field(description="industry_code 的名称（如 “C 制造业”），未分类为“未分类”")
    tags: list[str] = Field(description=about("tags", "战略性新兴产业领域、本区主导产业"))
    is_manufacturing: bool = Field(description=about("is_manufacturing"))
    is_industrial: bool = Field(description=about("is_industrial"))
    total_investment_cny: Amount | None = Field(description=about("total_investment", "人民币元，十进制字符串"))
    foreign_capital_amount: Amount | None = Field(description=about(
        "foreign_capital", "以 foreign_capital_currency 计的元（如美元），十进制字符串"))
    foreign_capital_currency: Currency
    key_level: KeyLevel | None = Field(description=about("key_level", "provincial 省重点、municipal 市重点；非重点为 null"))
    planned_on: date = Field(description=about("planned_on"))
    leader: PersonRef | None = Field(description=about("leader_id", "第一位"))
    leaders: list[PersonRef] = Field(description="全部分包领导，第一位即 leader")
    responsible: str = Field(description=about("responsible"))
    note: str = Field(description=about("note"))
    stage: StageKey = Field(description=about(
        "stage", "lead 线索、negotiating 在谈、signed 签约、started 开工、producing 投产、dropped 终止"))
    stage_label: str
    entered_on: date = Field(description=about("entered_on"))
    negotiating_on: date | None = Field(description=about("negotiating_on"))
    signed_on: date | None = Field(description=about("signed_on"))
    started_on: date | None = Field(description=about("started_on"))
    produced_on: date | None = Field(description=about("produced_on"))
    dropped_on: date | None = Field(description=about("dropped_on"))
    last_contact_on: date | None
    next_step: str | None = Field(description="最早到期的未完成下一步工作（项目可有多项下一步，见“我的待办”）；没有时为空")
    next_step_on: date | None = Field(description="该项下一步的日期（未定日期的排在最后）")
    created_at: datetime
    updated_at: datetime


# The declaration's plain text fields, as they read.
ProjectOut = create_model("ProjectOut", __base__=_ProjectOut, **{
    f.key: (str, Field(description=about(f.key))) for f in plain_fields()})


class ProjectDetail(ProjectOut):
    stage_history: list[StageChangeOut] = Field(description="阶段变更历史，按日期先后")


class DuplicateOut(Out):
    id: int
    name: str
    code: str | None
    stage: StageKey
    investor: str | None
    zone: ZoneRef
    same_zone: bool = Field(description="与新录入项目同属一个开发区时为 true；其他开发区的项目仅供核对")
    reasons: list[str] = Field(description="判定理由：名称相同、名称相近、同一投资方、同一统一社会信用代码")


class ProjectCreated(ProjectDetail):
    likely_duplicates: list[DuplicateOut] = Field(description=(
        "按与网页相同的规则（名称规范化后相同或相近、同一投资方、同一统一社会信用代码）找到的可能重复项目，"
        "本区在前；项目照常录入，请核对后决定是否合并"))


class ProjectPage(Out):
    items: list[ProjectOut]
    page: int
    per_page: int
    total: int
    pages: int


class ProjectQuery(Query):
    q: Line(50) | None = Field(None, description="在项目名称、投资方、项目编号中查找")
    stage: StageKey | None = Field(None, description="按阶段筛选")
    key_level: KeyLevel | None = Field(None, description="按重点项目级别筛选")
    origin: Literal["foreign", "domestic"] | None = Field(None, description="foreign 外资、domestic 内资")
    zone: Line(32) | None = Field(None, description="开发区代码（投促局使用；开发区角色只看到本区）")
    leader: Line(64) | None = Field(None, description="分包领导用户名")
    page: QueryInt = Field(1, ge=1, le=100_000, description="页码，从 1 开始")
    per_page: QueryInt = Field(50, ge=1, le=200, description="每页条数，最多 200")


_PROJECT_EXAMPLE = {
    "name": "新能源电池生产基地项目", "code": "GX-2024-018", "investor_name": "宁德新能科技有限公司",
    "investor_origin": "CN", "investor_usci": "91350900MA2XN3T827", "industry": "新能源电池",
    "industry_code": "38", "tags": ["新能源产业"],
    "is_manufacturing": True, "is_industrial": True, "total_investment_cny": "1500000000.00",
    "key_level": "municipal", "planned_on": "2024-03-01", "leader_username": "sjzgx-l1",
    "responsible": "王芳", "note": "", "stage": "negotiating", "stage_on": "2024-03-15",
}


class _ProjectFields(Body):
    name: Line(_length("name"), 1) = Field(description=about("name"))
    investor_name: Line(_length("investor_name")) = Field("", description=about(
        "investor_name", "投资方名称；空字符串表示暂无投资方"))
    investor_origin: Origin = Field("CN", description=about("origin", "国别或地区代码；港澳台及境外计为外资"))
    investor_usci: Usci = Field("", description=about("usci", "投资方的，18 位，带校验位；可为空字符串"))
    code: Line(_length("code")) = Field("", description=about("code"))
    industry: Line(_length("industry")) = Field("", description=about("industry", "本区的表述（原 12 个行业名称仍可用）"))
    industry_code: IndustryCode | None = Field(
        None, description=about("industry_code", "门类（A–T）或大类（01–97）代码；不填时按 industry 的表述经同义词表推断，"
                                                 "推断不出为未分类"))
    tags: list[Line(50)] = Field([], description=about("tags", "战略性新兴产业领域、本区主导产业"), max_length=10)
    is_manufacturing: bool = Field(False, description=about("is_manufacturing"))
    is_industrial: bool = Field(False, description=about("is_industrial"))
    total_investment_cny: Amount | None = Field(None, description=about(
        "total_investment", "人民币元，十进制字符串，最多两位小数"))
    foreign_capital_amount: Amount | None = Field(None, description=about(
        "foreign_capital", "美元，十进制字符串，最多两位小数"))
    foreign_capital_currency: Literal["USD"] = Field("USD", description="合同外资币种，目前只收美元")
    key_level: KeyLevel | None = Field(None, description=about(
        "key_level", "provincial 省重点、municipal 市重点；null 为非重点"))
    planned_on: Annotated[date, AfterValidator(_not_in_future)] | None = Field(
        None, description=about("planned_on", "不晚于今天；不填为录入当天"))
    leader_username: Line(64) | None = Field(None, description=about("leader_id", "用户名，须为本开发区领导"))
    responsible: Line(_length("responsible")) = Field("", description=about("responsible"))
    note: Text(_length("note")) = Field("", description=about("note"))


# The declaration's plain text fields, with their limits.
ProjectFields = create_model("ProjectFields", __base__=_ProjectFields, **{
    f.key: (Line(f.max_length), Field("", description=about(f.key))) for f in plain_fields()})


class ProjectCreate(ProjectFields):
    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra={"examples": [_PROJECT_EXAMPLE]})
    stage: StageKey = Field("lead", description=about("stage", "录入时所处的阶段"))
    stage_on: date | None = Field(None, description="进入该阶段的日期，不晚于今天；不填为今天")


def _update_schema(schema: dict[str, Any]) -> None:
    _drop_defaults(schema)
    schema["examples"] = [{"total_investment_cny": "1800000000.00", "leader_username": "sjzgx-l2",
                           "note": "投资方追加投资"}]


class ProjectUpdate(ProjectFields):
    """Only the fields sent change; null clears a field that may be empty."""
    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra=_update_schema)
    name: Line(_length("name"), 1) = Field(None, description=about("name"))
    planned_on: Annotated[date, AfterValidator(_not_in_future)] = Field(None, description=about("planned_on", "不晚于今天"))


class StageChangeIn(Body):
    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra={"examples": [
        {"stage": "signed", "changed_on": "2024-06-18", "note": "在市招商大会上签约"}]})
    stage: StageKey = Field(description="新阶段；不能与当前阶段相同")
    changed_on: date | None = Field(None, description="变更日期，不晚于今天、不早于上一次变更；不填为今天")
    note: Line(200) = Field("", description="说明")


# ---------------------------------------------------------------- contacts

class ProjectRef(Out):
    id: int
    name: str


class ContactOut(Out):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "id": 321, "project": {"id": 57, "name": "新能源电池生产基地项目"},
        "zone": {"id": 1, "code": "sjzgx", "name": "石家庄高新区"}, "occurred_on": "2024-06-18",
        "form": "外出拜访", "summary": "赴宁德与投资方洽谈项目落地条件", "next_step": "报送项目用地需求",
        "next_step_on": "2024-07-01", "leaders": [{"username": "sjzgx-l1", "name": "张伟"}],
        "recorded_by": "sjzgx-l1", "created_at": "2024-06-18T09:30:00Z"}]})
    id: int
    project: ProjectRef
    zone: ZoneRef
    occurred_on: date
    form: str
    summary: str
    next_step: str
    next_step_on: date | None
    leaders: list[PersonRef] = Field(description="参与对接的领导，每人各计一次对接任务")
    recorded_by: str = Field(description="记录人用户名")
    created_at: datetime


class ContactPage(Out):
    items: list[ContactOut]
    page: int
    per_page: int
    total: int
    pages: int


class ContactQuery(Query):
    project_id: QueryIntIn(1, MAX_ID) | None = Field(None, description="只看该项目的对接")
    leader: Line(64) | None = Field(None, description="参与对接的领导用户名")
    zone: Line(32) | None = Field(None, description="开发区代码（投促局使用）")
    from_: QueryDate | None = Field(None, alias="from", description="对接日期起（含）")
    to: QueryDate | None = Field(None, description="对接日期止（含）")
    page: QueryInt = Field(1, ge=1, le=100_000, description="页码，从 1 开始")
    per_page: QueryInt = Field(50, ge=1, le=200, description="每页条数，最多 200")


class ContactCreate(Body):
    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra={"examples": [{
        "project_id": 57, "occurred_on": "2024-06-18", "form": "外出拜访",
        "summary": "赴宁德与投资方洽谈项目落地条件", "leader_usernames": ["sjzgx-l1"],
        "next_step": "报送项目用地需求", "next_step_on": "2024-07-01"}]})
    project_id: Id = Field(description="对接的项目（须为本开发区项目）")
    occurred_on: date | None = Field(None, description="对接日期，不晚于今天；不填为今天")
    form: ContactForm = Field("外出拜访", description="对接方式")
    summary: Text(2000, 1) = Field(description="对接内容")
    leader_usernames: list[Username] = Field(
        default_factory=list, max_length=20,
        description="参与对接的本区领导用户名；开发区领导不填时为本人，招商专员须至少填一位")
    next_step: Line(200) = Field("", description="下一步工作：填写时新增一项待办，负责人为令牌所属用户；不改动项目已有的其他下一步")
    next_step_on: date | None = Field(None, description="下一步日期，不早于对接日期；填写时须同时填写下一步工作")


# ---------------------------------------------------------------- progress

class LeaderProgressOut(Out):
    username: str
    zone: str = Field(description="开发区代码")
    quota: int = Field(description="年度对接任务（不同项目数）")
    contacted_projects: int = Field(description="截至 as_of 已对接的不同项目数")
    on_pace: bool = Field(description="是否达到序时进度")


class MetricProgressOut(Out):
    metric: Metric
    floor: int = Field(description="目标下限")
    stretch: int | None = Field(description="争取目标")
    actual: int
    on_pace: bool


class ZoneProgressOut(Out):
    zone: str = Field(description="开发区代码")
    tier: Tier
    rank_in_tier: int = Field(description="同类开发区中的赛马名次")
    metrics: list[MetricProgressOut]


class CityMetricOut(Out):
    target: int
    actual: int


class ValueProgressOut(Out):
    metric: Metric
    measures: Literal["amount", "growth"] = Field(description="amount 金额指标；growth 增长率指标")
    unit: str = Field(description="显示单位：万元、万美元或 %")
    currency: Currency = Field(description="金额与基数的币种（营业收入、到位资金为 CNY，实际使用外资为 USD）")
    floor: str = Field(description="目标下限：金额指标为该币种的元（两位小数）；增长率指标为百分数")
    stretch: str | None = Field(description="争取目标，单位同 floor")
    actual: str | None = Field(description="金额指标：本年累计（元，精确到分）；增长率指标：增长率百分数（两位小数），"
                                           "上年同期为零时为 null")
    current: str = Field(description="本年1月至截至日期（月度指标：截至月份）的累计，元")
    base: str = Field(description="上年同期累计，元；增长率的基数")
    growth_pct: str | None = Field(description="较上年同期增长率（百分数，两位小数）；上年同期为零时为 null")
    base_zero: bool = Field(description="上年同期为零（不计算增长率，显示“上年同期为零”）")
    on_pace: bool
    status: Literal["ahead", "on_pace", "behind", "no_base"]


class ZoneValuesOut(Out):
    zone: str = Field(description="开发区代码")
    values: list[ValueProgressOut]


class ProgressOut(Out):
    """Exactly `flask progress --json`; zone roles see their own zone and its leaders only."""
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "year": 2024, "as_of": "2024-06-30", "expected_share": 0.5,
        "leaders": [{"username": "sjzgx-l1", "zone": "sjzgx", "quota": 100, "contacted_projects": 53,
                     "on_pace": True}],
        "zones": [{"zone": "sjzgx", "tier": "A", "rank_in_tier": 1, "metrics": [
            {"metric": "foreign_projects", "floor": 1, "stretch": 2, "actual": 1, "on_pace": True}]}],
        "city": {"new_start_industrial_projects": {"target": 400, "actual": 188}},
        "zone_values": [{"zone": "sjzgx", "values": [
            {"metric": "funds_arrived", "measures": "amount", "unit": "万元", "currency": "CNY",
             "floor": "2000000000.00", "stretch": None, "actual": "1034567890.12", "current": "1034567890.12",
             "base": "901234567.89", "growth_pct": "14.79", "base_zero": False, "on_pace": True,
             "status": "on_pace"}]}],
        "city_values": [
            {"metric": "city_operating_revenue_growth", "measures": "growth", "unit": "%", "currency": "CNY",
             "floor": "10.00", "stretch": None, "actual": "11.52", "current": "56789012345.67",
             "base": "50922123456.78", "growth_pct": "11.52", "base_zero": False, "on_pace": True,
             "status": "on_pace"}]}]})
    year: int
    as_of: date
    expected_share: float = Field(description="序时进度（应完成的全年比例，0～1，四位小数）；不是金额")
    leaders: list[LeaderProgressOut]
    zones: list[ZoneProgressOut]
    city: dict[str, CityMetricOut] = Field(description="全市指标：指标代码 → 目标与实际")
    zone_values: list[ZoneValuesOut] = Field(description="各开发区的金额与增长率指标（到位资金、营业收入、实际使用外资）")
    city_values: list[ValueProgressOut] = Field(description="全市的金额与增长率指标")


class ProgressQuery(Query):
    year: QueryIntIn(2000, 2100) | None = Field(None, description="年度，默认今年")
    as_of: QueryDate | None = Field(None, description="截至日期，默认今天或该年年末（取较早者）")


# ---------------------------------------------------------------- targets

class TargetOut(Out):
    tier: Tier | None = Field(description="开发区类别；全市指标为 null")
    metric: Metric
    metric_label: str
    floor: int = Field(description="目标下限")
    stretch: int | None = Field(description="争取目标")
    threshold_amount: Amount | None = Field(description="认定标准金额，以 threshold_currency 计的元，十进制字符串")
    threshold_currency: Currency | None
    floor_value: str | None = Field(None, description="金额与增长率指标的目标：金额为元，增长率为百分数；其他指标为 null")
    stretch_value: str | None = Field(None, description="金额与增长率指标的争取目标")


class TargetSet(Out):
    year: int
    targets: list[TargetOut]
    fx_rates: dict[str, Rate] = Field(description="年度汇率：币种 → 1 单位折合人民币元，十进制字符串")


class TargetQuery(Query):
    year: QueryIntIn(2000, 2100) | None = Field(None, description="年度，默认今年")


class TargetIn(Body):
    tier: Tier | None = Field(description="开发区类别；全市指标为 null")
    metric: Metric
    floor: int = Field(ge=0, le=100_000, description="目标下限")
    stretch: int | None = Field(None, ge=0, le=100_000, description="争取目标，不低于目标下限")
    threshold_amount: Amount | None = Field(None, description="认定标准金额，元，十进制字符串；null 为不限金额")
    threshold_currency: Currency | None = Field(None, description="认定标准币种，填写金额时必填")
    floor_value: Annotated[str, StringConstraints(pattern=r"^-?[0-9]{1,13}(\.[0-9]{1,2})?$")] | None = Field(
        None, description="金额与增长率指标的目标（金额为元，增长率为百分数）；这类指标 floor 填 0")
    stretch_value: Annotated[str, StringConstraints(pattern=r"^-?[0-9]{1,13}(\.[0-9]{1,2})?$")] | None = Field(
        None, description="金额与增长率指标的争取目标")


class TargetsUpdate(Body):
    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra={"examples": [{"targets": [
        {"tier": "A", "metric": "domestic_projects", "floor": 3, "stretch": 5,
         "threshold_amount": "1000000000.00", "threshold_currency": "CNY"}]}]})
    targets: list[TargetIn] = Field(min_length=1, max_length=100,
                                    description="要修改的目标行（按类别与指标对应该年度已有的目标）")


# ---------------------------------------------------------------- money that arrives

ArrivalKind = Literal[tuple(ARRIVAL_KINDS)]  # type: ignore[valid-type]


class ArrivalOut(Out):
    id: int
    project_id: int
    arrived_on: date
    amount: Amount = Field(description="到位金额，以 currency 计的元，十进制字符串")
    currency: Currency
    kind: ArrivalKind = Field(description="registered_capital 注册资本、fixed_assets 固定资产投资、"
                                          "foreign_paid_in 外资实际到位")
    kind_label: str
    source_note: str
    voucher_ref: str | None


class ArrivalYearOut(Out):
    year: int
    cny: Amount = Field(description="当年到位资金折人民币（按当年汇率），元")
    usd: Amount | None = Field(description="当年到位资金折美元（按当年汇率）；缺少当年美元汇率时为 null")


class ProjectFundsOut(Out):
    project_id: int
    promised_total_investment: Amount | None = Field(description="总投资（承诺），元")
    promised_total_investment_currency: Currency | None
    promised_foreign_capital: Amount | None = Field(description="合同外资（承诺），元")
    promised_foreign_capital_currency: Currency | None
    arrived_cny: Amount = Field(description="累计到位资金折人民币（各年按当年汇率折算后相加），元")
    by_year: list[ArrivalYearOut]
    arrivals: list[ArrivalOut]


class ArrivalCreate(Body):
    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra={"examples": [
        {"arrived_on": "2024-06-18", "amount": "12345678.90", "currency": "USD", "kind": "foreign_paid_in",
         "source_note": "外方股东第二期出资", "voucher_ref": "YH-2024-0618"}]})
    arrived_on: date = Field(description="到位日期，不晚于今天")
    amount: Amount = Field(description="到位金额，以 currency 计的元")
    currency: Currency = "CNY"
    kind: ArrivalKind
    source_note: Line(200) = Field("", description="资金来源说明")
    voucher_ref: Line(64) = Field("", description="凭证号（可不填）")


class MonthlyOut(Out):
    zone: str = Field(description="开发区代码")
    year: int
    month: int
    revenue: Amount | None = Field(description="营业收入，人民币元")
    fdi: Amount | None = Field(description="实际使用外资，美元")


class MonthlyList(Out):
    items: list[MonthlyOut]


class MonthlyQuery(Query):
    year: QueryIntIn(2000, 2100) | None = Field(None, description="年度，默认今年")


class MonthlyIn(Body):
    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra={"examples": [
        {"revenue": "1234567890.12", "fdi": "2500000.00", "reason": ""}]})
    revenue: Amount | None = Field(None, description="营业收入，人民币元")
    fdi: Amount | None = Field(None, description="实际使用外资，美元")
    reason: Line(200) = Field("", description="更正原因；修改已报送的数字时必填")


# ---------------------------------------------------------------- bulletins

class BulletinSummary(Out):
    id: int
    issue_label: str = Field(description="期号，如 2024年第6期、2024年第6期（更正）")
    year: int
    month: int
    revision: int = Field(description="0 为原通报，1 起为第几次更正")
    as_of: date = Field(description="数据截至日期")
    issued_on: date = Field(description="签发日期")
    superseded: bool = Field(description="已被更正通报替代（以更正通报为准）")


class BulletinList(Out):
    items: list[BulletinSummary]


class BulletinQuery(Query):
    year: QueryIntIn(2000, 2100) | None = Field(None, description="年度，默认全部")


class StandingOut(Out):
    zone: ZoneRef
    tier: Tier
    rank_in_tier: int = Field(description="同类开发区中的名次（按通报公布）")
    score: str = Field(description="综合得分，一位小数，与通报原文、页面相同")
    score_exact: str = Field(description="签发时计算并存档的精确得分（分数，如 361/3）")
    previous_rank: int | None = Field(description="上期通报中的名次（同类）；无上期为 null")
    movement: int | None = Field(description="较上期进位（正数）或退位（负数）的名次数；无上期为 null")
    movement_label: str = Field(description="进2位、退1位、持平，无上期为 —")


class BulletinOut(BulletinSummary):
    """An issued bulletin's standings exactly as published (stored at issue time)."""
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "id": 7, "issue_label": "2024年第6期", "year": 2024, "month": 6, "revision": 0, "as_of": "2024-06-30",
        "issued_on": "2024-07-02", "superseded": False, "correction_note": "",
        "compared_with": "2024年第5期",
        "standings": [{"zone": {"id": 1, "code": "sjzgx", "name": "石家庄高新区"}, "tier": "A",
                       "rank_in_tier": 1, "score": "120.3", "score_exact": "1203/10", "previous_rank": 2,
                       "movement": 1, "movement_label": "进1位"}]}]})
    correction_note: str = Field(description="更正说明（更正通报）")
    compared_with: str | None = Field(description="名次变化所对照的上期通报期号；本年度首期为 null")
    standings: list[StandingOut] = Field(description="按类别、名次排列；开发区角色只看到本类开发区；"
                                                     "签发于系统记录公布排名之前的通报为空列表，请看通报原文")


# Every model the document describes, for the components section and the docs page.
MODELS = [Error, Me, ZoneList, ZoneOut, ProjectPage, ProjectDetail, ProjectCreate, ProjectUpdate,
          StageChangeIn, ContactPage, ContactOut, ContactCreate, ProgressOut, TargetSet, TargetsUpdate,
          ProjectFundsOut, ArrivalCreate, MonthlyList, MonthlyIn, BulletinList, BulletinOut]
