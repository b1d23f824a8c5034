"""The monthly quota totals the desk reads (leader_months) always equal a recount of the
summary, whichever way it was written, and give the same count as the summary on every day."""
import random
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.services.contacts import recount_leader_projects
from app.extensions import db
from app.models import LeaderMonth, LeaderProject
from app.queries.progress import leader_counts


def months_table():
    rows = db.session.execute(select(LeaderMonth.leader_id, LeaderMonth.year, LeaderMonth.month,
                                     LeaderMonth.projects).where(LeaderMonth.projects != 0))
    return {(leader, year, month): n for leader, year, month, n in rows}


def months_recounted():
    rows = db.session.execute(select(LeaderProject.leader_id, LeaderProject.year, LeaderProject.first_contact_on))
    counts = {}
    for leader, year, first in rows:
        counts[(leader, year, first.month)] = counts.get((leader, year, first.month), 0) + 1
    return counts


def counted_directly(year, as_of):
    rows = db.session.execute(select(LeaderProject.leader_id, func.count())
                              .where(LeaderProject.year == year, LeaderProject.first_contact_on <= as_of)
                              .group_by(LeaderProject.leader_id))
    return dict(rows.all())


def test_monthly_totals_follow_contacts_backdated_contacts_and_recounts(world, make_project, log_contact):
    rng = random.Random(7)
    projects = [make_project(world.zone_a, name=f"月度项目{n}", investor=f"投资方{n}") for n in range(6)]
    leaders = [world.leader, world.leader2]
    for _ in range(40):
        # Later dates first, then earlier ones: many contacts move a first contact to an earlier month.
        on = date(2024, 12, 31) - timedelta(days=rng.randint(0, 420))
        log_contact(rng.choice(projects), rng.sample(leaders, rng.randint(1, 2)), on)
    assert months_table() == months_recounted()
    assert sum(months_table().values()) == db.session.scalar(select(func.count()).select_from(LeaderProject))

    recount_leader_projects(2024)
    db.session.commit()
    assert months_table() == months_recounted()

    day = date(2023, 12, 31)
    while day <= date(2025, 1, 1):
        assert leader_counts(2024, day) == counted_directly(2024, day), day
        day += timedelta(days=1)


def test_one_leaders_count_reads_the_same_totals(world, make_project, log_contact):
    first, second = make_project(world.zone_a, name="甲项目"), make_project(world.zone_a, name="乙项目", investor="乙公司")
    log_contact(first, [world.leader, world.leader2], date(2024, 3, 10))
    log_contact(second, [world.leader], date(2024, 3, 20))
    log_contact(second, [world.leader], date(2024, 2, 1))   # moves the first contact to February
    assert leader_counts(2024, date(2024, 2, 29), [world.leader.id]) == {world.leader.id: 1}
    assert leader_counts(2024, date(2024, 3, 15), [world.leader.id]) == {world.leader.id: 2}
    assert leader_counts(2024, date(2024, 3, 15)) == {world.leader.id: 2, world.leader2.id: 1}
    assert leader_counts(2025, date(2025, 6, 30)) == {}


@pytest.mark.only_on("postgresql")
def test_the_statement_triggers_continue_what_the_row_trigger_kept_and_back(world, make_project, log_contact):
    """Migration 0022 swaps PostgreSQL's row trigger for statement-level ones; a batch of many
    contacts (one upsert of many rows, some moving a first contact to an earlier month) and the
    way back to the row trigger keep the totals equal to a recount."""
    import flask_migrate

    from app.models import Project, User
    from app.services.contacts import ContactInput, log_contacts
    rng = random.Random(25)
    project_ids = [make_project(world.zone_a, name=f"语句项目{n}", investor=f"投资方{n}").id for n in range(8)]
    leader_ids, staff_id = [world.leader.id, world.leader2.id], world.staff.id

    def batch(n):   # objects read afresh: the migrations below end the session
        projects = [db.session.get(Project, i) for i in project_ids]
        leaders = [db.session.get(User, i) for i in leader_ids]
        log_contacts([ContactInput(rng.choice(projects), date(2024, 12, 31) - timedelta(days=rng.randint(0, 420)),
                                   "电话", "对接", rng.sample(leaders, rng.randint(1, 2)), db.session.get(User, staff_id))
                      for _ in range(n)], today=date(2025, 1, 1))
        db.session.commit()
        assert months_table() == months_recounted()

    batch(30)
    db.session.remove()
    flask_migrate.downgrade(revision="0021")   # the row trigger
    batch(30)
    db.session.remove()
    flask_migrate.upgrade()
    batch(30)
    recount_leader_projects(2024)
    db.session.commit()
    assert months_table() == months_recounted()
