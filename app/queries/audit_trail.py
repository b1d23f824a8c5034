"""Searching the audit trail for the auditor."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent



def _day(value: str | None) -> date | None:
    try:
        day = date.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2100 else None  # 9999-12-31 + 1 day would overflow


@dataclass
class AuditFilters:
    """Date range (UTC days, both inclusive), username, action and entity."""
    date_from: date | None = None
    date_to: date | None = None
    user: str = ""
    action: str = ""
    entity: str = ""

    @classmethod
    def from_args(cls, args) -> "AuditFilters":
        return cls(date_from=_day(args.get("from")), date_to=_day(args.get("to")),
                   user=args.get("user", "").strip()[:64], action=args.get("action", "").strip()[:40],
                   entity=args.get("entity", "").strip()[:40])

    def newest_first(self):
        return self.apply(select(AuditEvent)).order_by(AuditEvent.id.desc())

    def oldest_first(self):
        return self.apply(select(AuditEvent)).order_by(AuditEvent.id)

    def apply(self, query):
        if self.date_from:
            query = query.where(AuditEvent.occurred_at >= datetime.combine(self.date_from, time.min))
        if self.date_to:
            query = query.where(AuditEvent.occurred_at < datetime.combine(self.date_to + timedelta(days=1), time.min))
        if self.user:
            query = query.where(AuditEvent.username == self.user)
        if self.action:
            query = query.where(AuditEvent.action == self.action)
        if self.entity:
            query = query.where(AuditEvent.entity == self.entity)
        return query

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v}

    def as_args(self) -> dict:
        return {"from": self.date_from.isoformat() if self.date_from else None,
                "to": self.date_to.isoformat() if self.date_to else None,
                "user": self.user or None, "action": self.action or None, "entity": self.entity or None}


def known_actions() -> list[str]:
    """Every action the trail holds, whether or not it has a Chinese name yet."""
    return db.session.scalars(select(AuditEvent.action).distinct()).all()


def events(query):
    """The events a query selects, streamed a few hundred at a time."""
    return db.session.scalars(query.execution_options(yield_per=500))
