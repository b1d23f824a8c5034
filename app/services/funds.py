"""Writing money that arrives: a project's funds arrivals, and the zones' monthly indicators.

Each write checks the rules (domain.funds), writes, and records the audit trail in the same
session; the caller commits. A monthly figure that changes one already reported is a
correction and needs its reason, which the audit record keeps.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app import audit
from app.domain.funds import ARRIVAL_KINDS, FundsError, arrival_error, monthly_error
from app.domain.money import Money
from app.domain.period import check_year
from app.database import insert_ids
from app.extensions import db
from app.models import FundsArrival, Project, User, ZoneMonthly
from app.clock import utcnow
from .. import clock


@dataclass
class ArrivalInput:
    arrived_on: date | None
    amount: Money | None
    kind: str
    source_note: str = ""
    voucher_ref: str = ""


def _values(a: FundsArrival) -> dict:
    return {"project_id": a.project_id, "arrived_on": a.arrived_on, "amount": a.amount, "currency": a.currency,
            "kind": a.kind, "source_note": a.source_note, "voucher_ref": a.voucher_ref}


def check_arrival(data: ArrivalInput, today: date) -> None:
    error = arrival_error(data.arrived_on, data.amount, data.kind, today)
    if error:
        field = "arrived_on" if "日期" in error else ("kind" if "类别" in error else "amount")
        raise FundsError(error, field)
    if len(data.source_note or "") > 200:
        raise FundsError("资金来源说明最多200字", "source_note")
    if len(data.voucher_ref or "") > 64:
        raise FundsError("凭证号最多64个字符", "voucher_ref")


def add_arrival(project: Project, data: ArrivalInput, user: User | None, today: date | None = None) -> FundsArrival:
    """Record one arrival of funds for a project (to_input of a form, the API or an import row)."""
    check_arrival(data, today or clock.today())
    arrival = FundsArrival(project_id=project.id, zone_id=project.zone_id, arrived_on=data.arrived_on,
                           amount=data.amount.amount, currency=data.amount.currency, kind=data.kind,
                           source_note=(data.source_note or "").strip(),
                           voucher_ref=(data.voucher_ref or "").strip() or None,
                           recorded_by_id=user.id if user is not None else None)
    db.session.add(arrival)
    db.session.flush()
    audit.record("create", "funds_arrival", arrival.id, after=_values(arrival), zone_id=project.zone_id,
                 **_who(user))
    return arrival


class ArrivalBatchError(FundsError):
    """An arrival of a batch that cannot be recorded; `index` is its place in the batch."""

    def __init__(self, message: str, field: str | None, index: int):
        super().__init__(message, field)
        self.index = index


def add_arrivals(items: list[tuple[object, ArrivalInput]], user: User | None, today: date | None = None) -> list[int]:
    """Record many arrivals at once (the import): each checked as add_arrival checks it, then
    inserted with one statement per batch and audited like add_arrival (one `create
    funds_arrival` record each). `items` are (project, input); a project is anything with `id`
    and `zone_id`. Returns the new ids in order; a refused item raises ArrivalBatchError naming it."""
    today = today or clock.today()
    rows = []
    for index, (project, data) in enumerate(items):
        try:
            check_arrival(data, today)
        except FundsError as error:
            raise ArrivalBatchError(str(error), error.field, index) from error
        rows.append({"project_id": project.id, "zone_id": project.zone_id, "arrived_on": data.arrived_on,
                     "amount": data.amount.amount, "currency": data.amount.currency, "kind": data.kind,
                     "source_note": (data.source_note or "").strip(),
                     "voucher_ref": (data.voucher_ref or "").strip() or None,
                     "recorded_by_id": user.id if user is not None else None, "recorded_at": utcnow()})
    ids = insert_ids(FundsArrival.__table__, rows)
    audit.record_many([audit.values("create", "funds_arrival", arrival_id, zone_id=row["zone_id"], **_who(user),
                                    after={key: row[key] for key in AUDITED})
                       for arrival_id, row in zip(ids, rows)])
    return ids


AUDITED = ("project_id", "arrived_on", "amount", "currency", "kind", "source_note", "voucher_ref")


def delete_arrival(arrival: FundsArrival, user: User | None, reason: str) -> None:
    """Remove an arrival entered in error; the audit record keeps it and the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise FundsError("删除到位资金须说明原因", "reason")
    audit.record("delete", "funds_arrival", arrival.id, before=_values(arrival), after={"reason": reason},
                 zone_id=arrival.zone_id, **_who(user))
    db.session.delete(arrival)


@dataclass
class MonthlyInput:
    zone_id: int
    year: int
    month: int
    revenue: Money | None      # CNY
    fdi: Money | None          # USD
    reason: str = ""           # required when it changes a figure already reported


def report_month(data: MonthlyInput, user: User | None, today: date | None = None) -> tuple[ZoneMonthly, bool]:
    """Save a zone's month. Returns (row, changed). A correction of a reported figure needs a
    reason; both the figures before and after and the reason go to the audit trail."""
    check_year(data.year)
    error = monthly_error(data.year, data.month, data.revenue, data.fdi, today or clock.today())
    if error:
        raise FundsError(error, "month" if "月份" in error else "revenue")
    row = db.session.scalar(select(ZoneMonthly).where(ZoneMonthly.zone_id == data.zone_id,
                                                      ZoneMonthly.year == data.year, ZoneMonthly.month == data.month))
    revenue = data.revenue.amount if data.revenue else None
    fdi = data.fdi.amount if data.fdi else None
    if row is None:
        row = ZoneMonthly(zone_id=data.zone_id, year=data.year, month=data.month, revenue=revenue, fdi=fdi,
                          updated_by_id=user.id if user is not None else None)
        db.session.add(row)
        db.session.flush()
        audit.record("create", "zone_monthly", row.id, after=_monthly_values(row), zone_id=data.zone_id,
                     **_who(user))
        return row, True
    before = _monthly_values(row)
    after = {**before, "revenue": _text(revenue), "fdi": _text(fdi)}
    if after == before:
        return row, False
    reason = (data.reason or "").strip()
    if not reason:
        raise FundsError(f"{data.year}年{data.month}月已报送，更正须说明原因", "reason")
    row.revenue, row.fdi = revenue, fdi
    row.updated_by_id = user.id if user is not None else None
    audit.record("update", "zone_monthly", row.id, before=before, after={**after, "reason": reason},
                 zone_id=data.zone_id, **_who(user))
    return row, True


def _monthly_values(row: ZoneMonthly) -> dict:
    return {"zone_id": row.zone_id, "year": row.year, "month": row.month,
            "revenue": _text(row.revenue), "fdi": _text(row.fdi)}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def _who(user):
    return {} if user is None else {"user": user}


__all__ = ["ARRIVAL_KINDS", "ArrivalBatchError", "ArrivalInput", "MonthlyInput", "FundsError", "add_arrival",
           "add_arrivals", "delete_arrival",
           "report_month"]
