"""A zone leader logs a contact in seconds and sees the quota move."""
import re
from datetime import timedelta

from app.models import AuditEvent, Contact, LeaderProject, Project
from app.services.tasks import open_task


def quota_figure(client):
    page = client.get("/").get_data(as_text=True)
    return page.split('class="quota-figure"><strong>')[1].split("</strong>")[0]


def test_logging_a_contact_moves_the_leaders_quota(client, world, login, make_project, contact_form):
    project = make_project(world.zone_a)
    login(world.leader)
    assert quota_figure(client) == "0"
    response = client.post("/contacts/new", data=contact_form(project, leaders=[world.leader.id]))
    assert response.status_code == 302
    follow = client.get("/").get_data(as_text=True)
    assert "已记录与“新能源电池项目”的对接" in follow
    assert quota_figure(client) == "1"


def test_the_form_offers_today_and_me_as_participant(client, world, login, today):
    login(world.leader)
    page = client.get("/contacts/new").get_data(as_text=True)
    assert f'value="{today.isoformat()}"' in page
    boxes = re.findall(r'<input[^>]*name="leaders"[^>]*>', page)
    checked = [b for b in boxes if "checked" in b]
    assert len(boxes) == 2 and len(checked) == 1 and f'value="{world.leader.id}"' in checked[0]


def test_every_page_has_the_log_contact_button_for_zone_roles(client, world, login):
    login(world.staff)
    for path in ("/", "/projects/", "/contacts/"):
        assert "记录对接" in client.get(path).get_data(as_text=True), path


def test_ten_contacts_with_one_project_count_once(client, world, login, make_project, today, contact_form):
    project = make_project(world.zone_a)
    login(world.leader)
    for days in range(10):
        client.post("/contacts/new", data=contact_form(project, leaders=[world.leader.id],
                                                       occurred_on=(today - timedelta(days=days)).isoformat()
                                                       if (today - timedelta(days=days)).year == today.year
                                                       else today.isoformat()))
    assert Contact.query.count() == 10
    assert quota_figure(client) == "1"


def test_every_participating_leader_is_credited(client, world, login, make_project, db, contact_form):
    project = make_project(world.zone_a)
    login(world.staff)
    client.post("/contacts/new", data=contact_form(project, leaders=[world.leader.id, world.leader2.id]))
    credited = {row.leader_id for row in db.session.query(LeaderProject).filter_by(project_id=project.id)}
    assert credited == {world.leader.id, world.leader2.id}
    login(world.leader2)
    assert quota_figure(client) == "1"


def test_a_first_contact_with_a_new_project_creates_a_lead(client, world, login, db, today, contact_form):
    login(world.leader)
    response = client.post("/contacts/new", data=contact_form(
        project_name="德国精密轴承项目", leaders=[world.leader.id], new_investor="舍弗勒（德国）有限公司",
        new_origin="DE", new_industry="高端装备制造", new_total_investment="35,000", resolve="new"))
    assert response.status_code == 302
    project = db.session.query(Project).filter_by(name="德国精密轴承项目").one()
    assert project.zone_id == world.zone_a.id
    assert project.stage == "lead"
    assert project.investor.origin == "DE" and project.is_foreign
    assert str(project.total_investment) == "350000000.00"
    assert project.last_contact_on == today
    assert quota_figure(client) == "1"


