"""The zone's project ledger: list, filters, flags, create, edit, stage history, scope."""
from datetime import date, timedelta

from app.models import AuditEvent, Project, StageChange


def test_staff_enter_a_project_in_the_ledger(client, world, login, db, today, project_form):
    login(world.staff)
    response = client.post("/projects/new", data=project_form(is_manufacturing="y", usci="91350100M000100Y43"))
    assert response.status_code == 302
    project = db.session.query(Project).one()
    assert project.zone_id == world.zone_a.id and project.is_manufacturing
    assert str(project.total_investment) == "1200000000.00"
    assert project.investor.usci == "91350100M000100Y43"
    assert project.planned_on == today
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "12.00亿元" in page and "线索" in page


def test_bad_amounts_and_codes_get_chinese_errors_and_keep_the_input(client, world, login, db, project_form):
    login(world.staff)
    page = client.post("/projects/new", data=project_form(
        total_investment="-5", foreign_capital="abc", usci="91350100M000100Y44")).get_data(as_text=True)
    assert "金额不能为负数" in page
    assert "不是有效的金额" in page
    assert "校验位不正确" in page
    assert "智能装备制造基地项目" in page
    assert db.session.query(Project).count() == 0


def test_project_codes_are_unique_within_a_zone(client, world, login, make_project, db, project_form):
    make_project(world.zone_a, code="GX-001")
    make_project(world.zone_c, code="GX-002")
    login(world.staff)
    page = client.post("/projects/new", data=project_form(code="GX-001")).get_data(as_text=True)
    assert "项目编号“GX-001”已被本区其他项目使用" in page
    assert client.post("/projects/new", data=project_form(code="GX-002")).status_code == 302


def test_stage_changes_keep_their_dates_and_history(client, world, login, make_project, db, today):
    project = make_project(world.zone_a, stages=[("negotiating", date(today.year, 1, 1))])
    login(world.leader)
    response = client.post(f"/projects/{project.id}/stage", data={"stage": "signed", "changed_on": today.isoformat(),
                                                                  "note": "举行签约仪式", "confirmed": "y"})
    assert response.status_code == 302
    db.session.refresh(project)
    assert project.stage == "signed" and project.signed_on == today
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "举行签约仪式" in page
    assert [c.stage for c in db.session.query(StageChange).filter_by(project_id=project.id)
            .order_by(StageChange.id)] == ["lead", "negotiating", "signed"]
    assert db.session.query(AuditEvent).filter_by(action="stage_change").count() == 2


def test_a_stage_change_dated_before_the_last_one_is_refused(client, world, login, make_project, db, today):
    project = make_project(world.zone_a, stages=[("negotiating", today)])
    login(world.leader)
    client.post(f"/projects/{project.id}/stage", data={"stage": "signed",
                                                      "changed_on": (today - timedelta(days=1)).isoformat()})
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "阶段变更日期不能早于上一次变更" in page
    db.session.refresh(project)
    assert project.stage == "negotiating"


def test_editing_a_project_is_audited_with_before_and_after(client, world, login, make_project, db, project_form):
    project = make_project(world.zone_a, total_wan="50000")
    login(world.staff)
    page = client.get(f"/projects/{project.id}/edit").get_data(as_text=True)
    assert 'value="50000"' in page
    response = client.post(f"/projects/{project.id}/edit", data=project_form(
        name=project.name, investor_name="北京华创科技有限公司", industry="其他", responsible="",
        total_investment="60000"))
    assert response.status_code == 302
    event = db.session.query(AuditEvent).filter_by(action="update", entity="project").one()
    assert event.before == {"total_investment": "500000000.00"}
    assert event.after == {"total_investment": "600000000.00"}


def test_threshold_flags_show_on_list_and_detail(client, world, login, make_project):
    big_foreign = make_project(world.zone_a, name="外资大项目", investor="日本精工株式会社", origin="JP",
                               capital_wan="5000", total_wan="400000")
    make_project(world.zone_a, name="内资小项目", total_wan="3000")
    big_domestic = make_project(world.zone_a, name="内资大项目", total_wan="100000")
    login(world.leader)
    listing = client.get("/projects/").get_data(as_text=True)
    assert "外资≥5000万美元" in listing and "内资≥10亿元" in listing
    detail = client.get(f"/projects/{big_foreign.id}").get_data(as_text=True)
    assert "外资≥5000万美元" in detail and "外资≥100万美元" in detail
    filtered = client.get("/projects/?flag=domestic_projects-1000000000CNY").get_data(as_text=True)
    assert "内资大项目" in filtered and "内资小项目" not in filtered and "外资大项目" not in filtered
    assert big_domestic.name in filtered


