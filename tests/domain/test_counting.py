"""What counts towards which target: introduced projects, key projects planned, new starts,
and the leaders' contact quota."""
from datetime import date
from decimal import Decimal

import pytest

from app.domain.counting import (
    MUNICIPAL,
    PROVINCIAL,
    ContactFacts,
    ProjectFacts,
    counts_towards,
    is_foreign_origin,
    is_kind_and_size,
    leader_contact_counts,
    zone_leader_total,
)
from app.domain.money import Money
from app.domain.pipeline import DROPPED, NEGOTIATING, SIGNED, STARTED, stage_dates
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
)

RATES = {"USD": Decimal("7.1"), "HKD": Decimal("0.91"), "EUR": Decimal("7.7")}
YEAR = 2024
PLANNED = date(2024, 1, 10)
SIGNED_ON = date(2024, 3, 15)
END = date(2024, 12, 31)
CENT = Decimal("0.01")
BIG_CNY = Money(Decimal("100000000000"), "CNY")  # 1000亿元, beyond every threshold


def target(tier, metric):
    return next(t for t in TARGETS_2024[tier] if t.metric == metric)


def project(metric, amount, **changes):
    """A project of the metric's kind, signed this year, with `amount` as the compared figure."""
    fields = dict(planned_on=PLANNED, signed_on=SIGNED_ON)
    if metric == FOREIGN:
        fields.update(is_foreign=True, foreign_capital=amount, total_investment=BIG_CNY)
    elif metric == DOMESTIC:
        fields.update(is_foreign=False, total_investment=amount)
    elif metric == MANUFACTURING:
        fields.update(is_manufacturing=True, is_industrial=True, total_investment=amount)
    fields.update(changes)
    return ProjectFacts(**fields)


def counts(p, metric, threshold, year=YEAR, as_of=END, rates=RATES):
    return counts_towards(p, metric, threshold, year, as_of, rates)


# --- foreign origin -------------------------------------------------------------------

@pytest.mark.parametrize("origin", ["HK", "MO", "TW", "US", "DE", "JP", "SG"])
def test_hong_kong_macao_taiwan_and_abroad_are_foreign(origin):
    assert is_foreign_origin(origin) is True


@pytest.mark.parametrize("origin", ["CN", None, ""])
def test_mainland_or_unknown_origin_is_not_foreign(origin):
    assert is_foreign_origin(origin) is False


# --- thresholds, tier by tier ---------------------------------------------------------

THRESHOLD_CASES = [
    (tier, t.metric)
    for tier, ts in TARGETS_2024.items()
    for t in ts
    if t.metric in (FOREIGN, DOMESTIC, MANUFACTURING) and t.threshold is not None
]


def test_the_thresholded_project_metrics_are_the_six_of_the_table():
    assert sorted(THRESHOLD_CASES) == [
        ("A", DOMESTIC), ("A", FOREIGN), ("B", DOMESTIC), ("B", MANUFACTURING),
        ("C", DOMESTIC), ("C", FOREIGN),
    ]


@pytest.mark.parametrize("tier, metric", THRESHOLD_CASES)
def test_a_project_exactly_at_the_threshold_counts(tier, metric):
    threshold = target(tier, metric).threshold
    assert counts(project(metric, threshold), metric, threshold)


@pytest.mark.parametrize("tier, metric", THRESHOLD_CASES)
def test_a_project_one_cent_below_the_threshold_does_not_count(tier, metric):
    threshold = target(tier, metric).threshold
    below = Money(threshold.amount - CENT, threshold.currency)
    assert not counts(project(metric, below), metric, threshold)


def test_foreign_thresholds_are_in_dollars_and_domestic_ones_in_yuan():
    for tier, metric in THRESHOLD_CASES:
        expected = "USD" if metric == FOREIGN else "CNY"
        assert target(tier, metric).threshold.currency == expected


@pytest.mark.parametrize("amount", [Decimal("0.01"), Decimal("1"), Decimal("999999999")])
def test_in_tier_b_a_foreign_project_of_any_amount_counts(amount):
    threshold = target("B", FOREIGN).threshold
    assert threshold is None
    assert counts(project(FOREIGN, Money(amount, "USD")), FOREIGN, threshold)


