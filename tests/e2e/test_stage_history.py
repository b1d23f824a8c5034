"""The stage history decides the stage (issue 26), in Chromium: a mistaken 投产 corrected to
the true, earlier 签约 would fall before a later 在谈 and unsign the project. The correction
form names that entry, keeps what was typed, and once the entry is corrected in the same step
the project stays signed and is counted as 引进."""
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import User
from tests.e2e.conftest import OFFICE_PC, PHONE
from tests.e2e.helpers import login, no_horizontal_scroll

NAME = {"1366": "鹿泉高端轴承智能制造项目", "375": "栾城生物医药原料药基地项目"}


def zone_of(app, username):
    with app.app_context():
        zone_id = db.session.scalar(select(User.zone_id).where(User.username == username))
        db.session.remove()
        return zone_id


def change_stage(page, stage, on, note=""):
    page.get_by_label("新阶段").select_option(label=stage)
    page.get_by_label("变更日期").fill(on.isoformat())
    page.get_by_label("原因或说明").fill(note)
    page.get_by_role("button", name="变更阶段…").click()
    page.wait_for_load_state()
    page.get_by_role("button", name=re.compile("^确认")).click()
    page.wait_for_url(re.compile(r"/projects/\d+$"))


@pytest.mark.parametrize("device", [pytest.param(OFFICE_PC, id="1366"), pytest.param(PHONE, id="375")])
def test_a_stage_corrected_to_an_earlier_date_offers_the_conflict_and_keeps_the_signing(
        open_context, live_app, shots, today, device):
    name = NAME[str(device["viewport"]["width"])]
    day = lambda n: today - timedelta(days=n)  # noqa: E731
    page = open_context(device)
    login(page, "sjzgx-s1")

    # A 线索 entered ten days ago, 在谈 three days ago, and a misclicked 投产 yesterday.
    page.goto("/projects/new")
    page.get_by_label("项目名称").fill(name)
    page.get_by_label("投资方", exact=True).fill(f"{name[:2]}精工集团有限公司")
    page.get_by_label("总投资（万元）").fill("15亿")
    page.get_by_label("进入该阶段日期").fill(day(10).isoformat())
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/projects/\d+$"))
    url = page.url
    change_stage(page, "在谈", day(3))
    change_stage(page, "投产", day(1))
    assert "投产" in page.locator("h1 .stage").inner_text()

    # It was really signed five days ago: 更正 the 投产 to 签约 of that day.
    page.locator(".stages li").last.get_by_role("link", name="更正").click()
    page.get_by_label("正确的阶段").select_option(label="签约")
    page.get_by_label("正确的日期").fill(day(5).isoformat())
    page.get_by_label("更正原因").fill("误点投产；企业实际已于当日签约")
    page.get_by_role("button", name="保存更正").click()
    page.wait_for_load_state()

    # The 在谈 of three days ago would now follow the signing: it is named, nothing is saved yet,
    # and what was typed is still in the form.
    conflicts = page.locator("#conflicts")
    shown = " ".join(conflicts.inner_text().split())
    assert "更正后与之矛盾的阶段记录" in shown
    assert f"同时撤销这条记录： 在谈 {day(3).year}年{day(3).month}月{day(3).day}日" in shown
    assert page.get_by_label("正确的阶段").input_value() == "signed"
    assert page.get_by_label("正确的日期").input_value() == day(5).isoformat()
    assert page.get_by_label("更正原因").input_value() == "误点投产；企业实际已于当日签约"
    no_horizontal_scroll(page)
    shots(page, "conflict-offered")

    # Corrected in the same step: the project is signed on its true date.
    conflicts.get_by_label(re.compile("同时撤销这条记录")).check()
    page.get_by_role("button", name="保存更正").click()
    page.wait_for_url(url)
    assert "签约" in page.locator("h1 .stage").inner_text()
    history = page.locator(".stages").inner_text()
    assert history.count("已更正") == 2, "the 投产 and the 在谈 are both kept, marked corrected"
    shots(page, "signing-kept")

    # And it counts: 引进 counts the year it reached 签约.
    year = day(5).year
    as_of = min(today, date(year, 12, 31))
    page.goto(f"/review/zones/{zone_of(live_app, 'sjzgx-s1')}/domestic_projects?year={year}&as_of={as_of}")
    assert name in page.locator("main").inner_text()
    no_horizontal_scroll(page)
    shots(page, "counted-as-introduced")
