"""Migration 0025: PostgreSQL's audit purge function is given the app's time zone and owned by
the purger role, as 0008's was; a downgrade gives 0008's back. SQLite's triggers stay as they are."""
import flask_migrate
from sqlalchemy import text


def _purge_guard(db):
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            return conn.execute(text("SELECT p.oid::regprocedure::text, pg_get_userbyid(p.proowner) FROM pg_proc p "
                                     "WHERE p.proname = 'zonecrm_audit_purge'")).all()
        return conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                 "AND tbl_name = 'audit_events' ORDER BY name")).all()


def test_the_purge_function_takes_the_zone_and_a_downgrade_restores_the_old_one(app, db):
    postgresql = db.engine.dialect.name == "postgresql"
    sqlite_triggers = [("audit_events_no_update",), ("audit_events_no_young_delete",)]
    assert _purge_guard(db) == ([("zonecrm_audit_purge(date,text)", "zonecrm_audit_purger")] if postgresql
                                else sqlite_triggers)
    db.session.remove()
    flask_migrate.downgrade(revision="0024")
    try:
        assert _purge_guard(db) == ([("zonecrm_audit_purge(date)", "zonecrm_audit_purger")] if postgresql
                                    else sqlite_triggers)
    finally:
        flask_migrate.upgrade()
    assert _purge_guard(db) == ([("zonecrm_audit_purge(date,text)", "zonecrm_audit_purger")] if postgresql
                                else sqlite_triggers)
