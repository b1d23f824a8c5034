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
    actual: int | Decimal | None   # a count, an exact amount, or a growth rate (None: 上年同期为零)
    floor: int | Decimal
    stretch: int | Decimal | None = None
    is_rate: bool = False          # a growth rate: shown beside the score, never in it


def completion(m: MetricResult) -> Fraction:
    if m.floor <= 0:
        return Fraction(1)
    floor = Fraction(m.floor)
    cap = Fraction(max(m.stretch or m.floor, m.floor)) / floor
    return min(Fraction(m.actual) / floor, cap)


def score(metrics: Sequence[MetricResult]) -> Fraction:
    """A zone's 综合得分 over every metric with a target, counts and amounts alike; growth
    rates are left out (RANKING_FORMULA)."""
    scored = [m for m in metrics if not m.is_rate]
    if not scored:
        return Fraction(0)
    return sum((completion(m) for m in scored), Fraction(0)) / len(scored) * 100


def rank(scores: Iterable[tuple[str, Fraction]]) -> dict[str, int]:
    """Competition ranking (1, 2, 2, 4) of (key, score) pairs, highest score first."""
    ordered = sorted(scores, key=lambda ks: (-ks[1], ks[0]))
    ranks, previous, position = {}, None, 0
    for index, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            position, previous = index, value
        ranks[key] = position
    return ranks


@dataclass(frozen=True)
class Standing:
    """A zone's place in the 赛马: its exact score and its competition rank within its tier."""
    zone: str
    tier: str
    score: Fraction
    rank: int


def standings(zones: Iterable[tuple[str, str, Sequence[MetricResult]]]) -> dict[str, Standing]:
    """(zone, tier, metric results) -> each zone's score and rank in its tier. The one rule the
    desk's live figures and an issued bulletin's published figures are both computed by."""
    scores: dict[str, tuple[str, Fraction]] = {code: (tier, score(results)) for code, tier, results in zones}
    result: dict[str, Standing] = {}
    for tier in sorted({tier for tier, _ in scores.values()}):
        ranks = rank((code, value) for code, (t, value) in scores.items() if t == tier)
        for code, position in ranks.items():
            result[code] = Standing(code, tier, scores[code][1], position)
    return result


def movement(rank_now: int, rank_before: int | None) -> int | None:
    """Places climbed (进位, positive) or lost (退位, negative); None without a previous rank."""
    return None if rank_before is None else rank_before - rank_now


def movement_label(places: int | None) -> str:
    """进2位 / 退1位 / 持平; — when there is no previous bulletin to compare with."""
    if places is None:
        return "—"
    if places > 0:
        return f"进{places}位"
    return f"退{-places}位" if places < 0 else "持平"
