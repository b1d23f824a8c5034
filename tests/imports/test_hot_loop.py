"""Planning a file reads the zone once: no query per row (matching uses dicts loaded up front)."""
from datetime import date

import pytest

from app.imports.ledger_import import import_ledger
from app.imports.reader import Limits, read_book
from tests.imports.conftest import contact_row, ledger_file, project_row


@pytest.fixture
def queries_to_plan(today):
    def make(zone, content, count_queries):
        sheets = read_book("台账.xlsx", content, Limits())
        with count_queries() as counter:
            import_ledger(zone, sheets, None, dry_run=True, max_rows=1000, file_info={}, today=today)
        return counter.count
    return make


def rows(n):
    return ledger_file([project_row(code=f"P{i}", name=f"项目{i}", leader="张伟", stage="签约", signed_on="2024-03-05")
                        for i in range(n)],
                       [contact_row(code=f"P{i}", leaders="张伟、李娜") for i in range(n)])


def test_planning_runs_the_same_queries_for_ten_rows_or_two_hundred(world, make_project, log_contact, count_queries,
                                                                    db, queries_to_plan):
    for i in range(0, 200, 2):   # half the rows match projects the zone already has
        project = make_project(world.zone_a, name=f"项目{i}", code=f"P{i}", planned_on=date(2024, 1, 1))
        log_contact(project, [world.leader], date(2024, 3, 1))
    queries_to_plan(world.zone_a, rows(1), count_queries)   # warm: the zone's own row is loaded once
    small = queries_to_plan(world.zone_a, rows(10), count_queries)
    large = queries_to_plan(world.zone_a, rows(200), count_queries)
    assert small == large <= 9   # the zone's saved column answers: one query


def test_planning_arrivals_runs_the_same_queries_for_ten_rows_or_two_hundred(world, make_project, count_queries,
                                                                             queries_to_plan):
    from app.domain import ledger as L
    from tests.imports.conftest import xlsx_bytes
    for i in range(0, 200, 2):
        make_project(world.zone_a, name=f"项目{i}", code=f"P{i}", planned_on=date(2024, 1, 1))

    def arrivals(n):
        header = [c.header for c in L.ARRIVAL_COLUMNS]
        return xlsx_bytes({L.ARRIVAL_SHEET: [header, *[[f"P{2 * (i % 100)}", "2024-04-01", str(i + 1), "人民币",
                                                         "固定资产投资", "", f"V{i}"] for i in range(n)]]})
    queries_to_plan(world.zone_a, arrivals(1), count_queries)
    small = queries_to_plan(world.zone_a, arrivals(10), count_queries)
    large = queries_to_plan(world.zone_a, arrivals(200), count_queries)
    assert small == large <= 10   # the zone's saved column answers: one query
