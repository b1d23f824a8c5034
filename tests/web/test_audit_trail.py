"""The audit trail: the auditor searches and exports it; nothing changes or deletes it except
the purge of records older than 180 days (MLPS 2.0 level 3 security audit)."""
import csv
import io
from datetime import datetime, time, timedelta

import openpyxl
import pytest
from sqlalchemy import select, text, update

from app import audit, clock
from app.clock import utcnow
from app.models import AuditEvent, AuditTrailImmutable


def event(db, action, when, username="leader1", entity="project", after=None):
    e = audit.record(action, entity, 1, after=after, user=None)
    e.username, e.occurred_at = username, when
    db.session.commit()
    return e


@pytest.fixture
def trail(world, db):
    return [
        event(db, "create", datetime(2024, 3, 1, 8, 0)),
        event(db, "update", datetime(2024, 3, 2, 23, 59), username="staff1"),
        event(db, "login_failed", datetime(2024, 3, 3, 0, 0), entity="user", username=""),
        event(db, "delete", datetime(2024, 4, 1, 12, 0), after={"name": "=HYPERLINK(\"http://evil\")"}),
    ]


def listed(client, **args):
    page = client.get("/admin/audit", query_string=args)
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_the_auditor_searches_by_date_range_user_action_and_entity(client, login, world, trail):
    # Times are stored in UTC and shown, and searched by day, in Beijing time (UTC+8).
    login(world.auditor)
    page = listed(client, **{"from": "2024-03-02", "to": "2024-03-03"})
    assert "2024-03-03 07:59:59" not in page  # seconds are the stored ones
    assert "2024-03-03 07:59:00" in page and "2024-03-03 08:00:00" in page and "北京时间" in page
    assert "2024-03-01 16:00:00" not in page and "2024-04-01 20:00:00" not in page
    page = listed(client, user="staff1")
    assert "2024-03-03 07:59:00" in page and "2024-03-01 16:00:00" not in page
    page = listed(client, action="delete")
    assert "2024-04-01 20:00:00" in page and "2024-03-01 16:00:00" not in page
    page = listed(client, entity="user", **{"from": "2024-01-01", "to": "2024-12-31"})
    assert "2024-03-03 08:00:00" in page and "2024-03-01 16:00:00" not in page
    assert "共 1 条" in page


def test_a_beijing_day_runs_from_16_00_utc_the_day_before(client, login, world, trail):
    login(world.auditor)
    page = listed(client, **{"from": "2024-03-01", "to": "2024-03-01"})
    assert "2024-03-01 16:00:00" in page and "2024-03-03 07:59:00" not in page


def test_the_auditor_reads_names_and_chinese_fields_and_searches_by_name_and_object(client, login, world, db,
                                                                                    make_project):
    """Issue 17: a Chinese auditor's viewer: objects named, before/after in Chinese, search by
    a person's name and by object."""
    from app.services.users import update_user
    from app.models import User
    project = make_project(world.zone_a, name="新能源整车基地项目")
    audit.record("update", "project", project.id, user=world.staff, zone_id=world.zone_a.id,
                 before={"name": "旧名"}, after={"name": "新能源整车基地项目"})
    leader = db.session.get(User, world.leader.id)
    update_user(leader, name=leader.name, role="staff", zone=leader.zone, active=False, by=world.admin)
    db.session.commit()
    login(world.auditor)
    page = listed(client, entity="user", action="update")
    assert f"“{leader.name}” #{leader.id}" in page
    assert "角色：</span>开发区领导 → 招商专员" in page and "启用：</span>是 → 否" in page
    assert '"role"' not in page and "&#34;role&#34;" not in page
    assert "命令行" in page  # made outside a request: no person acted
    page = listed(client, object="整车基地")
    assert f"“新能源整车基地项目” #{project.id}" in page and "名称：</span>旧名" in page
    assert "角色：" not in page  # the user's records are another object
    # A person is found by name as well as by username.
    by_name = listed(client, user=world.staff.name, action="update", entity="project")
    assert "新能源整车基地项目" in by_name and "共 1 条" in by_name and "王芳（staff1）" in by_name
    by_username = listed(client, user="staff1", action="update")
    assert "新能源整车基地项目" in by_username and "共 1 条" in by_username
    # An object by its number, and by a user's name; an action alone.
    by_number = listed(client, object=str(project.id), entity="project", action="update")
    assert f"“新能源整车基地项目” #{project.id}" in by_number and "共 1 条" in by_number
    by_user_name = listed(client, object=leader.name, entity="user")
    assert f"“{leader.name}” #{leader.id}" in by_user_name and "共 2 条" in by_user_name and "角色变更" in by_user_name
    audit.record("update", "zone", world.zone_c.id, user=world.admin, before={"name": "赵县开发区"},
                 after={"name": "赵县经开区"})
    db.session.commit()
    by_zone = listed(client, object="赵县")
    assert f"开发区“赵县经开区” #{world.zone_c.id}" in by_zone and "名称：</span>赵县开发区 → 赵县经开区" in by_zone
    assert "管理员（admin）" in by_zone and "共 1 条" in by_zone
    assert "没有符合条件的审计记录" in listed(client, user="无此人")


