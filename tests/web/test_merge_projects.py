"""Merging two projects of a zone (issue 15): staff choose the duplicate from the project page,
see what moves and confirm; contacts, funds arrivals and quota credit move, the duplicate's stage
history is kept in words, the duplicate is deleted with an audit record naming both, and the
quota summary (and the leader_months the triggers keep) equals a recount afterwards."""
import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from app.domain.money import Money
from app.extensions import db
from app.models import AuditEvent, Contact, FundsArrival, LeaderMonth, LeaderProject, Project, StageChange
from app.services.contacts import recount_leader_projects
from app.services.funds import ArrivalInput, add_arrival
from app.services.merges import MergeError, merge_projects

import pytest

TODAY = date(2024, 12, 31)


def summary():
    return set(db.session.execute(select(LeaderProject.leader_id, LeaderProject.year, LeaderProject.project_id,
                                         LeaderProject.first_contact_on)).all())


def months():
    return {(l, y, m): n for l, y, m, n in db.session.execute(
        select(LeaderMonth.leader_id, LeaderMonth.year, LeaderMonth.month, LeaderMonth.projects)
        .where(LeaderMonth.projects != 0))}


def months_from(rows):
    counts = {}
    for leader, year, _project, first in rows:
        counts[(leader, year, first.month)] = counts.get((leader, year, first.month), 0) + 1
    return counts


def test_the_quota_summary_equals_a_recount_after_merges(world, make_project, log_contact, today):
    rng = random.Random(15)
    projects = [make_project(world.zone_a, name=f"重复项目{n}", investor=f"投资方{n}", today=today,
                             stages=[("negotiating", date(2023, 6, 1))]) for n in range(8)]
    ids = [p.id for p in projects]
    leaders = [world.leader, world.leader2]
    for _ in range(60):
        on = today - timedelta(days=rng.randint(0, 500))
        log_contact(rng.choice(projects), rng.sample(leaders, rng.randint(1, 2)), on, today=today)
    add_arrival(projects[1], ArrivalInput(date(2024, 5, 1), Money(Decimal("1000000"), "CNY"), "fixed_assets"),
                None, today=today)
    db.session.commit()
    contacts_before = db.session.scalar(select(func.count()).select_from(Contact))
    for survivor, duplicate in ((projects[0], projects[1]), (projects[2], projects[3]), (projects[0], projects[2]),
                                (projects[4], projects[5])):
        merge_projects(survivor, duplicate, world.staff)
        db.session.commit()
        merged = summary()
        assert months() == months_from(merged)
        recount_leader_projects()
        db.session.commit()
        assert summary() == merged
    assert db.session.scalar(select(func.count()).select_from(Contact)) == contacts_before
    assert db.session.get(Project, ids[1]) is None
    assert db.session.scalar(select(FundsArrival.project_id)) == ids[0]
    assert db.session.scalar(select(func.count()).select_from(StageChange).where(StageChange.project_id == ids[1])) == 0
    assert "并入项目“重复项目1”" in db.session.get(Project, ids[0]).note
    assert {p for _l, _y, p, _f in summary()} <= {ids[0], ids[4], ids[6], ids[7]}


def test_only_two_projects_of_one_zone_merge(world, make_project):
    a = make_project(world.zone_a, name="甲")
    other_zone = make_project(world.zone_c, name="乙")
    with pytest.raises(MergeError):
        merge_projects(a, a, world.staff)
    with pytest.raises(MergeError):
        merge_projects(a, other_zone, world.staff)


