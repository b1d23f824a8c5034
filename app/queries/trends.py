"""Trends: a year month by month, each month end built by the one Progress builder (so every
figure here is the `progress --json` figure for that date). The last point is the as-of date
itself when it falls within a month."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from app.domain import metrics as M
from app.domain.forecast import Forecast, forecast
from .progress import Progress, build_progress


def month_ends(year: int, as_of: date) -> list[date]:
    """Each month's last day up to as_of (as_of itself for a month under way)."""
    if as_of < date(year, 1, 1):
        return []
    last = 12 if as_of.year > year else as_of.month
    ends = [date(year, m, calendar.monthrange(year, m)[1]) for m in range(1, last + 1)]
    return [min(d, as_of) for d in ends]


def progress_by_month(year: int, as_of: date, province: str | None = None) -> list[Progress]:
    """The Progress at each month's end (a province's only, when given)."""
    return [build_progress(year, d, province) for d in month_ends(year, as_of)]


@dataclass(frozen=True)
class Point:
    as_of: date
    actual: int
    expected: Fraction
    on_pace: bool

    @property
    def month(self) -> int:
        return self.as_of.month

    @property
    def partial(self) -> bool:
        return self.as_of.day != calendar.monthrange(self.as_of.year, self.as_of.month)[1]


@dataclass
class MetricTrend:
    metric: str
    floor: int
    stretch: int | None
    points: list[Point]
    forecast: Forecast | None = None
    zones_total: bool = False     # the sum of every zone's figure, not a city-wide target
    city: bool = False            # a city-wide target

    @property
    def label(self) -> str:
        if self.zones_total:
            return f"各开发区{M.label(self.metric)}合计"
        return f"全市{M.label(self.metric)}" if self.city else M.label(self.metric)

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None


@dataclass(frozen=True)
class RankPoint:
    as_of: date
    rank: int
    of: int


@dataclass
class ZoneTrend:
    zone_id: int
    name: str
    tier: str
    metrics: list[MetricTrend]
    ranks: list[RankPoint]


def zone_trend(progresses: list[Progress], zone_id: int) -> ZoneTrend | None:
    if not progresses or progresses[-1].zone(zone_id) is None:
        return None
    last = progresses[-1]
    zone = last.zone(zone_id)
    trends: dict[str, MetricTrend] = {}
    ranks = []
    for p in progresses:
        z = p.zone(zone_id)
        if z is None:
            continue
        ranks.append(RankPoint(p.as_of, z.rank_in_tier, sum(1 for other in p.zones if other.tier == z.tier)))
        for m in z.metrics:
            trend = trends.setdefault(m.metric, MetricTrend(m.metric, m.floor, m.stretch, []))
            trend.floor, trend.stretch = m.floor, m.stretch
            trend.points.append(Point(p.as_of, m.actual, m.pace.expected, m.pace.on_pace))
    for t in trends.values():
        t.forecast = forecast(t.points[-1].actual, t.floor, last.year, last.as_of)
    ordered = [trends[m.key] for m in M.zone_metrics() if m.key in trends]
    return ZoneTrend(zone.id, zone.name, zone.tier, ordered, ranks)


def city_trend(progresses: list[Progress]) -> list[MetricTrend]:
    """The city-wide targets, and the sum over zones of each zone metric, month by month."""
    if not progresses:
        return []
    last = progresses[-1]
    trends: dict[str, MetricTrend] = {}
    for p in progresses:
        for m in p.city:
            t = trends.setdefault(m.metric, MetricTrend(m.metric, m.floor, m.stretch, [], city=True))
            t.points.append(Point(p.as_of, m.actual, m.pace.expected, m.pace.on_pace))
        sums: dict[str, list[int]] = {}
        for z in p.zones:
            for m in z.metrics:
                s = sums.setdefault(m.metric, [0, 0])
                s[0] += m.actual
                s[1] += m.floor
        for metric, (actual, floor) in sums.items():
            key = f"zones:{metric}"
            t = trends.setdefault(key, MetricTrend(metric, floor, None, [], zones_total=True))
            t.floor = floor
            expected = floor * p.share
            t.points.append(Point(p.as_of, actual, expected, actual >= expected))
    for t in trends.values():
        t.forecast = forecast(t.points[-1].actual, t.floor, last.year, last.as_of)
    return list(trends.values())
