"""The metric registry: every number a zone or the city is measured on, defined once.

A metric says what it counts and how, in words (its label and rule) and in code: which
projects are of its kind, which amount its threshold applies to, the date that places a
project in a year, and whether a project dropped since stops counting. Counting
(domain.counting), its SQL twin (queries.progress, which adds one SQL condition per kind),
the desk, the bulletin, the Excel sheets, the API and the admin form all read it here.

Targets (how many, how large) are data per year and tier (domain.targets, the targets
table); a metric without a target that year is simply not shown.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

# How a metric counts.
LEADER_QUOTA = "leader_quota"      # distinct projects each leader contacted, credited up to the quota
BY_SIGNING = "signed_on"           # projects signed (签约) in the year
BY_PLANNING = "planned_on"         # projects planned (谋划) in the year
BY_START = "started_on"            # projects that started construction (开工) in the year
PROJECT_DATES = (BY_SIGNING, BY_PLANNING, BY_START)
# Money that arrives (domain.funds): a sum over the year to date, or a count of zones by theirs.
YEAR_TO_DATE = "year_to_date"      # arrivals dated in the year up to as_of; monthly rows, months 1..as_of's
ZONES_REACHING = "zones_reaching"  # city: zones whose year-to-date figure reaches the target's threshold
ZONES_BREAKING_THROUGH = "zones_breaking_through"  # city: zones at zero all last year, non-zero this year
MONEY_DATES = (YEAR_TO_DATE, ZONES_REACHING, ZONES_BREAKING_THROUGH)

# What a metric's number is: a count (an int), an amount (exact Decimal) or a growth rate (%).
COUNT, AMOUNT, GROWTH = "count", "amount", "growth"
# Which money a money metric reads.
ARRIVALS, REVENUE_REPORTED, FDI_REPORTED = "arrivals", "revenue", "fdi"

# The amounts a threshold can apply to (a project's fields, a money value each).
TOTAL_INVESTMENT, FOREIGN_CAPITAL = "total_investment", "foreign_capital"

LEADER_CONTACTS = "leader_contacts"
FOREIGN = "foreign_projects"
DOMESTIC = "domestic_projects"
MANUFACTURING = "manufacturing_projects"
PROVINCIAL_KEY = "provincial_key_projects"
MUNICIPAL_KEY = "municipal_key_projects"
NEW_START_INDUSTRIAL = "new_start_industrial_projects"

PROVINCIAL, MUNICIPAL = "provincial", "municipal"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str                  # 引进外资项目
    short_label: str            # 外资: in size flags (外资≥5000万美元) and the bulletin's lists
    rule: str                   # what the number counts, shown beside the list behind it
    counted_by: str             # LEADER_QUOTA or a project date (PROJECT_DATES)
    # Which projects are of the metric's kind, whatever their size, stage or dates; reads
    # ProjectFacts (or a Project). None for the leader quota.
    kind: Callable[[object], bool] | None = None
    sized_by: str | None = None  # the amount a target's threshold applies to; None: any size
    stops_when_dropped: bool = True
    city: bool = False          # a city-wide figure, not a zone's
    unit: str = "个"
    threshold_currency: str = "CNY"  # the currency a threshold is usually written in
    measures: str = COUNT       # COUNT, AMOUNT (Decimal, in threshold_currency) or GROWTH (%)
    source: str | None = None   # for money metrics: ARRIVALS, REVENUE_REPORTED or FDI_REPORTED

    @property
    def counts_projects(self) -> bool:
        return self.counted_by in PROJECT_DATES

    @property
    def counts_money(self) -> bool:
        """Read from arrivals or monthly indicators rather than the ledger (domain.funds)."""
        return self.counted_by in MONEY_DATES

    @property
    def has_value_target(self) -> bool:
        """Its target is an exact amount (in threshold_currency) or a rate (%), not a count."""
        return self.measures in (AMOUNT, GROWTH)

    @property
    def is_leader_quota(self) -> bool:
        return self.counted_by == LEADER_QUOTA

    @property
    def flags_size(self) -> bool:
        """Whether the ledger shows the metric's thresholds as size flags on each project."""
        return self.sized_by is not None


