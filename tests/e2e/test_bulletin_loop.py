"""Closing the loop in a browser: the bureau previews a bulletin in the browser and issues it
after a confirm page, and a second issue of the month is refused; a zone leader opens it from
the bell, sees the zone's rank and trend, and the bureau sees the read receipt; a leader's next
step due today is in the bell after the daily job; a drill-down at a past date shows that
date's stages."""
from datetime import date, timedelta

from sqlalchemy import select

from tests.e2e.conftest import OFFICE_PC, PHONE
from tests.e2e.helpers import login, no_horizontal_scroll


def test_issue_read_and_receipt(open_context, shots, today):
    last_month = today.replace(day=1) - timedelta(days=1)
    bureau = open_context(OFFICE_PC)
    login(bureau, "tcj")
    bureau.get_by_role("navigation", name="主导航").get_by_role("link", name="月度通报").click()
    bureau.wait_for_url("**/reports/archive*")
    shots(bureau, "archive-empty")

    # The preview opens in the browser (inline), not as a download.
    preview = bureau.request.get(f"/reports/monthly?year={last_month.year}&month={last_month.month}")
    assert preview.ok and preview.headers["content-disposition"].startswith("inline")
    assert preview.body()[:5] == b"%PDF-"

    # Issuing shows what will be sent and asks to confirm.
    bureau.get_by_label("年度").fill(str(last_month.year))
    bureau.get_by_label("月份").select_option(str(last_month.month))
    bureau.get_by_role("button", name="核对并签发…").click()
    bureau.wait_for_url("**/reports/monthly/issue?*")
    label = f"{last_month.year}年第{last_month.month}期"
    assert bureau.get_by_role("heading", level=1).inner_text() == f"签发 {label}月度通报"
    assert bureau.get_by_role("link", name="在浏览器中预览 PDF").get_attribute("target") == "_blank"
    no_horizontal_scroll(bureau)
    shots(bureau, "confirm")
    bureau.get_by_role("button", name="确认签发").click()       # the box is not ticked: the browser refuses
    assert "/reports/monthly/issue" in bureau.url
    bureau.get_by_label("我已核对以上内容，确认签发并下发各开发区").check()
    bureau.get_by_role("button", name="确认签发").click()
    bureau.wait_for_url("**/reports/archive/*")
    assert "通报已签发存档并下发各开发区" in bureau.locator(".flash").inner_text()
    bulletin_url = bureau.url
    shots(bureau, "issued")

    # The same month again: one number a month, and the same figures need no correction.
    bureau.goto(f"/reports/monthly/issue?year={last_month.year}&month={last_month.month}")
    assert "无需更正" in bureau.locator("main").inner_text()
    assert bureau.get_by_role("button", name="确认签发").count() == 0
    shots(bureau, "second-issue-refused")

    # A zone leader, on a phone, opens it from the bell.
    leader = open_context(PHONE)
    login(leader, "sjzgx-l1")
    bell = leader.locator("a.bell")
    assert bell.locator(".badge").count() == 1
    bell.click()
    leader.wait_for_url("**/notifications/")
    shots(leader, "bell")
    leader.get_by_role("link", name=f"{label}月度通报已签发").click()
    leader.wait_for_url("**/reports/archive/*")
    own = leader.locator("#own-zone")
    assert "石家庄高新区" in own.inner_text() and "在A类开发区中排名" in own.inner_text()
    assert leader.locator("tr.own").count() == 1
    no_horizontal_scroll(leader)
    shots(leader, "bulletin-own-zone")
    leader.get_by_role("link", name="查看本区逐月走势").click()
    leader.wait_for_url("**/review/zones/*")
    assert leader.locator("svg.trend").count() >= 5
    no_horizontal_scroll(leader)
    shots(leader, "zone-trend", max_height=4000)

    # The bureau sees who has read it.
    bureau.goto(bulletin_url)
    receipts = bureau.locator("#receipts")
    row = receipts.locator("tr", has_text="石家庄高新区")
    assert "1/" in row.locator("td").first.inner_text()
    leader_name = row.locator("td").nth(1).inner_text()
    assert leader_name.strip() not in ("", "—")
    shots(bureau, "receipts")

    # Every zone name on the desk leads to the zone page, and its breadcrumb back to the desk.
    bureau.goto("/review/")
    bureau.locator("table.desk").first.get_by_role("link", name="石家庄高新区").click()
    bureau.wait_for_url("**/review/zones/*")
    assert bureau.locator("svg.trend").count() >= 5 and "预计全年" in bureau.locator("main").inner_text()
    no_horizontal_scroll(bureau)
    shots(bureau, "zone-page", max_height=3000)
    bureau.get_by_role("navigation", name="位置").get_by_role("link", name="进度总览").click()
    bureau.wait_for_url("**/review/?*")


