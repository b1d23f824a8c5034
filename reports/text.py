"""Words and figures as the bulletin writes them."""
from __future__ import annotations

from datetime import date
from fractions import Fraction

from app.domain.money import format_amount
from app.domain.pacing import AHEAD, BEHIND, Pace, one_decimal

DIGITS = "零一二三四五六七八九"


def cndate(value: date | None) -> str:
    if value is None:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日"


def month_day(value: date) -> str:
    return f"{value.month}月{value.day}日"


def period(year: int, month: int) -> str:
    """1—6月 as bulletins write a year to date."""
    return f"{year}年1月" if month == 1 else f"{year}年1—{month}月"


def cn_number(n: int) -> str:
    """Chinese numerals for headings: 一, 十二, 一百零五 (1–999)."""
    if not 0 < n < 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else DIGITS[tens]) + "十"
    if ones:
        out += DIGITS[ones]
    return out


def percent(value: Fraction) -> str:
    return f"{one_decimal(value * 100)}%"


def ratio(actual: int, target: int) -> str:
    return percent(Fraction(actual, target)) if target else "—"


def count(value) -> str:
    """A whole count as an integer, an expected count to one decimal."""
    if isinstance(value, Fraction) and value.denominator != 1:
        return one_decimal(value)
    return f"{int(value)}"


def tenths(value) -> str:
    """A table column's figure, always to one decimal (25.0, 41.7), so a column reads evenly."""
    return one_decimal(Fraction(value))


def pace_phrase(pace: Pace) -> str:
    """领先序时 2.0 个 / 符合序时进度 / 落后序时 3.5 个."""
    if pace.status == BEHIND:
        return f"落后序时进度{one_decimal(-pace.gap)}个"
    if pace.status == AHEAD:
        return f"超出序时进度{one_decimal(pace.gap)}个"
    return "符合序时进度"


def target_range(floor: int, stretch: int | None) -> str:
    return f"{floor}～{stretch}个" if stretch and stretch != floor else f"{floor}个"


def amount_lines(total, capital, foreign: bool) -> list[str]:
    lines = []
    if foreign and capital is not None:
        lines.append(f"合同外资{format_amount(capital)}")
    if total is not None:
        lines.append(f"总投资{format_amount(total)}")
    return lines or ["—"]
