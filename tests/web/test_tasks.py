"""Next steps are tasks: any number per project, each with an owner, a due date and a state;
nobody's contact overwrites another's step; 我的待办 with one-tap done and move."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.domain.tasks import OVERDUE, THIS_WEEK, TODAY as TODAY_BUCKET, TaskError, bucket, week_end
from app.models import AuditEvent, Task
from app.services.tasks import complete, move, open_task


@pytest.fixture
def contact_form(today):
    def make(project, **fields):
        data = {"project_name": project.name, "project_id": project.id, "occurred_on": today.isoformat(),
                "form": "外出拜访", "summary": "介绍园区政策与用地条件"}
        data.update(fields)
        return data
    return make


def open_steps(db, project):
    db.session.expire_all()
    return db.session.scalars(select(Task).where(Task.project_id == project.id, Task.state == "open")
                              .order_by(Task.id)).all()


def test_two_users_next_steps_survive_each_others_contacts(client, world, login, make_project, db, today, contact_form):
    project = make_project(world.zone_a, leader_id=world.leader.id)
    login(world.leader)
    client.post("/contacts/new", data=contact_form(project, leaders=[world.leader.id], next_step="报送用地需求",
                                                   next_step_on=(today + timedelta(days=5)).isoformat()))
    login(world.staff)
    # A colleague's contact without a next step, then one with its own: the leader's step stays.
    client.post("/contacts/new", data=contact_form(project, leaders=[world.leader2.id]))
    client.post("/contacts/new", data=contact_form(project, leaders=[world.leader2.id], next_step="寄送园区资料",
                                                   next_step_on=(today + timedelta(days=2)).isoformat()))
    steps = open_steps(db, project)
    assert [(t.title, t.owner_id) for t in steps] == [("报送用地需求", world.leader.id), ("寄送园区资料", world.staff.id)]
    db.session.refresh(project)
    # The project's derived next step is its earliest open one (lists, the export, the API).
    assert (project.next_step, project.next_step_on) == ("寄送园区资料", today + timedelta(days=2))


def test_a_contact_can_close_one_step_and_schedule_the_next(client, world, login, make_project, db, today,
                                                            contact_form):
    project = make_project(world.zone_a, leader_id=world.leader.id)
    first = open_task(project, "组织专题会", today, world.leader, world.leader)
    other = open_task(project, "同事的待办", today, world.leader2, world.leader2)
    db.session.commit()
    login(world.leader)
    page = client.get(f"/contacts/new?project_id={project.id}&task_id={first.id}").get_data(as_text=True)
    assert "完成待办：组织专题会" in page
    client.post("/contacts/new", data=contact_form(project, leaders=[world.leader.id], close_task_id=first.id,
                                                   close_task="1", next_step="起草合作协议",
                                                   next_step_on=(today + timedelta(days=7)).isoformat()))
    db.session.expire_all()
    assert db.session.get(Task, first.id).state == "done"
    assert db.session.get(Task, first.id).closed_by_contact_id is not None
    assert {t.title for t in open_steps(db, project)} == {"同事的待办", "起草合作协议"}
    assert db.session.get(Task, other.id).state == "open"


def test_my_tasks_groups_overdue_today_and_this_week_and_done_is_one_tap(client, world, login, make_project, db, today):
    project = make_project(world.zone_a)
    late = open_task(project, "逾期的事", today - timedelta(days=3), world.leader, world.staff)
    now = open_task(project, "今天的事", today, world.leader, world.staff)
    open_task(project, "别人的事", today, world.leader2, world.staff)
    db.session.commit()
    login(world.leader)
    page = client.get("/tasks/").get_data(as_text=True)
    assert "逾期的事" in page and "今天的事" in page and "别人的事" not in page
    assert page.index("已逾期（1）") < page.index("逾期的事") < page.index("今天到期（1）") < page.index("今天的事")
    response = client.post(f"/tasks/{late.id}/done", data={"back": "/tasks/"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Task, late.id).state == "done"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "task_done",
                                                      AuditEvent.entity_id == late.id)) is not None
    assert "今天的事" in client.get("/").get_data(as_text=True)
    assert now.id


def test_moving_a_step_closes_it_as_moved_and_opens_its_successor(client, world, login, make_project, db, today):
    project = make_project(world.zone_a)
    task = open_task(project, "实地考察", today - timedelta(days=1), world.leader, world.leader)
    db.session.commit()
    login(world.leader)
    new_day = today + timedelta(days=10)
    client.post(f"/tasks/{task.id}/move", data={"due_on": new_day.isoformat()})
    db.session.expire_all()
    old = db.session.get(Task, task.id)
    successor = db.session.get(Task, old.moved_to_id)
    assert old.state == "moved" and (successor.state, successor.due_on, successor.title) == ("open", new_day, "实地考察")
    db.session.refresh(project)
    assert project.next_step_on == new_day
    # A past date is refused, in Chinese.
    page = client.post(f"/tasks/{successor.id}/move", data={"due_on": (today - timedelta(days=2)).isoformat()},
                       follow_redirects=True).get_data(as_text=True)
    assert "改期后的日期不能早于今天" in page


def test_a_leader_cannot_close_a_colleagues_step_but_staff_can(client, world, login, make_project, db, today):
    project = make_project(world.zone_a)
    task = open_task(project, "同事的待办", today, world.leader2, world.leader2)
    db.session.commit()
    login(world.leader)
    assert client.post(f"/tasks/{task.id}/done").status_code == 403
    login(world.other_staff)
    assert client.post(f"/tasks/{task.id}/done").status_code == 404
    login(world.staff)
    assert client.post(f"/tasks/{task.id}/done").status_code == 302
    db.session.expire_all()
    assert db.session.get(Task, task.id).state == "done"


def test_an_owner_must_be_a_leader_or_staff_of_the_zone(world, make_project, db, today):
    project = make_project(world.zone_a)
    for person in (world.other_leader, world.bureau, world.admin):
        with pytest.raises(TaskError):
            open_task(project, "下一步", today, person, world.staff)


def test_a_closed_step_cannot_be_closed_again(world, make_project, db, today):
    project = make_project(world.zone_a)
    task = open_task(project, "下一步", today, world.leader, world.leader)
    complete(task, world.leader)
    with pytest.raises(TaskError):
        complete(task, world.leader)
    with pytest.raises(TaskError):
        move(task, today + timedelta(days=3), world.leader)


def test_buckets():
    monday = date(2026, 11, 23)
    assert week_end(monday) == date(2026, 11, 29)
    assert bucket(monday - timedelta(days=1), monday) == OVERDUE
    assert bucket(monday, monday) == TODAY_BUCKET
    assert bucket(monday + timedelta(days=6), monday) == THIS_WEEK
    assert bucket(monday + timedelta(days=7), monday) == "later"


def test_the_api_reads_the_earliest_open_step_and_a_contact_adds_its_own(api_as, world, make_project, db, today):
    project = make_project(world.zone_a, leader_id=world.leader.id)
    open_task(project, "领导的待办", today + timedelta(days=3), world.leader, world.leader)
    db.session.commit()
    response = api_as(world.staff).post("/contacts", {
        "project_id": project.id, "summary": "电话沟通", "leader_usernames": [world.leader2.username],
        "next_step": "寄送资料", "next_step_on": (today + timedelta(days=9)).isoformat()})
    assert response.status_code == 201, response.json
    body = api_as(world.leader).get(f"/projects/{project.id}").json
    assert (body["next_step"], body["next_step_on"]) == ("领导的待办", (today + timedelta(days=3)).isoformat())
    assert {t.title for t in open_steps(db, project)} == {"领导的待办", "寄送资料"}
