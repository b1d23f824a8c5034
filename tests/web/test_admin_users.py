"""The administrator manages accounts: new accounts must change their password first; role,
zone and status changes are audited and end the user's sessions (三员分立: the admin manages
users but never sees the audit trail)."""
import pytest
from sqlalchemy import select

from app.models import AuditEvent, User

from ..conftest import PASSWORD


def events(db, action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def new_user(client, **fields):
    data = {"username": "gx-s9", "name": "新专员", "role": "staff", "zone_id": 0, "password": "Temp-2024x",
            "active": "y"}
    data.update(fields)
    return client.post("/admin/users/new", data=data)


def test_admin_creates_an_account_that_must_change_its_password(client, login, world, db):
    login(world.admin)
    response = new_user(client, zone_id=world.zone_a.id)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "gx-s9"))
    assert user.zone_id == world.zone_a.id and user.must_change_password
    created = [e for e in events(db, "create") if e.entity == "user"]
    assert created[0].username == "admin" and created[0].after["role"] == "staff"
    client.post("/logout")
    assert client.post("/login", data={"username": "gx-s9", "password": "Temp-2024x"}).headers["Location"] == "/password"


@pytest.mark.parametrize("fields,message", [
    ({"role": "staff", "zone_id": 0}, "招商专员必须指定所属开发区"),
    ({"role": "bureau", "zone_id": "ZONE"}, "投促局不属于某个开发区"),
    ({"role": "bureau", "password": "abcdefgh"}, "至少3类"),
    ({"username": "leader1", "role": "bureau"}, "用户名“leader1”已存在"),
])
def test_admin_is_told_in_chinese_what_is_wrong(client, login, world, db, fields, message):
    login(world.admin)
    if fields.get("zone_id") == "ZONE":
        fields["zone_id"] = world.zone_a.id
    response = new_user(client, **fields)
    assert response.status_code == 200 and message in response.get_data(as_text=True)


def test_a_role_change_is_audited_and_ends_the_users_sessions(app, login, world, db):
    staff_client = app.test_client()
    staff_client.post("/login", data={"username": "staff1", "password": PASSWORD})
    assert staff_client.get("/projects/").status_code == 200
    admin_client = app.test_client()
    admin_client.post("/login", data={"username": "admin", "password": PASSWORD})
    response = admin_client.post(f"/admin/users/{world.staff.id}", data={
        "name": world.staff.name, "role": "leader", "zone_id": world.zone_a.id, "active": "y"})
    assert response.status_code == 302
    change = events(db, "role_change")[0]
    assert change.before == {"role": "staff", "zone_id": world.zone_a.id}
    assert change.after == {"role": "leader", "zone_id": world.zone_a.id} and change.username == "admin"
    assert staff_client.get("/projects/").status_code == 302


def test_a_disabled_account_cannot_sign_in(client, login, world, db):
    login(world.admin)
    client.post(f"/admin/users/{world.leader.id}", data={"name": world.leader.name, "role": "leader",
                                                         "zone_id": world.zone_a.id})
    assert db.session.get(User, world.leader.id).active is False
    client.post("/logout")
    response = client.post("/login", data={"username": "leader1", "password": PASSWORD})
    assert response.status_code == 200 and "用户名或密码错误" in response.get_data(as_text=True)
    assert events(db, "login_failed")[-1].after["reason"] == "inactive"


def test_admin_cannot_demote_or_disable_themselves(client, login, world, db):
    login(world.admin)
    response = client.post(f"/admin/users/{world.admin.id}", data={"name": "管理员", "role": "auditor", "zone_id": 0,
                                                                   "active": "y"})
    assert "不能修改自己的角色" in response.get_data(as_text=True)
    assert db.session.get(User, world.admin.id).role == "admin"


def test_admin_resets_a_password(app, client, login, world, db):
    victim = app.test_client()
    victim.post("/login", data={"username": "leader1", "password": PASSWORD})
    login(world.admin)
    weak = client.post(f"/admin/users/{world.leader.id}/password", data={"password": "short"}, follow_redirects=True)
    assert "密码至少 8 位" in weak.get_data(as_text=True)
    assert client.post(f"/admin/users/{world.leader.id}/password", data={"password": "Reset-2024x"}).status_code == 302
    assert victim.get("/").status_code == 302
    assert db.session.get(User, world.leader.id).must_change_password
    assert events(db, "password_reset")[0].username == "admin"


def test_admin_cannot_reset_their_own_password_here(client, login, world, db):
    login(world.admin)
    page = client.post(f"/admin/users/{world.admin.id}/password", data={"password": "Reset-2024x"},
                       follow_redirects=True).get_data(as_text=True)
    assert "请通过“修改密码”修改自己的密码" in page
    assert not events(db, "password_reset")


def test_unknown_user_is_404(client, login, world):
    login(world.admin)
    assert client.get("/admin/users/99999").status_code == 404
