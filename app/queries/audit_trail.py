"""Searching the audit trail for the auditor, and the one way its records read in Chinese:
the viewer and the CSV/Excel export both show `lines` (time in the configured zone, the person by
name and username, the object named, changes as 字段：原值 → 新值)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from zoneinfo import ZoneInfo

from sqlalchemy import false, or_, select

from app import clock
from decimal import Decimal, InvalidOperation

from app.domain.counting import KEY_LEVELS
from app.domain.funds import format_wan
from app.domain.money import CURRENCIES
from app.domain.pipeline import STAGES
from app.domain.project_fields import MONEY, audit_labels, project_fields
from app.extensions import db
from app.models import ROLES, AuditEvent, Project, User, Zone

# The stored keys of before/after, as the auditor reads them.
FIELD_LABELS = {
    "username": "用户名", "name": "名称", "role": "角色", "zone_id": "开发区", "zone": "开发区",
    "active": "启用", "stage": "阶段", "file": "文件", "path": "请求地址", "format": "格式",
    "filters": "查询条件", "rows": "条数", "reason": "原因", "expires_at": "到期时间", "page": "页码",
    "fingerprint": "数据指纹", "floor": "目标下限", "stretch": "争取目标",
    "code": "编号", "investor": "投资方", "industry": "产业", "summary": "摘要", "occurred_on": "日期",
    "note": "备注", "amount": "金额", "currency": "币种", "kind": "类别", "ip": "地址",
}
# A project's records read in the labels its fields are declared with (domain.project_fields).
ENTITY_LABELS = {"project": {**FIELD_LABELS, **audit_labels()}}
# A project's money as the ledger writes it (万元, 万美元) in the currency recorded beside it, and
# its coded choices in words; each money column with its currency column and the currency its
# field is entered in when the record does not name one.
PROJECT_MONEY = {f.columns[0]: (f.columns[1], "USD" if f.unit == "万美元" else "CNY")
                 for f in project_fields() if f.kind == MONEY}
PROJECT_WORDS = {"key_level": KEY_LEVELS, "stage": STAGES, **{currency: CURRENCIES for currency, _ in PROJECT_MONEY.values()}}
REASONS = {"password": "修改或重置密码", "role_change": "角色或开发区变更", "disabled": "账号停用"}


def _zone_name(zone_id):
    zone = db.session.get(Zone, zone_id) if isinstance(zone_id, int) else None
    return zone.name if zone else zone_id


def _value(key: str, value, zones: dict | None = None, labels: dict = FIELD_LABELS):
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "role":
        return ROLES.get(value, value)
    if key == "zone_id":
        return zones.get(value, value) if zones is not None else _zone_name(value)
    if key == "reason":
        return REASONS.get(value, value)
    if isinstance(value, dict):
        return "；".join(f"{labels.get(k, k)}：{_value(k, v, zones, labels)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(str(_value(key, v, zones, labels)) for v in value)
    return value


def _project_value(key: str, value, record: dict):
    """A project record's value in the ledger's words, or None when the general reading serves."""
    if value is None or value == "":
        return None
    if key in PROJECT_MONEY:
        currency_key, entered_in = PROJECT_MONEY[key]
        try:
            return format_wan(Decimal(str(value)), record.get(currency_key) or entered_in)
        except (InvalidOperation, KeyError):
            return None
    return PROJECT_WORDS.get(key, {}).get(value)


def readable(values, zones: dict | None = None, entity: str | None = None) -> list[tuple[str, str]]:
    """before/after as (Chinese field name, value in words) pairs, in the labels of the record's
    entity; `zones` (id → name) when the caller fetched them at once, else each zone is looked up."""
    if not isinstance(values, dict):
        return [] if values in (None, "") else [("内容", str(values))]
    labels = ENTITY_LABELS.get(entity, FIELD_LABELS)
    shown = []
    for k, v in values.items():
        words = _project_value(k, v, values) if entity == "project" else None
        shown.append((labels.get(k, k), str(words if words is not None else _value(k, v, zones, labels))))
    return shown


def changes(before, after, zones: dict | None = None, entity: str | None = None) -> list[tuple[str, str]]:
    """before/after as the auditor reads them: 字段：原值 → 新值 when a record has both, else
    字段：值 (what was created, deleted or asked for)."""
    old, new = dict(readable(before, zones, entity)), dict(readable(after, zones, entity))
    if not old or not new:
        return list((old or new).items())
    lines = []
    for label in [*old, *(k for k in new if k not in old)]:
        was, now = old.get(label, "（空）"), new.get(label, "（空）")
        lines.append((label, now if was == now else f"{was} → {now}"))
    return lines


TIME_ZONE_NAMES = {"Asia/Shanghai": "北京时间", "Asia/Hong_Kong": "香港时间", "UTC": "协调世界时"}


def time_heading(time_zone: str, word: str = "时间") -> str:
    """A time column's heading, naming the zone the times are shown in (every page and export
    that shows times on the users' clock heads its column so)."""
    name = TIME_ZONE_NAMES.get(time_zone)
    return f"{word}（{name}，{time_zone}）" if name else f"{word}（{time_zone}）"


