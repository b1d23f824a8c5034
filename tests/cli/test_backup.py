"""Online backup and restore bring the database back exactly as it was backed up."""
from app.models import AuditEvent, Project


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_a_backup_restores_the_data_as_it_was(app, world, make_project, db, tmp_path):
    make_project(world.zone_a, name="备份前的项目", total_wan="12345.67")
    out = tmp_path / "zonecrm.backup"
    result = run(app, "backup", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0 and "已备份到" in result.output

    make_project(world.zone_a, name="备份后的项目")
    refused = run(app, "restore", str(out))
    assert refused.exit_code == 2 and "加 --yes" in refused.output
    assert db.session.query(Project).count() == 2

    restored = run(app, "restore", str(out), "--yes")
    assert restored.exit_code == 0, restored.output
    db.session.remove()
    projects = db.session.query(Project).all()
    assert [(p.name, str(p.total_investment)) for p in projects] == [("备份前的项目", "123456700.00")]
    assert db.session.query(AuditEvent).filter_by(action="restore").count() == 1


def test_restore_refuses_a_file_that_is_not_a_backup(app, world, tmp_path, db):
    bogus = tmp_path / "not-a-backup.bin"
    bogus.write_bytes(b"hello, this is not a database")
    result = run(app, "restore", str(bogus), "--yes")
    assert result.exit_code == 2
    assert "不是 SQLite 备份" in result.output or "pg_restore 失败" in result.output
    missing = run(app, "restore", str(tmp_path / "nope.bak"), "--yes")
    assert missing.exit_code == 2 and "备份文件不存在" in missing.output


# Issue 17 item 12: secrets by environment, files for the owner only.

def test_a_backup_file_is_readable_by_its_owner_only(app, world, db, tmp_path):
    import os
    old = os.umask(0o022)
    try:
        out = tmp_path / "private.backup"
        assert run(app, "backup", "--out", str(out)).exit_code == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o600


def test_pg_dump_gets_the_password_by_environment_never_on_its_command_line(app, tmp_path, monkeypatch):
    import subprocess

    from sqlalchemy.engine import make_url

    from app import backup as backup_module
    seen = {}

    def fake_run(command, **kwargs):
        seen["command"], seen["env"] = command, kwargs.get("env") or {}
        return subprocess.CompletedProcess(command, 0, "", "")

    class FakeEngine:
        url = make_url("postgresql+psycopg://zonecrm:s3cret-Pw@db.example:5432/zonecrm")

    class FakeDb:
        engine = FakeEngine()

    monkeypatch.setattr(backup_module, "db", FakeDb())
    monkeypatch.setattr(backup_module.shutil, "which", lambda tool: "/usr/bin/" + tool)
    monkeypatch.setattr(backup_module.subprocess, "run", fake_run)
    out = tmp_path / "pg.backup"
    assert backup_module.backup(out) == "postgresql"
    assert not any("s3cret-Pw" in part for part in seen["command"])
    assert "postgresql://zonecrm@db.example:5432/zonecrm" in seen["command"]
    assert seen["env"]["PGPASSWORD"] == "s3cret-Pw"
    assert out.stat().st_mode & 0o777 == 0o600


def test_a_new_sqlite_database_file_is_created_0600(tmp_path):
    import os

    from app import create_app
    from config import TestConfig
    path = tmp_path / "fresh.db"
    old = os.umask(0o022)
    try:
        app = create_app(type("Fresh", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}))
        with app.app_context():
            from app.extensions import db
            with db.engine.connect() as conn:
                conn.exec_driver_sql("CREATE TABLE t (x)")
            db.engine.dispose()
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o600
