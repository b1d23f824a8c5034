"""A committed arrival or monthly figure raises the data version, so the cached progress (the desk,
the bulletin, the zone report) shows it at once: funds_arrivals and zone_monthly are data tables."""
from datetime import date
from decimal import Decimal

from app.domain import metrics as M
from app.domain.money import Money
from app.queries.progress import build_progress
from app.services.funds import ArrivalInput, MonthlyInput, add_arrival, report_month
from app.services.reference import add_target

YEAR = 2024


def test_an_arrival_and_a_month_show_in_the_cached_progress_at_once(app, world, make_project, db):
    for metric in (M.FUNDS_ARRIVED, M.REVENUE):
        add_target(YEAR, "A", metric, None).floor_value = Decimal("100000000.00")
    db.session.commit()
    project = make_project(world.zone_a, planned_on=date(YEAR, 1, 2), today=date(YEAR, 12, 31))
    as_of = date(YEAR, 6, 30)
    zone = build_progress(YEAR, as_of).zone(world.zone_a.id)
    assert zone.value(M.FUNDS_ARRIVED).current == 0 and zone.value(M.REVENUE).current == 0

    add_arrival(project, ArrivalInput(date(YEAR, 3, 1), Money(Decimal("1234.56")), "fixed_assets"), None,
                today=date(YEAR, 12, 31))
    db.session.commit()
    assert build_progress(YEAR, as_of).zone(world.zone_a.id).value(M.FUNDS_ARRIVED).current == Decimal("1234.56")

    report_month(MonthlyInput(world.zone_a.id, YEAR, 2, Money(Decimal("7890.12")), None), None,
                 today=date(YEAR, 12, 31))
    db.session.commit()
    assert build_progress(YEAR, as_of).zone(world.zone_a.id).value(M.REVENUE).current == Decimal("7890.12")
