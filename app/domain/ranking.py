"""赛马: zones ranked within their tier on how far they have come towards their targets."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Iterable, Sequence

RANKING_FORMULA = (
    "综合得分 = 各项指标完成率的平均值 × 100。完成率 = 实际数 ÷ 目标下限；超过下限的部分"
    "计至争取目标为止（无争取目标的指标最高计 100%）。领导对接指标的实际数为各位领导已对接"
    "项目数之和（每人最多计至其任务数），目标下限为任务数 × 领导人数。设有年度目标的金额指标（到位资金、营业收入、"
    "实际使用外资）同样计入，完成率 = 实际金额 ÷ 目标金额；增长率指标不计入得分。同类开发区内按得分由高到低"
    "排名，得分相同名次相同。"
)


@dataclass(frozen=True)
class MetricResult:
    metric: str
    actual: int | Decimal       # a count, or an exact amount (amount metrics)
    floor: int | Decimal
    stretch: int | Decimal | None = None


def completion(m: MetricResult) -> Fraction:
    if m.floor <= 0:
        return Fraction(1)
    floor = Fraction(m.floor)
    cap = Fraction(max(m.stretch or m.floor, m.floor)) / floor
    return min(Fraction(m.actual) / floor, cap)


def score(metrics: Sequence[MetricResult]) -> Fraction:
    if not metrics:
        return Fraction(0)
    return sum((completion(m) for m in metrics), Fraction(0)) / len(metrics) * 100


def rank(scores: Iterable[tuple[str, Fraction]]) -> dict[str, int]:
    """Competition ranking (1, 2, 2, 4) of (key, score) pairs, highest score first."""
    ordered = sorted(scores, key=lambda ks: (-ks[1], ks[0]))
    ranks, previous, position = {}, None, 0
    for index, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            position, previous = index, value
        ranks[key] = position
    return ranks
