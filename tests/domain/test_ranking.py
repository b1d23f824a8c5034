"""赛马: zones ranked within their tier on how far they have come towards their targets."""
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from app.domain.ranking import (RANKING_FORMULA, MetricResult, completion, movement, movement_label, rank, score,
                                standings)


def m(actual, floor, stretch=None, metric="x"):
    return MetricResult(metric, actual, floor, stretch)


# --- completion -----------------------------------------------------------------------

def test_completion_is_actual_over_floor():
    assert completion(m(0, 3, 5)) == 0
    assert completion(m(1, 3, 5)) == Fraction(1, 3)
    assert completion(m(3, 3, 5)) == 1


def test_beyond_the_floor_completion_counts_up_to_the_stretch():
    assert completion(m(4, 3, 5)) == Fraction(4, 3)
    assert completion(m(5, 3, 5)) == Fraction(5, 3)


def test_beyond_the_stretch_nothing_more_is_credited():
    assert completion(m(9, 3, 5)) == Fraction(5, 3)
    assert completion(m(3, 1, 2)) == 2


def test_without_a_stretch_completion_stops_at_one_hundred_percent():
    assert completion(m(10, 5)) == 1
    assert completion(m(5, 5)) == 1
    assert completion(m(4, 5)) == Fraction(4, 5)


def test_a_stretch_below_the_floor_does_not_lower_the_cap():
    assert completion(m(5, 5, 2)) == 1


@pytest.mark.parametrize("actual", [0, 3])
def test_a_floor_of_zero_counts_as_complete(actual):
    assert completion(m(actual, 0)) == 1
    assert completion(m(actual, 0, 2)) == 1


# --- score ----------------------------------------------------------------------------

def test_the_score_is_the_mean_completion_times_one_hundred():
    assert score([m(3, 3), m(1, 2)]) == 75
    assert score([m(100, 100)]) == 100
    assert score([m(0, 100), m(0, 2)]) == 0


def test_beating_stretch_targets_can_score_above_one_hundred():
    assert score([m(5, 3, 5), m(1, 1)]) == Fraction(400, 3)


def test_the_score_is_exact_not_floating_point():
    s = score([m(1, 3), m(1, 3), m(1, 3)])
    assert isinstance(s, Fraction)
    assert s == Fraction(100, 3)


def test_no_metrics_score_zero():
    assert score([]) == 0


def test_a_tier_a_zone_score_from_its_2024_metrics():
    metrics = [
        MetricResult("leader_contacts", 150, 200),          # 2 leaders × 100, capped sum 150
        MetricResult("foreign_projects", 2, 1, 2),          # 200%
        MetricResult("domestic_projects", 1, 3, 5),         # 33.3%
        MetricResult("provincial_key_projects", 2, 2),      # 100%
        MetricResult("municipal_key_projects", 7, 5),       # 100% (no stretch)
    ]
    expected = (Fraction(3, 4) + 2 + Fraction(1, 3) + 1 + 1) / 5 * 100
    assert score(metrics) == expected


def test_the_formula_is_written_out_for_the_reader():
    assert "完成率" in RANKING_FORMULA
    assert "× 100" in RANKING_FORMULA
    assert "名次相同" in RANKING_FORMULA


# --- rank -----------------------------------------------------------------------------

def test_ranking_is_highest_score_first():
    assert rank([("甲", Fraction(50)), ("乙", Fraction(90)), ("丙", Fraction(70))]) == {
        "乙": 1, "丙": 2, "甲": 3}


def test_tied_zones_share_a_rank_and_the_next_rank_is_skipped():
    scores = [("a", Fraction(90)), ("b", Fraction(80)), ("c", Fraction(80)), ("d", Fraction(70))]
    assert rank(scores) == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_ties_are_not_broken_by_name():
    assert rank([("z", Fraction(60)), ("a", Fraction(60))]) == {"a": 1, "z": 1}
    assert rank([("z", Fraction(60)), ("a", Fraction(60)), ("m", Fraction(10))]) == {
        "a": 1, "z": 1, "m": 3}


def test_scores_equal_as_fractions_tie_however_they_were_reached():
    first = score([m(1, 3), m(1, 1)])                     # (1/3 + 1) / 2
    second = score([m(2, 3), m(2, 3)])                    # (2/3 + 2/3) / 2
    assert first == second
    assert rank([("x", first), ("y", second)]) == {"x": 1, "y": 1}


def test_everyone_tied_is_everyone_first():
    assert rank([(k, Fraction(0)) for k in "abcd"]) == dict.fromkeys("abcd", 1)


def test_the_order_of_input_does_not_change_the_ranks():
    scores = [("a", Fraction(90)), ("b", Fraction(80)), ("c", Fraction(80)), ("d", Fraction(70)),
              ("e", Fraction(70)), ("f", Fraction(70)), ("g", Fraction(10))]
    expected = {"a": 1, "b": 2, "c": 2, "d": 4, "e": 4, "f": 4, "g": 7}
    rng = random.Random(4)
    for _ in range(20):
        shuffled = scores[:]
        rng.shuffle(shuffled)
        assert rank(shuffled) == expected


def test_no_zones_no_ranks():
    assert rank([]) == {}


# --- standings: the one rule behind the desk and the published bulletin ---------------

def test_amounts_count_in_the_score_and_growth_rates_do_not():
    counts = [m(1, 3, 5, "domestic_projects")]
    revenue = MetricResult("zone_revenue", Decimal("1200000000.00"), Decimal("1000000000.00"))
    growth = MetricResult("zone_revenue_growth", None, Decimal("10.00"), is_rate=True)
    assert score(counts + [revenue, growth]) == (Fraction(1, 3) + 1) / 2 * 100
    assert score([growth]) == 0


def test_standings_rank_each_tier_on_its_own_and_ties_share_a_place():
    placed = standings([("gx", "A", [m(1, 3)]), ("jk", "A", [m(2, 3)]), ("zd", "B", [m(1, 3)]),
                        ("lq", "B", [m(1, 3)]), ("zx", "C", [])])
    assert {code: (s.tier, s.rank) for code, s in placed.items()} == {
        "jk": ("A", 1), "gx": ("A", 2), "zd": ("B", 1), "lq": ("B", 1), "zx": ("C", 1)}
    assert placed["jk"].score == Fraction(200, 3)


@pytest.mark.parametrize("before,now,label", [(3, 1, "进2位"), (1, 2, "退1位"), (2, 2, "持平"), (None, 1, "—")])
def test_movement_is_places_climbed_since_the_previous_bulletin(before, now, label):
    assert movement_label(movement(now, before)) == label
