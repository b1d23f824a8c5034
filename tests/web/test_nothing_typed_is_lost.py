"""Nothing typed is lost: a form posted after the session expired is kept for its user and
offered again after sign-in (never to another user); a POST sent twice with its idempotency
key, on the web or the API, logs one contact."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.models import Contact, KeptForm
from tests.web.test_sign_in_security import age_session


@pytest.fixture
def contact_form(today):
    def make(project, **fields):
        data = {"project_name": project.name, "project_id": project.id, "occurred_on": today.isoformat(),
                "form": "外出拜访", "summary": "会话过期前录入的对接内容", "idempotency_key": "k-1"}
        data.update(fields)
        return data
    return make


def contacts(db):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Contact))


def test_a_contact_typed_before_the_session_expired_is_restored_after_login(client, world, login, make_project, db,
                                                                            contact_form):
    project = make_project(world.zone_a)
    login(world.leader)
    age_session(db, world.leader, idle=timedelta(hours=3))
    response = client.post("/contacts/new", data=contact_form(project, leaders=[world.leader.id]))
    assert response.status_code == 302 and "/login?next=/contacts/new" in response.headers["Location"]
    assert contacts(db) == 0
    kept = db.session.scalars(select(KeptForm)).one()
    assert kept.user_id == world.leader.id and ["summary", "会话过期前录入的对接内容"] in kept.fields
    assert not any(name == "csrf_token" for name, _ in kept.fields)

    login(world.leader)
    page = client.get("/contacts/new").get_data(as_text=True)
    assert "恢复未保存的内容" in page and "会话过期前录入的对接内容" not in page
    page = client.get("/contacts/new?restore=1").get_data(as_text=True)
    assert "会话过期前录入的对接内容" in page
    client.post("/contacts/new", data=contact_form(project, leaders=[world.leader.id]))
    assert contacts(db) == 1
    assert db.session.scalar(select(func.count()).select_from(KeptForm)) == 0
    assert "恢复未保存的内容" not in client.get("/contacts/new").get_data(as_text=True)


def test_a_kept_form_is_never_offered_to_another_user(client, world, login, make_project, db, contact_form):
    project = make_project(world.zone_a)
    login(world.leader)
    age_session(db, world.leader, idle=timedelta(hours=3))
    client.post("/contacts/new", data=contact_form(project, leaders=[world.leader.id]))
    login(world.staff)
    for path in ("/contacts/new", "/contacts/new?restore=1"):
        page = client.get(path).get_data(as_text=True)
        assert "恢复未保存的内容" not in page and "会话过期前录入的对接内容" not in page


def test_a_revoked_session_keeps_nothing(client, world, login, make_project, db, contact_form):
    project = make_project(world.zone_a)
    login(world.leader)
    db.session.execute(KeptForm.__table__.delete())
    from app.models import UserSession
    row = db.session.scalars(select(UserSession).where(UserSession.user_id == world.leader.id)).one()
    row.ended_at, row.end_reason = row.last_seen_at, "admin"
    db.session.commit()
    client.post("/contacts/new", data=contact_form(project, leaders=[world.leader.id]))
    assert db.session.scalar(select(func.count()).select_from(KeptForm)) == 0


def test_the_same_contact_form_posted_twice_logs_one_contact(client, world, login, make_project, db, contact_form):
    project = make_project(world.zone_a)
    login(world.leader)
    form = contact_form(project, leaders=[world.leader.id], idempotency_key="a1b2c3")
    first = client.post("/contacts/new", data=form)
    second = client.post("/contacts/new", data=form, follow_redirects=True)
    assert first.status_code == 302 and contacts(db) == 1
    assert "已经保存，重复提交未再次记录" in second.get_data(as_text=True)
    # A new form (a new key) is a new contact; another user's same key is theirs.
    client.post("/contacts/new", data={**form, "idempotency_key": "d4e5f6"})
    login(world.staff)
    client.post("/contacts/new", data=form)
    assert contacts(db) == 3


def test_each_shown_form_carries_its_own_key(client, world, login):
    login(world.leader)
    import re
    keys = {re.search(r'name="idempotency_key" type="hidden" value="([0-9a-f]{32})"',
                      client.get("/contacts/new").get_data(as_text=True)).group(1) for _ in range(2)}
    assert len(keys) == 2


def keyed(api, body, key):
    return api.client.post("/api/v1/contacts", json=body, headers={**api.headers, "Idempotency-Key": key})


def test_the_api_honours_the_idempotency_key_per_user(api_as, world, make_project, db):
    project = make_project(world.zone_a)
    body = {"project_id": project.id, "summary": "重试的请求"}
    leader = api_as(world.leader)
    first = keyed(leader, body, "retry-1")
    again = keyed(leader, body, "retry-1")
    assert first.status_code == again.status_code == 201
    assert again.json["id"] == first.json["id"] and again.headers["Idempotent-Replayed"] == "true"
    assert contacts(db) == 1
    other = keyed(api_as(world.leader2), body, "retry-1")
    assert other.status_code == 201 and other.json["id"] != first.json["id"]
    leader.post("/contacts", body)  # no key: an ordinary create
    assert contacts(db) == 3