_REGISTRY: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    if metric.key in _REGISTRY:
        raise ValueError(f"metric already registered: {metric.key}")
    if metric.counts_money:
        if metric.source not in (ARRIVALS, REVENUE_REPORTED, FDI_REPORTED):
            raise ValueError(f"a money metric needs a source: {metric.key}")
        if (metric.measures == COUNT) != (metric.counted_by != YEAR_TO_DATE) or (metric.measures == COUNT
                                                                                   and not metric.city):
            raise ValueError(f"a money metric sums the year to date, or counts zones city-wide: {metric.key}")
    elif metric.counted_by != LEADER_QUOTA and (metric.counted_by not in PROJECT_DATES or metric.kind is None):
        raise ValueError(f"a project metric needs a project date and a kind: {metric.key}")
    _REGISTRY[metric.key] = metric
    return metric


def unregister(key: str) -> None:
    del _REGISTRY[key]


def get(key: str) -> Metric:
    return _REGISTRY[key]


def find(key: str) -> Metric | None:
    return _REGISTRY.get(key)


def label(key: str) -> str:
    """The metric's Chinese name; a key no longer registered shows as itself."""
    metric = _REGISTRY.get(key)
    return metric.label if metric else key


def all_metrics() -> list[Metric]:
    """Every metric in display order: zones' first, then the city's."""
    return sorted(_REGISTRY.values(), key=lambda m: m.city)


def zone_metrics() -> list[Metric]:
    """The zones' count metrics (those of the desk's columns; value metrics: value_metrics)."""
    return [m for m in _REGISTRY.values() if not m.city and not m.has_value_target]


def city_metrics() -> list[Metric]:
    """The city's count metrics."""
    return [m for m in _REGISTRY.values() if m.city and not m.has_value_target]


def value_metrics(city: bool) -> list[Metric]:
    """Amount and growth metrics, the zones' or the city's, in registration order."""
    return [m for m in _REGISTRY.values() if m.city == city and m.has_value_target]


def position(key: str) -> int:
    """Where a metric stands in display order (unknown keys last)."""
    keys = [m.key for m in all_metrics()]
    return keys.index(key) if key in keys else len(keys)


# ---------------------------------------------------------------- the metrics of seed 004

register(Metric(
    LEADER_CONTACTS, "领导对接项目", "对接", counted_by=LEADER_QUOTA, stops_when_dropped=False,
    rule="本区各位领导当年参与对接的不同项目数之和，每人最多计至其任务数；同一项目多次对接只计一次。"))
register(Metric(
    FOREIGN, "引进外资项目", "外资", counted_by=BY_SIGNING, kind=lambda p: p.is_foreign,
    sized_by=FOREIGN_CAPITAL, threshold_currency="USD",
    rule="外资（含港澳台）项目，签约日期在当年且截至所选日期，之后未终止；合同外资按年度汇率折美元后不低于认定标准。"))
register(Metric(
    DOMESTIC, "引进内资项目", "内资", counted_by=BY_SIGNING, kind=lambda p: not p.is_foreign,
    sized_by=TOTAL_INVESTMENT,
    rule="内资项目，签约日期在当年且截至所选日期，之后未终止；总投资不低于认定标准。"))
register(Metric(
    MANUFACTURING, "引进制造业项目", "制造业", counted_by=BY_SIGNING, kind=lambda p: p.is_manufacturing,
    sized_by=TOTAL_INVESTMENT,
    rule="制造业项目，签约日期在当年且截至所选日期，之后未终止；总投资不低于认定标准。"))
register(Metric(
    PROVINCIAL_KEY, "谋划省重点项目", "省重点", counted_by=BY_PLANNING, kind=lambda p: p.key_level == PROVINCIAL,
    rule="标为省重点的项目，谋划日期在当年且截至所选日期，未终止，不论所处阶段。"))
register(Metric(
    MUNICIPAL_KEY, "谋划市重点项目", "市重点", counted_by=BY_PLANNING, kind=lambda p: p.key_level == MUNICIPAL,
    rule="标为市重点的项目，谋划日期在当年且截至所选日期，未终止，不论所处阶段。"))
register(Metric(
    NEW_START_INDUSTRIAL, "新开工工业项目", "工业", counted_by=BY_START, kind=lambda p: p.is_industrial,
    sized_by=TOTAL_INVESTMENT, stops_when_dropped=False, city=True,
    rule="工业项目，开工日期在当年且截至所选日期，总投资不低于认定标准。"))


# ---------------------------------------------------------------- money that arrives (issue 19)

