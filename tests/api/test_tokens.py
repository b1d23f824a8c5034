"""API tokens: created and revoked by their user on the token page, shown once, stored
hashed, audited; only a live token of an active user authenticates."""
import hashlib
import re

from app.services.tokens import MAX_ACTIVE_PER_USER, create_token
from app.models import ApiToken, AuditEvent, User


def shown_token(page: str) -> str | None:
    match = re.search(r'id="new-token">(zcrm_[A-Za-z0-9_-]+)<', page)
    return match.group(1) if match else None


def test_a_user_creates_a_token_that_is_shown_once_and_stored_only_as_a_hash(client, world, login, db):
    login(world.leader)
    page = client.post("/tokens", data={"name": "省平台同步"}).get_data(as_text=True)
    token = shown_token(page)
    assert token and "只显示这一次" in page
    row = db.session.query(ApiToken).one()
    assert row.user_id == world.leader.id and row.name == "省平台同步"
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str([getattr(row, c.name) for c in ApiToken.__table__.columns])
    # The list shows the token by name from now on, never the token itself.
    listing = client.get("/tokens").get_data(as_text=True)
    assert "省平台同步" in listing and "从未使用" in listing and token not in listing
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json["username"] == "leader1"
    db.session.expire_all()
    assert row.last_used_at is not None
    assert "最近使用" in client.get("/tokens").get_data(as_text=True)
    event = db.session.query(AuditEvent).filter_by(action="token_create").one()
    assert event.user_id == world.leader.id and event.entity == "api_token" and event.entity_id == row.id


def test_a_token_needs_a_name_and_a_user_keeps_at_most_ten(client, world, login, db):
    login(world.staff)
    page = client.post("/tokens", data={"name": "  "}).get_data(as_text=True)
    assert shown_token(page) is None and "请填写令牌名称" in page
    for i in range(MAX_ACTIVE_PER_USER):
        create_token(world.staff, f"令牌{i}")
    db.session.commit()
    page = client.post("/tokens", data={"name": "再来一个"}).get_data(as_text=True)
    assert shown_token(page) is None and f"最多保留 {MAX_ACTIVE_PER_USER} 个有效令牌" in page


def test_a_revoked_token_stops_working_and_the_revocation_is_audited(client, world, login, db):
    row, token = create_token(world.leader, "移动端")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    login(world.leader)
    assert client.post(f"/tokens/{row.id}/revoke").status_code == 302
    db.session.expire_all()
    assert row.revoked_at is not None
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"
    assert "已撤销" in client.get("/tokens").get_data(as_text=True)
    assert db.session.query(AuditEvent).filter_by(action="token_revoke", entity_id=row.id).count() == 1


def test_nobody_revokes_another_users_token(client, world, login, db):
    row, token = create_token(world.leader, "移动端")
    db.session.commit()
    login(world.leader2)
    assert client.post(f"/tokens/{row.id}/revoke").status_code == 404
    db.session.expire_all()
    assert row.revoked_at is None
    assert "移动端" not in client.get("/tokens").get_data(as_text=True)


def test_the_tokens_of_a_disabled_user_stop_working(client, world, db):
    _, token = create_token(world.leader, "数据同步")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    db.session.get(User, world.leader.id).active = False
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.post("/api/v1/projects", json={"name": "停用后录入"}, headers=headers).status_code == 401


def test_a_token_answers_with_the_users_current_role(client, world, db):
    _, token = create_token(world.staff, "同步")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/projects", headers=headers).status_code == 200
    user = db.session.get(User, world.staff.id)
    user.role, user.zone_id = "admin", None
    db.session.commit()
    assert client.get("/api/v1/projects", headers=headers).status_code == 403
    # An auditor holds no token, even one left over from a role changed behind the app's back.
    user.role = "auditor"
    db.session.commit()
    assert client.get("/api/v1/projects", headers=headers).status_code == 401


def test_malformed_or_unknown_credentials_are_401_json(client, world):
    for value in (None, "", "Bearer", "Bearer ", "Basic bGVhZGVyMTpQYXNzdzByZCE=", "Bearer zcrm_unknown",
                  "Token zcrm_x", "Bearer " + "zcrm_" + "a" * 500):
        headers = {} if value is None else {"Authorization": value}
        response = client.get("/api/v1/projects", headers=headers)
        assert response.status_code == 401, value
        assert response.json["error"]["code"] == "unauthorized"
        assert "令牌" in response.json["error"]["message"]
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_browser_session_is_not_an_api_credential(client, world, login, db):
    login(world.leader)
    assert client.get("/").status_code == 200  # signed in on the pages
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and "Set-Cookie" not in response.headers
    response = client.post("/api/v1/projects", json={"name": "凭会话录入"})
    assert response.status_code == 401
    assert db.session.query(AuditEvent).filter_by(action="create", entity="project").count() == 0


