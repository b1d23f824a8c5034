"""Money that arrives: 到位资金 per project, and the zones' monthly 营业收入 and 实际使用外资.

A signed project is a promise; an arrival is money actually paid in, on a day, in a currency.
Arrivals convert to CNY at the admin's rate for the arrival's own year (as thresholds do), and
each year's sum is rounded to the fen once, half up, after exact conversion. Monthly indicators
are what the statistics office reports per zone and month: 营业收入 in CNY, 实际使用外资 in USD.

Growth = (this year's months 1..m − the same months last year) ÷ the same months last year,
where m is the as-of month (DOMAIN.md, Money indicators). A zero base has no growth rate.
The SQL in app/queries/money.py sums the same rows; tests/test_money_agrees.py recounts
through these functions.
"""
from __future__ import annotations

import decimal
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Iterable, Mapping

from .errors import UserFacingError
from .money import CENT, CURRENCIES, Money, meets_threshold, to_currency

REGISTERED_CAPITAL, FIXED_ASSETS, FOREIGN_PAID_IN = "registered_capital", "fixed_assets", "foreign_paid_in"
ARRIVAL_KINDS = {REGISTERED_CAPITAL: "注册资本", FIXED_ASSETS: "固定资产投资", FOREIGN_PAID_IN: "外资实际到位"}

REVENUE, FDI = "revenue", "fdi"
# indicator -> (label, the unit it is entered and shown in, its currency)
INDICATORS = {REVENUE: ("营业收入", "万元", "CNY"), FDI: ("实际使用外资", "万美元", "USD")}

ZERO_BASE = "上年同期为零"
GROWTH_RULE = ("增长率 =（本年1月至所选月份合计 − 上年同期合计）÷ 上年同期合计 × 100%；"
               "上年同期为零时不计算增长率，显示“上年同期为零”。")

_EXACT = decimal.Context(prec=50)


class FundsError(UserFacingError):
    """An arrival or a monthly figure that cannot be saved as given."""


def to_cent(value: Decimal | Fraction) -> Decimal:
    """Round an exact figure to the fen/cent, half up (once, after summing)."""
    if isinstance(value, Fraction):
        value = _EXACT.divide(Decimal(value.numerator), Decimal(value.denominator))
    return value.quantize(CENT, rounding=decimal.ROUND_HALF_UP)


# ---------------------------------------------------------------- arrivals

@dataclass(frozen=True)
class ArrivalFacts:
    project_id: int
    zone_id: int
    on: date
    amount: Money
    kind: str = FIXED_ASSETS


def arrival_error(on: date | None, amount: Money | None, kind: str, today: date) -> str | None:
    """Why an arrival cannot be recorded, in Chinese; None when it can."""
    if on is None:
        return "请填写到位日期"
    if on > today:
        return "到位日期不能晚于今天"
    if amount is None or amount.amount <= 0:
        return "到位金额应大于零"
    if amount.currency not in CURRENCIES:
        return f"未知币种：{amount.currency}"
    if kind not in ARRIVAL_KINDS:
        return "请选择到位资金类别"
    return None


def arrived_in_year(arrivals: Iterable[ArrivalFacts], year: int, as_of: date, rates: Mapping,
                    currency: str = "CNY") -> Decimal:
    """The sum of the arrivals dated in `year` up to as_of, in `currency` at the year's rates,
    converted exactly and rounded to the cent once."""
    last = min(as_of, date(year, 12, 31))
    exact = sum((to_currency(a.amount.amount, a.amount.currency, currency, rates)
                 for a in arrivals if a.on.year == year and a.on <= last), Decimal(0))
    return to_cent(exact)


def arrived_by_year(arrivals: Iterable[ArrivalFacts], rates_by_year: Mapping[int, Mapping],
                    currency: str = "CNY") -> dict[int, Decimal]:
    """year -> the year's arrivals in `currency`, each year at its own rates."""
    arrivals = list(arrivals)
    years = sorted({a.on.year for a in arrivals})
    return {y: arrived_in_year(arrivals, y, date(y, 12, 31), rates_by_year.get(y, {}), currency) for y in years}


