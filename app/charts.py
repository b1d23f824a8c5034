"""Chart geometry for the review pages, drawn as inline SVG by the templates (no script)."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .domain.pipeline import STAGES
from .domain.metrics import LEADER_CONTACTS

STAGE_ORDER = tuple(STAGES)


@dataclass
class Bar:
    label: str
    value: Fraction      # share of the target done, 0..1.5 (capped for drawing)
    text: str
    status: str


@dataclass
class Segment:
    stage: str
    label: str
    count: int
    x: float
    width: float


@dataclass
class StackedBar:
    label: str
    total: int
    counts: dict[str, int]
    segments: list[Segment]


def quota_bars(zones) -> list[Bar]:
    """Each zone's leader-contact completion against its target (the 序时进度 line is drawn apart)."""
    bars = []
    for z in zones:
        m = z.metric(LEADER_CONTACTS)
        if m is None or m.floor == 0:
            continue
        share = min(Fraction(m.actual, m.floor), Fraction(3, 2))
        bars.append(Bar(z.name, share, f"{m.actual}/{m.floor}", m.pace.status))
    return bars


def stage_bars(rows: list[tuple[str, dict[str, int]]]) -> list[StackedBar]:
    """Stacked 100% bars of projects by stage, one per (label, counts) row."""
    bars = []
    for label, counts in rows:
        total = sum(counts.values())
        x, segments = 0.0, []
        for stage in STAGE_ORDER:
            n = counts.get(stage, 0)
            if n:
                width = 100 * n / total
                segments.append(Segment(stage, STAGES[stage], n, round(x, 3), round(width, 3)))
                x += width
        bars.append(StackedBar(label, total, counts, segments))
    return bars


@dataclass
class TrendChart:
    """A year's line chart: the actual count at each month end against the 序时进度 line (0 on
    1 January to the floor on 31 December), with the floor and the stretch target as levels."""
    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    y_max: int
    actual: str                     # polyline points
    dots: list[tuple[float, float, int]]
    pace: tuple[float, float, float, float]
    floor_y: float | None
    stretch_y: float | None
    y_ticks: list[tuple[float, int]]
    x_ticks: list[tuple[float, str]]


def _nice_ceiling(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return -(-value // step) * step
    return value


def trend_chart(points, floor: int, stretch: int | None, year: int) -> TrendChart:
    """Geometry for `points` (each with .as_of and .actual) of `year`."""
    from .domain.pacing import expected_share
    width, height, left, top, right, bottom = 600, 230, 44, 12, 16, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    y_max = _nice_ceiling(max([floor, stretch or 0, 1] + [p.actual for p in points]))

    def x(share) -> float:
        return round(left + float(share) * plot_w, 1)

    def y(value) -> float:
        return round(top + plot_h - float(value) / y_max * plot_h, 1)

    coords = [(x(0), y(0))] + [(x(expected_share(year, p.as_of)), y(p.actual)) for p in points]
    dots = [(x(expected_share(year, p.as_of)), y(p.actual), p.actual) for p in points]
    step = y_max // 4 if y_max % 4 == 0 else None
    ticks = [0, y_max // 2, y_max] if step is None else [step * i for i in range(5)]
    return TrendChart(
        width, height, left, top, plot_w, plot_h, y_max,
        " ".join(f"{cx},{cy}" for cx, cy in coords), dots,
        (x(0), y(0), x(1), y(floor)),
        y(floor) if floor else None, y(stretch) if stretch else None,
        [(y(t), t) for t in sorted(set(ticks))],
        [(x(Fraction(m, 12)), f"{m}月") for m in range(1, 13)],
    )
