"""No page issues queries that grow with its rows: each list page is counted at two sizes."""

import pytest


@pytest.fixture
def _grow(today):
    def make(world, make_project, log_contact, first, last, other_zone=False):
        zone, leaders = (world.zone_c, [world.other_leader]) if other_zone else (world.zone_a, [world.leader, world.leader2])
        for n in range(first, last):
            project = make_project(zone, name=f"项目{n}", investor=f"投资方{n}", origin="HK" if n % 3 else "CN",
                                   leader_id=leaders[0].id, capital_wan="6000", total_wan="150000")
            log_contact(project, leaders if n % 2 else leaders[:1], today,
                        next_step="组织专题会研究", next_step_on=today)
    return make


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
def test_queries_do_not_grow_with_rows(client, world, login, make_project, log_contact, count_queries, who, path,
                                       _grow):
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


def test_the_project_page_does_not_grow_with_its_next_steps(client, world, login, make_project, count_queries, db,
                                                            today):
    """A project's steps, their owners and who they may be handed to: a fixed number of queries."""
    from app.services import tasks as task_service
    project = make_project(world.zone_a, name="多项下一步的项目")
    db.session.commit()
    owners = [world.leader, world.leader2, world.staff]

    def add(first, last):
        for n in range(first, last):
            task = task_service.open_task(project, f"第{n}步", today, owners[n % 3], world.staff)
            if n % 4 == 1:
                task_service.complete(task, world.staff)
            elif n % 4 == 2:
                task_service.move(task, today.replace(year=today.year + 1, month=1, day=9), world.staff)
        db.session.commit()

    login(world.staff)

    def queries():
        with count_queries() as counter:
            assert client.get(f"/projects/{project.id}").status_code == 200
        return counter.count

    add(0, 3)
    few = queries()
    add(3, 30)
    assert queries() == few
