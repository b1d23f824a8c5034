"""The metrics a zone is measured on, and the 2024 work points (seed 004) as default data."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .money import Money

TIERS = {"A": "A类", "B": "B类", "C": "C类"}

LEADER_CONTACTS = "leader_contacts"
FOREIGN = "foreign_projects"
DOMESTIC = "domestic_projects"
MANUFACTURING = "manufacturing_projects"
PROVINCIAL_KEY = "provincial_key_projects"
MUNICIPAL_KEY = "municipal_key_projects"
NEW_START_INDUSTRIAL = "new_start_industrial_projects"

METRICS = {
    LEADER_CONTACTS: "领导对接项目",
    FOREIGN: "引进外资项目",
    DOMESTIC: "引进内资项目",
    MANUFACTURING: "引进制造业项目",
    PROVINCIAL_KEY: "谋划省重点项目",
    MUNICIPAL_KEY: "谋划市重点项目",
}
CITY_METRICS = {NEW_START_INDUSTRIAL: "新开工工业项目"}
# What each number counts, in the words shown beside the lists that explain it.
METRIC_RULES = {
    LEADER_CONTACTS: "本区各位领导当年参与对接的不同项目数之和，每人最多计至其任务数；同一项目多次对接只计一次。",
    FOREIGN: "外资（含港澳台）项目，签约日期在当年且截至所选日期，之后未终止；合同外资按年度汇率折美元后不低于认定标准。",
    DOMESTIC: "内资项目，签约日期在当年且截至所选日期，之后未终止；总投资不低于认定标准。",
    MANUFACTURING: "制造业项目，签约日期在当年且截至所选日期，之后未终止；总投资不低于认定标准。",
    PROVINCIAL_KEY: "标为省重点的项目，谋划日期在当年且截至所选日期，未终止，不论所处阶段。",
    MUNICIPAL_KEY: "标为市重点的项目，谋划日期在当年且截至所选日期，未终止，不论所处阶段。",
    NEW_START_INDUSTRIAL: "工业项目，开工日期在当年且截至所选日期，总投资不低于认定标准。",
}
# The order columns appear in on every screen and report.
METRIC_ORDER = list(METRICS)


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