@dataclass
class AuditLine:
    """One record as the auditor reads it, on the page and in the export."""
    id: int
    time: str
    person: str
    ip: str
    action: str
    object: str
    zone: str
    changes: list[tuple[str, str]]   # (字段, 原值 → 新值)

    def changes_text(self) -> str:
        return "；".join(f"{label}：{value}" for label, value in self.changes)


def people(rows) -> dict[int, str]:
    """user id → name, for the records a page or a batch of the export shows (one query, always)."""
    ids = {row.user_id for row in rows if row.user_id is not None}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def person(row, names: dict[int, str]) -> str:
    """Who acted: 姓名（用户名）; the username alone once the user is gone; 命令行 or — else."""
    name = names.get(row.user_id)
    if name and row.username:
        return f"{name}（{row.username}）"
    return row.username or name or "—"


def lines(rows) -> list[AuditLine]:
    """Records in words, with the names of the people and objects fetched once for them all."""
    from app import audit
    from app.templating import local_time
    rows = list(rows)
    objects, persons = object_names(rows), people(rows)
    zone_ids = {row.zone_id for row in rows if row.zone_id is not None} | _zone_ids_in(rows)
    zones = dict(db.session.execute(select(Zone.id, Zone.name).where(Zone.id.in_(zone_ids))).all())
    result = []
    for row in rows:
        what = audit.ENTITIES.get(row.entity, row.entity)
        if row.entity_id is not None:
            named = objects.get((row.entity, row.entity_id))
            what += f"“{named}” #{row.entity_id}" if named else f" #{row.entity_id}"
        result.append(AuditLine(
            id=row.id, time=local_time(row.occurred_at, seconds=True), person=person(row, persons),
            ip=row.ip or "", action=audit.ACTIONS.get(row.action, row.action), object=what,
            zone="" if row.zone_id is None else zones.get(row.zone_id, str(row.zone_id)),
            changes=changes(row.before, row.after, zones, row.entity)))
    return result


def _zone_ids_in(rows) -> set[int]:
    """The zone ids before/after values name (a user's zone, say), at any depth."""
    found: set[int] = set()

    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif key == "zone_id" and isinstance(value, int) and not isinstance(value, bool):
            found.add(value)
    for row in rows:
        walk(row.before)
        walk(row.after)
    return found


