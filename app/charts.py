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