def test_bad_search_input_is_ignored_not_an_error(client, login, world, trail):
    login(world.auditor)
    page = listed(client, **{"from": "2024-13-40", "to": "x", "action": "'; DROP TABLE audit_events; --"})
    assert "没有符合条件的审计记录" in page


def test_csv_export_follows_the_filters_and_is_itself_audited(client, login, world, trail, db):
    login(world.auditor)
    response = client.get("/admin/audit/export", query_string={"format": "csv", "from": "2024-03-01", "to": "2024-04-30",
                                                               "action": "delete"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == ["编号", "时间（北京时间，Asia/Shanghai）", "操作人", "地址", "操作", "对象", "开发区", "变更内容"]
    assert len(rows) == 2 and rows[1][4] == "删除" and rows[1][1] == "2024-04-01 20:00:00"
    assert rows[1][7] == "名称：'=HYPERLINK(\"http://evil\")" or not rows[1][7].startswith("=")
    exported = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "audit_export")).one()
    assert exported.username == "auditor" and exported.after["rows"] == 1
    assert exported.after["filters"] == {"date_from": "2024-03-01", "date_to": "2024-04-30", "action": "delete"}


def _export(client, fmt, **args):
    response = client.get("/admin/audit/export", query_string={"format": fmt, **args})
    assert response.status_code == 200
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    return [["" if v is None else str(v) for v in row] for row in rows[2:] if any(row)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_reads_as_the_viewer_does(client, login, world, db, make_project, fmt):
    """Issue 17: the export a Chinese auditor reads: time in the configured zone (named in the
    heading), who acted by name and username, the object named, changes as 字段：原值 → 新值, in
    the same words as the viewer."""
    from app.services.users import update_user
    from app.models import User
    project = make_project(world.zone_a, name="新能源整车基地项目")
    change = audit.record("update", "project", project.id, user=world.staff, zone_id=world.zone_a.id,
                          before={"name": "旧名", "total_investment": "2000000000.00", "key_level": None},
                          after={"name": "新能源整车基地项目", "total_investment": "2100000000.00",
                                 "key_level": "municipal"})
    change.occurred_at = datetime(2024, 6, 30, 17, 30, 5)   # UTC: 1 July, 01:30:05 in Beijing
    leader = db.session.get(User, world.leader.id)
    update_user(leader, name=leader.name, role="staff", zone=leader.zone, active=True, by=world.admin)
    db.session.commit()
    login(world.auditor)
    rows = _export(client, fmt, action="update")
    assert rows[0] == ["编号", "时间（北京时间，Asia/Shanghai）", "操作人", "地址", "操作", "对象", "开发区", "变更内容"]
    by_object = {row[5]: row for row in rows[1:]}
    assert set(by_object) == {f"项目“新能源整车基地项目” #{project.id}", f"用户“张伟” #{leader.id}"}
    edit = by_object[f"项目“新能源整车基地项目” #{project.id}"]
    assert edit[1] == "2024-07-01 01:30:05" and edit[2] == "王芳（staff1）" and edit[4] == "修改"
    assert edit[6] == "石家庄高新区"
    # A project's fields read in their declared labels (domain.project_fields), its money in 万元
    # as a ledger writes it (stored in 元), its coded choices in words.
    assert edit[7] == "项目名称：旧名 → 新能源整车基地项目；总投资：200,000.00万元 → 210,000.00万元；重点项目级别：（空） → 市重点"
    role = by_object[f"用户“张伟” #{leader.id}"]
    assert role[2] == "命令行" and "角色：开发区领导 → 招商专员" in role[7]
    assert "{" not in role[7] and "role" not in role[7]
    # The viewer shows the very same words.
    page = listed(client, action="update")
    assert "2024-07-01 01:30:05" in page and "王芳（staff1）" in page
    assert "总投资：</span>200,000.00万元 → 210,000.00万元" in page and "市重点" in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_long_export_names_each_batch_while_it_streams(client, login, world, db, make_project, monkeypatch, fmt):
    from app.queries import audit_trail
    monkeypatch.setattr(audit_trail, "BATCH", 2)
    projects = [make_project(world.zone_a, name=f"项目{n}") for n in range(5)]
    login(world.auditor)
    rows = _export(client, fmt, action="create", entity="project")
    assert [r[5] for r in rows[1:]] == [f"项目“项目{n}” #{p.id}" for n, p in enumerate(projects)]
    assert {r[6] for r in rows[1:]} == {"石家庄高新区"}


def test_the_export_names_the_configured_time_zone(client, login, world, trail, app, monkeypatch):
    monkeypatch.setitem(app.config, "TIME_ZONE", "UTC")
    login(world.auditor)
    rows = _export(client, "csv", action="delete")
    assert rows[0][1] == "时间（协调世界时，UTC）" and rows[1][1] == "2024-04-01 12:00:00"
    monkeypatch.setitem(app.config, "TIME_ZONE", "Asia/Urumqi")
    rows = _export(client, "xlsx", action="delete")
    assert rows[0][1] == "时间（Asia/Urumqi）" and rows[1][1] == "2024-04-01 18:00:00"
    assert "时间（Asia/Urumqi）" in listed(client, action="delete")


def test_a_cell_that_starts_like_a_formula_is_neutralised(client, login, world, db):
    event(db, "create", datetime(2024, 5, 1), username="=cmd|' /C calc'!A0")
    login(world.auditor)
    body = client.get("/admin/audit/export", query_string={"action": "create"}).get_data(as_text=True)
    assert "'=cmd" in body


def test_excel_export(client, login, world, trail):
    login(world.auditor)
    response = client.get("/admin/audit/export", query_string={"format": "xlsx", "user": "leader1"})
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "审计日志导出" and rows[2][:3] == ("编号", "时间（北京时间，Asia/Shanghai）", "操作人")
    assert len(rows) == 5 and {r[4] for r in rows[3:]} == {"新增", "删除"}
    assert [r[1] for r in rows[3:]] == ["2024-03-01 16:00:00", "2024-04-01 20:00:00"]
    assert sheet.freeze_panes == "A4" and sheet.print_title_rows == "$3:$3"


def test_separation_of_duties_admin_cannot_read_the_trail_and_auditor_reads_only_the_trail(client, login, world):
    login(world.admin)
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit/export").status_code == 403
    login(world.auditor)
    for path in ("/admin/", "/projects/", "/contacts/", "/review/", "/projects/new", "/contacts/new"):
        assert client.get(path).status_code == 403, path


def test_the_application_refuses_to_change_or_delete_a_record(world, db, trail):
    record = trail[0]
    record.action = "forged"
    with pytest.raises(AuditTrailImmutable):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, record.id))
    with pytest.raises(AuditTrailImmutable):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AuditTrailImmutable):
        db.session.execute(update(AuditEvent).values(action="forged"))
    db.session.rollback()
    assert db.session.get(AuditEvent, record.id).action == "create"


