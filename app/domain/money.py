"""Exact money: amounts are Decimal with a currency, entered and shown as ledgers write them."""
from __future__ import annotations

import decimal
from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping

from .errors import UserFacingError

CENT = Decimal("0.01")

CURRENCIES = {
    "CNY": "人民币",
    "USD": "美元",
    "HKD": "港元",
    "EUR": "欧元",
    "JPY": "日元",
    "GBP": "英镑",
    "KRW": "韩元",
    "SGD": "新加坡元",
    "TWD": "新台币",
}

# Units in which ledgers enter amounts: label -> (currency, multiplier).
UNITS = {
    "元": ("CNY", Decimal(1)),
    "万元": ("CNY", Decimal(10_000)),
    "亿元": ("CNY", Decimal(100_000_000)),
    "美元": ("USD", Decimal(1)),
    "万美元": ("USD", Decimal(10_000)),
    "亿美元": ("USD", Decimal(100_000_000)),
}

# Enough digits that converting any ledger amount through two rates loses nothing.
_EXACT = decimal.Context(prec=50)


class MoneyError(UserFacingError):
    """Input that is not an amount."""


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str = "CNY"

    def __post_init__(self):
        if self.currency not in CURRENCIES:
            raise MoneyError(f"未知币种：{self.currency}")


def parse_amount(text: str | Decimal | int | None, unit: str = "万元") -> Money | None:
    """Turn what a user typed, in the given unit, into exact Money; blank means no amount."""
    if text is None:
        return None
    if isinstance(text, (Decimal, int)):
        raw = str(text)
    else:
        raw = str(text).strip().replace(",", "").replace("，", "")
    if raw == "":
        return None
    if unit not in UNITS:
        raise MoneyError(f"未知金额单位：{unit}")
    try:
        value = Decimal(raw)
    except decimal.InvalidOperation:
        raise MoneyError(f"“{text}”不是有效的金额") from None
    if not value.is_finite():
        raise MoneyError(f"“{text}”不是有效的金额")
    if value < 0:
        raise MoneyError("金额不能为负数")
    value = abs(value)  # "-0" is zero, not a negative amount
    currency, multiplier = UNITS[unit]
    amount = _EXACT.multiply(value, multiplier)
    if amount != amount.quantize(CENT):
        raise MoneyError("金额最多精确到分")
    if amount >= Decimal("1e15"):
        raise MoneyError("金额超出可记录范围")
    return Money(amount.quantize(CENT), currency)


def to_currency(amount: Decimal, source: str, target: str, rates: Mapping[str, Decimal]) -> Decimal:
    """Convert exactly (no rounding) through CNY; `rates` gives CNY per one unit of currency."""
    if source == target:
        return amount
    return _EXACT.divide(_EXACT.multiply(amount, _rate(source, rates)), _rate(target, rates))


def meets_threshold(value: Money | None, threshold: Money | None, rates: Mapping[str, Decimal]) -> bool:
    """Whether an amount reaches a threshold (inclusive), comparing through the year's FX rates.

    No threshold means any amount qualifies, a missing amount included.
    """
    if threshold is None or threshold.amount == 0:
        return True
    if value is None:
        return False
    return to_currency(value.amount, value.currency, threshold.currency, rates) >= threshold.amount


def minimum_in_currency(threshold: Money, currency: str, rates: Mapping[str, Decimal]) -> Decimal:
    """The smallest amount in `currency`, to the cent, that meets the threshold.

    SQL compares each stored currency against this, which is exactly `meets_threshold`
    because stored amounts are whole cents.
    """
    exact = to_currency(threshold.amount, threshold.currency, currency, rates)
    return exact.quantize(CENT, rounding=decimal.ROUND_CEILING)


def _rate(currency: str, rates: Mapping[str, Decimal]) -> Decimal:
    if currency == "CNY":
        return Decimal(1)
    try:
        return Decimal(rates[currency])
    except KeyError:
        raise MoneyError(f"缺少{CURRENCIES.get(currency, currency)}的年度汇率，请管理员维护") from None


def format_amount(money: Money | None) -> str:
    """Ledger style: CNY in 万元 below 1亿 and in 亿元 above; USD in 万美元; others in 万."""
    if money is None:
        return "—"
    amount = money.amount
    if money.currency == "CNY":
        # Choose the unit after rounding, so 9,999.999999万元 reads 1.00亿元, not 10,000.00万元.
        if _rounded(amount / 10_000) >= 10_000:
            return f"{_grouped(amount / 100_000_000)}亿元"
        return f"{_grouped(amount / 10_000)}万元"
    if money.currency == "USD":
        return f"{_grouped(amount / 10_000)}万美元"
    return f"{_grouped(amount / 10_000)}万{CURRENCIES[money.currency]}"


def format_threshold(money: Money) -> str:
    """Thresholds read as the work points write them: 5000万美元, 10亿元, 5千万元 as 5000万元."""
    amount = money.amount
    if money.currency == "CNY" and amount >= 100_000_000:
        return f"{_plain(amount / 100_000_000)}亿元"
    name = "元" if money.currency == "CNY" else CURRENCIES[money.currency]
    return f"{_plain(amount / 10_000)}万{name}"


def in_wan(amount: Decimal | None) -> str:
    """An amount as a plain 万 figure for form fields (no grouping, no trailing zeros)."""
    if amount is None:
        return ""
    return _plain(amount / 10_000)


def _rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=decimal.ROUND_HALF_UP)


def _grouped(value: Decimal) -> str:
    return f"{_rounded(value):,}"


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
