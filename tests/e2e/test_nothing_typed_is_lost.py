"""Nothing typed is lost (issue 15), in Chromium at both 375 px and 1366 px: a contact typed
before the session timed out is saved after signing in again; the contact form keeps a draft
in the browser, and the same POST sent twice logs one contact."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.clock import utcnow
from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.models import Contact, User, UserSession
from tests.e2e.conftest import OFFICE_PC, PHONE
from tests.e2e.helpers import login, no_horizontal_scroll


def first_project(page):
    return page.evaluate("fetch('/contacts/lookup?q=').then(r => r.json()).then(rows => rows[0])")


def count(app, summary):
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(Contact).where(Contact.summary == summary))
        db.session.remove()
        return n


def idle_out(app, username):
    """The user's open sessions last saw a request three hours ago: past the idle limit."""
    with app.app_context():
        past = utcnow() - timedelta(hours=3)
        user_id = db.session.scalar(select(User.id).where(User.username == username))
        db.session.execute(update(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
                           .values(last_seen_at=past))
        db.session.commit()
        db.session.remove()


WIDTHS = [pytest.param(PHONE, id="375"), pytest.param(OFFICE_PC, id="1366")]


@pytest.mark.parametrize("device", WIDTHS)
def test_a_contact_typed_before_the_timeout_is_saved_after_login(open_context, live_app, shots, device):
    page = open_context(device)
    login(page, "sjzgx-l2")
    project = first_project(page)
    summary = f"超时前录入（{device['viewport']['width']}）：与企业商谈二期扩产用地。"
    page.goto(f"/contacts/new?project_id={project['id']}")
    page.get_by_label("对接内容").fill(summary)
    idle_out(live_app, "sjzgx-l2")  # the user went to a meeting
    page.get_by_role("button", name="保存对接记录").click()
    page.wait_for_url(re.compile(r"/login"))
    assert "刚才提交的内容已为您保存" in page.locator(".flash").first.inner_text()
    assert count(live_app, summary) == 0
    shots(page, "timed-out")

    # Signing in on the page it landed on leads back to the same form, which offers what was typed.
    page.get_by_label("用户名").fill("sjzgx-l2")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/contacts/new"))
    page.get_by_role("link", name="恢复未保存的内容").click()
    assert page.get_by_label("对接内容").input_value() == summary
    no_horizontal_scroll(page)
    shots(page, "restored")
    page.get_by_role("button", name="保存对接记录").click()
    page.wait_for_url(re.compile(r"/$"))
    assert count(live_app, summary) == 1


@pytest.mark.parametrize("device", WIDTHS)
def test_a_draft_is_kept_and_the_same_post_twice_logs_once(open_context, live_app, shots, device):
    page = open_context(device)
    login(page, "sjzgx-l3")
    project = first_project(page)
    summary = f"草稿（{device['viewport']['width']}）：考察企业研发中心。"
    page.goto(f"/contacts/new?project_id={project['id']}")
    page.get_by_label("对接内容").fill(summary)
    page.goto(f"/contacts/new?project_id={project['id']}")  # the tab closed, the page opened again
    offer = page.locator(".draft-offer")
    offer.get_by_role("button", name="恢复草稿").click()
    assert page.get_by_label("对接内容").input_value() == summary
    shots(page, "draft-restored")

    # A retried POST (same form, same key) logs one contact.
    statuses = page.evaluate("""async () => {
      const form = document.getElementById('contact-form');
      const send = () => fetch(location.href, {method: 'POST', body: new FormData(form), redirect: 'manual'});
      const first = await send(), second = await send();
      return [first.type, second.type];
    }""")
    assert statuses == ["opaqueredirect", "opaqueredirect"]
    assert count(live_app, summary) == 1
    page.goto("/")
    page.goto(f"/contacts/new?project_id={project['id']}")
    assert page.locator(".draft-offer").is_hidden(), "the saved draft is forgotten"