def test_staff_merge_from_the_project_page_after_seeing_what_moves(client, world, login, make_project, log_contact,
                                                                   today):
    keep = make_project(world.zone_a, name="新能源电池项目", investor="北京华创科技有限公司", code="GX-1")
    dup_id = None
    dup = make_project(world.zone_a, name="新能源电池项", investor="北京华创科技有限公司", code="GX-2",
                       stages=[("negotiating", date(2024, 3, 1))])
    log_contact(keep, [world.leader], date(2024, 4, 1), today=today)
    keep_id, dup_id = keep.id, dup.id
    log_contact(dup, [world.leader], date(2024, 2, 1), today=today)
    log_contact(dup, [world.leader2], date(2024, 2, 3), today=today)
    login(world.staff)
    assert "合并重复项目" in client.get(f"/projects/{keep.id}").get_data(as_text=True)
    page = client.get(f"/projects/{keep.id}/merge").get_data(as_text=True)
    assert "新能源电池项" in page and f"other=%23{dup.id}" in page
    page = client.get(f"/projects/{keep.id}/merge?other=GX-2").get_data(as_text=True)
    assert "2 条转入本项目" in page and "确认合并" in page
    # Without the tick nothing moves.
    client.post(f"/projects/{keep.id}/merge", data={"other": "GX-2"})
    assert db.session.get(Project, dup.id) is not None
    response = client.post(f"/projects/{keep.id}/merge", data={"other": "GX-2", "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Project, dup_id) is None
    assert summary() == {(world.leader.id, 2024, keep_id, date(2024, 2, 1)),
                         (world.leader2.id, 2024, keep_id, date(2024, 2, 3))}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "merge"))
    assert event.entity_id == keep_id and event.after["merged_id"] == dup_id
    assert event.after["merged_name"] == "新能源电池项" and event.after["survivor_name"] == "新能源电池项目"
    assert any(s["stage"] == "negotiating" for s in event.before["merged_stage_history"])
    # Leaders cannot merge, nor staff of another zone.
    login(world.leader)
    assert client.get(f"/projects/{keep_id}/merge").status_code == 403
    login(world.other_staff)
    assert client.get(f"/projects/{keep_id}/merge").status_code == 404


def test_the_duplicates_leaders_in_charge_join_the_survivor(world, make_project):
    survivor = make_project(world.zone_a, "新能源电池项目", leader_id=world.leader.id)
    duplicate = make_project(world.zone_a, "新能源电池基地项目", leader_id=world.leader2.id)
    merge_projects(survivor, duplicate, world.staff)
    db.session.commit()
    assert survivor.leader_id == world.leader.id
    assert [u.id for u in survivor.co_leaders] == [world.leader2.id]
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "merge")).one()
    assert audit.after["moved"]["co_leaders"] == 1


def test_a_survivor_without_a_leader_takes_the_duplicates(world, make_project):
    survivor = make_project(world.zone_a, "新能源电池项目")
    duplicate = make_project(world.zone_a, "新能源电池基地项目", leader_id=world.leader2.id)
    merge_projects(survivor, duplicate, world.staff)
    db.session.commit()
    assert survivor.leader_id == world.leader2.id and survivor.co_leaders == []


def test_the_duplicates_next_steps_move_with_it(world, make_project, today):
    from app.services.tasks import open_task
    survivor = make_project(world.zone_a, "新能源电池项目")
    duplicate = make_project(world.zone_a, "新能源电池基地项目")
    due = today + timedelta(days=5)
    open_task(duplicate, "报送用地需求", due, world.leader, world.staff)
    db.session.commit()
    merge_projects(survivor, duplicate, world.staff)
    db.session.commit()
    assert (survivor.next_step, survivor.next_step_on) == ("报送用地需求", due)


def test_the_quota_summary_equals_a_recount_after_merges_and_corrections_together(world, make_project,
                                                                                   log_contact, today):
    """Merges and stage corrections interleaved (both databases: no only_on): after each, the
    summary and the monthly totals equal a recount from the contacts."""
    from app.services.projects import correct_stage
    rng = random.Random(23)
    projects = [make_project(world.zone_a, name=f"更正合并项目{n}", investor=f"投资方{n}", today=today,
                             stages=[("negotiating", date(2023, 6, 1)), ("lead", date(2023, 9, 1))])
                for n in range(6)]
    leaders = [world.leader, world.leader2]
    for _ in range(40):
        log_contact(rng.choice(projects), rng.sample(leaders, rng.randint(1, 2)),
                    today - timedelta(days=rng.randint(0, 500)), today=today)
    db.session.commit()
    steps = [("correct", projects[0]), ("merge", (projects[0], projects[1])), ("correct", projects[2]),
             ("merge", (projects[2], projects[3])), ("merge", (projects[0], projects[2])), ("correct", projects[4])]
    for kind, what in steps:
        if kind == "merge":
            merge_projects(*what, world.staff)
        else:
            wrong = max(what.stage_changes, key=lambda s: s.id)
            correct_stage(what, wrong, "signed", date(2023, 9, 1), "误点退回线索，实为签约", world.staff, today=today)
        db.session.commit()
        kept = summary()
        assert months() == months_from(kept)
        recount_leader_projects()
        db.session.commit()
        assert summary() == kept, (kind, what)
    assert db.session.get(Project, projects[0].id).stage == "signed"