def test_in_tier_b_a_foreign_project_with_no_foreign_capital_entered_still_counts():
    assert counts(project(FOREIGN, None), FOREIGN, target("B", FOREIGN).threshold)


def test_a_domestic_project_with_no_total_investment_does_not_meet_a_threshold():
    threshold = target("C", DOMESTIC).threshold
    assert not counts(project(DOMESTIC, None), DOMESTIC, threshold)


def test_a_foreign_project_is_judged_on_foreign_capital_not_total_investment():
    threshold = target("A", FOREIGN).threshold  # 5000万美元
    p = project(FOREIGN, Money(Decimal("49999999.99"), "USD"), total_investment=BIG_CNY)
    assert not counts(p, FOREIGN, threshold)


def test_a_foreign_project_never_counts_as_domestic_nor_a_domestic_one_as_foreign():
    huge = Money(Decimal("10000000000"), "USD")
    foreign = project(FOREIGN, huge)
    domestic = project(DOMESTIC, BIG_CNY)
    assert not counts(foreign, DOMESTIC, target("C", DOMESTIC).threshold)
    assert not counts(domestic, FOREIGN, target("B", FOREIGN).threshold)


def test_a_manufacturing_project_must_be_flagged_manufacturing():
    threshold = target("B", MANUFACTURING).threshold
    p = project(MANUFACTURING, BIG_CNY, is_manufacturing=False)
    assert not counts(p, MANUFACTURING, threshold)


def test_a_big_manufacturing_project_counts_for_both_domestic_and_manufacturing():
    p = project(MANUFACTURING, Money(Decimal("1000000000"), "CNY"))
    assert counts(p, MANUFACTURING, target("B", MANUFACTURING).threshold)
    assert counts(p, DOMESTIC, target("B", DOMESTIC).threshold)


@pytest.mark.parametrize("currency, at, below", [
    # 5000万美元 × 7.1 = 3.55亿元; ÷ 0.91 = 390,109,890.109… HKD; ÷ 7.7 = 46,103,896.103… EUR
    ("HKD", "390109890.11", "390109890.10"),
    ("EUR", "46103896.11", "46103896.10"),
    ("CNY", "355000000.00", "354999999.99"),
])
def test_tier_a_foreign_capital_in_other_currencies_compares_through_fx_rates(currency, at, below):
    threshold = target("A", FOREIGN).threshold
    assert counts(project(FOREIGN, Money(Decimal(at), currency)), FOREIGN, threshold)
    assert not counts(project(FOREIGN, Money(Decimal(below), currency)), FOREIGN, threshold)


def test_tier_c_foreign_capital_in_hong_kong_dollars_compares_through_fx_rates():
    threshold = target("C", FOREIGN).threshold  # 100万美元 = 710万元 = 7,802,197.80… HKD
    assert counts(project(FOREIGN, Money(Decimal("7802197.81"), "HKD")), FOREIGN, threshold)
    assert not counts(project(FOREIGN, Money(Decimal("7802197.80"), "HKD")), FOREIGN, threshold)


def test_a_domestic_total_entered_in_dollars_compares_in_yuan():
    threshold = target("B", DOMESTIC).threshold  # 5亿元 = 70,422,535.21… USD
    assert counts(project(DOMESTIC, Money(Decimal("70422535.22"), "USD")), DOMESTIC, threshold)
    assert not counts(project(DOMESTIC, Money(Decimal("70422535.21"), "USD")), DOMESTIC, threshold)


def test_a_different_years_fx_rate_changes_the_outcome():
    threshold = target("A", FOREIGN).threshold
    p = project(FOREIGN, Money(Decimal("390109890.11"), "HKD"))
    assert counts(p, FOREIGN, threshold, rates=RATES)
    assert not counts(p, FOREIGN, threshold, rates={**RATES, "HKD": Decimal("0.90")})


