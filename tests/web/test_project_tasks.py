"""A project's next steps on its page: all of them, open first, with owner, due date and state;
zone staff and a step's owner mark it done, move its date or hand it to another leader or staff
member of the zone (audited; the new owner finds it in 我的待办 and in the bell)."""
import re
from datetime import timedelta

from sqlalchemy import select

from app.models import AuditEvent, Notification, Task
from app.services import tasks as task_service


def next_year(today):
    """A day early next year: a step moved there is still open and not overdue."""
    return today.replace(year=today.year + 1, month=1, day=9)


def steps(db, project):
    db.session.expire_all()
    return db.session.scalars(select(Task).where(Task.project_id == project.id).order_by(Task.id)).all()


def page_of(client, project):
    return client.get(f"/projects/{project.id}").get_data(as_text=True)


def test_the_page_lists_every_step_open_first_with_owner_due_and_state(client, world, login, make_project, db, today):
    project = make_project(world.zone_a)
    db.session.commit()
    done = task_service.open_task(project, "寄送园区政策汇编", today - timedelta(days=2), world.leader, world.staff)
    task_service.complete(done, world.staff)
    moved = task_service.open_task(project, "约见企业董事长", today, world.leader2, world.staff)
    task_service.move(moved, next_year(today), world.staff)
    task_service.open_task(project, "组织专题会研究用地", today + timedelta(days=3), world.staff, world.staff)
    db.session.commit()
    login(world.bureau)   # the bureau reads the list, without the buttons
    page = page_of(client, project)
    section = page[page.index('id="tasks"'):page.index('id="funds"')]
    assert "待办 2 项，共 4 项" in section
    states = re.findall(r'<span class="tag">(待办|已完成|已改期)</span>', section)
    assert states[:2] == ["待办", "待办"] and sorted(states[2:]) == ["已完成", "已改期"]
    assert section.index("组织专题会研究用地") < section.index("寄送园区政策汇编")
    assert "负责人：王芳" in section and "负责人：张伟" in section and "负责人：李娜" in section
    assert "完成</button>" not in section and "转交</button>" not in section


def test_staff_and_the_owner_act_on_a_step_others_may_not(client, world, login, make_project, db, today):
    project = make_project(world.zone_a)
    db.session.commit()
    mine = task_service.open_task(project, "回访企业", today, world.leader, world.staff)
    db.session.commit()
    login(world.leader2)   # a leader of the zone who does not own it
    assert f'data-task="{mine.id}"' in page_of(client, project)
    assert f'action="/tasks/{mine.id}/done"' not in page_of(client, project)
    assert client.post(f"/tasks/{mine.id}/done").status_code == 403
    login(world.leader)    # the owner
    response = client.post(f"/tasks/{mine.id}/move", data={"due_on": next_year(today).isoformat(),
                                                           "back": f"/projects/{project.id}#tasks"})
    assert response.headers["Location"].endswith(f"/projects/{project.id}#tasks")
    first, successor = steps(db, project)
    assert (first.state, successor.state, successor.due_on) == ("moved", "open", next_year(today))
    login(world.staff)     # any step of the zone
    client.post(f"/tasks/{successor.id}/done", data={"back": f"/projects/{project.id}#tasks"})
    assert steps(db, project)[1].state == "done"
    login(world.other_staff)
    assert client.post(f"/tasks/{successor.id}/done").status_code == 404


def test_staff_hand_a_step_to_another_leader_who_finds_it_in_their_todo(client, world, login, make_project, db, today):
    project = make_project(world.zone_a, name="氢能装备项目")
    db.session.commit()
    task = task_service.open_task(project, "约见企业董事长", today, world.leader, world.staff)
    db.session.commit()
    login(world.staff)
    assert "转交</button>" in page_of(client, project)
    response = client.post(f"/tasks/{task.id}/reassign", data={"owner_id": world.leader2.id,
                                                               "back": f"/projects/{project.id}#tasks"})
    assert response.status_code == 302
    assert steps(db, project)[0].owner_id == world.leader2.id
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "task_reassigned")).one()
    assert (event.entity, event.entity_id, event.before, event.after) == (
        "task", task.id, {"owner": "leader1"}, {"owner": "leader2"})
    note = db.session.scalars(select(Notification).where(Notification.user_id == world.leader2.id)).one()
    assert "氢能装备项目" in note.title and "约见企业董事长" in note.title and "王芳" in note.title
    login(world.leader2)
    assert "约见企业董事长" in client.get("/tasks/").get_data(as_text=True)
    login(world.leader)
    assert "约见企业董事长" not in client.get("/tasks/").get_data(as_text=True)


