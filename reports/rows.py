"""The plain rows the report builders take besides a Progress object.

app/queries/reports.py fetches them from the database; reports/ only typesets them, so a
builder can be fed any list (tests build a 200-zone bulletin without a database).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.money import Money


@dataclass(frozen=True)
class CountedProject:
    """A project behind one of a zone's 引进 figures (signed in the year, not dropped, and
    of the kind and size its zone's tier counts) as of the report's date."""
    zone_id: int
    zone_name: str
    name: str
    investor: str
    origin_label: str
    foreign: bool
    total_investment: Money | None
    foreign_capital: Money | None
    signed_on: date
    stage: str                       # the stage reached by the as-of date
    metrics: tuple[str, ...]         # the metric keys it counts towards
    size_cny: Decimal | None = None  # amount compared, in CNY at the year's rate, for ordering


@dataclass(frozen=True)
class LedgerProject:
    """One row of a zone's project ledger as it stands."""
    code: str
    name: str
    investor: str
    origin_label: str
    foreign: bool
    total_investment: Money | None
    foreign_capital: Money | None
    stage: str
    key_level: str | None
    leader_name: str
    last_contact_on: date | None
    next_step: str
    next_step_on: date | None
    flags: tuple[str, ...] = ()      # size thresholds reached, e.g. 外资≥5000万美元


@dataclass(frozen=True)
class ContactRow:
    """One contact in a leader's list."""
    occurred_on: date
    project_name: str
    project_stage: str
    form: str
    summary: str
    next_step: str
    next_step_on: date | None
    other_leaders: tuple[str, ...] = ()
