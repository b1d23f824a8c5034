"""The audit trail in the database itself (issue 17, High #2, #3, #4): on PostgreSQL only the
purge function deletes, and only records older than 180 days, whoever connects; SQLite has
triggers too; every record is chained by hash and `flask audit verify` finds the first
edited, deleted or missing record; a restore keeps the chain and names what it lost."""
import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from app import audit
from app.clock import utcnow
from app.models import AuditEvent

TEST_ROLE = "zonecrm_test_app"


def event(db, action, when=None, after=None):
    e = audit.record(action, "project", 1, after=after, user=None)
    if when is not None:
        e.occurred_at = when
    db.session.commit()
    return e


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def postgresql(db):
    return db.engine.dialect.name == "postgresql"


def tamper(db, statement, **params):
    """What someone with the database's owner rights (or the file) can do: bypass the triggers."""
    with db.engine.begin() as conn:
        if postgresql(db):
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text(statement), params)
        else:
            triggers = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                         "AND tbl_name = 'audit_events'")).all()
            for name, _sql in triggers:
                conn.execute(text(f"DROP TRIGGER {name}"))
            conn.execute(text(statement), params)
            for _name, sql in triggers:
                conn.execute(text(sql))
    db.session.expire_all()


@pytest.fixture
def trail(world, db):
    return [event(db, "create", after={"name": f"项目{i}", "amount": "1.50"}) for i in range(5)]


# --- PostgreSQL: the purge function is the only deleter ------------------------------------

@pytest.fixture
def app_role(db):
    """A login role that is not the owner of anything: the application's role in production."""
    with db.engine.begin() as conn:
        conn.execute(text(f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{TEST_ROLE}') "
                          f"THEN CREATE ROLE {TEST_ROLE} LOGIN; END IF; END $$"))
        conn.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public "
                          f"TO {TEST_ROLE}"))
        conn.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {TEST_ROLE}"))
    engine = create_engine(make_url(db.engine.url).set(username=TEST_ROLE, password=None))
    yield engine
    engine.dispose()


@pytest.mark.only_on("postgresql")
@pytest.mark.parametrize("who", ["owner", "non-owner"])
def test_the_purge_setting_no_longer_opens_the_trail(db, trail, app_role, who):
    engine = db.engine if who == "owner" else app_role
    with engine.connect() as conn:
        conn.execute(text("SET LOCAL zonecrm.audit_purge = 'on'"))
        with pytest.raises(Exception, match="append-only"):
            conn.execute(text("DELETE FROM audit_events"))
        conn.rollback()
    with engine.connect() as conn, pytest.raises(Exception, match="append-only"):
        conn.execute(text("UPDATE audit_events SET action = 'forged'"))
    assert db.session.query(AuditEvent).count() == trail[-1].chain_seq


@pytest.mark.only_on("postgresql")
def test_the_purge_function_enforces_180_days_in_the_database(db, app_role):
    old = [event(db, "create", utcnow() - timedelta(days=days)).id for days in (500, 400)]
    young = event(db, "create").id
    with app_role.connect() as conn:
        with pytest.raises(Exception, match="至少保留 180 天"):
            conn.execute(text("SELECT zonecrm_audit_purge(CURRENT_DATE, 'Asia/Shanghai')"))
        conn.rollback()
        with pytest.raises(Exception, match="permission denied|must be member"):
            conn.execute(text("SET ROLE zonecrm_audit_purger"))
        conn.rollback()
        with pytest.raises(Exception, match="append-only"):  # old enough, but not through the function
            conn.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": old[0]})
        conn.rollback()
        assert conn.execute(text("SELECT zonecrm_audit_purge(CURRENT_DATE - 200, 'Asia/Shanghai')")).scalar() == 2
        conn.commit()
    db.session.expire_all()
    assert db.session.scalars(select(AuditEvent.id)).all() == [young]


@pytest.mark.only_on("postgresql")
def test_the_purge_function_counts_its_days_in_the_zone_it_is_given(db, app_role):
    """Not the server's date: at any hour, the date east of the date line (UTC+14) is a day or
    two past the date west of it (UTC-12), and the function counts from the zone's own today."""
    with db.engine.connect() as conn:
        east, west = conn.execute(text("SELECT (now() AT TIME ZONE 'Etc/GMT-14')::date, "
                                       "(now() AT TIME ZONE 'Etc/GMT+12')::date")).one()
    assert east > west
    latest_in_the_east = east - timedelta(days=180)
    with app_role.connect() as conn:
        with pytest.raises(Exception, match=f"至少保留 180 天：只能清理 {west - timedelta(days=180)} 之前"):
            conn.execute(text("SELECT zonecrm_audit_purge(:cutoff, 'Etc/GMT+12')"), {"cutoff": latest_in_the_east})
        conn.rollback()
        assert conn.execute(text("SELECT zonecrm_audit_purge(:cutoff, 'Etc/GMT-14')"),
                            {"cutoff": latest_in_the_east}).scalar() == 0


# --- SQLite: triggers, from a plain sqlite3 connection (the sqlite3 shell) ----------------

