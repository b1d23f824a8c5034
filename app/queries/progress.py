"""The one place that turns the database into progress numbers for a year and an as-of date.

SQL does the counting; the conditions mirror `domain.counting` rule for rule, and
`tests/test_progress_agrees.py` recounts random data through the domain to prove it. Every
screen, `progress --json` and (later) the reports render the object built here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import and_, case, false, func, or_, select, true
from sqlalchemy.orm import joinedload

from app.domain import ranking
from app.domain import metrics as M
from app.domain import targets as T
from app.domain.counting import is_kind_and_size, zone_leader_total
from app.domain.money import Money, MoneyError, format_threshold, minimum_in_currency
from app.domain import funds as F
from app.domain.funds import Growth, format_wan, months_through
from app.domain.pacing import Pace, ValuePace, expected_share
from app.domain.pipeline import DROPPED, LEAD, NEGOTIATING, PRODUCING, SIGNED, STARTED
from app.extensions import db
from app.models import LEADER, FxRate, LeaderMonth, LeaderProject, Project, Target, User, Zone, ZoneTier


@dataclass
class MetricProgress:
    metric: str
    floor: int
    stretch: int | None
    actual: int
    threshold: Money | None
    pace: Pace

    @property
    def label(self) -> str:
        return M.label(self.metric)

    @property
    def threshold_label(self) -> str:
        return f"≥{format_threshold(self.threshold)}" if self.threshold else ""


@dataclass
class ValueProgress:
    """An amount or growth metric (domain.funds): exact Decimals, never floats.

    Amount metrics: `actual` is the year-to-date sum in `currency` (to the cent), `floor` and
    `stretch` the yearly target in the same currency. Growth metrics: `actual` is the growth
    in percent to two decimals (None when the base is zero: 上年同期为零), `floor` the target
    rate. Both carry `current` (this period's sum) and `base` (the same period last year)."""
    metric: str
    measures: str
    currency: str
    floor: Decimal
    stretch: Decimal | None
    actual: Decimal | None
    current: Decimal
    base: Decimal
    pace: ValuePace

    @property
    def label(self) -> str:
        return M.label(self.metric)

    @property
    def is_growth(self) -> bool:
        return self.measures == M.GROWTH

    @property
    def growth(self) -> Growth:
        return Growth(self.current, self.base)

    @property
    def actual_label(self) -> str:
        if self.is_growth:
            return self.growth.label
        return format_wan(self.actual, self.currency)

    @property
    def floor_label(self) -> str:
        return f"{self.floor}%" if self.is_growth else format_wan(self.floor, self.currency)

    @property
    def stretch_label(self) -> str:
        if self.stretch is None:
            return ""
        return f"{self.stretch}%" if self.is_growth else format_wan(self.stretch, self.currency)

    def to_dict(self) -> dict:
        growth = self.growth
        return {"metric": self.metric, "measures": self.measures, "unit": M.get(self.metric).unit,
                "currency": self.currency, "floor": str(self.floor),
                "stretch": None if self.stretch is None else str(self.stretch),
                "actual": None if self.actual is None else str(self.actual),
                "current": str(self.current), "base": str(self.base),
                "growth_pct": None if growth.percent is None else str(growth.percent),
                "base_zero": self.base == 0, "on_pace": self.pace.on_pace, "status": self.pace.status}


@dataclass
class LeaderProgress:
    id: int
    username: str
    name: str
    zone_id: int
    zone_code: str
    zone_name: str
    tier: str
    quota: int
    contacted: int
    pace: Pace


@dataclass
class ZoneProgress:
    id: int
    code: str
    name: str
    county: str
    tier: str
    metrics: list[MetricProgress]
    leaders: list[LeaderProgress] = field(default_factory=list)
    score: Fraction = Fraction(0)
    rank_in_tier: int = 0
    values: list[ValueProgress] = field(default_factory=list)   # amount and growth metrics
    by_metric: dict[str, MetricProgress] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        self.by_metric = {m.metric: m for m in self.metrics}

    def metric(self, key: str) -> MetricProgress | None:
        return self.by_metric.get(key)

    def value(self, key: str) -> ValueProgress | None:
        return next((v for v in self.values if v.metric == key), None)

    def results(self) -> list[ranking.MetricResult]:
        """Every metric with a target, as the ranking rule reads it."""
        return ([ranking.MetricResult(m.metric, m.actual, m.floor, m.stretch) for m in self.metrics]
                + [ranking.MetricResult(v.metric, v.actual, v.floor, v.stretch, is_rate=v.is_growth)
                   for v in self.values])


@dataclass
class Period:
    """The year and date a page reports on, and the 序时进度 share there."""
    year: int
    as_of: date
    share: Fraction


@dataclass
class Progress(Period):
    zones: list[ZoneProgress]
    leaders: list[LeaderProgress]
    city: list[MetricProgress]
    city_values: list[ValueProgress] = field(default_factory=list)

    def zones_in_tier(self, tier: str) -> list[ZoneProgress]:
        return sorted((z for z in self.zones if z.tier == tier), key=lambda z: (z.rank_in_tier, z.code))

    def zone(self, zone_id: int) -> ZoneProgress | None:
        return next((z for z in self.zones if z.id == zone_id), None)

    def to_dict(self) -> dict:
        """The `progress --json` contract."""
        return {
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "expected_share": float(round(Decimal(self.share.numerator) / self.share.denominator, 4)),
            "leaders": [
                {"username": l.username, "zone": l.zone_code, "quota": l.quota,
                 "contacted_projects": l.contacted, "on_pace": l.pace.on_pace}
                for l in self.leaders
            ],
            "zones": [
                {"zone": z.code, "tier": z.tier, "rank_in_tier": z.rank_in_tier, "metrics": [
                    {"metric": m.metric, "floor": m.floor, "stretch": m.stretch,
                     "actual": m.actual, "on_pace": m.pace.on_pace}
                    for m in z.metrics
                ]}
                for z in self.zones
            ],
            "city": {m.metric: {"target": m.floor, "actual": m.actual} for m in self.city},
            # Added by issue 19 (README, progress --json): amount and growth metrics, exact
            # decimals as strings, per zone and city-wide.
            "zone_values": [{"zone": z.code, "values": [v.to_dict() for v in z.values]}
                            for z in self.zones if z.values],
            "city_values": [v.to_dict() for v in self.city_values],
        }


# ---------------------------------------------------------------- reference data

def targets_for(year: int) -> dict[str | None, dict[str, T.Target]]:
    """tier (None for city-wide) -> metric -> target, for one year."""
    result: dict[str | None, dict[str, T.Target]] = {}
    for row in db.session.scalars(select(Target).where(Target.year == year)):
        result.setdefault(row.tier, {})[row.metric] = row.value()
    return result


def tier_sql():
    """The tier each zone had in the year zone_tiers was joined for (see with_year_tiers)."""
    return func.coalesce(ZoneTier.tier, Zone.tier)


def with_year_tiers(query, year: int):
    return query.outerjoin(ZoneTier, and_(ZoneTier.zone_id == Zone.id, ZoneTier.year == year))


def tier_of(zone: Zone, year: int) -> str:
    return db.session.scalar(select(ZoneTier.tier).where(ZoneTier.zone_id == zone.id, ZoneTier.year == year)) \
        or zone.tier


def rates_for(year: int) -> dict[str, Decimal]:
    """currency -> CNY per unit in `year`, by currency code."""
    return {r.currency: r.rate for r in db.session.scalars(select(FxRate).where(FxRate.year == year)
                                                           .order_by(FxRate.currency))}


# ---------------------------------------------------------------- SQL conditions

def meets_threshold_sql(amount, currency, threshold: Money | None, rates):
    """SQL twin of domain.money.meets_threshold: per stored currency, the exact minimum."""
    if threshold is None or threshold.amount == 0:
        return true()
    conditions = []
    for code in sorted(set(rates) | {"CNY", threshold.currency}):
        try:
            minimum = minimum_in_currency(threshold, code, rates)
        except MoneyError:
            continue
        conditions.append(and_(currency == code, amount >= minimum))
    return or_(*conditions) if conditions else false()


def _in_year(column, year: int, as_of: date):
    return and_(column >= date(year, 1, 1), column <= min(as_of, date(year, 12, 31)))


# The SQL twin of each project metric's kind (domain.metrics): a new count metric is its
# registry entry plus its condition here; tests/test_progress_agrees.py proves them equal.
_KIND_SQL: dict[str, Callable[[], object]] = {
    M.FOREIGN: lambda: Project.is_foreign.is_(True),
    M.DOMESTIC: lambda: Project.is_foreign.is_(False),
    M.MANUFACTURING: lambda: Project.is_manufacturing.is_(True),
    M.PROVINCIAL_KEY: lambda: Project.key_level == M.PROVINCIAL,
    M.MUNICIPAL_KEY: lambda: Project.key_level == M.MUNICIPAL,
    M.NEW_START_INDUSTRIAL: lambda: Project.is_industrial.is_(True),
}
_AMOUNTS = {M.TOTAL_INVESTMENT: (Project.total_investment, Project.total_investment_currency),
            M.FOREIGN_CAPITAL: (Project.foreign_capital, Project.foreign_capital_currency)}


def register_kind_sql(metric: str, condition: Callable[[], object]) -> None:
    """Give a registered metric its SQL condition (the twin of its `kind`)."""
    _KIND_SQL[metric] = condition


def unregister_kind_sql(metric: str) -> None:
    del _KIND_SQL[metric]


def _date_column(metric: M.Metric):
    return getattr(Project, metric.counted_by)


def kind_and_size_condition(metric: str, threshold: Money | None, rates):
    """SQL twin of domain.counting.is_kind_and_size."""
    m = M.get(metric)
    if not m.counts_projects:
        raise ValueError(f"not a project metric: {metric}")
    kind = _KIND_SQL[metric]()
    if m.sized_by is None:
        return kind
    return and_(kind, meets_threshold_sql(*_AMOUNTS[m.sized_by], threshold, rates))


def _not_dropped(as_of: date):
    return or_(Project.dropped_on.is_(None), Project.dropped_on > as_of)


def metric_condition(metric: str, threshold: Money | None, year: int, as_of: date, rates):
    """SQL twin of domain.counting.counts_towards."""
    m = M.get(metric)
    condition = and_(kind_and_size_condition(metric, threshold, rates), _in_year(_date_column(m), year, as_of))
    return and_(condition, _not_dropped(as_of)) if m.stops_when_dropped else condition


def projects_counted(metric: str, year: int, as_of: date, zone: Zone | None = None) -> list[Project]:
    """The projects behind one number (a zone's metric, or the city's when zone is None)."""
    target = targets_for(year).get(tier_of(zone, year) if zone else None, {}).get(metric)
    if target is None:
        return []
    query = (select(Project).where(metric_condition(metric, target.threshold, year, as_of, rates_for(year)))
             .options(joinedload(Project.investor), joinedload(Project.zone), joinedload(Project.leader))
             .order_by(Project.zone_id, _date_column(M.get(metric)), Project.id))
    if zone is not None:
        query = query.where(Project.zone_id == zone.id)
    return db.session.scalars(query).all()


def projects_contacted(leader_id: int, year: int, as_of: date) -> list[tuple[Project, date]]:
    """The distinct projects behind a leader's quota count, with the first contact day, newest first."""
    return db.session.execute(
        select(Project, LeaderProject.first_contact_on)
        .join(LeaderProject, LeaderProject.project_id == Project.id)
        .where(LeaderProject.leader_id == leader_id, LeaderProject.year == year,
               LeaderProject.first_contact_on <= as_of)
        .options(joinedload(Project.investor))
        .order_by(LeaderProject.first_contact_on.desc(), Project.id.desc())
    ).all()


def stage_as_of_sql(as_of: date):
    """SQL twin of domain.pipeline.stage_as_of (for projects entered by as_of)."""
    return case(
        (Project.dropped_on <= as_of, DROPPED), (Project.produced_on <= as_of, PRODUCING),
        (Project.started_on <= as_of, STARTED), (Project.signed_on <= as_of, SIGNED),
        (Project.negotiating_on <= as_of, NEGOTIATING), else_=LEAD)


def stage_counts(as_of: date) -> dict[int, dict[str, int]]:
    """zone id -> stage -> number of projects at that stage on as_of."""
    stage = stage_as_of_sql(as_of).label("stage_then")
    rows = db.session.execute(select(Project.zone_id, stage, func.count())
                              .where(Project.entered_on <= as_of).group_by(Project.zone_id, stage))
    counts: dict[int, dict[str, int]] = {}
    for zone_id, stage_then, n in rows:
        counts.setdefault(zone_id, {})[stage_then] = n
    return counts


# ---------------------------------------------------------------- threshold flags

@dataclass(frozen=True)
class Flag:
    """A size threshold from the year's targets, shown on the ledger (e.g. 外资≥5000万美元)."""
    metric: str
    threshold: Money

    @property
    def key(self) -> str:
        return f"{self.metric}-{self.threshold.amount.normalize():f}{self.threshold.currency}"

    @property
    def label(self) -> str:
        return f"{M.get(self.metric).short_label}≥{format_threshold(self.threshold)}"


def threshold_flags(year: int) -> list[Flag]:
    flags = {
        Flag(target.metric, target.threshold)
        for targets in targets_for(year).values() for target in targets.values()
        if _flags_size(target.metric) and target.threshold is not None and target.threshold.amount > 0
    }
    return sorted(flags, key=lambda f: (M.position(f.metric), -f.threshold.amount))


def _flags_size(metric: str) -> bool:
    m = M.find(metric)
    return m is not None and m.flags_size


def flags_of(project: Project, flags: list[Flag], rates) -> list[Flag]:
    facts = project.facts()
    return [f for f in flags if is_kind_and_size(facts, f.metric, f.threshold, rates)]


# ---------------------------------------------------------------- counting

def leader_counts(year: int, as_of: date, leader_ids=None) -> dict[int, int]:
    """Distinct projects each leader contacted in the year up to as_of, from the monthly totals:
    every month up to as_of's, less the rows first contacted after as_of within its month
    (none at all on a month's last day, a handful when as_of is today)."""
    if as_of < date(year, 1, 1):
        return {}
    as_of = min(as_of, date(year, 12, 31))
    totals = (select(LeaderMonth.leader_id, func.sum(LeaderMonth.projects))
              .where(LeaderMonth.year == year, LeaderMonth.month <= as_of.month)
              .group_by(LeaderMonth.leader_id))
    later = (select(LeaderProject.leader_id, func.count())
             .where(LeaderProject.year == year, LeaderProject.first_contact_on > as_of,
                    LeaderProject.first_contact_on < _next_month(as_of))
             .group_by(LeaderProject.leader_id))
    if leader_ids is not None:
        totals = totals.where(LeaderMonth.leader_id.in_(leader_ids))
        later = later.where(LeaderProject.leader_id.in_(leader_ids))
    counts = {leader_id: int(n) for leader_id, n in db.session.execute(totals)}
    for leader_id, n in db.session.execute(later):
        counts[leader_id] -= n
    return {leader_id: n for leader_id, n in counts.items() if n}


def _next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def _zone_metric_counts(by_tier, year, as_of, rates, province: str | None = None) -> dict[int, dict[str, int]]:
    """Every zone's project metrics: one grouped query per date the metrics count by (and
    whether dropping stops them), each metric a column over the tiers that have its target,
    reading the rows the date's covering index selects."""
    groups: dict[tuple[str, bool], list[M.Metric]] = {}
    for m in M.zone_metrics():
        if m.counts_projects:
            groups.setdefault((m.counted_by, m.stops_when_dropped), []).append(m)
    counts: dict[int, dict[str, int]] = {}
    for (counted_by, stops_when_dropped), metrics in groups.items():
        columns, kinds = [], []
        for m in metrics:
            tiers = {tier: targets[m.key] for tier, targets in by_tier.items() if tier is not None and m.key in targets}
            if not tiers:
                continue
            if m.sized_by is None:  # no threshold: the same condition in every tier
                condition = and_(tier_sql().in_(sorted(tiers)), _KIND_SQL[m.key]())
            else:
                condition = or_(*(and_(tier_sql() == tier, kind_and_size_condition(m.key, target.threshold, rates))
                                  for tier, target in tiers.items()))
            columns.append(func.sum(case((condition, 1), else_=0)).label(m.key))
            kinds.append(_KIND_SQL[m.key]())
        if not columns:
            continue
        where = [_in_year(getattr(Project, counted_by), year, as_of), or_(*kinds)]
        if stops_when_dropped:
            where.append(_not_dropped(as_of))
        if province is not None:
            where.append(Zone.province == province)
        query = with_year_tiers(select(Project.zone_id, *columns).join(Zone, Zone.id == Project.zone_id), year)
        for row in db.session.execute(query.where(*where).group_by(Project.zone_id)):
            counts.setdefault(row.zone_id, {}).update(
                {k: int(v or 0) for k, v in row._mapping.items() if k != "zone_id"})
    return counts


def zones_with_tiers(year: int, province: str | None = None) -> list[tuple[Zone, str]]:
    """Every zone (or a province's zones) with the tier it had in `year`."""
    query = with_year_tiers(select(Zone, tier_sql()), year).order_by(Zone.code)
    if province is not None:
        query = query.where(Zone.province == province)
    return db.session.execute(query).all()


def leaders_progress(year: int, as_of: date, zones=None, by_tier=None, province: str | None = None
                     ) -> list[LeaderProgress]:
    """Every active leader's quota against 序时进度 (the leader view needs no zone metrics);
    a province's leaders only when `province` is given (its zones, then, are all `zones` holds)."""
    zones = zones if zones is not None else zones_with_tiers(year, province)
    by_tier = by_tier if by_tier is not None else targets_for(year)
    share = expected_share(year, as_of)
    query = (select(User.id, User.username, User.name, User.zone_id)
             .where(User.role == LEADER, User.active.is_(True)).order_by(User.zone_id, User.username))
    if province is not None:
        query = query.where(User.zone_id.in_(select(Zone.id).where(Zone.province == province)))
    leaders = db.session.execute(query).all()
    counts = leader_counts(year, as_of, None if province is None else
                           select(User.id).where(User.role == LEADER, User.zone_id.in_(
                               select(Zone.id).where(Zone.province == province))))
    zone_by_id = {z.id: (z, tier) for z, tier in zones}
    rows = []
    for l in leaders:
        zone, tier = zone_by_id[l.zone_id]
        quota = _quota(by_tier, tier)
        contacted = counts.get(l.id, 0)
        rows.append(LeaderProgress(l.id, l.username, l.name, zone.id, zone.code, zone.name,
                                   tier, quota, contacted, Pace(contacted, quota, share)))
    return rows


def build_progress(year: int, as_of: date, province: str | None = None) -> Progress:
    """The Progress for a year and as-of date, cached under the data version (queries/cache.py):
    computed once per committed write, whichever app server asks. Read only: shared by requests.
    With `province`, only that province's zones: ranked within tier inside the province, its
    leaders, and the city-wide figures counted over its zones (本省)."""
    from .cache import cached
    if province is None:
        return cached("progress", (year, as_of.isoformat()), lambda: compute_progress(year, as_of))
    return cached("progress-province", (year, as_of.isoformat(), province),
                  lambda: compute_progress(year, as_of, province))


def compute_progress(year: int, as_of: date, province: str | None = None) -> Progress:
    share = expected_share(year, as_of)
    by_tier = targets_for(year)
    rates = rates_for(year)
    zones = zones_with_tiers(year, province)
    leader_rows = leaders_progress(year, as_of, zones, by_tier, province)
    project_counts = _zone_metric_counts(by_tier, year, as_of, rates, province)

    leaders_of: dict[int, list[LeaderProgress]] = {}
    for l in leader_rows:
        leaders_of.setdefault(l.zone_id, []).append(l)
    zone_rows = []
    for zone, tier in zones:
        targets = by_tier.get(tier, {})
        own_leaders = leaders_of.get(zone.id, [])
        metrics = []
        for m in M.zone_metrics():
            metric, target = m.key, targets.get(m.key)
            if target is None:
                continue
            if m.is_leader_quota:
                actual = zone_leader_total((l.contacted for l in own_leaders), target.floor)
                floor, stretch = target.floor * len(own_leaders), None
            else:
                actual = project_counts.get(zone.id, {}).get(metric, 0)
                floor, stretch = target.floor, target.stretch
            metrics.append(MetricProgress(metric, floor, stretch, actual, target.threshold,
                                          Pace(actual, floor, share)))
        zone_rows.append(ZoneProgress(zone.id, zone.code, zone.name, zone.county, tier,
                                      metrics, own_leaders))

    money = MoneyFigures(year, as_of, rates, None if province is None else {z.id for z, _ in zones})
    for z in zone_rows:
        targets = by_tier.get(z.tier, {})
        z.values = [money.value(m, targets[m.key], z.id) for m in M.value_metrics(city=False) if m.key in targets]

    placed = ranking.standings((z.code, z.tier, z.results()) for z in zone_rows)
    for z in zone_rows:
        z.score, z.rank_in_tier = placed[z.code].score, placed[z.code].rank

    city = []
    city_targets = by_tier.get(None, {})
    city_values = []
    for metric, target in sorted(city_targets.items(), key=lambda kv: M.position(kv[0])):
        m = M.find(metric)
        if m is None:
            continue
        if m.has_value_target:
            city_values.append(money.value(m, target, None))
            continue
        if m.counts_money:
            actual = money.zones_counted(m, target.threshold)
        else:
            query = (select(func.count()).select_from(Project)
                     .where(metric_condition(metric, target.threshold, year, as_of, rates)))
            if province is not None:
                query = query.where(Project.zone_id.in_(select(Zone.id).where(Zone.province == province)))
            actual = db.session.scalar(query)
        city.append(MetricProgress(metric, target.floor, target.stretch, actual, target.threshold,
                                   Pace(actual, target.floor, share)))
    return Progress(year, as_of, share, zone_rows, leader_rows, city, city_values)


class MoneyFigures:
    """Every zone's money figures for a year and as-of date, read lazily in a few grouped
    queries (arrivals this year and last; monthly sums this year, the same months last year
    and the whole of last year), never one query per zone."""

    def __init__(self, year: int, as_of: date, rates, zone_ids: set[int] | None = None):
        self.year, self.as_of, self.rates = year, as_of, rates
        self.zone_ids = zone_ids   # a province's zones: its totals are theirs (None: every zone)
        self.months = months_through(year, as_of)
        self._cache: dict = {}

    def _get(self, key, load):
        if key not in self._cache:
            self._cache[key] = load()
        return self._cache[key]

    def sums(self, source: str, currency: str, last_year: bool = False, whole_year: bool = False) -> dict[int, Decimal]:
        """zone id -> the source's year-to-date sum (or the same period last year)."""
        sums = self._sums(source, currency, last_year, whole_year)
        if self.zone_ids is None:
            return sums
        return {zone_id: v for zone_id, v in sums.items() if zone_id in self.zone_ids}

    def _sums(self, source, currency, last_year, whole_year) -> dict[int, Decimal]:
        from app.queries import money as Q
        year = self.year - 1 if last_year else self.year
        if source == M.ARRIVALS:
            as_of = _same_day_last_year(self.as_of) if last_year else self.as_of
            rates = self.rates if not last_year else self._get(("rates", year), lambda: rates_for(year))
            return self._get((source, currency, year), lambda: Q.arrived_by_zone(year, as_of, rates, currency))
        months = 12 if whole_year else self.months
        by_zone = self._get(("monthly", year, months), lambda: Q.monthly_by_zone(year, months))
        indicator = F.REVENUE if source == M.REVENUE_REPORTED else F.FDI
        return {zone_id: v[indicator] for zone_id, v in by_zone.items()}

    def value(self, m: M.Metric, target: T.Target, zone_id: int | None) -> ValueProgress:
        currency = {M.REVENUE_REPORTED: "CNY", M.FDI_REPORTED: "USD"}.get(m.source, m.threshold_currency)

        def pick(sums):
            return sums.get(zone_id, ZERO) if zone_id is not None else sum(sums.values(), ZERO)
        current = pick(self.sums(m.source, currency))
        base = pick(self.sums(m.source, currency, last_year=True))
        floor = target.floor_value if target.floor_value is not None else ZERO
        if m.measures == M.GROWTH:
            actual = Growth(current, base).percent
            pace = ValuePace(Growth(current, base).rate, floor, expected_share(self.year, self.as_of), True,
                             target.stretch_value)
        else:
            actual = current
            pace = ValuePace(current, floor, expected_share(self.year, self.as_of))
        return ValueProgress(m.key, m.measures, currency, floor, target.stretch_value, actual, current, base, pace)

    def zones_counted(self, m: M.Metric, threshold: Money | None) -> int:
        this_year = self.sums(m.source, "USD" if m.source == M.FDI_REPORTED else "CNY")
        if m.counted_by == M.ZONES_BREAKING_THROUGH:
            return F.zones_broken_through(this_year, self.sums(m.source, "USD", last_year=True, whole_year=True))
        return F.zones_reaching(this_year, threshold, "USD" if m.source == M.FDI_REPORTED else "CNY", self.rates)


ZERO = Decimal("0.00")


def _same_day_last_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:          # 29 February
        return date(day.year - 1, 2, 28)


def leader_progress(user: User, year: int, as_of: date) -> LeaderProgress:
    """One leader's quota, without computing the whole city (the leader's home page)."""
    zone = user.zone
    tier = tier_of(zone, year)
    quota = _quota(targets_for(year), tier)
    contacted = leader_counts(year, as_of, [user.id]).get(user.id, 0)
    return LeaderProgress(user.id, user.username, user.name, zone.id, zone.code, zone.name,
                          tier, quota, contacted, Pace(contacted, quota, expected_share(year, as_of)))


def _quota(by_tier, tier: str) -> int:
    target = by_tier.get(tier, {}).get(M.LEADER_CONTACTS)
    return target.floor if target else 0
