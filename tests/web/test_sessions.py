"""Server-side sessions (issue 17, High #1): a copied cookie dies with logout, a password or
role change and an administrator's "sign out everywhere"; the user sees and ends their own
sessions; a limit on concurrent sessions. State lives in the database, so a second app
(another worker or host) sees the same."""
from sqlalchemy import select

from app import create_app
from app.models import AuditEvent, UserSession

from config import TestConfig

from ..conftest import PASSWORD


def sign_in(app, user, agent="Mozilla/5.0 (Windows NT 10.0) Chrome/120.0"):
    client = app.test_client()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD},
                           headers={"User-Agent": agent})
    assert response.status_code == 302
    return client


def copy_of(app, client):
    """Another browser holding a copy of the client's session cookie (a stolen cookie)."""
    thief = app.test_client()
    cookie = client.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    return thief


def open_sessions(db, user):
    db.session.expire_all()
    return db.session.scalars(select(UserSession).where(UserSession.user_id == user.id,
                                                        UserSession.ended_at.is_(None))).all()


def test_a_cookie_copied_before_logout_no_longer_reads_or_writes(app, world, db, make_project):
    project = make_project(world.zone_a)
    client = sign_in(app, world.staff)
    thief = copy_of(app, client)
    assert thief.get("/projects/").status_code == 200
    client.post("/logout")
    assert thief.get("/projects/").status_code == 302
    response = thief.post("/contacts/new", data={"project_id": project.id, "occurred_on": "2024-03-01",
                                                 "form": "外出拜访", "summary": "偷来的会话",
                                                 "leaders": [world.leader.id]})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "contact")).all()


def test_another_worker_sees_the_logout_at_once(app, world, db):
    """A second application object (another gunicorn worker or host) on the same database."""
    client = sign_in(app, world.staff)
    cookie = client.get_cookie("session").value
    class OtherWorker(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
    other = create_app(OtherWorker)
    client.post("/logout")
    replay = other.test_client()
    replay.set_cookie("session", cookie)
    assert replay.get("/").status_code == 302


def test_a_password_change_ends_copies_of_every_session_but_the_changing_one(app, world, db):
    laptop = sign_in(app, world.staff)
    thief = copy_of(app, laptop)
    response = laptop.post("/password", data={"current": PASSWORD, "new": "N3w-Passw0rd", "confirm": "N3w-Passw0rd"})
    assert response.status_code == 302
    assert laptop.get("/projects/").status_code == 200
    assert thief.get("/projects/").status_code == 302


def test_a_role_change_ends_the_session(app, world, db):
    leader = sign_in(app, world.leader)
    admin = sign_in(app, world.admin)
    response = admin.post(f"/admin/users/{world.leader.id}", data={
        "name": world.leader.name, "role": "staff", "zone_id": world.zone_a.id, "active": "y"})
    assert response.status_code == 302
    assert leader.get("/").status_code == 302
    assert open_sessions(db, world.leader) == []


def test_admin_signs_a_user_out_everywhere(app, world, db):
    phone, laptop = sign_in(app, world.leader), sign_in(app, world.leader)
    admin = sign_in(app, world.admin)
    page = admin.get(f"/admin/users/{world.leader.id}").get_data(as_text=True)
    assert "当前有 2 个有效登录" in page
    response = admin.post(f"/admin/users/{world.leader.id}/sessions/end")
    assert response.status_code == 302
    assert phone.get("/").status_code == 302 and laptop.get("/").status_code == 302
    assert admin.get("/admin/").status_code == 200
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sessions_revoked")).one()
    assert event.username == "admin" and event.after == {"reason": "ended_by_admin", "sessions": 2}
    assert sign_in(app, world.leader).get("/").status_code == 200


def test_only_the_admin_signs_others_out(app, world, db):
    bureau = sign_in(app, world.bureau)
    assert bureau.post(f"/admin/users/{world.leader.id}/sessions/end").status_code == 403


def test_the_user_lists_and_ends_own_sessions(app, world, db):
    phone = sign_in(app, world.leader, agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) MicroMessenger/8.0")
    laptop = sign_in(app, world.leader)
    page = laptop.get("/sessions").get_data(as_text=True)
    assert "登录会话" in page and "微信（iPhone）" in page and "Chrome（Windows）（本机）" in page
    assert "127.0.0.1" in page
    phone_row = next(s for s in open_sessions(db, world.leader) if "iPhone" in s.user_agent)
    assert laptop.post(f"/sessions/{phone_row.id}/end").status_code == 302
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 200
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "session_end")).one().after["reason"] \
        == "ended_by_user"


def test_a_user_cannot_end_someone_elses_session(app, world, db):
    sign_in(app, world.leader2)
    other = open_sessions(db, world.leader2)[0]
    leader = sign_in(app, world.leader)
    assert leader.post(f"/sessions/{other.id}/end").status_code == 404
    assert len(open_sessions(db, world.leader2)) == 1


def test_concurrent_sessions_are_limited(app, world, db, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_MAX_CONCURRENT", 2)
    first, second, third = (sign_in(app, world.staff) for _ in range(3))
    assert first.get("/").status_code == 302
    assert second.get("/").status_code == 200 and third.get("/").status_code == 200
    assert len(open_sessions(db, world.staff)) == 2
    ended = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "session_end")).one()
    assert ended.after["reason"] == "limit"


def test_the_cookie_holds_no_more_than_a_random_id(app, world, db):
    client = sign_in(app, world.staff)
    with client.session_transaction() as session:
        sid = session["sid"]
    row = open_sessions(db, world.staff)[0]
    assert sid not in (row.token_hash,) and len(row.token_hash) == 64
