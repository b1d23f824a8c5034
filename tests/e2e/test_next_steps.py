"""Next steps are tasks (issue 15), at 1366 px and 375 px: a staff member and a leader each
schedule a step on the same project; neither contact wipes the other's, and each closes their
own from 我的待办 with one tap, no script needed. Walked twice, each user at each width; the
project page lists both steps with their owners and states."""
import re

import pytest

from tests.e2e.conftest import OFFICE_PC, PHONE
from tests.e2e.helpers import login, no_horizontal_scroll


def first_project(page):
    return page.evaluate("fetch('/contacts/lookup?q=').then(r => r.json()).then(rows => rows[0])")


@pytest.fixture
def log_with_step(today):
    def make(page, project, step):
        page.goto(f"/contacts/new?project_id={project['id']}")
        page.get_by_label("对接内容").fill("电话沟通项目进展。")
        leaders = page.locator("input[name=leaders]")
        if not leaders.first.is_checked():
            leaders.first.check()
        page.get_by_label("下一步工作").fill(step)
        page.get_by_label("下一步日期").fill(today.isoformat())
        page.get_by_role("button", name="保存对接记录").click()
        page.wait_for_url(re.compile(r"/$"))
    return make


@pytest.mark.parametrize("staff_device, leader_device", [
    pytest.param(OFFICE_PC, PHONE, id="staff-1366-leader-375"),
    pytest.param(PHONE, OFFICE_PC, id="staff-375-leader-1366")])
def test_two_users_next_steps_survive_each_others_contacts(open_context, shots, staff_device, leader_device, today,
                                                           log_with_step):
    tag = f"（{staff_device['viewport']['width']}）"   # each walk its own steps: the demo data is shared
    staff_step, leader_step = f"专员：寄送园区政策汇编{tag}", f"领导：约见企业董事长{tag}"
    staff = open_context(staff_device)
    login(staff, "sjzgx-s1")
    project = first_project(staff)
    log_with_step(staff, project, staff_step)

    leader = open_context(leader_device)
    login(leader, "sjzgx-l1")
    log_with_step(leader, project, leader_step)
    # The leader's home lists the leader's own step, not the colleague's.
    mine = leader.locator("ul.due").first
    assert leader_step in mine.inner_text() and staff_step not in mine.inner_text()
    no_horizontal_scroll(leader)
    shots(leader, "leader-home-tasks")

    # The staff member's step survived the leader's contact: it is on their 我的待办.
    staff.goto("/tasks/")
    item = staff.locator("li.task", has_text=staff_step)
    assert item.count() == 1
    shots(staff, "staff-my-tasks")
    item.get_by_role("button", name="完成").click()
    staff.wait_for_load_state()
    assert "已完成" in staff.locator(".flash").first.inner_text()
    assert staff.locator("li.task", has_text=staff_step).count() == 0

    # ...and the leader's is still open, moved to another day with one tap on the phone.
    leader.goto("/tasks/")
    step = leader.locator("li.task", has_text=leader_step)
    assert step.count() == 1
    next_year = today.replace(year=today.year + 1, month=1, day=6).isoformat()
    step.locator("input[type=date]").fill(next_year)
    step.get_by_role("button", name="改期").click()
    leader.wait_for_load_state()
    assert "已改期至" in leader.locator(".flash").first.inner_text()
    no_horizontal_scroll(leader)
    shots(leader, "leader-moved")
    assert leader_step in leader.locator("body").inner_text()  # now under 以后的待办

    # The project page lists both steps, open first, with owner and state.
    staff.goto(f"/projects/{project['id']}")
    steps = staff.locator("#tasks").inner_text()
    assert leader_step in steps and staff_step in steps and "已完成" in steps and "已改期" in steps
    no_horizontal_scroll(staff)
    shots(staff, "project-steps")