def test_an_api_request_neither_reads_nor_extends_the_session(client, world, login, db):
    """Token requests do not touch the browser session (no idle-time refresh, no cookie)."""
    _, token = create_token(world.leader, "同步")
    db.session.commit()
    login(world.leader)
    from datetime import datetime
    from app.models import UserSession
    row = db.session.query(UserSession).filter_by(user_id=world.leader.id, ended_at=None).one()
    row.last_seen_at = datetime(2000, 1, 1)  # long idle
    db.session.commit()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    db.session.expire_all()
    assert db.session.get(UserSession, row.id).last_seen_at == datetime(2000, 1, 1)
    assert db.session.get(UserSession, row.id).ended_at is None


# Issue 17 item 8: tokens expire, die with the password, the account or the role, and the
# auditor and the security administrator hold none.

def test_a_token_expires_after_the_lifetime_chosen_at_creation(client, world, login, db):
    from datetime import timedelta

    from app.clock import utcnow
    login(world.leader)
    page = client.post("/tokens", data={"name": "季度同步", "lifetime": "30"}).get_data(as_text=True)
    token = shown_token(page)
    row = db.session.query(ApiToken).one()
    assert timedelta(days=29, hours=23) < row.expires_at - row.created_at <= timedelta(days=30, minutes=1)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"
    assert "已过期" in client.get("/tokens").get_data(as_text=True)


def test_the_default_lifetime_is_90_days_and_other_lifetimes_are_refused(client, world, login, db):
    from datetime import timedelta
    login(world.staff)
    assert re.search(r'<option[^>]*selected[^>]*value="90"', client.get("/tokens").get_data(as_text=True))
    client.post("/tokens", data={"name": "默认"})
    row = db.session.query(ApiToken).one()
    assert timedelta(days=89, hours=23) < row.expires_at - row.created_at <= timedelta(days=90, minutes=1)
    from app.services.tokens import create_token
    made, _ = create_token(world.leader, "服务默认")     # the service's own default is the same 90 days
    assert timedelta(days=89, hours=23) < made.expires_at - made.created_at <= timedelta(days=90, minutes=1)
    db.session.rollback()
    page = client.post("/tokens", data={"name": "永久", "lifetime": "100000"}).get_data(as_text=True)
    assert shown_token(page) is None and db.session.query(ApiToken).count() == 1


def _live(db, token):
    db.session.expire_all()
    return db.session.get(ApiToken, token.id).revoked_at is None


def test_changing_or_resetting_the_password_revokes_every_token(client, world, login, db):
    from app.services.users import change_password, reset_password
    row, _ = create_token(world.leader, "同步")
    db.session.commit()
    change_password(db.session.get(User, world.leader.id), "Fresh#Pass2026")
    db.session.commit()
    assert not _live(db, row)
    event = db.session.query(AuditEvent).filter_by(action="token_revoke", entity_id=row.id).one()
    assert event.after["reason"] == "password"
    row, _ = create_token(world.staff, "同步")
    db.session.commit()
    reset_password(db.session.get(User, world.staff.id), "Reset#Pass2026", by=world.admin)
    db.session.commit()
    assert not _live(db, row)


def test_disabling_the_account_or_changing_its_role_revokes_every_token(world, db):
    from app.models import BUREAU
    from app.services.users import update_user
    leader = db.session.get(User, world.leader.id)
    row, _ = create_token(leader, "同步")
    db.session.commit()
    update_user(leader, name=leader.name, role=leader.role, zone=leader.zone, active=False, by=world.admin)
    db.session.commit()
    assert not _live(db, row)
    staff = db.session.get(User, world.staff.id)
    row, _ = create_token(staff, "同步")
    db.session.commit()
    update_user(staff, name=staff.name, role=BUREAU, zone=None, active=True, by=world.admin)
    db.session.commit()
    assert not _live(db, row)
    # A change of name alone leaves the tokens alone.
    bureau = db.session.get(User, world.bureau.id)
    row, _ = create_token(bureau, "同步")
    db.session.commit()
    update_user(bureau, name="新名字", role=bureau.role, zone=None, active=True, by=world.admin)
    db.session.commit()
    assert _live(db, row)


def test_the_auditor_and_the_security_administrator_cannot_create_tokens(client, world, login, db):
    import pytest

    from app.services.tokens import TokenError
    for who in (world.auditor, world.secadmin):
        login(who)
        page = client.get("/tokens").get_data(as_text=True)
        assert "不能创建 API 令牌" in page and 'name="name"' not in page
        page = client.post("/tokens", data={"name": "偷看", "lifetime": "90"}).get_data(as_text=True)
        assert shown_token(page) is None
        with pytest.raises(TokenError):
            create_token(who, "偷看")
    assert db.session.query(ApiToken).count() == 0