def test_leader_contacts_is_not_a_project_metric():
    with pytest.raises(ValueError):
        is_kind_and_size(project(DOMESTIC, BIG_CNY), LEADER_CONTACTS, None, RATES)


# --- introduced projects: the signing year --------------------------------------------

DOM_T = target("A", DOMESTIC).threshold
DOM = project(DOMESTIC, BIG_CNY)


def test_a_signed_project_counts_in_the_year_it_was_signed():
    assert counts(DOM, DOMESTIC, DOM_T)


def test_it_counts_from_the_signing_day_itself():
    assert counts(DOM, DOMESTIC, DOM_T, as_of=SIGNED_ON)


def test_as_of_a_day_before_signing_it_does_not_count():
    assert not counts(DOM, DOMESTIC, DOM_T, as_of=date(2024, 3, 14))


def test_it_keeps_counting_after_construction_starts():
    started = project(DOMESTIC, BIG_CNY, started_on=date(2024, 6, 1))
    assert counts(started, DOMESTIC, DOM_T)
    later = project(DOMESTIC, BIG_CNY, started_on=date(2025, 2, 1))
    assert counts(later, DOMESTIC, DOM_T, as_of=date(2025, 6, 30))


def test_a_project_never_signed_does_not_count():
    assert not counts(project(DOMESTIC, BIG_CNY, signed_on=None), DOMESTIC, DOM_T)


def test_a_project_signed_in_another_year_does_not_count():
    last_year = project(DOMESTIC, BIG_CNY, planned_on=date(2023, 5, 1), signed_on=date(2023, 12, 31))
    next_year = project(DOMESTIC, BIG_CNY, signed_on=date(2025, 1, 1))
    assert not counts(last_year, DOMESTIC, DOM_T)
    assert not counts(next_year, DOMESTIC, DOM_T, as_of=date(2025, 6, 30))


def test_a_project_signed_last_year_still_counts_for_last_year():
    last_year = project(DOMESTIC, BIG_CNY, planned_on=date(2023, 5, 1), signed_on=date(2023, 12, 31))
    assert counts(last_year, DOMESTIC, DOM_T, year=2023, as_of=date(2024, 6, 30))


def test_a_project_dropped_after_signing_stops_counting_from_the_drop_date():
    dropped = project(DOMESTIC, BIG_CNY, dropped_on=date(2024, 8, 1))
    assert counts(dropped, DOMESTIC, DOM_T, as_of=date(2024, 7, 31))
    assert not counts(dropped, DOMESTIC, DOM_T, as_of=date(2024, 8, 1))
    assert not counts(dropped, DOMESTIC, DOM_T, as_of=END)


def test_the_ledgers_history_feeds_the_count():
    history = [(NEGOTIATING, date(2024, 1, 10)), (STARTED, date(2024, 4, 2)), (DROPPED, date(2024, 9, 1))]
    d = stage_dates(history)
    p = project(DOMESTIC, BIG_CNY, signed_on=d.signed_on, started_on=d.started_on, dropped_on=d.dropped_on)
    assert not counts(p, DOMESTIC, DOM_T, as_of=date(2024, 4, 1))
    assert counts(p, DOMESTIC, DOM_T, as_of=date(2024, 4, 2))   # entered at 开工 = signed that day
    assert counts(p, DOMESTIC, DOM_T, as_of=date(2024, 8, 31))
    assert not counts(p, DOMESTIC, DOM_T, as_of=date(2024, 9, 1))


def test_a_revived_project_counts_again():
    d = stage_dates([(SIGNED, date(2024, 3, 1)), (DROPPED, date(2024, 5, 1)), (STARTED, date(2024, 7, 1))])
    p = project(DOMESTIC, BIG_CNY, signed_on=d.signed_on, started_on=d.started_on, dropped_on=d.dropped_on)
    assert counts(p, DOMESTIC, DOM_T)


# --- key projects planned (谋划省重点 / 市重点) -----------------------------------------

def key(level, **changes):
    fields = dict(planned_on=date(2024, 2, 20), key_level=level)
    fields.update(changes)
    return ProjectFacts(**fields)