FUNDS_ARRIVED = "funds_arrived"
REVENUE = "operating_revenue"
FDI_UTILISED = "utilised_fdi"
REVENUE_GROWTH = "operating_revenue_growth"
FDI_GROWTH = "utilised_fdi_growth"
CITY_REVENUE_GROWTH = "city_operating_revenue_growth"
CITY_FDI_GROWTH = "city_utilised_fdi_growth"
ZONES_FDI_ABOVE = "zones_fdi_above"
ZONES_FDI_ABOVE_2 = "zones_fdi_above_second"
ZONES_FDI_BREAKTHROUGH = "zones_fdi_breakthrough"

register(Metric(
    FUNDS_ARRIVED, "到位资金", "到位", counted_by=YEAR_TO_DATE, measures=AMOUNT, source=ARRIVALS,
    unit="万元", threshold_currency="CNY", stops_when_dropped=False,
    rule="本区项目到位日期在当年且截至所选日期的到位资金之和；外币按到位当年的年度汇率折人民币，合计后四舍五入到分。"))
register(Metric(
    REVENUE, "营业收入", "营收", counted_by=YEAR_TO_DATE, measures=AMOUNT, source=REVENUE_REPORTED,
    unit="万元", threshold_currency="CNY", stops_when_dropped=False,
    rule="统计部门报送的本区当年1月至所选月份营业收入之和。"))
register(Metric(
    FDI_UTILISED, "实际使用外资", "实际外资", counted_by=YEAR_TO_DATE, measures=AMOUNT, source=FDI_REPORTED,
    unit="万美元", threshold_currency="USD", stops_when_dropped=False,
    rule="统计部门报送的本区当年1月至所选月份实际使用外资（含港澳台）之和，以美元计。"))
register(Metric(
    REVENUE_GROWTH, "营业收入增长", "营收增长", counted_by=YEAR_TO_DATE, measures=GROWTH, source=REVENUE_REPORTED,
    unit="%", stops_when_dropped=False,
    rule="本区营业收入较上年同期的增长率：（本年1月至所选月份 − 上年同期）÷ 上年同期；上年同期为零时不计算。"))
register(Metric(
    FDI_GROWTH, "实际使用外资增长", "外资增长", counted_by=YEAR_TO_DATE, measures=GROWTH, source=FDI_REPORTED,
    unit="%", stops_when_dropped=False,
    rule="本区实际使用外资较上年同期的增长率：（本年1月至所选月份 − 上年同期）÷ 上年同期；上年同期为零时不计算。"))
register(Metric(
    CITY_REVENUE_GROWTH, "开发区营业收入增长", "营收增长", counted_by=YEAR_TO_DATE, measures=GROWTH,
    source=REVENUE_REPORTED, unit="%", city=True, stops_when_dropped=False,
    rule="全市各开发区营业收入合计较上年同期的增长率（本年1月至所选月份对上年同期）；上年同期为零时不计算。"))
register(Metric(
    CITY_FDI_GROWTH, "开发区实际使用外资增长", "外资增长", counted_by=YEAR_TO_DATE, measures=GROWTH,
    source=FDI_REPORTED, unit="%", city=True, stops_when_dropped=False,
    rule="全市各开发区实际使用外资合计较上年同期的增长率（本年1月至所选月份对上年同期）；上年同期为零时不计算。"))
register(Metric(
    ZONES_FDI_ABOVE, "实际使用外资达标开发区", "外资达标", counted_by=ZONES_REACHING, source=FDI_REPORTED,
    unit="家", threshold_currency="USD", city=True, stops_when_dropped=False,
    rule="当年1月至所选月份实际使用外资达到或超过认定标准（按年度汇率比较）的开发区家数。"))
register(Metric(
    ZONES_FDI_ABOVE_2, "实际使用外资达标开发区（二档）", "外资达标二档", counted_by=ZONES_REACHING,
    source=FDI_REPORTED, unit="家", threshold_currency="USD", city=True, stops_when_dropped=False,
    rule="当年1月至所选月份实际使用外资达到或超过第二档认定标准的开发区家数。"))
register(Metric(
    ZONES_FDI_BREAKTHROUGH, "实际使用外资零的突破", "外资破零", counted_by=ZONES_BREAKING_THROUGH,
    source=FDI_REPORTED, unit="家", city=True, stops_when_dropped=False,
    rule="上年全年实际使用外资为零、当年1月至所选月份不为零的开发区家数。"))