def test_the_database_refuses_update_and_delete(world, db, trail):
    """Triggers refuse even hand-written SQL, on PostgreSQL and on SQLite (issue 17, #3)."""
    postgresql = db.engine.dialect.name == "postgresql"
    for statement in ("UPDATE audit_events SET action = 'forged'", "DELETE FROM audit_events",
                      "TRUNCATE audit_events"):
        if statement.startswith("TRUNCATE") and not postgresql:
            continue
        with db.engine.connect() as conn:
            with pytest.raises(Exception, match="append-only"):
                conn.execute(text(statement))
            conn.rollback()
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.id == trail[0].id)) == "create"


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_purge_refuses_records_younger_than_180_days(app, world, db, today):
    event(db, "create", utcnow() - timedelta(days=100))
    before = db.session.query(AuditEvent).count()
    too_young = (today - timedelta(days=179)).isoformat()
    result = run(app, "audit", "purge", "--before", too_young)
    assert result.exit_code == 2 and "至少保留 180 天" in result.output
    assert db.session.query(AuditEvent).count() == before


def test_purge_deletes_old_records_only_and_is_audited(app, db, today):
    old = event(db, "create", utcnow() - timedelta(days=400)).id
    kept = event(db, "create", utcnow() - timedelta(days=170)).id
    cutoff = today - timedelta(days=180)
    result = run(app, "audit", "purge", "--before", cutoff.isoformat())
    assert result.exit_code == 0, result.output
    assert "已清理" in result.output and "1 条" in result.output
    db.session.expire_all()
    remaining = {e.id: e.action for e in db.session.scalars(select(AuditEvent))}
    assert old not in remaining and kept in remaining
    purge = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "audit_purge")).one()
    assert purge.username == "命令行" and purge.after["before"] == cutoff.isoformat()
    assert purge.after["deleted"] == 1 and purge.after["chain_from"]["seq"] == db.session.get(AuditEvent, kept).chain_seq
    if db.engine.dialect.name == "postgresql":  # the purge's permission ended with its transaction
        with db.engine.connect() as conn, pytest.raises(Exception, match="append-only"):
            conn.execute(text("DELETE FROM audit_events"))


