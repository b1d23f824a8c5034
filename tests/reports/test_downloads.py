"""Where reports are downloaded: the bureau's preview, issue and archive; zone roles' own
zone report and leader lists; and nobody else's."""
import hashlib
import re
from datetime import date

from sqlalchemy import select

from app.models import AuditEvent, ReportArchive

YEAR = 2024


def _is_pdf(response):
    return response.status_code == 200 and response.mimetype == "application/pdf" and response.data[:5] == b"%PDF-"


def _project(world, make_project, name="新能源整车基地项目", signed=date(YEAR, 6, 12), zone=None):
    return make_project(zone or world.zone_a, name=name, investor=f"{name}投资方", total_wan="1200000",
                        planned_on=date(YEAR, 2, 1), stages=[("signed", signed)], today=date(YEAR, 12, 31))


def _issue(client, year, month, note=""):
    """The bureau's two steps: the confirm page (its fingerprint), then the confirmed POST."""
    page = client.get(f"/reports/monthly/issue?year={year}&month={month}").get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]{64})"', page)[1]
    return client.post("/reports/monthly/issue", data={"year": year, "month": month, "fingerprint": fingerprint,
                                                       "correction_note": note, "confirmed": "1"})


def test_an_issued_bulletin_downloads_identically_after_the_data_changes(client, world, login, make_project, db, today):
    _project(world, make_project)
    login(world.bureau)
    response = _issue(client, YEAR, 6)
    assert response.status_code == 302
    archive = db.session.scalar(select(ReportArchive))
    assert (archive.year, archive.month, archive.as_of) == (YEAR, 6, date(YEAR, 6, 30))
    assert archive.issuer_id == world.bureau.id and "投促局审核员" in archive.issuer_name
    assert archive.issued_on == today and len(archive.fingerprint) == 64
    assert archive.file_sha256 == hashlib.sha256(archive.pdf).hexdigest()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report_issued"))
    assert event.entity_id == archive.id and event.username == "bureau"
    assert event.after["fingerprint"] == archive.fingerprint

    first = client.get(f"/reports/archive/{archive.id}.pdf")
    assert _is_pdf(first) and first.data == archive.pdf
    assert first.headers["Content-Disposition"].startswith("inline")
    assert client.get(f"/reports/archive/{archive.id}.pdf?download=1").headers["Content-Disposition"].startswith(
        "attachment")
    page = client.get("/reports/archive").get_data(as_text=True)
    assert f"/reports/archive/{archive.id}.pdf" in page and archive.fingerprint[:16] in page
    assert "2024年第6期" in page

    # New data for June: the preview changes, the archived file does not.
    before = client.get(f"/reports/monthly?year={YEAR}&month=6")
    _project(world, make_project, name="六月补录项目", signed=date(YEAR, 6, 20))
    after = client.get(f"/reports/monthly?year={YEAR}&month=6")
    assert _is_pdf(before) and _is_pdf(after) and before.data != after.data
    again = client.get(f"/reports/archive/{archive.id}.pdf")
    assert again.data == first.data


def test_a_month_not_yet_ended_cannot_be_issued(client, world, login, db, today):
    login(world.bureau)
    response = client.get(f"/reports/monthly/issue?year={today.year}&month={today.month}", follow_redirects=True)
    assert "尚未结束，不能签发该月通报" in response.get_data(as_text=True)
    response = client.post("/reports/monthly/issue", data={"year": today.year, "month": today.month,
                                                           "fingerprint": "0" * 64}, follow_redirects=True)
    assert "尚未结束，不能签发该月通报" in response.get_data(as_text=True)
    assert db.session.scalar(select(ReportArchive)) is None
    assert client.get(f"/reports/monthly?year={YEAR}&month=13").status_code == 400


def test_the_desk_and_zone_screens_offer_the_downloads(client, world, login):
    login(world.bureau)
    desk = client.get(f"/review/?year={YEAR}&as_of={YEAR}-06-30").get_data(as_text=True)
    assert f"/reports/monthly?year={YEAR}&amp;month=6" in desk and "/reports/archive" in desk
    login(world.staff)
    home = client.get("/").get_data(as_text=True)
    assert f"/reports/zone/{world.zone_a.id}.pdf" in home
    assert f"/reports/leader/{world.leader.id}.pdf" in home and f"/reports/leader/{world.leader2.id}.pdf" in home
    login(world.leader)
    home = client.get("/").get_data(as_text=True)
    assert f"/reports/leader/{world.leader.id}.pdf" in home and "下载我的对接清单" in home


def test_zone_roles_get_only_their_own_zone(client, world, login):
    for user in (world.leader, world.staff):
        login(user)
        assert _is_pdf(client.get(f"/reports/zone/{world.zone_a.id}.pdf?year={YEAR}"))
        assert client.get(f"/reports/zone/{world.zone_c.id}.pdf?year={YEAR}").status_code == 404
        assert _is_pdf(client.get(f"/reports/leader/{world.leader2.id}.pdf"))
        assert client.get(f"/reports/leader/{world.other_leader.id}.pdf").status_code == 404
        assert client.get(f"/reports/leader/{world.staff.id}.pdf").status_code == 404   # not a leader
        assert client.get("/reports/zone/99999.pdf").status_code == 404
        assert client.get(f"/reports/monthly?year={YEAR}&month=6").status_code == 403
        assert client.get("/reports/archive").status_code == 200   # issued bulletins go to every zone
        assert client.get(f"/reports/monthly/issue?year={YEAR}&month=6").status_code == 403
        assert client.post("/reports/monthly/issue", data={"year": YEAR, "month": 6}).status_code == 403
    for user in (world.admin, world.auditor):
        login(user)
        assert client.get(f"/reports/zone/{world.zone_a.id}.pdf").status_code == 403
    login(world.bureau)
    assert _is_pdf(client.get(f"/reports/zone/{world.zone_c.id}.pdf?year={YEAR}"))