@pytest.mark.only_on("sqlite")
def test_sqlite_refuses_update_and_young_delete_from_outside_the_app(db, trail):
    connection = sqlite3.connect(db.engine.url.database)
    try:
        for statement in ("UPDATE audit_events SET action = 'forged'", "DELETE FROM audit_events",
                          "UPDATE audit_events SET chain_hash = NULL"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                connection.execute(statement)
            connection.rollback()
    finally:
        connection.close()
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.id == trail[0].id)) == "create"
    assert db.session.query(AuditEvent).count() == trail[-1].chain_seq


# --- The hash chain, on both databases ---------------------------------------------------

def test_verify_passes_on_an_intact_trail_and_names_its_end(app, db, trail):
    result = run(app, "audit", "verify")
    assert result.exit_code == 0, result.output
    n = trail[-1].chain_seq
    assert f"审计链完整：共核对 {n} 条记录" in result.output and trail[-1].chain_hash in result.output
    assert [e.chain_seq for e in trail] == list(range(n - 4, n + 1))
    assert trail[1].chain_prev == trail[0].chain_hash


def test_verify_reports_an_edited_record(app, db, trail):
    tamper(db, "UPDATE audit_events SET username = 'someone-else' WHERE id = :id", id=trail[2].id)
    result = run(app, "audit", "verify")
    assert result.exit_code == 1
    seq = trail[2].chain_seq
    assert f"第 {seq} 条记录（编号 {trail[2].id}）的内容被修改" in result.output
    assert f"此前 {seq - 1} 条记录完好" in result.output


def test_verify_reports_an_edited_value_inside_the_json(app, db, trail):
    column = "after" if postgresql(db) else '"after"'
    tamper(db, f"UPDATE audit_events SET {column} = :after WHERE id = :id",
           id=trail[1].id, after='{"name": "项目1", "amount": "9999.50"}')
    result = run(app, "audit", "verify")
    assert result.exit_code == 1 and f"第 {trail[1].chain_seq} 条记录" in result.output and "被修改" in result.output


def test_verify_reports_a_deleted_record(app, db, trail):
    seq = trail[1].chain_seq
    tamper(db, "DELETE FROM audit_events WHERE id = :id", id=trail[1].id)
    result = run(app, "audit", "verify")
    assert result.exit_code == 1 and f"第 {seq} 条记录缺失（被删除）" in result.output


def test_verify_reports_a_deleted_last_record(app, db, trail):
    tamper(db, "DELETE FROM audit_events WHERE id = :id", id=trail[-1].id)
    result = run(app, "audit", "verify")
    assert result.exit_code == 1 and "链尾记录缺失" in result.output


def test_verify_reports_a_record_inserted_past_the_app(app, db, trail):
    tamper(db, "INSERT INTO audit_events (occurred_at, username, ip, action, entity) "
               "VALUES (:now, 'x', '', 'login', 'user')", now=utcnow())
    result = run(app, "audit", "verify")
    assert result.exit_code == 1 and "没有链值" in result.output


def test_verify_is_itself_audited(app, db, trail):
    run(app, "audit", "verify")
    record = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "audit_verify")).one()
    assert record.after == {"checked": trail[-1].chain_seq, "ok": True, "broken_at": None}


def test_a_purge_keeps_the_chain_verifiable(app, db, today):
    for days in (500, 400, 300):
        event(db, "create", utcnow() - timedelta(days=days))
    event(db, "create")
    cutoff = (today - timedelta(days=200)).isoformat()
    result = run(app, "audit", "purge", "--before", cutoff)
    assert result.exit_code == 0 and "3 条" in result.output, result.output
    verified = run(app, "audit", "verify")
    assert verified.exit_code == 0, verified.output


def test_batch_writes_are_chained_in_order(app, db, world, make_project):
    make_project(world.zone_a)
    make_project(world.zone_a, name="第二个项目")
    assert run(app, "audit", "verify").exit_code == 0
    seqs = db.session.scalars(select(AuditEvent.chain_seq).order_by(AuditEvent.id)).all()
    assert seqs == sorted(seqs) and None not in seqs


def test_restore_keeps_the_chain_and_records_what_it_lost(app, db, trail, tmp_path):
    n = trail[-1].chain_seq  # the backup's own record (n + 1) comes after the backup: lost too
    backup = tmp_path / "trail.backup"
    assert run(app, "backup", "--out", str(backup)).exit_code == 0
    lost = [event(db, "update") for _ in range(3)]
    highest, lost_hash = lost[-1].id, lost[-1].chain_hash
    result = run(app, "restore", str(backup), "--yes")
    assert result.exit_code == 0, result.output
    db.session.remove()
    restore = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "restore")).one()
    assert restore.id > highest
    assert restore.after["lost"] == {"from_seq": n + 1, "to_seq": n + 4, "last_hash": lost_hash}
    after = event(db, "create")
    assert after.id > restore.id
    verified = run(app, "audit", "verify")
    assert verified.exit_code == 0, verified.output
