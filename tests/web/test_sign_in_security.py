"""Identity and sessions: lockout, rate limit, fresh sessions, idle timeout, session versions,
forced password change (MLPS 2.0 level 3 identification; ASVS L2 V2/V3)."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import create_app
from app.models import AuditEvent, LoginThrottle, User, UserSession
from app.clock import utcnow

from ..conftest import PASSWORD

NEW_PASSWORD = "N3w-Passw0rd"


def attempt(client, username, password, next_=None):
    url = "/login" + (f"?next={next_}" if next_ else "")
    return client.post(url, data={"username": username, "password": password})


def age_session(db, user, *, idle=None, age=None):
    """Move the user's open session back in time: last request `idle` ago, sign-in `age` ago."""
    row = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id,
                                                       UserSession.ended_at.is_(None))).one()
    now = utcnow()
    if idle is not None:
        row.last_seen_at = now - idle
    if age is not None:
        row.created_at = now - age
    db.session.commit()


def actions(db, action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def test_five_failures_lock_the_account_even_against_the_right_password(client, world, db):
    for _ in range(4):
        assert "用户名或密码错误" in attempt(client, "leader1", "wrong").get_data(as_text=True)
    fifth = attempt(client, "leader1", "wrong").get_data(as_text=True)
    assert "账号已被锁定" in fifth and "15 分钟" in fifth
    sixth = attempt(client, "leader1", PASSWORD)
    assert sixth.status_code == 200 and "账号已被锁定" in sixth.get_data(as_text=True)
    assert client.get("/").status_code == 302
    lockouts = actions(db, "lockout")
    assert len(lockouts) == 1
    assert lockouts[0].entity_id == world.leader.id and lockouts[0].after["failures"] == 5
    assert lockouts[0].ip == "127.0.0.1"
    assert [e.after["reason"] for e in actions(db, "login_failed")] == ["bad_credentials"] * 5 + ["locked"]


def test_the_lock_ends_after_its_time(client, world, db):
    for _ in range(5):
        attempt(client, "leader1", "wrong")
    row = db.session.scalar(select(LoginThrottle).where(LoginThrottle.key == "leader1"))
    row.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert attempt(client, "leader1", PASSWORD).status_code == 302
    assert db.session.scalar(select(LoginThrottle).where(LoginThrottle.key == "leader1")) is None


def test_a_success_clears_earlier_failures(client, world, db):
    for _ in range(4):
        attempt(client, "leader1", "wrong")
    assert attempt(client, "leader1", PASSWORD).status_code == 302
    client.post("/logout")
    for _ in range(4):
        attempt(client, "leader1", "wrong")
    assert attempt(client, "leader1", PASSWORD).status_code == 302


def test_unknown_usernames_lock_the_same_way(client, world, db):
    """The answers do not reveal whether an account exists."""
    for _ in range(5):
        page = attempt(client, "nobody", "wrong").get_data(as_text=True)
    assert "账号已被锁定" in page
    assert actions(db, "lockout")[0].after["username"] == "nobody"


def test_the_lock_is_shared_by_every_worker_process(app, client, world, db):
    """Counts live in the database: a second app on the same database sees the lock."""
    for _ in range(5):
        attempt(client, "leader1", "wrong")
    other_worker = create_app(_same_config(app))
    response = other_worker.test_client().post("/login", data={"username": "leader1", "password": PASSWORD})
    assert "账号已被锁定" in response.get_data(as_text=True)


def _same_config(app):
    from config import TestConfig

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
    return Config


def test_login_attempts_per_address_are_rate_limited(app, client, world, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", 3)
    for _ in range(3):
        assert attempt(client, "leader2", "wrong").status_code == 200
    refused = attempt(client, "leader1", PASSWORD)
    assert refused.status_code == 429 and "登录尝试过于频繁" in refused.get_data(as_text=True)
    attempt(client, "leader1", PASSWORD)
    assert len(actions(db, "login_rate_limited")) == 1
    assert client.get("/").status_code == 302


def test_login_starts_a_fresh_session(client, world):
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
    attempt(client, "leader1", PASSWORD)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{world.leader.id}:1"


def test_an_idle_session_times_out_and_is_audited(client, world, login, db):
    login(world.leader)
    age_session(db, world.leader, idle=timedelta(minutes=29))
    assert client.get("/").status_code == 200
    age_session(db, world.leader, idle=timedelta(minutes=31))
    response = client.get("/projects/")
    assert response.status_code == 302 and "/login?next=/projects/" in response.headers["Location"]
    assert "长时间未操作" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert [e.after for e in actions(db, "session_expired")] == [{"reason": "idle"}]


def test_the_idle_limit_is_configurable(app, client, world, login, monkeypatch, db):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    login(world.leader)
    age_session(db, world.leader, idle=timedelta(minutes=6))
    assert client.get("/").status_code == 302


def test_a_session_has_a_maximum_age(client, world, login, db):
    login(world.leader)
    age_session(db, world.leader, age=timedelta(hours=13))
    assert client.get("/").status_code == 302


def change_password(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post("/password", data={"current": current, "new": new, "confirm": confirm or new})


def test_changing_the_password_signs_out_every_other_session(app, world, db):
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        assert attempt(device, "staff1", PASSWORD).status_code == 302
    response = change_password(laptop)
    assert response.status_code == 302
    assert "其他设备上的登录已全部退出" in laptop.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert laptop.get("/projects/").status_code == 200
    assert phone.get("/projects/").status_code == 302
    laptop.post("/logout")
    assert attempt(laptop, "staff1", PASSWORD).status_code == 200
    assert attempt(laptop, "staff1", NEW_PASSWORD).status_code == 302
    assert len(actions(db, "password_change")) == 1


@pytest.mark.parametrize("current,new,confirm,message", [
    ("wrong", NEW_PASSWORD, None, "当前密码不正确"),
    (PASSWORD, "short1!", None, "密码至少 8 位"),
    (PASSWORD, "alllowercase", None, "至少3类"),
    (PASSWORD, "Staff1-abc", None, "密码不能包含用户名"),
    (PASSWORD, PASSWORD, None, "新密码不能与当前密码相同"),
    (PASSWORD, NEW_PASSWORD, "N3w-Other0", "两次输入的新密码不一致"),
])
def test_password_change_explains_refusals_in_chinese(client, world, login, current, new, confirm, message):
    login(world.staff)
    response = change_password(client, current, new, confirm)
    assert response.status_code == 200 and message in response.get_data(as_text=True)


def test_an_account_created_by_an_operator_must_change_its_password_first(app, client, world, db):
    result = app.test_cli_runner().invoke(args=["users", "add", "gx-s2", "--name", "新专员", "--role", "staff",
                                                "--zone", "gxq", "--password", "Temp-2024x"])
    assert result.exit_code == 0, result.output
    response = attempt(client, "gx-s2", "Temp-2024x", next_="/projects/")
    assert response.headers["Location"] == "/password"
    for path in ("/", "/projects/", "/contacts/new"):
        assert client.get(path).headers["Location"] == "/password", path
    page = client.get("/password").get_data(as_text=True)
    assert "首次登录或密码被重置后" in page
    assert change_password(client, "Temp-2024x").status_code == 302
    assert client.get("/projects/").status_code == 200
    assert db.session.scalar(select(User).where(User.username == "gx-s2")).must_change_password is False


def test_a_reset_password_must_be_changed_and_ends_sessions(app, client, world, login, db):
    login(world.leader)
    result = app.test_cli_runner().invoke(args=["users", "reset-password", "leader1", "--password", "Reset-2024x"])
    assert result.exit_code == 0, result.output
    assert client.get("/").status_code == 302 and "/login" in client.get("/").headers["Location"]
    assert attempt(client, "leader1", "Reset-2024x").headers["Location"] == "/password"
    assert len(actions(db, "password_reset")) == 1
    weak = app.test_cli_runner().invoke(args=["users", "reset-password", "leader1", "--password", "weak"])
    assert weak.exit_code == 2 and "密码至少 8 位" in weak.output


def test_operators_cannot_create_accounts_with_weak_passwords(app, world):
    result = app.test_cli_runner().invoke(args=["users", "add", "gx-s3", "--name", "某人", "--role", "staff",
                                                "--zone", "gxq", "--password", "abcdefgh"])
    assert result.exit_code == 2 and "至少3类" in result.output


def test_demo_accounts_are_not_forced_to_change_their_password(app, db):
    assert app.test_cli_runner().invoke(args=["demo-data", "--today", "2024-03-01"]).exit_code == 0
    assert not db.session.scalars(select(User).where(User.must_change_password.is_(True))).all()
    response = app.test_client().post("/login", data={"username": "sjzgx-l1", "password": "Demo@2024"})
    assert response.headers["Location"] == "/"


def test_a_disabled_account_loses_its_session(client, world, login, db):
    login(world.staff)
    world.staff.active = False
    db.session.commit()
    assert client.get("/projects/").status_code == 302


@pytest.mark.parametrize("target", ["/\t/evil.example", "/%09/evil.example", "http:/evil.example", "///evil.example",
                                    "javascript:alert(1)", "/\n/evil.example"])
def test_login_never_redirects_off_site(client, world, target):
    response = client.post("/login", query_string={"next": target}, data={"username": "leader1", "password": PASSWORD})
    location = response.headers["Location"]
    assert location == "/" or (location.startswith("/") and not location.startswith("//")
                               and "evil.example" not in location.split("?")[0].lstrip("/").split("/")[0])
