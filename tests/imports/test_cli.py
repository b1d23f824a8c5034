"""flask import-ledger / ledger-template / export-ledger: the page's work from a terminal, same summary."""
from openpyxl import load_workbook
from sqlalchemy import select

from app.models import AuditEvent, ImportJob, Project
from tests.imports.conftest import contact_row, ledger_file, project_row

FILE = ledger_file([project_row(code="A1", name="好项目", stage="签约", signed_on="2024-03-05", leader="张伟"),
                    project_row(code="B1", name="坏项目", total="-1")],
                   [contact_row(code="A1", leaders="张伟")])


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))   # click 8.2+: stdout and stderr apart


def write(tmp_path, content=FILE, name="台账.xlsx"):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_a_dry_run_prints_the_summary_and_writes_nothing(app, world, tmp_path, snapshot):
    before = snapshot()
    result = run(app, "import-ledger", write(tmp_path), "--zone", "gxq", "--dry-run")
    assert result.exit_code == 3, result.output   # rows were rejected
    assert snapshot() == before
    lines = result.stdout.splitlines()
    assert lines[0] == "石家庄高新区（gxq）：台账.xlsx"
    assert "项目台账：将新增 1，将更新 0，无变化 0，有错误 1" in lines
    assert "对接记录：将新增 1，无变化 0，有错误 0" in lines
    assert "  项目台账 第3行（坏项目） 总投资（万元）：金额不能为负数" in lines
    assert lines[-1] == "（试运行，未写入任何数据）"


def test_an_import_then_the_same_file_again(app, world, tmp_path, db):
    path = write(tmp_path)
    first = run(app, "import-ledger", path, "--zone", "gxq", "--user", "staff1")
    assert first.exit_code == 3 and "项目台账：已新增 1，已更新 0，无变化 0，有错误 1" in first.stdout
    project = db.session.scalars(select(Project)).one()
    assert project.zone_id == world.zone_a.id and project.leader_id == world.leader.id
    job = db.session.scalars(select(ImportJob)).one()
    assert (job.status, job.user_id, job.created, job.rejected, job.content) == ("done", world.staff.id, 2, 1, None)
    second = run(app, "import-ledger", path, "--zone", "gxq")
    assert "项目台账：已新增 0，已更新 0，无变化 1，有错误 1" in second.stdout
    assert "对接记录：已新增 0，无变化 1，有错误 0" in second.stdout


def test_a_clean_file_exits_zero_and_is_recorded_as_the_command_line(app, world, tmp_path, db):
    result = run(app, "import-ledger", write(tmp_path, ledger_file([project_row()])), "--zone", "gxq")
    assert result.exit_code == 0, result.output
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "import")).one()
    assert event.username == "命令行" and event.zone_id == world.zone_a.id


def test_the_zone_decides_whose_leaders_and_ledger(app, world, tmp_path, db):
    result = run(app, "import-ledger", write(tmp_path), "--zone", "zxjk")
    assert "本开发区没有名为“张伟”的领导" in result.stdout
    assert db.session.scalars(select(Project.zone_id)).all() == []   # the one good row names 张伟 too
    assert run(app, "import-ledger", write(tmp_path, ledger_file([project_row()])), "--zone", "zxjk").exit_code == 0
    assert db.session.scalars(select(Project.zone_id)).all() == [world.zone_c.id]


def test_command_line_refusals(app, world, tmp_path):
    path = write(tmp_path)
    unknown = run(app, "import-ledger", path, "--zone", "nope")
    assert unknown.exit_code == 2 and "开发区代码“nope”不存在" in unknown.stderr
    outsider = run(app, "import-ledger", path, "--zone", "gxq", "--user", "staff_c")
    assert outsider.exit_code == 2 and "用户“staff_c”不是石家庄高新区的领导或招商专员，不能导入该开发区" in outsider.stderr
    bureau = run(app, "import-ledger", path, "--zone", "gxq", "--user", "bureau")
    assert bureau.exit_code == 2
    broken = run(app, "import-ledger", write(tmp_path, b"PK\x03\x04broken", "坏.xlsx"), "--zone", "gxq")
    assert broken.exit_code == 2 and "文件已损坏，或不是有效的 .xlsx 工作簿" in broken.stderr


def test_template_and_export_commands_round_trip(app, world, tmp_path, make_project, snapshot):
    template = tmp_path / "t.xlsx"
    result = run(app, "ledger-template", "--out", str(template))
    assert result.exit_code == 0 and "已生成导入模板" in result.stdout
    assert load_workbook(template).sheetnames == ["项目台账", "对接记录", "到位资金", "填写说明"]
    make_project(world.zone_a, name="本区项目", code="A-1", total_wan="99.5", leader_id=world.leader.id)
    out = tmp_path / "export.xlsx"
    assert run(app, "export-ledger", "--zone", "gxq", "--out", str(out)).exit_code == 0
    before = snapshot()
    again = run(app, "import-ledger", str(out), "--zone", "gxq")
    assert again.exit_code == 0 and "项目台账：已新增 0，已更新 0，无变化 1，有错误 0" in again.stdout
    assert snapshot() == before
