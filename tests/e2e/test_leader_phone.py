"""A zone leader on the road, on a phone (375 px wide): sign in, log a contact with a project
that is not yet in the ledger (name, what was discussed, save, then confirm that it is a new
project), and watch the year's quota move by one. Every screen the leader uses fits the
phone's width."""
import re

from tests.e2e.conftest import PHONE
from tests.e2e.helpers import login, no_horizontal_scroll

LEADER = "sjzgx-l1"


def quota(page) -> int:
    return int(page.locator(".quota-figure strong").inner_text())


def test_leader_logs_a_contact_for_a_new_project_on_a_phone(open_context, shots):
    page = open_context(PHONE)
    page.goto("/login")
    no_horizontal_scroll(page)
    shots(page, "login")

    login(page, LEADER)
    assert page.url.endswith("/")
    no_horizontal_scroll(page)
    before = quota(page)
    badge = page.locator(".quota .pace")
    assert badge.inner_text() in ("领先", "符合序时", "落后"), "pace is said in words, not colour alone"
    shots(page, "home")

    # Three actions: the project's name, what was discussed, save. The date (today), the way
    # of contact and the leader (oneself) are already filled in.
    page.get_by_role("link", name="＋ 记录对接").first.click()
    page.wait_for_url("**/contacts/new")
    no_horizontal_scroll(page)
    assert page.get_by_label("对接日期").input_value(), "today is the default"
    assert page.get_by_role("checkbox", checked=True).count() == 1, "the leader is ticked already"
    shots(page, "log-contact-empty", full_page=False)

    name = "石家庄高新区氢能重卡整车制造项目"
    page.get_by_label("对接项目").fill(name)
    page.get_by_label("对接内容").fill("在北京拜访企业总部，介绍园区氢能产业政策，企业有意在高新区设立整车基地。")
    shots(page, "log-contact-filled")
    page.get_by_role("button", name="保存对接记录").click()

    # A name that is no chosen project is not created silently: the form asks, once.
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=f"新建项目“{name}”？").is_visible()
    no_horizontal_scroll(page)
    shots(page, "confirm-new-project")
    page.get_by_label(re.compile(f"确认新建项目“{name}”")).check()
    page.get_by_role("button", name="保存对接记录").click()

    page.wait_for_url(re.compile(r"/$"))
    no_horizontal_scroll(page)
    flash = page.locator(".flash-success")
    assert name in flash.inner_text()
    after = quota(page)
    assert after == before + 1, "a first contact with a new project counts once towards the quota"
    assert f"您今年已对接 {after} 个项目" in flash.inner_text()
    shots(page, "quota-moved")

    # The new project, as the leader opens it from the recent contacts.
    page.locator(".timeline").get_by_role("link", name=name).first.click()
    page.wait_for_url("**/projects/*")
    assert page.get_by_role("heading", level=1).inner_text().startswith(name)
    assert "线索" in page.locator("h1 .stage").inner_text()
    no_horizontal_scroll(page)
    shots(page, "project-detail")

    # Contacts: a seven-column table becomes one card per contact on a phone.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="对接记录").click()
    page.wait_for_url("**/contacts/")
    no_horizontal_scroll(page)
    first = page.locator("table.list tbody tr").first
    assert name in first.inner_text()
    shots(page, "contact-list")

    # The projects behind the quota figure.
    page.goto("/")
    page.locator(".quota").get_by_role("link", name="查看明细").click()
    page.wait_for_url("**/review/leaders/*")
    no_horizontal_scroll(page)
    assert page.locator("table.list tbody tr").count() == after
    shots(page, "quota-detail")

    # The ledger the leader can open from the menu.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="项目台账").click()
    page.wait_for_url("**/projects/")
    no_horizontal_scroll(page)
    shots(page, "ledger")


def test_every_leader_screen_fits_a_phone(open_context, shots):
    """No page a leader opens needs sideways scrolling at 375 px, the forms' optional parts
    opened too; the ones the journey above does not show are photographed."""
    page = open_context(PHONE)
    login(page, "sjzgx-l3")  # a three-character name
    # The header keeps to three rows: the signed-in leader and 退出 share the last one.
    user = page.locator(".topbar .user").bounding_box()
    logout = page.get_by_role("button", name="退出").bounding_box()
    assert user["y"] <= logout["y"] + logout["height"] / 2 <= user["y"] + user["height"], (user, logout)
    page.locator(".quota").get_by_role("link", name="查看明细").click()
    page.wait_for_url("**/review/leaders/*")
    quota_detail = page.url
    project = page.evaluate("fetch('/contacts/lookup?q=').then(r => r.json()).then(rows => rows[0].id)")
    screens = {"/": None, "/contacts/new": "contact-form", "/contacts/": None, "/projects/": None,
               "/projects/new": "new-project", f"/projects/{project}": None, f"/projects/{project}/edit": "edit-project",
               quota_detail: None, "/imports/": "import", "/password": "password", "/tokens": "tokens"}
    for path, name in screens.items():
        page.goto(path)
        for details in page.locator("main details:not([open]) > summary").all():
            details.click()  # the new project's optional fields on the contact form
        no_horizontal_scroll(page)
        if name:
            shots(page, name)
