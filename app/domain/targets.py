"""The tiers, a target row, and the 2024 work points (seed 004) as the default target set."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .money import Money

TIERS = {"A": "A类", "B": "B类", "C": "C类"}

# The metric keys, for the target sets below (the metrics themselves: domain.metrics).
from .metrics import (CITY_FDI_GROWTH, CITY_REVENUE_GROWTH, DOMESTIC, FOREIGN, LEADER_CONTACTS,  # noqa: E402
                      MANUFACTURING, MUNICIPAL_KEY, NEW_START_INDUSTRIAL, PROVINCIAL_KEY, ZONES_FDI_ABOVE,
                      ZONES_FDI_ABOVE_2, ZONES_FDI_BREAKTHROUGH)


@dataclass(frozen=True)
class Target:
    metric: str
    floor: int
    stretch: int | None = None
    threshold: Money | None = None
    # For amount and growth metrics (metrics.Metric.has_value_target) the target is exact:
    # an amount in the metric's threshold_currency, or a rate in percent; floor is then 0.
    floor_value: Decimal | None = None
    stretch_value: Decimal | None = None


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
CITY_TARGETS_2024 = [
    Target(NEW_START_INDUSTRIAL, 400, None, Money(Decimal(50_000_000), "CNY")),
    # 发展目标: 全市开发区营业收入增长10%以上；实际使用外资增长5%以上.
    Target(CITY_REVENUE_GROWTH, 0, floor_value=Decimal("10.00")),
    Target(CITY_FDI_GROWTH, 0, floor_value=Decimal("5.00")),
]
# A conservative 2024 average rate; admin keeps the official one per year.
FX_2024 = {"USD": Decimal("7.1000"), "HKD": Decimal("0.9100"), "EUR": Decimal("7.7000"), "JPY": Decimal("0.0470")}


# 廊坊市 (seed 003, 三(二) and 一(三)3): the second example set the product ships, city-wide.
CITY_TARGETS_LANGFANG = [
    Target(ZONES_FDI_ABOVE, 3, None, _usd_wan(10000)),       # 超1亿美元以上开发区达到3家或以上
    Target(ZONES_FDI_ABOVE_2, 1, None, _usd_wan(5000)),      # 超5000万美元以上开发区达到1家或以上
    Target(ZONES_FDI_BREAKTHROUGH, 2),                       # 2家或以上外资为零的开发区实现突破
    Target(CITY_FDI_GROWTH, 0, floor_value=Decimal("15.00")),  # 实际利用外资年均增长15%以上
]

# The shipped example sets an admin can load for a year: key -> (name, tier targets, city targets).
TARGET_SETS = {
    "shijiazhuang_2024": ("石家庄市2024年开发区工作要点", TARGETS_2024, CITY_TARGETS_2024),
    "langfang": ("廊坊市开发区改革发展目标（利用外资）", {}, CITY_TARGETS_LANGFANG),
}
DEFAULT_SET = "shijiazhuang_2024"


def value_target_error(floor_value: Decimal | None, stretch_value: Decimal | None, growth: bool) -> str | None:
    """Why an amount or rate target cannot be saved; None when it can."""
    if floor_value is None:
        return "请填写目标值"
    if not growth and floor_value < 0:
        return "目标金额不能为负数"
    if stretch_value is not None and stretch_value < floor_value:
        return "争取目标不能低于目标下限"
    return None


def target_error(floor: int, stretch: int | None, threshold: Money | None) -> str | None:
    """Why a target row cannot be saved, in Chinese; None when it can."""
    if floor < 0:
        return "目标下限不能为负数"
    if stretch is not None and stretch < floor:
        return "争取目标不能低于目标下限"
    if threshold is not None and threshold.amount < 0:
        return "认定标准不能为负数"
    return None