def test_purge_cuts_at_midnight_beijing_time_on_the_latest_day_it_allows(app, db, today, monkeypatch):
    """The cutoff is a Beijing date, as today is: its 00:00 Beijing time is 16:00 UTC the day
    before. The latest cutoff allowed is today less 180 days, in the database's check too."""
    monkeypatch.setitem(app.config, "TIME_ZONE", "Asia/Shanghai")
    cutoff = today - timedelta(days=180)
    assert clock.start_of(cutoff) == datetime.combine(cutoff - timedelta(days=1), time(16, 0))
    before_it = event(db, "create", clock.start_of(cutoff) - timedelta(minutes=1)).id
    after_it = event(db, "create", clock.start_of(cutoff) + timedelta(minutes=1)).id

    refused = run(app, "audit", "purge", "--before", (cutoff + timedelta(days=1)).isoformat())
    assert refused.exit_code == 2 and f"只能清理 {cutoff.isoformat()} 之前的记录" in refused.output
    result = run(app, "audit", "purge", "--before", cutoff.isoformat())
    assert result.exit_code == 0 and "1 条" in result.output, result.output
    db.session.expire_all()
    assert before_it not in set(db.session.scalars(select(AuditEvent.id))) and db.session.get(AuditEvent, after_it)


def test_purge_rejects_a_malformed_date(app, world):
    result = run(app, "audit", "purge", "--before", "2024-02-30")
    assert result.exit_code != 0 and "不是 YYYY-MM-DD 格式的日期" in result.output


def test_opening_the_audit_viewer_is_itself_audited(client, login, world, db):
    """Issue 17 item 13: reading the trail is a download of data too."""
    login(world.auditor)
    listed(client, action="delete", page=1)
    db.session.expire_all()
    seen = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "audit_view")).all()
    assert len(seen) == 1 and seen[0].username == "auditor" and seen[0].entity == "audit_event"
    assert seen[0].after["filters"]["action"] == "delete" and seen[0].after["page"] == 1
    assert "查看审计日志" in listed(client, action="audit_view")
