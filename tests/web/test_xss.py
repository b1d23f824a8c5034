"""Output escaping: hostile text stored in every free-text column comes back escaped on every
page that shows it (stored XSS). The values are written straight into the database, past any
form validation, so only the templates' escaping stands between them and the browser."""
from datetime import timedelta

import pytest

from app import audit
from app.models import Contact, Investor, StageChange

SCRIPT = "<script>alert(1)</script>"                    # 25 characters
IMG = "<img src=x onerror=alert(2)>"                    # 28
LONG = "\"'><script>alert(3)</script><img src=x onerror=alert(4)>"
SHORT = "<i onclick=x>"                                 # 13, for the narrowest columns
RAW_MARKERS = ("<script>alert", "<img src=x", "<i onclick")
ESCAPED = ("&lt;script&gt;alert", "&lt;img src=x", "&lt;i onclick")


@pytest.fixture
def hostile(world, db, make_project, log_contact, today):
    """Every text column of zones, users, projects, investors, stage changes, contacts and
    audit records holds markup."""
    zone = world.zone_a
    zone.name, zone.county, zone.kind, zone.level = "高新区" + LONG, IMG, SHORT, SHORT
    world.zone_c.code = SCRIPT
    world.leader2.name = IMG[:50]
    world.leader2.username = LONG
    world.staff.name = SCRIPT
    project = make_project(zone, "项目" + LONG, investor="投资方" + LONG, planned_on=today - timedelta(days=3),
                           stages=[("negotiating", today - timedelta(days=2))])
    project.code, project.industry, project.responsible = IMG, IMG, IMG
    project.note, project.next_step, project.next_step_on = LONG, LONG, today + timedelta(days=3)
    project.leader_id = world.leader2.id
    db.session.get(Investor, project.investor_id).usci = SHORT
    for change in db.session.query(StageChange).filter_by(project_id=project.id):
        change.note = LONG
    contact = log_contact(project, [world.leader, world.leader2], today - timedelta(days=1),
                          summary=LONG, next_step=LONG, next_step_on=today + timedelta(days=2))
    db.session.get(Contact, contact.id).form = SHORT
    event = audit.record(SCRIPT, IMG, 1, before={"name": LONG}, after={"name": LONG}, user=None)
    event.username, event.ip = LONG, SCRIPT
    db.session.commit()
    return project


def client_as(app, user):
    client = app.test_client()
    from app.extensions import db
    from app.services.sessions import open_session

    token, _row = open_session(user, "127.0.0.1", "XSS 检查", limit=100)
    db.session.commit()
    with client.session_transaction() as session:
        session.update({"_user_id": user.get_id(), "_fresh": True, "sid": token})
    return client


def assert_escaped(response, path):
    assert response.status_code == 200, path
    page = response.get_data(as_text=True)
    for marker in RAW_MARKERS:
        assert marker not in page, f"{path}: unescaped {marker}"
    assert any(e in page for e in ESCAPED), f"{path}: the hostile data is not on the page at all"


def test_every_page_escapes_stored_markup(app, world, hostile):
    p = hostile.id
    pages = {
        world.leader: ["/", "/projects/", f"/projects/{p}", f"/projects/{p}/edit", "/contacts/",
                       f"/contacts/new?project_id={p}", "/projects/?q=项目"],
        world.staff: ["/", "/projects/", "/contacts/", "/projects/new", "/contacts/new"],
        world.bureau: ["/review/", "/projects/", f"/projects/{p}", "/contacts/"],
        world.admin: ["/admin/", f"/admin/users/{world.leader2.id}"],
        world.auditor: ["/admin/audit"],
    }
    for user, paths in pages.items():
        client = client_as(app, user)
        for path in paths:
            assert_escaped(client.get(path), f"{user.username} {path}")


def test_search_terms_are_escaped_when_shown_back(app, world, hostile):
    client = client_as(app, world.leader)
    for path in (f"/projects/?q={LONG}", f"/contacts/?from={LONG}"):
        page = client.get(path).get_data(as_text=True)
        assert not any(marker in page for marker in RAW_MARKERS), path
    page = client_as(app, world.auditor).get("/admin/audit", query_string={"user": LONG}).get_data(as_text=True)
    assert not any(marker in page for marker in RAW_MARKERS)


def test_the_project_picker_answers_json_that_the_browser_will_not_sniff_as_html(app, world, hostile):
    response = client_as(app, world.leader).get("/contacts/lookup?q=项目")
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.json[0]["name"] == "项目" + LONG  # the script builds options with .value, never innerHTML


def test_flash_messages_escape_user_input(app, world, hostile, db):
    client = client_as(app, world.leader)
    other = hostile
    response = client.post(f"/projects/{other.id}/edit", data={
        "name": "另一" + LONG, "investor_name": "", "origin": "CN", "industry": "其他", "planned_on": "",
        "code": IMG, "leader_id": 0, "key_level": ""}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert not any(marker in page for marker in RAW_MARKERS)
