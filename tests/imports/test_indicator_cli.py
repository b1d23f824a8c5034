"""flask import-indicators: the monthly indicator upload from a terminal, with the page's rules:
a dry run lists every figure to be written and how it was read, a correction needs a reason
(audited on each change), a zone's staff member imports their own zone only."""
from decimal import Decimal

from sqlalchemy import select

from app.domain.money import Money
from app.models import AuditEvent, ImportJob, ZoneMonthly
from app.services.funds import MonthlyInput, report_month
from tests.imports.test_indicator_import import sheet


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def write(tmp_path, content, name="月度指标.xlsx"):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def months(db):
    db.session.expire_all()
    return {(r.zone.code, r.year, r.month): (r.revenue, r.fdi) for r in db.session.scalars(select(ZoneMonthly))}


def test_a_dry_run_lists_each_figure_and_how_it_was_read_and_writes_nothing(app, world, tmp_path, snapshot):
    before = snapshot()
    result = run(app, "import-indicators", write(tmp_path, sheet(["石家庄高新区", "2024-01", "0.8亿", "350"],
                                                                 ["无此开发区", "2024-01", "100", ""])), "--dry-run")
    assert result.exit_code == 3, result.output   # a row was rejected
    assert snapshot() == before
    lines = result.stdout.splitlines()
    assert lines[0] == "月度指标：月度指标.xlsx"
    assert "月度指标：将新增 1，将更正 0，无变化 0，有错误 1" in lines
    new = next(line for line in lines if line.startswith("  新增"))
    assert "石家庄高新区 2024-01：营业收入 8,000.00万元，实际使用外资 350.00万美元" in new and "0.8亿" in new
    assert any("系统中没有名称或代码为“无此开发区”的开发区" in line for line in lines)
    assert lines[-1] == "（试运行，未写入任何数据）"


def test_a_correction_needs_a_reason_and_the_reason_is_audited(app, world, tmp_path, db):
    report_month(MonthlyInput(world.zone_a.id, 2024, 1, Money(Decimal("120005000")), None), world.bureau)
    db.session.commit()
    path = write(tmp_path, sheet(["gxq", "2024-01", "12500", ""]))
    refused = run(app, "import-indicators", path, "--user", "bureau")
    assert refused.exit_code == 1
    assert "导入未完成，未写入任何数据：有 1 行将更正已报送的数字，请填写更正原因后再确认导入" in refused.stderr
    assert months(db)[("gxq", 2024, 1)] == (Decimal("120005000.00"), None)
    done = run(app, "import-indicators", path, "--user", "bureau", "--reason", "统计局修订数")
    assert done.exit_code == 0, done.output
    assert "  更正 全市开发区月度指标 第3行 石家庄高新区 2024-01：营业收入 12,000.50万元 → 12,500.00万元，" \
           "实际使用外资 — → —" in done.stdout.splitlines()
    assert months(db)[("gxq", 2024, 1)] == (Decimal("125000000.00"), None)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "zone_monthly",
                                                        AuditEvent.action == "update")).one()
    assert (event.after["reason"], event.user_id) == ("统计局修订数", world.bureau.id)
    job = db.session.scalars(select(ImportJob)).one()
    assert (job.kind, job.status, job.user_id, job.zone_id, job.content) == (
        "indicators", "done", world.bureau.id, None, None)


def test_a_zones_staff_member_imports_their_own_zone_only(app, world, tmp_path, db):
    result = run(app, "import-indicators", write(tmp_path, sheet(["gxq", "2024-02", "100", ""],
                                                                 ["zxjk", "2024-02", "200", ""])), "--user", "staff1")
    assert result.exit_code == 3
    assert any("只能导入本开发区的数据，本行是赵县经开区的" in line for line in result.stdout.splitlines())
    assert set(months(db)) == {("gxq", 2024, 2)}
    assert run(app, "import-indicators", write(tmp_path, sheet(["gxq", "2024-03", "1", ""])),
               "--user", "nobody").stderr.strip() == "错误：用户名“nobody”不存在"
