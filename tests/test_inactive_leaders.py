"""A leader who has left (account disabled) is refused at every entrance: the contact and
project services, the pages, the API and the import (tests/imports/test_rejected_forms.py). The projects they led keep them."""

import pytest

from app.models import Project
from app.services.contacts import ContactError, log_contact
from app.services.projects import ProjectError, ProjectInput, create_project, update_project


@pytest.fixture
def departed(world, db):
    """leader2 (李娜) has left the zone's leadership."""
    world.leader2.active = False
    db.session.commit()
    return world.leader2


def test_the_contact_service_refuses_a_departed_leader(world, departed, make_project, today):
    project = make_project(world.zone_a)
    with pytest.raises(ContactError, match="李娜不是本开发区的在职领导"):
        log_contact(project=project, occurred_on=today, form="外出拜访", summary="洽谈", leaders=[departed],
                    recorded_by=world.staff)


def test_the_project_service_gives_no_project_to_a_departed_leader(world, departed):
    with pytest.raises(ProjectError, match="李娜已停用，不能担任分包领导") as refused:
        create_project(world.zone_a.id, ProjectInput(name="新项目", leader_id=departed.id), world.staff)
    assert refused.value.field == "leader_id"


def test_a_project_keeps_the_leader_who_left_when_edited(world, db, make_project):
    project = make_project(world.zone_a, leader_id=world.leader2.id)
    world.leader2.active = False
    db.session.commit()
    update_project(project, ProjectInput(name="改名后的项目", investor_name="北京华创科技有限公司",
                                         leader_id=world.leader2.id), world.staff)
    db.session.commit()
    assert project.name == "改名后的项目" and project.leader_id == world.leader2.id


def test_the_project_form_does_not_offer_a_departed_leader(client, world, departed, login, db, today):
    login(world.staff)
    page = client.get("/projects/new").get_data(as_text=True)
    assert "李娜" not in page
    response = client.post("/projects/new", data={"name": "智能装备项目", "origin": "CN", "industry": "其他",
                                                    "leader_id": str(departed.id), "stage": "lead",
                                                    "stage_on": today.isoformat()})
    assert response.status_code == 400   # refused: the form again
    assert db.session.query(Project).count() == 0


def test_the_api_refuses_a_departed_leader_for_projects_and_contacts(world, departed, api_as, make_project):
    api = api_as(world.staff)
    created = api.post("/projects", {"name": "甲", "leader_username": departed.username})
    assert created.status_code == 422
    assert created.json["error"]["fields"] == {"leader_username": "李娜已停用，不能担任分包领导"}
    project = make_project(world.zone_a)
    logged = api.post("/contacts", {"project_id": project.id, "summary": "洽谈",
                                    "leader_usernames": [departed.username]})
    assert logged.status_code == 422
    assert "李娜不是本开发区的在职领导" in logged.json["error"]["fields"]["leader_usernames"]
