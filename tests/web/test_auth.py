"""Logging in and out, and who lands where."""
from app.models import AuditEvent


def test_login_page_is_chinese(client):
    page = client.get("/login").get_data(as_text=True)
    assert "登录" in page and "用户名" in page and "密码" in page


def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/projects/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_each_role_lands_on_its_own_home(client, world, login):
    landings = {
        world.leader: "我的首页", world.staff: "本区首页", world.bureau: "开发区招商引资进度",
        world.admin: "基础数据", world.auditor: "审计日志",
    }
    for user, heading in landings.items():
        login(user)
        page = client.get("/", follow_redirects=True).get_data(as_text=True)
        assert heading in page, user.username


def test_wrong_password_is_refused_with_a_chinese_message_and_audited(client, world, db):
    response = client.post("/login", data={"username": "leader1", "password": "wrong-password"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert db.session.query(AuditEvent).filter_by(action="login_failed").count() == 1


def test_login_does_not_redirect_off_site(client, world):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(f"/login?next={target}", data={"username": "leader1", "password": "Passw0rd!"})
        assert response.headers["Location"] == "/", target
        client.post("/logout")


def test_login_follows_a_local_next(client, world):
    response = client.post("/login?next=/projects/", data={"username": "leader1", "password": "Passw0rd!"})
    assert response.headers["Location"] == "/projects/"


def test_logout_ends_the_session(client, world, login):
    login(world.leader)
    client.post("/logout")
    assert client.get("/").status_code == 302