# ---------------------------------------------------------------- monthly indicators

@dataclass(frozen=True)
class MonthlyFacts:
    zone_id: int
    year: int
    month: int
    revenue: Decimal | None = None   # CNY
    fdi: Decimal | None = None       # USD


def monthly_error(year: int, month: int, revenue: Money | None, fdi: Money | None, today: date) -> str | None:
    if not 1 <= month <= 12:
        return "月份应在1至12之间"
    if (year, month) > (today.year, today.month):
        return "不能填报尚未开始的月份"
    if revenue is None and fdi is None:
        return "请至少填写营业收入或实际使用外资之一"
    if revenue is not None and revenue.currency != "CNY":
        return "营业收入以万元填报"
    if fdi is not None and fdi.currency != "USD":
        return "实际使用外资以万美元填报"
    return None


def months_through(year: int, as_of: date) -> int:
    """How many months of `year` a figure as of `as_of` covers: 1..as_of's month."""
    if as_of.year < year:
        return 0
    if as_of.year > year:
        return 12
    return as_of.month


def indicator_total(rows: Iterable[MonthlyFacts], indicator: str, year: int, months: int,
                    zone_id: int | None = None) -> Decimal:
    """The sum of an indicator over months 1..months of `year` (one zone, or every zone)."""
    total = Decimal("0.00")
    for r in rows:
        if r.year == year and r.month <= months and (zone_id is None or r.zone_id == zone_id):
            value = getattr(r, indicator)
            if value is not None:
                total += value
    return total


@dataclass(frozen=True)
class Growth:
    """This period against the same period last year."""
    current: Decimal
    base: Decimal

    @property
    def rate(self) -> Fraction | None:
        """Exact growth in percent; None when the base is zero."""
        if self.base == 0:
            return None
        return (Fraction(self.current) - Fraction(self.base)) / Fraction(self.base) * 100

    @property
    def percent(self) -> Decimal | None:
        """The rate to two decimals, half up (as shown)."""
        rate = self.rate
        return None if rate is None else to_cent(rate)

    @property
    def label(self) -> str:
        percent = self.percent
        return ZERO_BASE if percent is None else f"{percent}%"


def growth(rows: Iterable[MonthlyFacts], indicator: str, year: int, as_of: date,
           zone_id: int | None = None) -> Growth:
    rows = list(rows)
    months = months_through(year, as_of)
    return Growth(indicator_total(rows, indicator, year, months, zone_id),
                  indicator_total(rows, indicator, year - 1, months, zone_id))


def zones_reaching(totals: Mapping[int, Decimal], threshold: Money | None, currency: str, rates: Mapping) -> int:
    """How many zones' totals (in `currency`) reach the threshold; no threshold: any non-zero total."""
    if threshold is None or threshold.amount == 0:
        return sum(1 for v in totals.values() if v > 0)
    return sum(1 for v in totals.values() if v > 0 and meets_threshold(Money(v, currency), threshold, rates))


def zones_broken_through(this_year: Mapping[int, Decimal], last_year: Mapping[int, Decimal]) -> int:
    """Zones with no utilised FDI in the whole of last year and some this year (零的突破)."""
    return sum(1 for zone, v in this_year.items() if v > 0 and last_year.get(zone, 0) == 0)


# ---------------------------------------------------------------- shown

def format_wan(amount: Decimal | None, currency: str = "CNY") -> str:
    """An amount in 万元 / 万美元, exact to the fen/cent (6 decimals of 万)."""
    if amount is None:
        return "—"
    unit = "万元" if currency == "CNY" else ("万美元" if currency == "USD" else f"万{CURRENCIES[currency]}")
    wan = (amount / 10_000).quantize(Decimal("0.000001"))
    text = f"{wan:,}".rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}{unit}" if frac else f"{whole}.00{unit}"