def object_names(rows) -> dict[tuple[str, int], str]:
    """(entity, id) → the object's name, for the projects, users and zones a page shows."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        if row.entity_id is not None:
            wanted.setdefault(row.entity, set()).add(row.entity_id)
    names = {}
    for entity, model, column in (("project", Project, Project.name), ("user", User, User.name),
                                  ("zone", Zone, Zone.name)):
        # One query per kind, even for none: a page's query count does not depend on its rows.
        for id_, name in db.session.execute(select(model.id, column).where(model.id.in_(wanted.get(entity, ())))):
            names[(entity, id_)] = name
    return names


def _day(value: str | None) -> date | None:
    try:
        day = date.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2100 else None  # 9999-12-31 + 1 day would overflow


@dataclass
class AuditFilters:
    """Date range (days in the configured time zone, Beijing time; both inclusive), a person
    (username, or part of their name), action, entity kind and object (its number, or part of
    a project's, user's or zone's name)."""
    date_from: date | None = None
    date_to: date | None = None
    user: str = ""
    action: str = ""
    entity: str = ""
    object: str = ""
    time_zone: str = "Asia/Shanghai"

    @classmethod
    def from_args(cls, args, time_zone: str = "Asia/Shanghai") -> "AuditFilters":
        return cls(date_from=_day(args.get("from")), date_to=_day(args.get("to")),
                   user=args.get("user", "").strip()[:64], action=args.get("action", "").strip()[:40],
                   entity=args.get("entity", "").strip()[:40], object=args.get("object", "").strip()[:64],
                   time_zone=time_zone)

    def newest_first(self):
        return self.apply(select(AuditEvent)).order_by(AuditEvent.id.desc())

    def oldest_first(self):
        return self.apply(select(AuditEvent)).order_by(AuditEvent.id)

    def apply(self, query):
        if self.date_from:
            query = query.where(AuditEvent.occurred_at >= clock.start_of(self.date_from, ZoneInfo(self.time_zone)))
        if self.date_to:
            query = query.where(AuditEvent.occurred_at < clock.start_of(self.date_to + timedelta(days=1), ZoneInfo(self.time_zone)))
        if self.user:
            named = select(User.id).where(User.name.contains(self.user, autoescape=True))
            query = query.where(or_(AuditEvent.username == self.user, AuditEvent.user_id.in_(named)))
        if self.object:
            number = int(self.object) if self.object.isdigit() and len(self.object) <= 9 else None
            projects = select(Project.id).where(Project.name.contains(self.object, autoescape=True))
            users = select(User.id).where(or_(User.name.contains(self.object, autoescape=True),
                                              User.username == self.object))
            zones = select(Zone.id).where(Zone.name.contains(self.object, autoescape=True))
            query = query.where(or_(
                AuditEvent.entity_id == number if number is not None else false(),
                (AuditEvent.entity == "project") & AuditEvent.entity_id.in_(projects),
                (AuditEvent.entity == "user") & AuditEvent.entity_id.in_(users),
                (AuditEvent.entity == "zone") & AuditEvent.entity_id.in_(zones)))
        if self.action:
            query = query.where(AuditEvent.action == self.action)
        if self.entity:
            query = query.where(AuditEvent.entity == self.entity)
        return query

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v and k != "time_zone"}

    def as_args(self) -> dict:
        return {"from": self.date_from.isoformat() if self.date_from else None,
                "to": self.date_to.isoformat() if self.date_to else None,
                "user": self.user or None, "action": self.action or None, "entity": self.entity or None,
                "object": self.object or None}


def known_actions() -> list[str]:
    """Every action the trail holds, whether or not it has a Chinese name yet."""
    return db.session.scalars(select(AuditEvent.action).distinct()).all()


def events(query):
    """The events a query selects, streamed a few hundred at a time."""
    return db.session.scalars(query.execution_options(yield_per=BATCH))


BATCH = 500


def line_batches(query):
    """The records a query selects, in words, a batch at a time (the export streams them; the
    names of a batch are fetched while the stream's cursor stays open)."""
    batch = []
    for row in events(query):
        batch.append(row)
        if len(batch) == BATCH:
            yield lines(batch)
            batch = []
    if batch:
        yield lines(batch)
