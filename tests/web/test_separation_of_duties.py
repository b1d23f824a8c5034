"""三员分立 (issue 17, #5): the system administrator cannot make an auditor — not by creating
one, not by changing a role to it, not by resetting an auditor's password — nor a security
administrator. Only the security administrator (安全管理员) or the command line can."""
from sqlalchemy import select

from app.models import AuditEvent, User

from ..conftest import PASSWORD

NEW = "N3w-Passw0rd"


def users_named(db, username):
    db.session.expire_all()
    return db.session.scalars(select(User).where(User.username == username)).all()


def test_the_admin_cannot_create_an_auditor_or_a_security_admin(client, login, world, db):
    login(world.admin)
    for role in ("auditor", "secadmin"):
        page = client.post("/admin/users/new", data={"username": f"new-{role}", "name": "某人", "role": role,
                                                     "zone_id": 0, "password": NEW, "active": "y"})
        assert page.status_code == 200 and "三员分立" in page.get_data(as_text=True)
        assert users_named(db, f"new-{role}") == []


def test_the_admin_cannot_turn_an_account_into_an_auditor(client, login, world, db):
    login(world.admin)
    page = client.post(f"/admin/users/{world.bureau.id}", data={"name": "投促局审核员", "role": "auditor",
                                                                "zone_id": 0, "active": "y"})
    assert "三员分立" in page.get_data(as_text=True)
    assert users_named(db, "bureau")[0].role == "bureau"


def test_the_admin_cannot_reset_or_disable_an_auditor(client, login, world, db):
    login(world.admin)
    client.post(f"/admin/users/{world.auditor.id}/password", data={"password": NEW})
    client.post(f"/admin/users/{world.auditor.id}", data={"name": "审计员", "role": "auditor", "zone_id": 0})
    auditor = users_named(db, "auditor")[0]
    assert auditor.check_password(PASSWORD) and auditor.active and not auditor.must_change_password
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "password_reset")).all()


def test_the_security_admin_creates_resets_and_disables_auditors(client, login, world, db):
    login(world.secadmin)
    assert client.get("/").headers["Location"] == "/admin/security"
    page = client.get("/admin/security").get_data(as_text=True)
    assert "审计管理员账号" in page and "auditor" in page
    response = client.post("/admin/security", data={"username": "auditor2", "name": "新审计员", "password": NEW})
    assert response.status_code == 302
    created = users_named(db, "auditor2")[0]
    assert created.role == "auditor" and created.must_change_password
    assert client.post(f"/admin/security/users/{world.auditor.id}/password",
                       data={"password": "T3mp-Passw0rd"}).status_code == 302
    assert users_named(db, "auditor")[0].check_password("T3mp-Passw0rd")
    client.post(f"/admin/security/users/{world.auditor.id}/active")
    assert users_named(db, "auditor")[0].active is False
    actions = [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.username == "secadmin"))]
    assert {"create", "password_reset", "update"} <= set(actions)


def test_the_security_admin_manages_auditors_only(client, login, world, db):
    login(world.secadmin)
    assert client.post(f"/admin/security/users/{world.admin.id}/password", data={"password": NEW}).status_code == 404
    assert client.get("/admin/").status_code == 403 and client.get("/admin/audit").status_code == 403
    assert users_named(db, "admin")[0].check_password(PASSWORD)


def test_the_command_line_may_grant_both_roles(app, world, db):
    runner = app.test_cli_runner()
    for username, role in (("sec2", "secadmin"), ("aud3", "auditor")):
        result = runner.invoke(args=["users", "add", username, "--name", "某人", "--role", role, "--password", NEW])
        assert result.exit_code == 0, result.output
    result = runner.invoke(args=["users", "reset-password", "auditor", "--password", "T3mp-Passw0rd"])
    assert result.exit_code == 0, result.output
