"""The rows the printed reports typeset, and the archive's list: each list fetched in one or
two aggregated queries (no query per row).

The 引进 list uses the same SQL conditions as the figures in app/queries/progress.py, so the
projects listed are exactly the ones counted.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from app.domain import metrics as M
from app.domain.counting import ProjectFacts, is_foreign_origin, is_kind_and_size
from app.domain.money import Money, MoneyError, to_currency
from app.domain.pipeline import DROPPED, ORDER, StageDates, stage_as_of
from app.extensions import db
from app.models import Contact, Investor, Project, User, Zone, ZoneTier, contact_leaders
from app.models.project import ORIGINS
from app.queries.progress import metric_condition, rates_for, targets_for, threshold_flags, tier_sql
from reports.rows import ContactRow, CountedProject, LedgerProject

# The zone report lists the most advanced projects first.
ADVANCED_FIRST = ORDER[::-1]


def _money(amount, currency):
    return Money(amount, currency) if amount is not None else None


def _cny(money: Money | None, rates) -> object:
    if money is None:
        return None
    try:
        return to_currency(money.amount, money.currency, "CNY", rates)
    except MoneyError:
        return None


def counted_projects(year: int, as_of: date) -> list[CountedProject]:
    """Every project behind a zone's 引进 figures (外资/内资/制造业) as of a date, with the
    metrics it counts towards: one query, the tiers' conditions as columns."""
    by_tier, rates = targets_for(year), rates_for(year)
    columns, any_of = [], []
    introduced = [m.key for m in M.zone_metrics() if m.counted_by == M.BY_SIGNING]
    for metric in introduced:
        per_tier = [and_(tier_sql() == tier, metric_condition(metric, targets[metric].threshold, year, as_of, rates))
                    for tier, targets in by_tier.items() if tier is not None and metric in targets]
        if per_tier:
            condition = or_(*per_tier)
            columns.append(case((condition, 1), else_=0).label(metric))
            any_of.append(condition)
    if not any_of:
        return []
    query = (select(Project.zone_id, Zone.name.label("zone_name"), Project.name, Investor.name.label("investor"),
                    Investor.origin, Project.total_investment, Project.total_investment_currency,
                    Project.foreign_capital, Project.foreign_capital_currency, Project.stage, Project.entered_on,
                    Project.negotiating_on, Project.signed_on, Project.started_on, Project.produced_on,
                    Project.dropped_on, *columns)
             .join(Zone, Zone.id == Project.zone_id)
             .outerjoin(Investor, Investor.id == Project.investor_id)
             .outerjoin(ZoneTier, and_(ZoneTier.zone_id == Zone.id, ZoneTier.year == year))
             .where(or_(*any_of))
             .order_by(Zone.tier, Zone.code, Project.signed_on, Project.id))
    result = []
    for row in db.session.execute(query):
        values = row._mapping
        foreign = is_foreign_origin(row.origin)
        total = _money(row.total_investment, row.total_investment_currency)
        capital = _money(row.foreign_capital, row.foreign_capital_currency)
        result.append(CountedProject(
            zone_id=row.zone_id, zone_name=row.zone_name, name=row.name, investor=row.investor or "",
            origin_label=ORIGINS.get(row.origin or "CN", row.origin or ""), foreign=foreign,
            total_investment=total, foreign_capital=capital, signed_on=row.signed_on,
            stage=stage_as_of(StageDates(row.stage, row.entered_on, row.negotiating_on, row.signed_on, row.started_on,
                                        row.produced_on, row.dropped_on), as_of),
            metrics=tuple(m for m in introduced if values.get(m)),
            size_cny=_cny(total, rates) if total is not None else _cny(capital, rates),
        ))
    return result


def zone_ledger(zone_id: int, year: int) -> list[LedgerProject]:
    """A zone's projects that are not dropped, most advanced first, with the size thresholds
    each reaches: one query."""
    leader = aliased(User)
    flags, rates = threshold_flags(year), rates_for(year)
    order = case({stage: n for n, stage in enumerate(ADVANCED_FIRST)}, value=Project.stage, else_=len(ADVANCED_FIRST))
    query = (select(Project, Investor.name.label("investor"), Investor.origin, leader.name.label("leader_name"))
             .outerjoin(Investor, Investor.id == Project.investor_id)
             .outerjoin(leader, leader.id == Project.leader_id)
             .where(Project.zone_id == zone_id, Project.stage != DROPPED)
             .order_by(order, Project.next_step_on.is_(None), Project.next_step_on, Project.id))
    result = []
    for p, investor, origin, leader_name in db.session.execute(query):
        foreign = is_foreign_origin(origin)
        facts = ProjectFacts(planned_on=p.planned_on, is_foreign=foreign, is_manufacturing=p.is_manufacturing,
                             is_industrial=p.is_industrial, total_investment=p.total_investment_money,
                             foreign_capital=p.foreign_capital_money, key_level=p.key_level)
        reached = tuple(f.label for f in flags if is_kind_and_size(facts, f.metric, f.threshold, rates))
        result.append(LedgerProject(
            code=p.code or "", name=p.name, investor=investor or "", origin_label=ORIGINS.get(origin or "CN", ""),
            foreign=foreign, total_investment=p.total_investment_money, foreign_capital=p.foreign_capital_money,
            stage=p.stage, key_level=p.key_level, leader_name=leader_name or "", last_contact_on=p.last_contact_on,
            next_step=p.next_step or "", next_step_on=p.next_step_on, flags=reached,
        ))
    return result


def leader_contacts(leader: User, start: date, end: date) -> list[ContactRow]:
    """A leader's contacts in a period, oldest first, with the other leaders who took part:
    one query for the contacts and their projects, one for all their leaders."""
    query = (select(Contact)
             .join(contact_leaders, contact_leaders.c.contact_id == Contact.id)
             .where(contact_leaders.c.user_id == leader.id, Contact.occurred_on >= start, Contact.occurred_on <= end)
             .options(joinedload(Contact.project), selectinload(Contact.leaders))
             .order_by(Contact.occurred_on, Contact.id))
    return [ContactRow(
        occurred_on=c.occurred_on, project_name=c.project.name, project_stage=c.project.stage, form=c.form,
        summary=c.summary, next_step=c.next_step or "", next_step_on=c.next_step_on,
        other_leaders=tuple(l.name for l in c.leaders if l.id != leader.id),
    ) for c in db.session.scalars(query).unique()]