def test_a_provincial_key_project_counts_in_its_planning_year_even_as_a_lead():
    assert counts(key(PROVINCIAL), PROVINCIAL_KEY, target("A", PROVINCIAL_KEY).threshold)


def test_a_municipal_key_project_counts_in_its_planning_year_even_as_a_lead():
    assert counts(key(MUNICIPAL), MUNICIPAL_KEY, target("C", MUNICIPAL_KEY).threshold)


@pytest.mark.parametrize("stage_fields", [
    {},
    {"signed_on": date(2024, 5, 1)},
    {"signed_on": date(2024, 5, 1), "started_on": date(2024, 8, 1)},
    {"signed_on": date(2025, 3, 1)},
])
def test_a_key_project_counts_whatever_its_stage(stage_fields):
    assert counts(key(PROVINCIAL, **stage_fields), PROVINCIAL_KEY, None)


def test_provincial_and_municipal_key_projects_count_only_at_their_own_level():
    assert not counts(key(PROVINCIAL), MUNICIPAL_KEY, None)
    assert not counts(key(MUNICIPAL), PROVINCIAL_KEY, None)
    assert not counts(key(None), PROVINCIAL_KEY, None)
    assert not counts(key(None), MUNICIPAL_KEY, None)


def test_a_dropped_key_project_does_not_count():
    p = key(MUNICIPAL, dropped_on=date(2024, 6, 1))
    assert not counts(p, MUNICIPAL_KEY, None)
    assert counts(p, MUNICIPAL_KEY, None, as_of=date(2024, 5, 31))


def test_a_key_project_planned_in_another_year_does_not_count():
    assert not counts(key(PROVINCIAL, planned_on=date(2023, 12, 31)), PROVINCIAL_KEY, None)
    assert not counts(key(PROVINCIAL, planned_on=date(2025, 1, 1)), PROVINCIAL_KEY, None,
                      as_of=date(2025, 3, 1))


def test_a_key_project_planned_after_as_of_does_not_count_yet():
    assert not counts(key(PROVINCIAL), PROVINCIAL_KEY, None, as_of=date(2024, 2, 19))
    assert counts(key(PROVINCIAL), PROVINCIAL_KEY, None, as_of=date(2024, 2, 20))


# --- new-start industrial projects (city-wide) ----------------------------------------

CITY_T = CITY_TARGETS_2024[0].threshold  # 5000万元


def industrial(**changes):
    fields = dict(planned_on=date(2023, 10, 1), is_industrial=True,
                  total_investment=Money(Decimal("50000000"), "CNY"),
                  signed_on=date(2024, 2, 1), started_on=date(2024, 5, 10))
    fields.update(changes)
    return ProjectFacts(**fields)


def test_an_industrial_project_of_5000_wan_started_this_year_counts():
    assert counts(industrial(), NEW_START_INDUSTRIAL, CITY_T)


def test_an_industrial_project_one_cent_below_5000_wan_does_not_count():
    p = industrial(total_investment=Money(Decimal("49999999.99"), "CNY"))
    assert not counts(p, NEW_START_INDUSTRIAL, CITY_T)


def test_a_project_not_flagged_industrial_does_not_count_as_a_new_industrial_start():
    assert not counts(industrial(is_industrial=False), NEW_START_INDUSTRIAL, CITY_T)


def test_a_new_start_counts_in_the_year_of_its_start_not_of_its_signing():
    signed_last_year = industrial(signed_on=date(2023, 11, 1))
    assert counts(signed_last_year, NEW_START_INDUSTRIAL, CITY_T)
    started_last_year = industrial(signed_on=date(2023, 6, 1), started_on=date(2023, 12, 31))
    assert not counts(started_last_year, NEW_START_INDUSTRIAL, CITY_T)


def test_a_project_not_yet_started_does_not_count_as_a_new_start():
    assert not counts(industrial(started_on=None), NEW_START_INDUSTRIAL, CITY_T)
    assert not counts(industrial(), NEW_START_INDUSTRIAL, CITY_T, as_of=date(2024, 5, 9))
    assert counts(industrial(), NEW_START_INDUSTRIAL, CITY_T, as_of=date(2024, 5, 10))


