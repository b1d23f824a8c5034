"""Choosing a project is explicit: the picker submits the chosen project's id, and a name that
is no chosen project asks before a new one is created, with the closest projects first."""
import pytest

from app.models import Contact, LeaderProject, Project
from app.queries.duplicates import likely_duplicates


@pytest.fixture
def form(today):
    def make(**fields):
        data = {"occurred_on": today.isoformat(), "form": "外出拜访", "summary": "介绍园区政策与用地条件"}
        data.update(fields)
        return data
    return make


def test_a_near_miss_name_asks_and_creates_nothing(client, world, login, make_project, db, form):
    project = make_project(world.zone_a, "氢能重卡整车制造项目", investor="河北氢途汽车有限公司")
    make_project(world.zone_c, "氢能重卡整车制造基地", investor="河北氢途汽车股份有限公司")
    db.session.commit()
    login(world.leader)
    page = client.post("/contacts/new", data=form(project_name="氢能重卡整车制", leaders=[world.leader.id]))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "新建项目“氢能重卡整车制”？" in html
    assert f'name="resolve" value="{project.id}"' in html and "名称相近" in html
    assert "其他开发区的相近项目" in html and world.zone_c.name in html
    assert db.session.query(Project).count() == 2 and db.session.query(Contact).count() == 0
    assert db.session.query(LeaderProject).count() == 0, "the quota did not move"

    # Choosing the existing project from the question logs the contact with it.
    response = client.post("/contacts/new", data=form(project_name="氢能重卡整车制", leaders=[world.leader.id],
                                                      resolve=str(project.id)))
    assert response.status_code == 302
    assert db.session.query(Contact).one().project_id == project.id
    assert db.session.query(Project).count() == 2


def test_a_new_project_needs_the_deliberate_confirm(client, world, login, db, form):
    login(world.leader)
    client.post("/contacts/new", data=form(project_name="德国精密轴承项目", leaders=[world.leader.id]))
    assert db.session.query(Project).count() == 0
    response = client.post("/contacts/new", data=form(project_name="德国精密轴承项目", leaders=[world.leader.id],
                                                      resolve="new"))
    assert response.status_code == 302
    assert db.session.query(Project).one().name == "德国精密轴承项目"


def test_same_name_projects_each_get_the_contact_chosen_for_them(client, world, login, make_project, db, form):
    first = make_project(world.zone_a, "智能制造产业园项目", investor="北京甲公司")
    second = make_project(world.zone_a, "智能制造产业园项目", investor="上海乙公司")
    db.session.commit()
    login(world.leader)
    for project in (second, first, second):
        response = client.post("/contacts/new", data=form(project_name=project.name, project_id=project.id,
                                                          leaders=[world.leader.id]))
        assert response.status_code == 302
    counts = {p.id: db.session.query(Contact).filter_by(project_id=p.id).count() for p in (first, second)}
    assert counts == {first.id: 1, second.id: 2}
    # Typing the shared name without choosing asks, listing both, each told apart by investor.
    html = client.post("/contacts/new", data=form(project_name="智能制造产业园项目", leaders=[world.leader.id])
                       ).get_data(as_text=True)
    assert "北京甲公司" in html and "上海乙公司" in html and html.count('name="resolve"') == 3


def test_a_changed_name_is_no_longer_the_chosen_project(client, world, login, make_project, db, form):
    project = make_project(world.zone_a, "新能源电池项目")
    db.session.commit()
    login(world.leader)
    html = client.post("/contacts/new", data=form(project_name="新能源电池二期项目", project_id=project.id,
                                                  leaders=[world.leader.id])).get_data(as_text=True)
    assert "新建项目“新能源电池二期项目”？" in html and db.session.query(Contact).count() == 0


def test_another_zones_project_cannot_be_chosen(client, world, login, make_project, db, form):
    other = make_project(world.zone_c, "新能源电池项目")
    db.session.commit()
    login(world.leader)
    response = client.post("/contacts/new", data=form(project_name="新能源电池项目", leaders=[world.leader.id],
                                                      resolve=str(other.id)))
    assert response.status_code == 404


def test_the_picker_lists_name_investor_stage_and_code(client, world, login, make_project, db):
    make_project(world.zone_a, "新能源电池项目", code="GX-7")
    db.session.commit()
    login(world.leader)
    rows = client.get("/contacts/lookup?q=电池").get_json()
    assert rows == [{"id": rows[0]["id"], "name": "新能源电池项目", "investor": "北京华创科技有限公司",
                     "stage": "线索", "code": "GX-7"}]
    page = client.get("/contacts/new").get_data(as_text=True)
    assert 'role="combobox"' in page and 'aria-controls="project-listbox"' in page and "<datalist" not in page


def test_one_rule_finds_same_investor_and_same_credit_code(world, make_project, db):
    by_investor = make_project(world.zone_a, "高端轴承项目", investor="舍弗勒（中国）有限公司")
    by_usci = make_project(world.zone_a, "汽车零部件项目", investor="某某科技有限公司", usci="91350100M000100Y43")
    found = likely_duplicates(world.zone_a.id, "精密轴承生产线", "舍弗勒有限公司", "91350100m000100y43")
    reasons = {c.id: c.reasons for c in found}
    assert reasons[by_investor.id] == ("同一投资方",)
    assert reasons[by_usci.id] == ("同一统一社会信用代码",)
    assert likely_duplicates(world.zone_a.id, "完全无关的名称") == []


def test_the_new_project_form_warns_of_likely_duplicates(client, world, login, make_project, db, project_form):
    existing = make_project(world.zone_a, "智能装备制造基地项目", investor="北京中科智能有限公司")
    db.session.commit()
    login(world.staff)
    html = client.post("/projects/new", data=project_form()).get_data(as_text=True)
    assert "台账中可能已有这个项目" in html and f"/projects/{existing.id}" in html and "名称相同" in html
    assert db.session.query(Project).count() == 1
    response = client.post("/projects/new", data=project_form(confirm_new="y"))
    assert response.status_code == 302 and db.session.query(Project).count() == 2


def test_the_api_creates_and_warns_of_likely_duplicates(world, api_as, make_project, db):
    existing = make_project(world.zone_a, "智能装备制造基地项目", investor="北京中科智能有限公司")
    db.session.commit()
    response = api_as(world.staff).post("/projects", {"name": "智能装备制造基地", "investor_name": "北京中科智能股份有限公司"})
    assert response.status_code == 201
    found = response.get_json()["likely_duplicates"]
    assert [(d["id"], d["same_zone"], d["reasons"]) for d in found] == [(existing.id, True, ["名称相同", "同一投资方"])]
