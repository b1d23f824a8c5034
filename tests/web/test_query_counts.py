"""No page issues queries that grow with its rows: each list page is counted at two sizes."""
from datetime import date

import pytest

TODAY = date.today()


def _grow(world, make_project, log_contact, first, last, other_zone=False):
    zone, leaders = (world.zone_c, [world.other_leader]) if other_zone else (world.zone_a, [world.leader, world.leader2])
    for n in range(first, last):
        project = make_project(zone, name=f"项目{n}", investor=f"投资方{n}", origin="HK" if n % 3 else "CN",
                               leader_id=leaders[0].id, capital_wan="6000", total_wan="150000")
        log_contact(project, leaders if n % 2 else leaders[:1], TODAY,
                    next_step="组织专题会研究", next_step_on=TODAY)


@pytest.mark.parametrize("who, path", [
    ("leader", "/"),
    ("staff", "/"),
    ("leader", "/contacts/"),
    ("bureau", "/contacts/"),
    ("bureau", "/projects/"),
    ("bureau", "/review/"),
    ("bureau", "/review/leaders"),
    ("bureau", "/review/watch"),
    ("bureau", "/review/charts"),
    ("bureau", "/review/leaders/%(leader)s"),
    ("bureau", "/review/zones/%(zone)s/domestic_projects"),
    ("auditor", "/admin/audit"),
])
def test_queries_do_not_grow_with_rows(client, world, login, make_project, log_contact, count_queries, who, path):
    login(getattr(world, who))
    path = path % {"leader": world.leader.id, "zone": world.zone_a.id}

    def queries():
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        return counter.count

    _grow(world, make_project, log_contact, 0, 3)
    few = queries()
    _grow(world, make_project, log_contact, 3, 30)
    _grow(world, make_project, log_contact, 30, 40, other_zone=True)
    assert queries() == few
