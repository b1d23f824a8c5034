"""Issuing is deliberate and numbered (confirm, one 期号 a month, 更正 supersedes and keeps the
original); an issued bulletin goes to every zone with its own rank and movement, and the bureau
sees who opened it."""
import hashlib
import json
import re
from datetime import date

from sqlalchemy import select

from app.models import LEADER, BulletinRead, Notification, ReportArchive, User, Zone

YEAR = 2024


def _project(world, make_project, zone, name, signed):
    return make_project(zone, name=name, investor=f"{name}投资方", total_wan="1200000",
                        planned_on=date(YEAR, 1, 10), stages=[("signed", signed)], today=date(YEAR, 12, 31))


def _confirm(client, month, note=""):
    response = client.get(f"/reports/monthly/issue?year={YEAR}&month={month}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return page, re.search(r'name="fingerprint" value="([0-9a-f]{64})"', page)[1]


def _issue(client, month, note="", fingerprint=None):
    if fingerprint is None:
        _, fingerprint = _confirm(client, month)
    return client.post("/reports/monthly/issue", data={"year": YEAR, "month": month, "fingerprint": fingerprint,
                                                       "correction_note": note, "confirmed": "1"},
                       follow_redirects=True)


def test_the_preview_opens_in_the_browser(client, world, login):
    login(world.bureau)
    response = client.get(f"/reports/monthly?year={YEAR}&month=6")
    assert response.status_code == 200 and response.data[:5] == b"%PDF-"
    assert response.headers["Content-Disposition"].startswith("inline")


def test_issuing_asks_to_confirm_and_a_month_has_one_number(client, world, login, make_project, db, pdf):
    _project(world, make_project, world.zone_a, "整车项目", date(YEAR, 6, 12))
    login(world.bureau)
    # A POST without the confirm page's fingerprint only leads to the confirm page.
    response = client.post("/reports/monthly/issue", data={"year": YEAR, "month": 6})
    assert response.status_code == 302 and "/reports/monthly/issue?year=2024&month=6" in response.headers["Location"]
    assert db.session.scalar(select(ReportArchive)) is None

    page, fingerprint = _confirm(client, 6)
    assert "签发 2024年第6期月度通报" in page and "将要下发的内容" in page and "确认签发" in page
    assert "石家庄高新区" in page and "赵县经开区" in page and "更正说明" not in page
    assert f"/reports/monthly?year={YEAR}&amp;month=6" in page      # the preview, from the confirm page
    page = _issue(client, 6, fingerprint=fingerprint).get_data(as_text=True)
    assert "2024年第6期通报已签发存档并下发各开发区" in page
    first = db.session.scalar(select(ReportArchive))
    assert (first.revision, first.corrects_id, first.fingerprint) == (0, None, fingerprint)
    text = json.dumps(first.published, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == first.fingerprint   # the ranking as published

    # Issuing June again is refused; with the same figures a correction is refused too.
    page = client.get(f"/reports/monthly/issue?year={YEAR}&month=6").get_data(as_text=True)
    assert "无需更正" in page and 'name="fingerprint"' not in page
    page = _issue(client, 6, fingerprint=fingerprint).get_data(as_text=True)
    assert "每月只有一个期号" in page
    page = _issue(client, 6, note="补录项目", fingerprint=fingerprint).get_data(as_text=True)
    assert "无需更正" in page
    assert len(db.session.scalars(select(ReportArchive)).all()) == 1

    # New June figures: the correction is the same number, revision 1, and supersedes the first.
    _project(world, make_project, world.zone_a, "补录项目", date(YEAR, 6, 20))
    page, _ = _confirm(client, 6)
    assert "更正签发 2024年第6期（更正）月度通报" in page and "更正说明" in page
    page = _issue(client, 6, note="补录6月20日签约的项目").get_data(as_text=True)
    assert "2024年第6期（更正）通报已签发" in page and "本期为更正通报" in page
    rows = db.session.scalars(select(ReportArchive).order_by(ReportArchive.revision)).all()
    assert [(r.month, r.revision) for r in rows] == [(6, 0), (6, 1)] and rows[1].corrects_id == rows[0].id
    assert rows[0].pdf == first.pdf                                      # the original is kept as issued
    flat = "".join(pdf.text(rows[1].pdf, layout=False).split())
    assert "2024年第6期（更正）" in flat and "补录6月20日签约的项目" in flat and "原通报作废" in flat

    archive = client.get("/reports/archive").get_data(as_text=True)
    assert archive.count('class="superseded"') == 1 and "2024年第6期（更正）" in archive
    original = client.get(f"/reports/archive/{rows[0].id}").get_data(as_text=True)
    assert "本期已被" in original and "更正，以更正通报为准" in original


def test_data_that_changed_after_the_confirm_is_not_issued(client, world, login, make_project, db):
    login(world.bureau)
    _, fingerprint = _confirm(client, 6)
    _project(world, make_project, world.zone_a, "整车项目", date(YEAR, 6, 12))
    page = _issue(client, 6, fingerprint=fingerprint).get_data(as_text=True)
    assert "确认之后数据已有变化" in page and db.session.scalar(select(ReportArchive)) is None


def test_zones_read_their_rank_and_movement_and_the_bureau_sees_who_read(client, world, login, make_project, db,
                                                                          password_hash):
    other = Zone(code="sjzjk", name="石家庄经开区", tier="A", county="栾城区", kind="经开区", level="国家级")
    db.session.add_all([other, User(username="jk1", name="周敏", role=LEADER, zone=other, password_hash=password_hash)])
    db.session.commit()
    _project(world, make_project, other, "经开区项目", date(YEAR, 5, 8))           # May: 经开区 ahead
    _project(world, make_project, world.zone_a, "高新区项目一", date(YEAR, 6, 3))   # June: 高新区 ahead
    _project(world, make_project, world.zone_a, "高新区项目二", date(YEAR, 6, 9))
    login(world.bureau)
    _issue(client, 5)
    _issue(client, 6)
    june = db.session.scalar(select(ReportArchive).where(ReportArchive.month == 6))

    login(world.leader)
    assert "/notifications" in client.get("/").get_data(as_text=True)
    notes = db.session.scalars(select(Notification).where(Notification.user_id == world.leader.id)).all()
    assert {n.title for n in notes} >= {"2024年第5期月度通报已签发", "2024年第6期月度通报已签发"}
    archive = client.get("/reports/archive").get_data(as_text=True)
    assert f"/reports/archive/{june.id}" in archive and "签发人" not in archive
    page = client.get(f"/reports/archive/{june.id}").get_data(as_text=True)
    own = page[page.index('id="own-zone"'):]
    assert "在A类开发区中排名 <strong>第1名</strong>（共 2 个）" in own and "进1位" in own and "上期第2名" in own
    assert 'class="own"' in page and "石家庄高新区（本区）" in page
    assert "赵县经开区" not in page                                   # another tier's table is not theirs
    assert "阅读情况" not in page
    assert client.get(f"/reports/archive/{june.id}.pdf").data == june.pdf
    read = db.session.get(BulletinRead, (june.id, world.leader.id))
    assert read.reads == 2 and read.first_read_at <= read.last_read_at

    login(world.other_leader)
    page = client.get(f"/reports/archive/{june.id}").get_data(as_text=True)
    assert "在C类开发区中排名 <strong>第1名</strong>（共 1 个）" in page and "持平" in page

    login(world.bureau)
    page = client.get(f"/reports/archive/{june.id}").get_data(as_text=True)
    receipts = page[page.index('id="receipts"'):]
    assert "张伟" in receipts and "赵强" in receipts and "李娜" in receipts
    assert re.search(r"石家庄高新区（1/3）", receipts) and "石家庄经开区（0/1）" in receipts
    archive = client.get("/reports/archive").get_data(as_text=True)
    assert re.search(r'data-label="已阅人数">2<', archive)
