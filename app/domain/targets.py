"""The tiers, a target row, and the 2024 work points (seed 004) as the default target set."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .money import Money

TIERS = {"A": "A类", "B": "B类", "C": "C类"}

# The metric keys, for the target sets below (the metrics themselves: domain.metrics).
from .metrics import (DOMESTIC, FOREIGN, LEADER_CONTACTS, MANUFACTURING, MUNICIPAL_KEY,  # noqa: E402
                      NEW_START_INDUSTRIAL, PROVINCIAL_KEY)


@dataclass(frozen=True)
class Target:
    metric: str
    floor: int
    stretch: int | None = None
    threshold: Money | None = None


def _cny_yi(n: int) -> Money:
    return Money(Decimal(n) * 100_000_000, "CNY")


def _usd_wan(n: int) -> Money:
    return Money(Decimal(n) * 10_000, "USD")


# 石家庄市 2024 年开发区工作要点 items 2-3, exactly as DOMAIN.md tabulates them.
TARGETS_2024 = {
    "A": [
        Target(LEADER_CONTACTS, 100),
        Target(FOREIGN, 1, 2, _usd_wan(5000)),
        Target(DOMESTIC, 3, 5, _cny_yi(10)),
        Target(PROVINCIAL_KEY, 2),
        Target(MUNICIPAL_KEY, 5),
    ],
    "B": [
        Target(LEADER_CONTACTS, 80),
        Target(FOREIGN, 1, 2, None),
        Target(DOMESTIC, 5, 10, _cny_yi(5)),
        Target(MANUFACTURING, 1, 2, _cny_yi(10)),
        Target(PROVINCIAL_KEY, 2),
        Target(MUNICIPAL_KEY, 5),
    ],
    "C": [
        Target(LEADER_CONTACTS, 50),
        Target(FOREIGN, 1, 2, _usd_wan(100)),
        Target(DOMESTIC, 3, 5, _cny_yi(5)),
        Target(PROVINCIAL_KEY, 2),
        Target(MUNICIPAL_KEY, 5),
    ],
}
CITY_TARGETS_2024 = [Target(NEW_START_INDUSTRIAL, 400, None, Money(Decimal(50_000_000), "CNY"))]
# A conservative 2024 average rate; admin keeps the official one per year.
FX_2024 = {"USD": Decimal("7.1000"), "HKD": Decimal("0.9100"), "EUR": Decimal("7.7000"), "JPY": Decimal("0.0470")}


def target_error(floor: int, stretch: int | None, threshold: Money | None) -> str | None:
    """Why a target row cannot be saved, in Chinese; None when it can."""
    if floor < 0:
        return "目标下限不能为负数"
    if stretch is not None and stretch < floor:
        return "争取目标不能低于目标下限"
    if threshold is not None and threshold.amount < 0:
        return "认定标准不能为负数"
    return None
