"""CSRF: with protection on (as in production), every state-changing route refuses a request
without a valid token with a Chinese 400 page. The routes come from the URL map, so a new
POST route is covered without editing this test."""
import re

import pytest

from app import create_app
from app.auth.access import PUBLIC
from config import TestConfig

from ..conftest import PASSWORD

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def csrf_app(app):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        WTF_CSRF_ENABLED = True
    return create_app(Config)


def token_from(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def signed_in(csrf_app, user):
    client = csrf_app.test_client()
    token = token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": user.username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client


def test_every_state_changing_route_refuses_a_request_without_a_token(csrf_app, db, world, make_project):
    project = make_project(world.zone_a)
    users = {"leader": world.leader, "staff": world.staff, "bureau": world.bureau, "admin": world.admin,
             "auditor": world.auditor, "secadmin": world.secadmin}
    from app.services.tokens import create_token

    token, _ = create_token(world.leader, "CSRF 检查")
    db.session.commit()
    checked, clients = [], {}  # one sign-in per role: a sign-in per route would meet the login rate limit
    for rule in csrf_app.url_map.iter_rules():
        methods = STATE_CHANGING & rule.methods
        if not methods or rule.endpoint.startswith("api."):
            continue  # the token-only API is exempt: see test_the_api_is_token_only_so_csrf_does_not_apply
        roles = getattr(csrf_app.view_functions[rule.endpoint], "allowed_roles", PUBLIC)
        if roles == PUBLIC:
            client = csrf_app.test_client()
        else:
            if roles[0] not in clients:
                clients[roles[0]] = signed_in(csrf_app, users[roles[0]])
            client = clients[roles[0]]
        ids = {"project_id": project.id, "user_id": world.leader.id, "zone_id": world.zone_a.id,
               "job_id": 1, "token_id": token.id, "session_id": 1, "arrival_id": 1, "channel_id": 1,
               "change_id": project.stage_changes[0].id, "task_id": 1}
        url = rule.build({k: v for k, v in ids.items() if k in rule.arguments})[1]
        for method in methods:
            response = client.open(url, method=method, data={"anything": "x"})
            assert response.status_code == 400, (rule.endpoint, method)
            page = response.get_data(as_text=True)
            assert "安全令牌" in page and "请刷新页面后重试" in page, rule.endpoint
            checked.append(rule.endpoint)
    assert {"auth.login", "auth.logout", "auth.password", "projects.new", "projects.stage", "projects.correct", "projects.merge",
            "contacts.new", "admin.user_new", "admin.user_edit", "admin.user_reset_password",
            "auth.tokens", "auth.token_revoke", "projects.add_task", "tasks.done", "tasks.move",
            "tasks.reassign"} <= set(checked)


def test_a_request_with_the_token_is_accepted(csrf_app, world):
    client = signed_in(csrf_app, world.leader)
    token = token_from(client.get("/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302


def test_a_login_without_a_token_does_not_sign_in(csrf_app, world):
    client = csrf_app.test_client()
    response = client.post("/login", data={"username": "leader1", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_the_api_is_token_only_so_csrf_does_not_apply(csrf_app, db, world, make_project):
    """A signed-in browser's cookie alone writes nothing through /api/v1 (401), so a forged
    cross-site request cannot either; with a token and no CSRF token the write goes through."""
    from app.services.tokens import create_token
    from app.models import Project

    project = make_project(world.zone_a)
    client = signed_in(csrf_app, world.leader)
    body = {"name": "跨站伪造的项目"}
    for method, url, data in (("POST", "/api/v1/projects", body),
                              ("PATCH", f"/api/v1/projects/{project.id}", {"note": "伪造"}),
                              ("POST", f"/api/v1/projects/{project.id}/stage", {"stage": "dropped"}),
                              ("POST", "/api/v1/contacts", {"project_id": project.id, "summary": "伪造"})):
        response = client.open(url, method=method, json=data)
        assert response.status_code == 401, url
        assert response.json["error"]["code"] == "unauthorized"
        assert "Set-Cookie" not in response.headers
    db.session.expire_all()
    assert db.session.query(Project).count() == 1 and project.note == "" and project.stage == "lead"

    _, token = create_token(world.leader, "CSRF 检查")
    db.session.commit()
    response = csrf_app.test_client().post("/api/v1/projects", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201
