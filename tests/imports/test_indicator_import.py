"""Monthly indicators by import: the city-wide sheet the bureau collects (开发区, 月份, 营业收入（万元）,
实际使用外资（万美元）), through the ledger import's steps: upload → dry run → 确认导入.

The dry run lists new rows, unchanged rows and rows that would change a reported figure
separately; changing needs one reason for the upload, and each change is audited as a
correction with it (the indicators service's own path). Bad rows are errors in Chinese and are
never written; the same file again changes nothing; a zone's staff import their own zone only.
"""
import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain import ledger as L
from app.domain.money import Money
from app.models import AuditEvent, ImportJob, ZoneMonthly
from app.services.funds import MonthlyInput, report_month
from tests.imports.conftest import csv_bytes, xlsx_bytes

HEADERS = [c.header for c in L.INDICATOR_COLUMNS]


def sheet(*rows, headers=HEADERS) -> bytes:
    return xlsx_bytes({"全市开发区月度指标": [["2024年开发区主要指标（市投促局）"], headers, *rows]})


def upload(client, content, name="月度指标.xlsx"):
    response = client.post("/indicators/import", data={"file": (io.BytesIO(content), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def checked(client, content, name="月度指标.xlsx"):
    job_url = upload(client, content, name)
    client.post(job_url + "/check")
    return job_url, client.get(job_url).get_data(as_text=True)


def job_of(job_url, db) -> ImportJob:
    db.session.expire_all()
    return db.session.get(ImportJob, int(job_url.rstrip("/").rsplit("/", 1)[1]))


def months(db):
    db.session.expire_all()
    return {(r.zone.code, r.year, r.month): (r.revenue, r.fdi)
            for r in db.session.scalars(select(ZoneMonthly)).all()}


GOOD = sheet(
    ["石家庄高新区", "2024-01", "12,000.5", "350"],
    ["gxq", "2024年2月", "13000", ""],
    ["赵县经开区", "2024.1", "0.8亿", "—"],
    ["zxjk", 202402, 9000, 12.25],
)


def test_the_bureau_imports_every_zones_months_dry_run_first(world, login, db):
    bureau = login(world.bureau)
    job_url, page = checked(bureau, GOOD)
    assert "试运行结果（尚未写入）" in page and "将新增的行（4）" in page and "确认导入" in page
    assert "0.8亿 → 8,000.00万元" in page
    assert months(db) == {}
    summary = job_of(job_url, db).summary
    assert summary["indicators"] == {"created": 4, "updated": 0, "unchanged": 0, "rejected": 0}
    assert [(r["zone"], r["month"], r["revenue"], r["fdi"]) for r in summary["new"]] == [
        ("石家庄高新区", "2024-01", "12,000.50万元", "350.00万美元"),
        ("石家庄高新区", "2024-02", "13,000.00万元", ""),
        ("赵县经开区", "2024-01", "8,000.00万元", ""),
        ("赵县经开区", "2024-02", "9,000.00万元", "12.25万美元"),
    ]

    page = bureau.post(job_url + "/commit", follow_redirects=True).get_data(as_text=True)
    assert "导入完成：新增 4，更正 0，无变化 0，未导入的错误行 0。" in page
    assert months(db) == {
        ("gxq", 2024, 1): (Decimal("120005000.00"), Decimal("3500000.00")),
        ("gxq", 2024, 2): (Decimal("130000000.00"), None),
        ("zxjk", 2024, 1): (Decimal("80000000.00"), None),
        ("zxjk", 2024, 2): (Decimal("90000000.00"), Decimal("122500.00")),
    }
    creates = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "zone_monthly",
                                                          AuditEvent.action == "create")).all()
    assert len(creates) == 4 and {e.user_id for e in creates} == {world.bureau.id}
    (imported,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "import",
                                                              AuditEvent.entity == "zone_monthly")).all()
    assert imported.after["indicators"] == {"created": 4, "updated": 0, "unchanged": 0, "rejected": 0}


def test_the_same_file_again_changes_nothing_not_even_the_audit_trail(world, login, db, snapshot):
    bureau = login(world.bureau)
    job_url, _ = checked(bureau, GOOD)
    bureau.post(job_url + "/commit")
    before = snapshot()
    job_url, page = checked(bureau, GOOD)
    assert "无变化的行（4）" in page and "没有需要写入的内容" in page and "将新增的行" not in page
    assert job_of(job_url, db).summary["indicators"] == {"created": 0, "updated": 0, "unchanged": 4, "rejected": 0}
    assert snapshot() == before


