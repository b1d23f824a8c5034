"""The 2024 work points (seed 004, items 2-3) as DOMAIN.md tabulates them, row by row."""
from decimal import Decimal

import pytest

from app.domain import metrics
from app.domain.money import Money, format_threshold
from app.domain.targets import (
    CITY_TARGETS_2024,
    DOMESTIC,
    FOREIGN,
    LEADER_CONTACTS,
    MANUFACTURING,
    MUNICIPAL_KEY,
    NEW_START_INDUSTRIAL,
    PROVINCIAL_KEY,
    TARGETS_2024,
    TIERS,
)

USD = "USD"
CNY = "CNY"

# (tier, metric, floor, stretch, threshold) -- one line per row of DOMAIN.md's tables.
ROWS = [
    ("A", LEADER_CONTACTS, 100, None, None),
    ("B", LEADER_CONTACTS, 80, None, None),
    ("C", LEADER_CONTACTS, 50, None, None),
    ("A", FOREIGN, 1, 2, Money(Decimal("50000000"), USD)),          # ≥ 5000万美元
    ("A", DOMESTIC, 3, 5, Money(Decimal("1000000000"), CNY)),       # ≥ 10亿元
    ("B", FOREIGN, 1, 2, None),                                     # any amount
    ("B", DOMESTIC, 5, 10, Money(Decimal("500000000"), CNY)),       # ≥ 5亿元
    ("B", MANUFACTURING, 1, 2, Money(Decimal("1000000000"), CNY)),  # ≥ 10亿元
    ("C", FOREIGN, 1, 2, Money(Decimal("1000000"), USD)),           # ≥ 100万美元
    ("C", DOMESTIC, 3, 5, Money(Decimal("500000000"), CNY)),        # ≥ 5亿元
    ("A", PROVINCIAL_KEY, 2, None, None),
    ("B", PROVINCIAL_KEY, 2, None, None),
    ("C", PROVINCIAL_KEY, 2, None, None),
    ("A", MUNICIPAL_KEY, 5, None, None),
    ("B", MUNICIPAL_KEY, 5, None, None),
    ("C", MUNICIPAL_KEY, 5, None, None),
]


def _target(tier, metric):
    matches = [t for t in TARGETS_2024[tier] if t.metric == metric]
    assert len(matches) == 1, f"tier {tier} should have exactly one {metric} target"
    return matches[0]


def test_there_are_three_tiers_a_b_c():
    assert set(TIERS) == {"A", "B", "C"}
    assert set(TARGETS_2024) == {"A", "B", "C"}


@pytest.mark.parametrize("tier, metric, floor, stretch, threshold", ROWS,
                         ids=[f"{r[0]}-{r[1]}" for r in ROWS])
def test_each_row_of_the_2024_targets_table_is_shipped_as_written(tier, metric, floor, stretch, threshold):
    target = _target(tier, metric)
    assert target.floor == floor
    assert target.stretch == stretch
    assert target.threshold == threshold
    if threshold is not None:
        assert target.threshold.currency == threshold.currency
        assert target.threshold.amount == threshold.amount


def test_each_tier_has_exactly_the_metrics_of_the_table_and_no_more():
    expected = {tier: {r[1] for r in ROWS if r[0] == tier} for tier in "ABC"}
    for tier, targets in TARGETS_2024.items():
        assert [t.metric for t in targets].count(LEADER_CONTACTS) == 1
        assert {t.metric for t in targets} == expected[tier]
        assert len(targets) == len(expected[tier])


def test_only_tier_b_has_a_manufacturing_target():
    assert [tier for tier, ts in TARGETS_2024.items() if any(t.metric == MANUFACTURING for t in ts)] == ["B"]


def test_thresholds_read_as_the_work_points_write_them():
    assert format_threshold(_target("A", FOREIGN).threshold) == "5000万美元"
    assert format_threshold(_target("A", DOMESTIC).threshold) == "10亿元"
    assert format_threshold(_target("B", DOMESTIC).threshold) == "5亿元"
    assert format_threshold(_target("B", MANUFACTURING).threshold) == "10亿元"
    assert format_threshold(_target("C", FOREIGN).threshold) == "100万美元"
    assert format_threshold(_target("C", DOMESTIC).threshold) == "5亿元"
    assert format_threshold(CITY_TARGETS_2024[0].threshold) == "5000万元"


def test_city_wants_400_new_start_industrial_projects_of_at_least_50_million_yuan():
    assert len(CITY_TARGETS_2024) == 3  # and the two growth rates below
    city = CITY_TARGETS_2024[0]
    assert city.metric == NEW_START_INDUSTRIAL
    assert city.floor == 400
    assert city.stretch is None
    assert city.threshold == Money(Decimal("50000000"), CNY)


def test_every_zone_metric_has_a_chinese_name_and_a_column_position():
    zone_keys = [m.key for m in metrics.zone_metrics()]
    for targets in TARGETS_2024.values():
        for t in targets:
            assert metrics.get(t.metric).label
            assert t.metric in zone_keys


def test_stretch_is_never_below_floor():
    for targets in TARGETS_2024.values():
        for t in targets:
            assert t.stretch is None or t.stretch >= t.floor


def test_city_wants_revenue_growth_of_10_and_utilised_fdi_growth_of_5_percent():
    """Seed 004, 发展目标: 营业收入增长10%以上；实际使用外资增长5%以上 (rates as exact targets)."""
    by_metric = {t.metric: t for t in CITY_TARGETS_2024}
    assert by_metric[metrics.CITY_REVENUE_GROWTH].floor_value == Decimal("10.00")
    assert by_metric[metrics.CITY_FDI_GROWTH].floor_value == Decimal("5.00")
    assert metrics.get(metrics.CITY_REVENUE_GROWTH).measures == metrics.GROWTH


def test_the_langfang_set_counts_zones_by_utilised_fdi():
    """Seed 003, 三(二): ≥3 zones above USD 100M, ≥1 above USD 50M, ≥2 breaking through from zero."""
    from app.domain.targets import TARGET_SETS
    _name, by_tier, city = TARGET_SETS["langfang"]
    by_metric = {t.metric: t for t in city}
    assert (by_metric[metrics.ZONES_FDI_ABOVE].floor, by_metric[metrics.ZONES_FDI_ABOVE].threshold) == \
        (3, Money(Decimal("100000000"), "USD"))
    assert (by_metric[metrics.ZONES_FDI_ABOVE_2].floor, by_metric[metrics.ZONES_FDI_ABOVE_2].threshold) == \
        (1, Money(Decimal("50000000"), "USD"))
    assert by_metric[metrics.ZONES_FDI_BREAKTHROUGH].floor == 2
