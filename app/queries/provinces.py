"""The nation's desk by province: which provinces the zones are in, and one row per province.

A single-city (or single-province) install has one province value, often blank, and never
sees the index. The rows are aggregated in SQL (a few grouped queries over the whole nation,
whatever its size) and cached under the data version; each province's own desk is the Progress
built for its zones only (queries/progress.build_progress with `province`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from sqlalchemy import case, func, literal, select

from app.domain.pacing import Pace, expected_share
from app.extensions import db
from app.models import LEADER, LeaderMonth, LeaderProject, Project, User, Zone

from .cache import cached
from .progress import _in_year, _next_month, _not_dropped, _quota, targets_for, tier_sql, with_year_tiers

UNNAMED = "（未填写省份）"


@dataclass
class ProvinceRow:
    province: str            # as stored ("" for zones without one)
    zones: int
    tiers: dict[str, int]    # tier -> zones
    leaders: int
    contacted: int           # leaders' distinct projects, each credited up to the leader's quota
    quota: int               # the leaders' quotas summed
    signed: int              # projects signed in the year up to as-of and not dropped (引进)
    pace: Pace

    @property
    def label(self) -> str:
        return self.province or UNNAMED


@dataclass
class ProvinceIndex:
    year: int
    as_of: date
    share: Fraction
    rows: list[ProvinceRow]


def provinces() -> list[str]:
    """The distinct province values of the zones, sorted (blank first when some zone has none)."""
    return list(db.session.scalars(select(Zone.province).distinct().order_by(Zone.province)))


def is_national(names: list[str] | None = None) -> bool:
    """Zones span more than one province: the desk opens on the province index."""
    return len(provinces() if names is None else names) > 1


def ranked_within(zone: Zone) -> str | None:
    """The province a zone is ranked within (its own, in a national install), or None: the
    whole install, as a single city's desk ranks it."""
    return zone.province if is_national() else None


def province_index(year: int, as_of: date) -> ProvinceIndex:
    return cached("province-index", (year, as_of.isoformat()), lambda: compute_province_index(year, as_of))


def compute_province_index(year: int, as_of: date) -> ProvinceIndex:
    share = expected_share(year, as_of)
    by_tier = targets_for(year)
    tier = tier_sql()

    zones: dict[str, dict[str, int]] = {}
    for province, zone_tier, n in db.session.execute(
            with_year_tiers(select(Zone.province, tier, func.count()), year).group_by(Zone.province, tier)):
        zones.setdefault(province, {})[zone_tier] = n

    # Each active leader's count as of the date (the months up to it, less the rows first
    # contacted after it within its month), capped at the quota of the zone's tier, summed.
    counts = _leader_counts_sql(year, as_of)
    quota = case(*((tier == t, literal(_quota(by_tier, t))) for t in by_tier if t is not None), else_=literal(0))
    n = func.coalesce(counts.c.n, 0)
    leaders = {row.province: row for row in db.session.execute(with_year_tiers(
        select(Zone.province, func.count(User.id).label("leaders"), func.sum(quota).label("quota"),
               func.sum(case((n < quota, n), else_=quota)).label("contacted"))
        .select_from(User).join(Zone, Zone.id == User.zone_id)
        .outerjoin(counts, counts.c.leader_id == User.id), year)
        .where(User.role == LEADER, User.active.is_(True)).group_by(Zone.province))}

    signed = dict(db.session.execute(
        select(Zone.province, func.count(Project.id)).join(Zone, Zone.id == Project.zone_id)
        .where(_in_year(Project.signed_on, year, as_of), _not_dropped(as_of)).group_by(Zone.province)).all())

    rows = []
    for province in sorted(zones):
        led = leaders.get(province)
        contacted, total = (int(led.contacted or 0), int(led.quota or 0)) if led else (0, 0)
        rows.append(ProvinceRow(province, sum(zones[province].values()), zones[province], led.leaders if led else 0,
                                contacted, total, signed.get(province, 0), Pace(contacted, total, share)))
    return ProvinceIndex(year, as_of, share, rows)


def _leader_counts_sql(year: int, as_of: date):
    """leader id -> distinct projects contacted in the year up to as_of, as a subquery
    (the SQL of queries.progress.leader_counts, grouped in the database)."""
    if as_of < date(year, 1, 1):
        return select(LeaderMonth.leader_id, literal(0).label("n")).where(literal(False)).subquery()
    as_of = min(as_of, date(year, 12, 31))
    later = (select(LeaderProject.leader_id, func.count().label("later"))
             .where(LeaderProject.year == year, LeaderProject.first_contact_on > as_of,
                    LeaderProject.first_contact_on < _next_month(as_of))
             .group_by(LeaderProject.leader_id).subquery())
    totals = (select(LeaderMonth.leader_id, func.sum(LeaderMonth.projects).label("months"))
              .where(LeaderMonth.year == year, LeaderMonth.month <= as_of.month)
              .group_by(LeaderMonth.leader_id).subquery())
    return (select(totals.c.leader_id, (totals.c.months - func.coalesce(later.c.later, 0)).label("n"))
            .outerjoin(later, later.c.leader_id == totals.c.leader_id).subquery())