def test_a_changed_figure_is_listed_apart_and_needs_one_reason_audited_on_each_change(world, login, db):
    for zone, month, revenue in ((world.zone_a, 1, "120005000"), (world.zone_c, 1, "80000000")):
        report_month(MonthlyInput(zone.id, 2024, month, Money(Decimal(revenue)), None), world.bureau)
    db.session.commit()
    bureau = login(world.bureau)
    changed = sheet(["石家庄高新区", "2024-01", "12500", ""],       # revenue changes, no FDI given: kept
                    ["赵县经开区", "2024-01", "8000", "20"],          # FDI was blank: a change too
                    ["石家庄高新区", "2024-03", "100", "1"])          # new
    job_url, page = checked(bureau, changed)
    assert "将更正已报送数字的行（2）" in page and "将新增的行（1）" in page and 'name="reason"' in page
    summary = job_of(job_url, db).summary
    assert [(r["zone"], r["revenue_before"], r["revenue"], r["fdi_before"], r["fdi"], r["changed"])
            for r in summary["changed"]] == [
        ("石家庄高新区", "12,000.50万元", "12,500.00万元", "", "", ["营业收入"]),
        ("赵县经开区", "8,000.00万元", "8,000.00万元", "", "20.00万美元", ["实际使用外资"]),
    ]

    # Without a reason, nothing is written.
    page = bureau.post(job_url + "/commit", data={"reason": "  "}, follow_redirects=True).get_data(as_text=True)
    assert "本次导入将更正已报送的数字，请填写更正原因" in page
    assert months(db)[("gxq", 2024, 1)] == (Decimal("120005000.00"), None) and ("gxq", 2024, 3) not in months(db)
    assert job_of(job_url, db).status == "checked"

    bureau.post(job_url + "/commit", data={"reason": "统计局修订数"})
    assert months(db)[("gxq", 2024, 1)] == (Decimal("125000000.00"), None)
    assert months(db)[("zxjk", 2024, 1)] == (Decimal("80000000.00"), Decimal("200000.00"))
    assert months(db)[("gxq", 2024, 3)] == (Decimal("1000000.00"), Decimal("10000.00"))
    updates = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "zone_monthly",
                                                          AuditEvent.action == "update")
                                 .order_by(AuditEvent.id)).all()
    assert [(e.zone_id, e.before["revenue"], e.after["revenue"], e.after["reason"]) for e in updates] == [
        (world.zone_a.id, "120005000.00", "125000000.00", "统计局修订数"),
        (world.zone_c.id, "80000000.00", "80000000.00", "统计局修订数"),
    ]
    assert job_of(job_url, db).summary["reason"] == "统计局修订数"


def test_the_reason_is_checked_again_when_the_import_runs(world, db):
    """A figure reported between the dry run and 确认导入 turns a new row into a change: the
    import then refuses without a reason, and writes nothing."""
    from app.imports import jobs
    job = jobs.create_job(None, world.bureau, "月度指标.xlsx", GOOD, kind="indicators")
    db.session.commit()
    jobs.check_job(job.id)
    report_month(MonthlyInput(world.zone_a.id, 2024, 1, Money(Decimal("1")), None), world.bureau)
    db.session.commit()
    done = jobs.commit_job(job.id, world.bureau)
    assert done.status == "checked" and "请填写更正原因" in done.error
    assert len(months(db)) == 1