def test_the_zone_report_lists_metrics_leaders_and_projects_with_next_steps(client, world, login, make_project,
                                                                             log_contact, pdf):
    project = _project(world, make_project)
    log_contact(project, [world.leader], date(YEAR, 5, 5), next_step="起草投资协议",
                next_step_on=date(YEAR, 7, 10), today=date(YEAR, 12, 31))
    _project(world, make_project, name="赵县项目", zone=world.zone_c)
    login(world.staff)
    response = client.get(f"/reports/zone/{world.zone_a.id}.pdf?year={YEAR}&as_of={YEAR}-06-30")
    assert _is_pdf(response)
    flat = "".join(re.sub(r"— \d+ —", "", pdf.text(response.data, layout=False)).split())
    assert "石家庄高新区招商引资工作进展情况" in flat and "截至2024年6月30日" in flat
    assert "引进内资项目" in flat and "≥10亿元" in flat and "张伟" in flat and "李娜" in flat
    assert "新能源整车基地项目" in flat and "签约" in flat and "起草投资协议" in flat and "120.00亿元" in flat
    assert "赵县项目" not in flat
    assert all(f["emb"] == "yes" for f in pdf.fonts(response.data))


def test_a_leaders_list_covers_the_chosen_period(client, world, login, make_project, log_contact, pdf):
    project = _project(world, make_project)
    log_contact(project, [world.leader, world.leader2], date(YEAR, 3, 3), summary="陪同企业考察标准厂房",
                today=date(YEAR, 12, 31))
    log_contact(project, [world.leader], date(YEAR, 8, 8), summary="督导施工进度", today=date(YEAR, 12, 31))
    login(world.leader)
    response = client.get(f"/reports/leader/{world.leader.id}.pdf?from={YEAR}-01-01&to={YEAR}-06-30")
    assert _is_pdf(response)
    flat = "".join(pdf.text(response.data, layout=False).split())
    assert "张伟同志对接项目清单" in flat and "2024年1月1日至2024年6月30日" in flat
    assert "陪同企业考察标准厂房" in flat and "李娜" in flat and "督导施工进度" not in flat
    assert "期间共对接1次，涉及1个项目" in flat and "已对接1个项目" in flat


def test_the_cli_writes_a_zone_report_and_refuses_unknown_zones(app, world, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "zone.pdf"
    result = runner.invoke(args=["report", "zone", "--zone", "gxq", "--year", str(YEAR), "--as-of",
                                 f"{YEAR}-06-30", "--out", str(out)])
    assert result.exit_code == 0 and "已生成石家庄高新区进度报告" in result.output
    assert out.read_bytes()[:5] == b"%PDF-"
    bad = runner.invoke(args=["report", "zone", "--zone", "nope", "--year", str(YEAR), "--out", str(out)])
    assert bad.exit_code == 2 and "开发区代码“nope”不存在" in bad.output
    month = runner.invoke(args=["report", "monthly", "--year", str(YEAR), "--month", "13", "--out", str(out)])
    assert month.exit_code == 2 and "月份应为 1 至 12" in month.output


def test_every_download_is_audited_with_its_file_and_who(client, world, login, make_project, db):
    """Issue 17 item 13: zone PDF, leader PDF, bulletin preview and archived bulletin."""
    _project(world, make_project)
    from app.services.bulletins import issue_bulletin
    archive = issue_bulletin(YEAR, 6, date(YEAR, 7, 5), world.bureau)
    db.session.commit()
    login(world.bureau)

    def last_export():
        db.session.expire_all()
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")
                                  .order_by(AuditEvent.id.desc())).first()

    assert _is_pdf(client.get(f"/reports/monthly?year={YEAR}&month=6"))
    event = last_export()
    assert event.username == "bureau" and "预览" in event.after["file"] and "month=6" in event.after["path"]
    assert _is_pdf(client.get(f"/reports/archive/{archive.id}.pdf"))
    event = last_export()
    assert (event.entity, event.entity_id) == ("report", archive.id) and "签发" in event.after["file"]
    login(world.staff)
    assert _is_pdf(client.get(f"/reports/zone/{world.zone_a.id}.pdf?year={YEAR}"))
    event = last_export()
    assert (event.entity, event.entity_id, event.zone_id, event.username) == (
        "zone", world.zone_a.id, world.zone_a.id, "staff1")
    assert _is_pdf(client.get(f"/reports/leader/{world.leader.id}.pdf"))
    event = last_export()
    assert (event.entity, event.entity_id) == ("user", world.leader.id) and "对接项目清单" in event.after["file"]
    # A refused download leaves no record of a download.
    count = db.session.query(AuditEvent).filter_by(action="export").count()
    assert client.get(f"/reports/zone/{world.zone_c.id}.pdf").status_code == 404
    assert db.session.query(AuditEvent).filter_by(action="export").count() == count