def test_a_foreign_industrial_project_compares_its_total_in_yuan():
    # 5000万元 ÷ 7.1 = 7,042,253.52… USD
    assert counts(industrial(total_investment=Money(Decimal("7042253.53"), "USD")),
                  NEW_START_INDUSTRIAL, CITY_T)
    assert not counts(industrial(total_investment=Money(Decimal("7042253.52"), "USD")),
                      NEW_START_INDUSTRIAL, CITY_T)


# --- leaders' contact quota -----------------------------------------------------------

def contact(month, day, project_id, *leaders, year=2024):
    return ContactFacts(on=date(year, month, day), project_id=project_id, leader_ids=frozenset(leaders))


def test_ten_contacts_with_one_project_count_once():
    contacts = [contact(m, 1, 7, 1) for m in range(1, 11)]
    assert leader_contact_counts(contacts, YEAR, END) == {1: 1}


def test_contacts_with_distinct_projects_each_count():
    contacts = [contact(1, 5, pid, 1) for pid in range(1, 6)] + [contact(2, 5, 3, 1)]
    assert leader_contact_counts(contacts, YEAR, END) == {1: 5}


def test_a_contact_with_several_leaders_credits_each_of_them():
    contacts = [contact(3, 1, 7, 1, 2, 3)]
    assert leader_contact_counts(contacts, YEAR, END) == {1: 1, 2: 1, 3: 1}


def test_each_leader_counts_their_own_distinct_projects():
    contacts = [
        contact(1, 5, 10, 1, 2),
        contact(2, 5, 10, 2),
        contact(3, 5, 11, 2),
        contact(4, 5, 12, 1),
    ]
    assert leader_contact_counts(contacts, YEAR, END) == {1: 2, 2: 2}


def test_contacts_outside_the_year_are_not_counted():
    contacts = [contact(12, 31, 1, 1, year=2023), contact(1, 1, 2, 1, year=2025), contact(1, 1, 3, 1)]
    assert leader_contact_counts(contacts, YEAR, date(2025, 6, 30)) == {1: 1}


def test_contacts_after_as_of_are_not_counted_yet():
    contacts = [contact(6, 30, 1, 1), contact(7, 1, 2, 1)]
    assert leader_contact_counts(contacts, YEAR, date(2024, 6, 30)) == {1: 1}
    assert leader_contact_counts(contacts, YEAR, date(2024, 7, 1)) == {1: 2}


def test_a_project_contacted_in_two_years_counts_once_in_each():
    contacts = [contact(11, 1, 7, 1, year=2023), contact(2, 1, 7, 1)]
    assert leader_contact_counts(contacts, 2023, END) == {1: 1}
    assert leader_contact_counts(contacts, 2024, END) == {1: 1}


def test_a_contact_logged_without_a_leader_credits_nobody():
    assert leader_contact_counts([contact(3, 1, 7)], YEAR, END) == {}


def test_the_zone_total_credits_each_leader_up_to_the_quota():
    assert zone_leader_total([120, 40, 100], quota=100) == 240
    assert zone_leader_total([80, 80], quota=80) == 160
    assert zone_leader_total([0, 49], quota=50) == 49


def test_a_zone_without_leaders_has_a_total_of_zero():
    assert zone_leader_total([], quota=100) == 0


def test_the_zone_total_from_contacts():
    contacts = [contact(1, 1 + i % 28, i, 1) for i in range(60)] + [contact(2, 1, 100, 2)]
    counts_by_leader = leader_contact_counts(contacts, YEAR, END)
    assert counts_by_leader == {1: 60, 2: 1}
    assert zone_leader_total(counts_by_leader.values(), target("C", LEADER_CONTACTS).floor) == 51


def test_origin_codes_are_read_whatever_their_case_or_spacing():
    assert not is_foreign_origin("cn") and not is_foreign_origin(" CN ")
    assert is_foreign_origin("hk")