def test_bad_rows_are_errors_in_chinese_and_nothing_of_them_is_written(world, login, db, today):
    future = today.replace(day=1)
    future = date(future.year + (future.month == 12), future.month % 12 + 1, 1).strftime("%Y-%m")
    bad = sheet(
        ["不存在区", "2024-01", "1", "1"],
        ["石家庄高新区", "2024-13", "1", "1"],
        ["石家庄高新区", "三月", "1", "1"],
        ["石家庄高新区", future, "1", "1"],
        ["石家庄高新区", "2024-04", "-5", ""],
        ["石家庄高新区", "2024-05", "abc", ""],
        ["石家庄高新区", "2024-06", "1", "-1"],
        ["石家庄高新区", "2024-07", "", ""],
        ["", "2024-08", "1", ""],
        ["石家庄高新区", "1990-01", "1", ""],
        ["石家庄高新区", "2024-09", "10", ""],           # good
        ["gxq", "2024年9月", "11", ""],                   # the same zone and month again
    )
    bureau = login(world.bureau)
    job_url, page = checked(bureau, bad)
    summary = job_of(job_url, db).summary
    assert summary["indicators"] == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 11}
    found = {(e["row"], e["column"]): e["message"] for e in summary["errors"]}
    assert found[(3, "开发区")] == "系统中没有名称或代码为“不存在区”的开发区"
    assert found[(4, "月份")] == "“2024-13”不是有效的月份，请写作 2024-03 或 2024年3月"
    assert found[(5, "月份")] == "“三月”不是有效的月份，请写作 2024-03 或 2024年3月"
    assert found[(6, "月份")] == "不能填报尚未开始的月份"
    assert found[(7, "营业收入（万元）")] == "金额不能为负数"
    assert found[(8, "营业收入（万元）")] == "“abc”不是有效的金额"
    assert found[(9, "实际使用外资（万美元）")] == "金额不能为负数"
    assert found[(10, "营业收入（万元）")] == "请至少填写营业收入或实际使用外资之一"
    assert found[(11, "开发区")] == "请填写开发区"
    assert found[(12, "月份")].startswith("年度应在")
    assert found[(14, "月份")] == "石家庄高新区2024年9月与全市开发区月度指标第13行重复"
    assert "系统中没有名称或代码为“不存在区”的开发区" in page
    bureau.post(job_url + "/commit")
    assert months(db) == {("gxq", 2024, 9): (Decimal("100000.00"), None)}


def test_a_zones_staff_import_their_own_zone_only(world, login, db):
    staff = login(world.staff)
    job_url, page = checked(staff, GOOD)
    summary = job_of(job_url, db).summary
    assert summary["indicators"] == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 2}
    assert {e["message"] for e in summary["errors"]} == {"只能导入本开发区的数据，本行是赵县经开区的"}
    staff.post(job_url + "/commit")
    assert set(months(db)) == {("gxq", 2024, 1), ("gxq", 2024, 2)}
    assert job_of(job_url, db).zone_id == world.zone_a.id
    # Another zone's staff and the bureau do not see this zone's upload, nor the zone the bureau's.
    assert login(world.other_staff).get(job_url).status_code == 404
    assert login(world.bureau).get(job_url).status_code == 404
    bureau_url = upload(login(world.bureau), GOOD)
    assert login(world.staff).get(bureau_url).status_code == 404
    # The ledger import pages do not serve an indicator job.
    assert login(world.staff).get(f"/imports/{job_of(job_url, db).id}").status_code == 404
    # Leaders do not import indicators.
    assert login(world.leader).get("/indicators/import").status_code == 403


def test_headers_in_other_units_and_csv_are_read(world, login, db):
    content = csv_bytes([["开发区", "年月", "营业收入（亿元）", "实际利用外资"], ["石家庄高新区", "2024-01", "1.2", "35"]],
                        encoding="gbk")
    bureau = login(world.bureau)
    job_url, _ = checked(bureau, content, name="指标.csv")
    summary = job_of(job_url, db).summary
    assert [(r["revenue"], r["fdi"], r["readings"]) for r in summary["new"]] == [
        ("12,000.00万元", "35.00万美元", ["1.2 → 12,000.00万元"])]


def test_a_file_without_the_sheet_fails_its_check_saying_why(world, login, db):
    job_url, page = checked(login(world.bureau), xlsx_bytes({"x": [["a", "b"], [1, 2]]}))
    assert "文件中没有找到月度指标" in page and job_of(job_url, db).status == "failed"


def test_the_template_download(world, login, run_import):
    from openpyxl import load_workbook
    response = login(world.bureau).get("/indicators/import/template.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["月度指标", "填写说明"]
    assert [c.value for c in book["月度指标"][3]] == HEADERS


@pytest.mark.parametrize("role", ["bureau", "staff"])
def test_the_indicators_page_links_to_the_import(world, login, role):
    page = login(getattr(world, role)).get("/indicators/").get_data(as_text=True)
    assert 'href="/indicators/import"' in page


def test_the_import_page_lists_recent_uploads_with_their_corrections(world, login, db):
    bureau = login(world.bureau)
    job_url, _ = checked(bureau, GOOD)
    bureau.post(job_url + "/commit")
    page = bureau.get("/indicators/import").get_data(as_text=True)
    assert "最近的导入" in page and f'href="{job_url}"' in page
    assert '<th class="num">更正</th>' in page
