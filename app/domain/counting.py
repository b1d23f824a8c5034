"""What counts towards which metric, for one project or contact, as of a date.

These functions are the definition, reading each metric's kind, size and date from the
registry (domain.metrics); `app/queries/progress.py` counts the same thing in SQL, and tests
recount random data through these functions to prove the two agree.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Mapping

from . import metrics
from .metrics import MUNICIPAL, PROVINCIAL
from .money import Money, meets_threshold

MAINLAND = "CN"
KEY_LEVELS = {PROVINCIAL: "省重点", MUNICIPAL: "市重点"}


def is_foreign_origin(origin: str | None) -> bool:
    """Foreign capital includes Hong Kong, Macao and Taiwan, as Chinese statistics count it."""
    return bool(origin) and origin.strip().upper() != MAINLAND


@dataclass(frozen=True)
class ProjectFacts:
    planned_on: date
    is_foreign: bool = False
    is_manufacturing: bool = False
    is_industrial: bool = False
    total_investment: Money | None = None
    foreign_capital: Money | None = None
    key_level: str | None = None
    signed_on: date | None = None
    started_on: date | None = None
    dropped_on: date | None = None


@dataclass(frozen=True)
class ContactFacts:
    on: date
    project_id: int
    leader_ids: frozenset = field(default_factory=frozenset)


def _within(day: date | None, year: int, as_of: date) -> bool:
    return day is not None and day.year == year and day <= as_of


def is_dropped(p: ProjectFacts, as_of: date) -> bool:
    return p.dropped_on is not None and p.dropped_on <= as_of


def is_kind_and_size(p: ProjectFacts, metric: str, threshold: Money | None, rates: Mapping) -> bool:
    """Whether a project is of the metric's kind and size, whatever its stage or dates.

    This is what the ledger's threshold flags (外资≥5000万美元, 内资≥10亿元, ...) show.
    """
    m = metrics.get(metric)
    if not m.counts_projects:
        raise ValueError(f"not a project metric: {metric}")
    if not m.kind(p):
        return False
    return m.sized_by is None or meets_threshold(getattr(p, m.sized_by), threshold, rates)


def counts_towards(p: ProjectFacts, metric: str, threshold: Money | None, year: int,
                   as_of: date, rates: Mapping) -> bool:
    """Whether a project counts towards a zone's metric for the year, as the data stood on as_of."""
    m = metrics.get(metric)
    if not is_kind_and_size(p, metric, threshold, rates):
        return False
    if m.stops_when_dropped and is_dropped(p, as_of):
        return False
    return _within(getattr(p, m.counted_by), year, as_of)


def leader_contact_counts(contacts: Iterable[ContactFacts], year: int, as_of: date) -> dict:
    """Distinct projects each leader took part in contacting during the year, up to as_of."""
    projects = defaultdict(set)
    for c in contacts:
        if _within(c.on, year, as_of):
            for leader in c.leader_ids:
                projects[leader].add(c.project_id)
    return {leader: len(ids) for leader, ids in projects.items()}


def zone_leader_total(counts: Iterable[int], quota: int) -> int:
    """A zone's leader-contact figure: each leader's count, credited up to the quota.

    Capping keeps one very busy leader from hiding colleagues who are behind.
    """
    return sum(min(c, quota) for c in counts)