def test_the_bell_after_the_daily_job(open_context, live_app, shots, today):
    from app.extensions import db
    from app.models import Project, User
    from app.services.contacts import log_contact

    with live_app.app_context():
        leader = db.session.scalar(select(User).where(User.username == "sjzgx-l2"))
        project = db.session.scalar(select(Project).where(Project.zone_id == leader.zone_id, Project.stage == "negotiating")
                                    .order_by(Project.id).limit(1))
        log_contact(project=project, occurred_on=today, form="电话", summary="电话沟通协议条款",
                    leaders=[leader], recorded_by=leader, next_step="报送项目建议书", next_step_on=today)
        db.session.commit()
        name = project.name
        result = live_app.test_cli_runner().invoke(args=["notify", "daily"])   # what the scheduler runs
        assert result.exit_code == 0, result.output
        db.session.remove()

    page = open_context(PHONE)
    login(page, "sjzgx-l2")
    page.locator("a.bell").click()
    page.wait_for_url("**/notifications/")
    item = page.locator(".notice-list li", has_text=f"下一步今日到期：{name}")
    assert item.count() == 1 and "报送项目建议书" in item.inner_text()
    no_horizontal_scroll(page)
    shots(page, "bell-next-step")
    item.get_by_role("link").click()
    page.wait_for_url("**/projects/*")


def test_a_drill_down_at_a_past_date(open_context, live_app, shots, today):
    from app.domain.pipeline import STAGES, dates_as_of
    from app.extensions import db
    from app.models import Project
    from app.services.reference import load_target_set

    with live_app.app_context():
        projects = {p.id: p.stage_dates() for p in db.session.scalars(select(Project))}   # names repeat
        # The day on which most domestic projects already signed had not yet started: their
        # stage then (签约) differs from today's. On 1 January (the demo's year has one day) that
        # day is late last year.
        spans = [(p.signed_on, p.started_on) for p in db.session.scalars(select(Project).where(
            Project.is_foreign.is_(False), Project.started_on > Project.signed_on))]
        assert spans, "the demo data should have projects signed and started later"
        as_of = max({signed for signed, _ in spans},
                    key=lambda day: sum(signed <= day < started for signed, started in spans))
        if load_target_set(as_of.year, 2024):   # last year's desk needs that year's targets
            db.session.commit()
        db.session.remove()

    page = open_context(OFFICE_PC)
    login(page, "tcj")
    page.goto(f"/review/?year={as_of.year}&as_of={as_of.isoformat()}")
    figures = page.locator("table.desk a.figure[href*='/domestic']").filter(has_not_text="0")
    checked = 0
    for i in range(figures.count()):
        page.goto(f"/review/?year={as_of.year}&as_of={as_of.isoformat()}")
        page.locator("table.desk a.figure[href*='/domestic']").filter(has_not_text="0").nth(i).click()
        page.wait_for_url("**/review/zones/**")
        rows = page.locator("table.list tbody tr")
        for r in range(rows.count()):
            cells = rows.nth(r).locator("td")
            link = cells.nth(0).locator("a")
            name, project_id = link.inner_text(), int(link.get_attribute("href").split("/projects/")[1].split("?")[0])
            then = dates_as_of(projects[project_id], as_of)
            assert cells.nth(4).inner_text() == STAGES[then.stage], name
            started = cells.nth(7).inner_text()
            assert started == "—" or date.fromisoformat(started) <= as_of, (name, started)
            checked += then.stage != projects[project_id].stage
        if checked:
            break
    assert checked, "no listed project had moved on since the date"
    assert page.get_by_role("navigation", name="位置").get_by_role("link", name="进度总览").count() == 1
    shots(page, "drill-down-past-date")
    page.get_by_role("navigation", name="位置").get_by_role("link", name="进度总览").click()
    page.wait_for_url("**/review/?*")
