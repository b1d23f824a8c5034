"""Reading money that arrives: zone sums of arrivals and monthly indicators, and the rows
behind every figure (the drill-downs). The sums are SQL twins of domain.funds; the progress
object (queries.progress) builds its amount and growth metrics from them, aggregated for
every zone at once."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.domain.funds import FDI, REVENUE, to_cent
from app.domain.money import to_currency
from app.extensions import db
from app.models import FundsArrival, Project, Zone, ZoneMonthly

ZERO = Decimal("0.00")


def _year_span(year: int, as_of: date) -> tuple[date, date]:
    return date(year, 1, 1), min(as_of, date(year, 12, 31))


def arrived_by_zone(year: int, as_of: date, rates, currency: str = "CNY") -> dict[int, Decimal]:
    """zone id -> arrivals dated in `year` up to as_of, in `currency` at the year's rates: one
    grouped query (per currency), converted exactly, rounded to the cent once per zone."""
    first, last = _year_span(year, as_of)
    if last < first:
        return {}
    rows = db.session.execute(
        select(FundsArrival.zone_id, FundsArrival.currency, func.sum(FundsArrival.amount))
        .where(FundsArrival.arrived_on >= first, FundsArrival.arrived_on <= last)
        .group_by(FundsArrival.zone_id, FundsArrival.currency))
    exact: dict[int, Decimal] = {}
    for zone_id, code, total in rows:
        exact[zone_id] = exact.get(zone_id, Decimal(0)) + to_currency(Decimal(total), code, currency, rates)
    return {zone_id: to_cent(v) for zone_id, v in exact.items()}


def monthly_by_zone(year: int, months: int) -> dict[int, dict[str, Decimal]]:
    """zone id -> {revenue, fdi}: the sums of months 1..months of `year`."""
    if months <= 0:
        return {}
    rows = db.session.execute(
        select(ZoneMonthly.zone_id, func.sum(ZoneMonthly.revenue), func.sum(ZoneMonthly.fdi))
        .where(ZoneMonthly.year == year, ZoneMonthly.month <= months).group_by(ZoneMonthly.zone_id))
    return {zone_id: {REVENUE: _dec(revenue), FDI: _dec(fdi)} for zone_id, revenue, fdi in rows}


def _dec(value) -> Decimal:
    return ZERO if value is None else Decimal(value).quantize(Decimal("0.01"))


# ---------------------------------------------------------------- the rows behind the figures

def arrivals_behind(year: int, as_of: date, zone_id: int | None = None) -> list[FundsArrival]:
    first, last = _year_span(year, as_of)
    query = (select(FundsArrival).where(FundsArrival.arrived_on >= first, FundsArrival.arrived_on <= last)
             .options(joinedload(FundsArrival.project))
             .order_by(FundsArrival.zone_id, FundsArrival.arrived_on, FundsArrival.id))
    if zone_id is not None:
        query = query.where(FundsArrival.zone_id == zone_id)
    return db.session.scalars(query).all()


def monthly_rows(years: list[int], zone_id: int | None = None) -> list[ZoneMonthly]:
    query = (select(ZoneMonthly).where(ZoneMonthly.year.in_(years)).options(joinedload(ZoneMonthly.zone))
             .order_by(ZoneMonthly.zone_id, ZoneMonthly.year, ZoneMonthly.month))
    if zone_id is not None:
        query = query.where(ZoneMonthly.zone_id == zone_id)
    return db.session.scalars(query).all()


def zone_month(zone_id: int, year: int, month: int) -> ZoneMonthly | None:
    return db.session.scalar(select(ZoneMonthly).where(ZoneMonthly.zone_id == zone_id, ZoneMonthly.year == year,
                                                       ZoneMonthly.month == month))


def zone_arrivals(zone_id: int) -> list[FundsArrival]:
    """Every arrival of a zone with its project, by date (the ledger export's 到位资金 sheet)."""
    return db.session.scalars(select(FundsArrival).where(FundsArrival.zone_id == zone_id)
                              .options(joinedload(FundsArrival.project))
                              .order_by(FundsArrival.arrived_on, FundsArrival.id)).all()


def city_arrivals(as_of: date) -> list[FundsArrival]:
    """Every zone's arrivals up to as_of with project and zone, zone by zone, by date (the
    city-wide ledger export's 到位资金 sheet)."""
    return db.session.scalars(select(FundsArrival).where(FundsArrival.arrived_on <= as_of)
                              .options(joinedload(FundsArrival.project).joinedload(Project.zone))
                              .join(Zone, Zone.id == FundsArrival.zone_id)
                              .order_by(Zone.tier, Zone.code, FundsArrival.arrived_on, FundsArrival.id)).all()


def project_arrivals(project_id: int) -> list[FundsArrival]:
    return db.session.scalars(select(FundsArrival).where(FundsArrival.project_id == project_id)
                              .order_by(FundsArrival.arrived_on, FundsArrival.id)).all()


@dataclass
class ProjectFunds:
    """A project's promise against what arrived: per year (each at its year's rates) and in all."""
    promised_total: object            # Money | None: total investment
    promised_foreign: object          # Money | None: contracted foreign capital
    by_year: list[tuple[int, Decimal, Decimal | None]]   # (year, CNY, USD or None without a USD rate)
    total_cny: Decimal
    total_usd: Decimal | None
    missing_rates: list[int]


def project_funds(project: Project, arrivals: list[FundsArrival], rates_by_year) -> ProjectFunds:
    from app.domain.funds import ArrivalFacts, arrived_by_year
    from app.domain.money import MoneyError
    facts = [ArrivalFacts(a.project_id, a.zone_id, a.arrived_on, a.money, a.kind) for a in arrivals]
    missing = []
    try:
        cny = arrived_by_year(facts, rates_by_year, "CNY")
    except MoneyError:
        cny, missing = {}, sorted({a.on.year for a in facts})
    try:
        usd = arrived_by_year(facts, rates_by_year, "USD")
    except MoneyError:
        usd = None
    rows = [(y, v, usd.get(y) if usd is not None else None) for y, v in sorted(cny.items())]
    return ProjectFunds(project.total_investment_money, project.foreign_capital_money, rows,
                        sum((v for _, v, _ in rows), ZERO),
                        sum((u for _, _, u in rows), ZERO) if usd is not None else None, missing)