def test_filters_by_stage_key_level_and_origin(client, world, login, make_project, today):
    make_project(world.zone_a, name="签约的省重点项目", key_level="provincial", stages=[("signed", today)])
    make_project(world.zone_a, name="香港在谈项目", investor="香港新元投资有限公司", origin="HK",
                 stages=[("negotiating", today)])
    login(world.leader)
    assert "签约的省重点项目" in client.get("/projects/?stage=signed").get_data(as_text=True)
    assert "香港在谈项目" not in client.get("/projects/?stage=signed").get_data(as_text=True)
    assert "签约的省重点项目" in client.get("/projects/?key=provincial").get_data(as_text=True)
    foreign = client.get("/projects/?origin=foreign").get_data(as_text=True)
    assert "香港在谈项目" in foreign and "签约的省重点项目" not in foreign


def test_zone_roles_never_reach_another_zones_project(client, world, login, make_project, db, today, project_form):
    theirs = make_project(world.zone_c, name="赵县项目")
    login(world.leader)
    assert "赵县项目" not in client.get("/projects/").get_data(as_text=True)
    assert client.get(f"/projects/{theirs.id}").status_code == 404
    assert client.get(f"/projects/{theirs.id}/edit").status_code == 404
    assert client.post(f"/projects/{theirs.id}/edit", data=project_form()).status_code == 404
    assert client.post(f"/projects/{theirs.id}/stage", data={"stage": "signed",
                                                            "changed_on": today.isoformat()}).status_code == 404
    db.session.refresh(theirs)
    assert theirs.stage == "lead" and theirs.name == "赵县项目"


def test_bureau_reads_every_zone_but_changes_nothing(client, world, login, make_project):
    theirs = make_project(world.zone_c, name="赵县项目")
    login(world.bureau)
    assert "赵县项目" in client.get("/projects/").get_data(as_text=True)
    assert client.get(f"/projects/{theirs.id}").status_code == 200
    assert client.get("/projects/new").status_code == 403
    assert client.post(f"/projects/{theirs.id}/stage", data={"stage": "signed"}).status_code == 403


def test_admin_and_auditor_do_not_see_the_ledger(client, world, login):
    for user in (world.admin, world.auditor):
        login(user)
        assert client.get("/projects/").status_code == 403


def test_the_ledger_list_runs_the_same_queries_for_5_or_50_rows(client, world, login, make_project,
                                                                 log_contact, count_queries, today):
    login(world.leader)

    def queries_for_list():
        with count_queries() as counter:
            assert client.get("/projects/").status_code == 200
        return counter.count

    for n in range(5):
        p = make_project(world.zone_a, name=f"项目{n}", investor=f"投资方{n}", leader_id=world.leader.id)
        log_contact(p, [world.leader], today)
    few = queries_for_list()
    for n in range(5, 50):
        p = make_project(world.zone_a, name=f"项目{n}", investor=f"投资方{n}", origin="HK", leader_id=world.leader2.id)
        log_contact(p, [world.leader2], today)
    assert queries_for_list() == few


def test_an_edit_that_omits_the_amount_fields_keeps_the_amounts(client, world, login, make_project, db):
    project = make_project(world.zone_a, name="金额不变项目", investor="投资方", total_wan="300000",
                           origin="JP", capital_wan="2500")
    login(world.staff)
    response = client.post(f"/projects/{project.id}/edit", data={
        "name": "金额不变项目", "investor_name": "投资方", "origin": "JP", "industry": "其他", "key_level": "",
        "leader_id": "0", "note": "只改备注"})
    assert response.status_code == 302
    db.session.refresh(project)
    assert str(project.total_investment) == "3000000000.00" and str(project.foreign_capital) == "25000000.00"
    assert project.note == "只改备注"
