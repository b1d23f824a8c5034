"""Exact money: amounts are Decimal with a currency, entered and shown as ledgers write them."""
from __future__ import annotations

import decimal
import re
import unicodedata
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
    if amount >= Decimal("1e15"):  # first: quantizing 30 digits would overflow the context
        raise MoneyError("金额超出可记录范围")
    if amount != amount.quantize(CENT):
        raise MoneyError("金额最多精确到分")
    return Money(amount.quantize(CENT), currency)


# The one table of unit words written after a number (or in a column header): word ->
# (currency, multiplier to 元 or 美元). A currency of None is the field's own: a bare 万 in a
# 万美元 field is 万美元. Forms, the import and the API all read amounts through this table.
UNIT_WORDS: dict[str, tuple[str | None, Decimal]] = {
    "元": ("CNY", Decimal(1)), "万元": ("CNY", Decimal(10_000)), "千万元": ("CNY", Decimal(10_000_000)),
    "亿元": ("CNY", Decimal(100_000_000)),
    "人民币": ("CNY", Decimal(1)), "万人民币": ("CNY", Decimal(10_000)), "千万人民币": ("CNY", Decimal(10_000_000)),
    "亿人民币": ("CNY", Decimal(100_000_000)),
    "美元": ("USD", Decimal(1)), "万美元": ("USD", Decimal(10_000)), "千万美元": ("USD", Decimal(10_000_000)),
    "亿美元": ("USD", Decimal(100_000_000)),
    "美金": ("USD", Decimal(1)), "万美金": ("USD", Decimal(10_000)), "千万美金": ("USD", Decimal(10_000_000)),
    "亿美金": ("USD", Decimal(100_000_000)),
    "万": (None, Decimal(10_000)), "千万": (None, Decimal(10_000_000)), "亿": (None, Decimal(100_000_000)),
}
# Longest first, so 万美元 is not read as 美元 after a number ending in 万.
_WRITTEN_UNITS = tuple(sorted(UNIT_WORDS, key=len, reverse=True))
# The last characters of the unit words: a text ending otherwise (a plain number, most of a
# ledger's amounts) has no unit word written, and is not compared with each of them.
_UNIT_ENDINGS = frozenset(word[-1] for word in UNIT_WORDS)
_SPACES_COMMAS = re.compile(r"[\s,]")
_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")


def unit_named(word: str, currency: str = "CNY") -> str | None:
    """The unit (a key of UNITS) a unit word names in a field of `currency`: 亿 → 亿元, 美金 → 美元,
    万 in a USD field → 万美元; None when the word is no unit or names none of UNITS (千万元)."""
    if word not in UNIT_WORDS:
        return None
    written_currency, multiplier = UNIT_WORDS[word]
    wanted = (written_currency or currency, multiplier)
    return next((label for label, value in UNITS.items() if value == wanted), None)


def split_amount(text: str, unit: str = "万元") -> tuple[str, str, Decimal]:
    """What a user typed, read as (number text, unit word written, multiplier to 元 or 美元):
    width-folded (full-width digits and commas), spaces and thousands separators gone, a unit
    word of UNIT_WORDS written after the number honoured, else the field's `unit`. A unit of
    another currency than the field's is refused."""
    if unit not in UNITS:
        raise MoneyError(f"未知金额单位：{unit}")
    raw = _SPACES_COMMAS.sub("", unicodedata.normalize("NFKC", str(text)))
    if raw[-1:] not in _UNIT_ENDINGS:
        return raw, unit, UNITS[unit][1]
    currency = UNITS[unit][0]
    for written in _WRITTEN_UNITS:
        if raw.endswith(written) and len(raw) > len(written):
            written_currency, multiplier = UNIT_WORDS[written]
            if written_currency not in (None, currency):
                raise MoneyError(f"金额单位“{written}”与本栏不符，本栏以{unit}填写")
            return raw[: -len(written)], written, multiplier
    return raw, unit, UNITS[unit][1]


# Words that say an amount is not yet known (总投资 待定): no amount, as blank is, and never
# counted towards a threshold; the ledger import says so in its reading.
NOT_YET_KNOWN = frozenset({"待定", "未定", "待确定", "不详", "暂无", "未知", "-", "--", "—", "——", "–"})
# A comma with one or two digits after it (13,2): a decimal comma or a slip in a thousands
# separator; 1,200 (three digits) is a thousands separator.
_SHORT_GROUP = re.compile(r",(\d{1,2})(?!\d)")


def not_yet_known(text: str | None) -> bool:
    """Whether a typed amount says it is not yet known (待定, 不详, 暂无, —, －, -)."""
    if not isinstance(text, str):
        return False
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text)) in NOT_YET_KNOWN


def ambiguous_comma(text: str) -> str | None:
    """Why an amount's comma cannot be read (13,2 is 13.2 or 132), in Chinese; None when it can."""
    raw = re.sub(r"\s", "", unicodedata.normalize("NFKC", text))
    match = _SHORT_GROUP.search(raw)
    if match is None:
        return None
    number = re.match(r"[\d,.]*", raw).group(0)
    as_decimal = re.sub(r"[.,]", "", number[:match.start()]) + "." + match.group(1)
    as_separator = number.replace(",", "")
    rest = raw[len(number):]
    return (f"“{text.strip()}”中的逗号含义不明：是 {as_decimal}{rest}（逗号作小数点）还是 {as_separator}{rest}"
            f"（逗号作千分位）？请改写为其中之一")


def read_money(text: str | Decimal | int | None, unit: str = "万元") -> Money | None:
    """The one reading of an amount a person typed, for every form, the import and the API's
    text fields: 万元 by default; "3.5亿", "8.6亿元", "5000万", "1,200", "１２００" and
    "500万美元" (in a 万美元 field) all read as they are meant. Blank, and a word saying the
    amount is not yet known (待定, 不详, —), mean no amount. A comma followed by one or two
    digits (13,2) is refused with both readings named: 13.2 and 132 are both plausible."""
    if text is None or isinstance(text, (Decimal, int)):
        return parse_amount(text, unit)
    if re.sub(r"[\s,，]", "", str(text)) == "" or not_yet_known(text):
        return None
    problem = ambiguous_comma(str(text))
    if problem:
        raise MoneyError(problem)
    number, _written, multiplier = split_amount(text, unit)
    if not _NUMBER.fullmatch(number):
        raise MoneyError(f"“{str(text).strip()}”不是有效的金额")
    value = Decimal(number)
    if value < 0:
        raise MoneyError("金额不能为负数")
    currency = UNITS[unit][0]
    base = "元" if currency == "CNY" else "美元"
    return parse_amount(_EXACT.multiply(abs(value), multiplier), base)


def reading(money: Money | None, unit: str = "万元") -> str:
    """How a form reads an amount back in its own unit: "= 35,000.00 万元"."""
    if money is None:
        return ""
    value = money.amount / UNITS[unit][1]
    shown = _grouped(value) if value == _rounded(value) else f"{value.normalize():,f}"
    return f"= {shown} {unit}"


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
