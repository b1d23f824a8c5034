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