def test_a_future_date_is_refused_and_nothing_typed_is_lost(client, world, login, make_project, db, today,
                                                            contact_form):
    project = make_project(world.zone_a)
    login(world.leader)
    tomorrow = (today + timedelta(days=1)).isoformat()
    response = client.post("/contacts/new", data=contact_form(
        project, leaders=[world.leader.id], occurred_on=tomorrow, summary="讨论供地方案细节"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400   # refused: the form again, as typed
    assert "日期不能晚于今天" in page
    assert "讨论供地方案细节" in page and project.name in page
    assert db.session.query(Contact).count() == 0


def test_missing_summary_and_leaders_get_chinese_errors(client, world, login, make_project, db, contact_form):
    project = make_project(world.zone_a)
    login(world.staff)
    page = client.post("/contacts/new", data=contact_form(project, summary="")).get_data(as_text=True)
    assert "请填写对接内容" in page
    assert "请至少选择一位参与对接的领导" in page
    assert db.session.query(Contact).count() == 0


def test_a_next_step_date_before_the_contact_is_refused(client, world, login, make_project, db, today, contact_form):
    project = make_project(world.zone_a)
    login(world.leader)
    page = client.post("/contacts/new", data=contact_form(
        project, leaders=[world.leader.id], next_step="起草协议",
        next_step_on=(today - timedelta(days=400)).isoformat())).get_data(as_text=True)
    assert "下一步日期不能早于对接日期" in page
    assert db.session.query(Contact).count() == 0


def test_a_contact_sets_the_projects_next_step_and_it_shows_as_due(client, world, login, make_project, db, today,
                                                                   contact_form):
    project = make_project(world.zone_a, leader_id=world.leader.id)
    login(world.leader)
    due = today  # 我的待办 on the home page: overdue, today and this week
    client.post("/contacts/new", data=contact_form(project, leaders=[world.leader.id],
                                                   next_step="组织专题会研究", next_step_on=due.isoformat()))
    db.session.refresh(project)
    assert project.next_step == "组织专题会研究" and project.next_step_on == due
    assert "组织专题会研究" in client.get("/").get_data(as_text=True)


def test_another_zones_project_cannot_be_used(client, world, login, make_project, db, contact_form):
    theirs = make_project(world.zone_c, name="赵县食品加工项目")
    login(world.leader)
    response = client.post("/contacts/new", data=contact_form(theirs, leaders=[world.leader.id]))
    assert response.status_code == 404
    assert db.session.query(Contact).count() == 0
    assert client.get(f"/contacts/new?project_id={theirs.id}").status_code == 404


def test_another_zones_leader_cannot_be_credited(client, world, login, make_project, db, contact_form):
    project = make_project(world.zone_a)
    login(world.staff)
    page = client.post("/contacts/new", data=contact_form(
        project, leaders=[world.other_leader.id])).get_data(as_text=True)
    assert "只能选择本开发区的领导" in page
    assert db.session.query(Contact).count() == 0


def test_the_picker_finds_only_own_zone_projects(client, world, login, make_project):
    make_project(world.zone_a, name="高新区生物医药产业园项目")
    make_project(world.zone_c, name="赵县生物医药项目")
    login(world.leader)
    found = client.get("/contacts/lookup?q=生物医药").get_json()
    assert [p["name"] for p in found] == ["高新区生物医药产业园项目"]
    assert client.get("/contacts/lookup?q=100%").get_json() == []


def test_bureau_and_admin_cannot_log_contacts(client, world, login):
    for user in (world.bureau, world.admin, world.auditor):
        login(user)
        assert client.get("/contacts/new").status_code == 403


def test_logging_a_contact_is_audited(client, world, login, make_project, db, today, contact_form):
    project = make_project(world.zone_a)
    login(world.leader)
    client.post("/contacts/new", data=contact_form(project, leaders=[world.leader.id]))
    event = db.session.query(AuditEvent).filter_by(action="create", entity="contact").one()
    assert event.username == "leader1" and event.zone_id == world.zone_a.id
    assert event.after["leaders"] == ["leader1"] and event.after["occurred_on"] == today.isoformat()


def test_contact_list_shows_only_own_zone(client, world, login, make_project, log_contact, today):
    mine = make_project(world.zone_a, name="本区项目")
    theirs = make_project(world.zone_c, name="外区项目")
    log_contact(mine, [world.leader], today)
    log_contact(theirs, [world.other_leader], today)
    login(world.leader)
    page = client.get("/contacts/").get_data(as_text=True)
    assert "本区项目" in page and "外区项目" not in page
    login(world.bureau)
    page = client.get("/contacts/").get_data(as_text=True)
    assert "本区项目" in page and "外区项目" in page


def test_home_shows_the_five_most_pressing_next_steps_and_folds_the_rest(client, world, login, make_project, db, today):
    for n in range(7):
        project = make_project(world.zone_a, name=f"待办项目{n}", investor=f"投资方{n}", leader_id=world.leader.id)
        open_task(project, f"第{n}项工作", today - timedelta(days=10 - n), world.leader, world.leader,
                  today=today)
    db.session.commit()
    login(world.leader)
    page = client.get("/").get_data(as_text=True)
    shown, folded = page.split('<details class="more-due">')
    assert all(f"第{n}项工作" in shown for n in range(5))
    assert "另有 2 项待办" in folded and "第5项工作" in folded and "第6项工作" in folded