def test_a_step_goes_only_to_a_leader_or_staff_member_of_its_zone(client, world, login, make_project, db, today):
    project = make_project(world.zone_a)
    db.session.commit()
    task = task_service.open_task(project, "回访企业", today, world.leader, world.staff)
    db.session.commit()
    login(world.staff)
    for someone, message in [(world.other_leader, "本开发区在职的领导或招商专员"), (world.bureau, "本开发区在职的领导或招商专员"),
                             (world.leader, "新负责人与原负责人相同")]:
        page = client.post(f"/tasks/{task.id}/reassign", data={"owner_id": someone.id},
                           follow_redirects=True).get_data(as_text=True)
        assert message in page
    assert steps(db, project)[0].owner_id == world.leader.id
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "task_reassigned")).all() == []


def test_the_owner_handing_their_own_step_on_is_audited(client, world, login, make_project, db, today):
    project = make_project(world.zone_a)
    db.session.commit()
    task = task_service.open_task(project, "回访企业", today, world.leader, world.staff)
    db.session.commit()
    login(world.leader)
    client.post(f"/tasks/{task.id}/reassign", data={"owner_id": world.staff.id})
    assert steps(db, project)[0].owner_id == world.staff.id
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "task_reassigned")).one().user_id \
        == world.leader.id


def test_a_new_step_from_the_project_page_posted_twice_is_added_once(client, world, login, make_project, db, today):
    project = make_project(world.zone_a)
    db.session.commit()
    login(world.leader)
    page = page_of(client, project)
    assert "新增下一步" in page and 'name="idempotency_key"' in page[page.index('id="tasks"'):]
    data = {"title": "寄送招商手册", "due_on": (today + timedelta(days=5)).isoformat(), "owner_id": world.leader2.id,
            "idempotency_key": "t-1"}
    first = client.post(f"/projects/{project.id}/tasks", data=data)
    second = client.post(f"/projects/{project.id}/tasks", data=data, follow_redirects=True)
    assert first.headers["Location"].endswith(f"/projects/{project.id}#tasks")
    assert "已经新增，重复提交未再次新增" in second.get_data(as_text=True)
    (step,) = steps(db, project)
    assert (step.title, step.owner_id, step.created_by_id) == ("寄送招商手册", world.leader2.id, world.leader.id)
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "task",
                                                       AuditEvent.action == "create")).all()[0].entity_id == step.id
    assert client.post(f"/projects/{project.id}/tasks", data={**data, "idempotency_key": "t-2",
                                                              "owner_id": world.other_leader.id},
                       follow_redirects=True).status_code == 200
    assert len(steps(db, project)) == 1


def test_the_new_owner_s_bell_says_a_step_was_handed_to_them(client, world, login, make_project, db, today):
    project = make_project(world.zone_a, name="储能电池项目")
    db.session.commit()
    task = task_service.open_task(project, "报送项目建议书", today, world.leader, world.staff)
    db.session.commit()
    login(world.staff)
    client.post(f"/tasks/{task.id}/reassign", data={"owner_id": world.leader2.id})
    note = db.session.scalars(select(Notification).where(Notification.user_id == world.leader2.id)).one()
    assert note.kind == "task_assigned"
    login(world.leader2)
    bell = client.get("/notifications/").get_data(as_text=True)
    assert "转交待办" in bell and "项目变动" not in bell and "报送项目建议书" in bell
