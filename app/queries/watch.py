"""Watch lists for the bureau: what needs a reviewer's attention, each list from one query."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload

from app.domain.pipeline import DROPPED, OPEN_STAGES
from app.extensions import db
from app.models import Investor, Project, Zone
from .progress import kind_and_size_condition, rates_for, threshold_flags

STALE_DAYS = 30
SHARED_SHOWN = 50


@dataclass(frozen=True)
class StaleFilters:
    """Narrowing and order of the stale list: by zone, the zone's tier, the leader in charge."""
    zone_id: int | None = None
    tier: str | None = None
    leader_id: int | None = None
    sort: str = "quiet"


# Sort orders of the stale list; the default puts the longest silent first.
STALE_SORTS = {
    "quiet": lambda: (Project.last_contact_on.asc().nulls_first(), Project.id),
    "recent": lambda: (Project.last_contact_on.desc().nulls_last(), Project.id),
    "zone": lambda: (Zone.tier, Zone.code, Project.last_contact_on.asc().nulls_first(), Project.id),
    "leader": lambda: (Project.leader_id.is_(None), Project.leader_id, Project.last_contact_on.asc().nulls_first(),
                       Project.id),
    "name": lambda: (Project.name, Project.id),
}
STALE_SORT_LABELS = {"quiet": "未对接时间最长", "recent": "最近对接在前", "zone": "按开发区", "leader": "按分包领导",
                     "name": "按项目名称"}


def stale_projects(today: date, days: int = STALE_DAYS, filters: StaleFilters = StaleFilters()):
    """SELECT of open projects with no contact for `days` days (never contacted: since entry),
    to page through; `all_stale_projects` gives every one of them."""
    cutoff = today - timedelta(days=days)
    query = (select(Project).join(Zone, Zone.id == Project.zone_id).where(
                Project.stage.in_(OPEN_STAGES),
                or_(Project.last_contact_on < cutoff,
                    Project.last_contact_on.is_(None) & (Project.created_at < cutoff)))
             .options(joinedload(Project.zone), joinedload(Project.investor), joinedload(Project.leader)))
    if filters.zone_id is not None:
        query = query.where(Project.zone_id == filters.zone_id)
    if filters.tier is not None:
        query = query.where(Zone.tier == filters.tier)
    if filters.leader_id is not None:
        query = query.where(Project.leader_id == filters.leader_id)
    return query.order_by(*STALE_SORTS.get(filters.sort, STALE_SORTS["quiet"])())


def all_stale_projects(today: date, days: int = STALE_DAYS, filters: StaleFilters = StaleFilters()) -> list[Project]:
    return db.session.scalars(stale_projects(today, days, filters)).unique().all()


def stale_count(today: date, days: int, zone_id: int) -> int:
    query = stale_projects(today, days, StaleFilters(zone_id=zone_id)).order_by(None)
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


@dataclass
class FlagCount:
    flag: object
    open_projects: int


def threshold_counts(year: int) -> list[FlagCount]:
    """How many open projects carry each size flag (外资≥5000万美元, 内资≥10亿元, ...)."""
    rates = rates_for(year)
    flags = threshold_flags(year)
    if not flags:
        return []
    columns = [func.sum(case((kind_and_size_condition(f.metric, f.threshold, rates), 1), else_=0)) for f in flags]
    row = db.session.execute(select(*columns).where(Project.stage != DROPPED)).one()
    return [FlagCount(f, int(n or 0)) for f, n in zip(flags, row)]


@dataclass
class SharedInvestor:
    key: str
    by: str  # "名称" or "统一社会信用代码"
    entries: list  # (zone name, investor name, project count)


def shared_investors(limit: int = 200) -> list[SharedInvestor]:
    """The same investor pursued by two or more zones: by normalised name, or by USCI."""
    groups = []
    for column, label in ((Investor.name_key, "名称"), (Investor.usci, "统一社会信用代码")):
        keys = (select(column).where(column.is_not(None), column != "")
                .group_by(column).having(func.count(func.distinct(Investor.zone_id)) > 1)
                .order_by(column).limit(limit).subquery())
        rows = db.session.execute(
            select(column, Zone.name, Investor.name, func.count(Project.id))
            .join(Zone, Zone.id == Investor.zone_id)
            .outerjoin(Project, Project.investor_id == Investor.id)
            .where(column.in_(select(keys)))
            .group_by(column, Zone.name, Investor.name)
            .order_by(column, Zone.name)).all()
        current = None
        for key, zone_name, investor_name, projects in rows:
            if current is None or current.key != key:
                current = SharedInvestor(key, label, [])
                groups.append(current)
            current.entries.append((zone_name, investor_name, projects))
    return groups
