"""The third sheet of the ledger import, 到位资金: arrivals of funds for the zone's projects.

The dry run shows every arrival to be recorded with its amount as read (through the one money
reader); a project that cannot be found, or a name two projects share, is an error on that row
(no project is ever created or guessed for an arrival); the import writes exactly what the dry
run showed, each arrival audited like one typed on the project page; the same file again
records nothing (same project, date, amount, currency, kind and 凭证号 is the same arrival).
"""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain import ledger as L
from app.imports import writing
from app.imports.writing import ImportAborted
from app.models import AuditEvent, FundsArrival
from app.services.funds import ArrivalInput, add_arrival
from app.domain.money import Money
from tests.imports.conftest import PROJECT_HEADERS, errors_of, project_row, xlsx_bytes

ARRIVAL_HEADERS = [c.header for c in L.ARRIVAL_COLUMNS]


def arrival_row(**values) -> list:
    base = {"project": "新能源电池项目", "arrived_on": "2024-04-10", "amount": "1200", "currency": "人民币",
            "kind": "固定资产投资", "source_note": "银行进账单", "voucher_ref": "PZ-001"}
    base.update(values)
    return [base.get(c.key, "") for c in L.ARRIVAL_COLUMNS]


def arrivals_file(rows, projects=None) -> bytes:
    sheets = {}
    if projects is not None:
        sheets[L.PROJECT_SHEET] = [PROJECT_HEADERS, *projects]
    sheets[L.ARRIVAL_SHEET] = [["到位资金登记表"], ARRIVAL_HEADERS, *rows]   # a title row above the header
    return xlsx_bytes(sheets)


@pytest.fixture
def projects(world, make_project):
    battery = make_project(world.zone_a, "新能源电池项目", code="A-1")
    chips = make_project(world.zone_a, "芯片封装项目", code="A-2", investor="日本精工株式会社", origin="JP")
    elsewhere = make_project(world.zone_c, "赵县食品项目", code="C-1")
    return battery, chips, elsewhere


def arrivals(db, zone=None):
    db.session.expire_all()
    query = select(FundsArrival).order_by(FundsArrival.id)
    if zone is not None:
        query = query.where(FundsArrival.zone_id == zone.id)
    return db.session.scalars(query).all()


GOOD = [
    arrival_row(),                                                      # by name, 万元
    arrival_row(project="A-2", arrived_on="2024/5/6", amount="500万美元", currency="", kind="外资实际到位",
                voucher_ref="FDI-9"),                                   # by code; currency from the amount
    arrival_row(project="Ａ－２", arrived_on="2024年6月1日", amount="１,２００.５", currency="港币", kind="注册资本",
                source_note="", voucher_ref=""),                       # full width code and digits
    arrival_row(project="芯片封装项目", amount="0.35亿", kind="固投", voucher_ref=""),
]


def test_the_dry_run_shows_each_arrival_as_read_and_writes_nothing(world, projects, run_import, snapshot):
    before = snapshot()
    summary = run_import(world.zone_a, arrivals_file(GOOD), dry_run=True)
    assert snapshot() == before
    assert summary["arrivals"] == {"created": 4, "unchanged": 0, "held": 0, "rejected": 0}
    assert summary["errors"] == []
    shown = {p["row"]: p for p in summary["preview"] if p["sheet"] == "到位资金"}
    assert shown[3]["values"] == {"到位日期": "2024-04-10", "项目": "新能源电池项目", "金额": "1,200.00万元",
                                  "币种": "人民币", "类型": "固定资产投资", "来源说明": "银行进账单", "凭证号": "PZ-001"}
    assert shown[4]["values"]["金额"] == "500.00万美元" and shown[4]["values"]["币种"] == "美元"
    assert shown[5]["values"]["金额"] == "1,200.50万港元" and shown[5]["values"]["项目"] == "芯片封装项目"
    assert shown[6]["values"]["金额"] == "3,500.00万元"
    assert shown[6]["readings"] == [{"column": "金额（万）", "text": "0.35亿 → 3,500.00万元"}]
    assert "到位资金：将新增 4，无变化（已记录）0，有错误 0" in summary["text"]


def test_the_import_writes_exactly_that_audited(world, projects, run_import, db):
    battery, chips, _ = projects
    run_import(world.zone_a, arrivals_file(GOOD), user=world.staff)
    written = arrivals(db)
    assert [(a.project_id, a.arrived_on, a.amount, a.currency, a.kind, a.source_note, a.voucher_ref)
            for a in written] == [
        (battery.id, date(2024, 4, 10), Decimal("12000000.00"), "CNY", "fixed_assets", "银行进账单", "PZ-001"),
        (chips.id, date(2024, 5, 6), Decimal("5000000.00"), "USD", "foreign_paid_in", "银行进账单", "FDI-9"),
        (chips.id, date(2024, 6, 1), Decimal("12005000.00"), "HKD", "registered_capital", "", None),
        (chips.id, date(2024, 4, 10), Decimal("35000000.00"), "CNY", "fixed_assets", "银行进账单", None),
    ]
    assert all(a.zone_id == world.zone_a.id and a.recorded_by_id == world.staff.id for a in written)
    creates = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "funds_arrival")).all()
    assert sorted(e.entity_id for e in creates) == [a.id for a in written]
    assert {e.action for e in creates} == {"create"} and {e.user_id for e in creates} == {world.staff.id}
    imported = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "import")).one()
    assert imported.after["arrivals"] == {"created": 4, "unchanged": 0, "held": 0, "rejected": 0}


def test_the_same_file_again_records_nothing_not_even_an_audit_record(world, projects, run_import, snapshot):
    run_import(world.zone_a, arrivals_file(GOOD), user=world.staff)
    before = snapshot()
    again = run_import(world.zone_a, arrivals_file(GOOD), user=world.staff)
    assert again["arrivals"] == {"created": 0, "unchanged": 4, "held": 0, "rejected": 0}
    assert snapshot() == before


def test_an_arrival_typed_on_the_page_is_recognised_by_the_import(world, projects, run_import, db):
    battery, _, _ = projects
    add_arrival(battery, ArrivalInput(date(2024, 4, 10), Money(Decimal("12000000"), "CNY"), "fixed_assets",
                                      "页面录入", " pz-001 "), world.staff)
    db.session.commit()
    summary = run_import(world.zone_a, arrivals_file([arrival_row(voucher_ref="ＰＺ－００１")]), dry_run=True)
    assert summary["arrivals"] == {"created": 0, "unchanged": 1, "held": 0, "rejected": 0}   # the note does not matter


def test_identical_rows_of_one_file_are_held_and_named_not_recorded_twice(world, projects, run_import, db):
    twice = arrivals_file([arrival_row(voucher_ref=""), arrival_row(voucher_ref="")])
    dry = run_import(world.zone_a, twice, dry_run=True)
    assert dry["arrivals"] == {"created": 1, "unchanged": 0, "held": 1, "rejected": 0}
    assert [(p["sheet"], p["row"], p["name"], p["other"]["row"]) for p in dry["pairs"]] == [
        ("到位资金", 4, "新能源电池项目", 3)]
    assert ("  到位资金 第4行“新能源电池项目” 与 到位资金第3行“新能源电池项目”（项目、到位日期、金额、币种、类型、凭证号完全相同）"
            "：未决定") in dry["text"]
    first = run_import(world.zone_a, twice, decisions={"到位资金#4": "same"})
    assert first["arrivals"]["created"] == 1 and len(arrivals(db)) == 1
    # The same file again: the first row is the recorded arrival, the second held again.
    second = run_import(world.zone_a, twice, dry_run=True)
    assert second["arrivals"] == {"created": 0, "unchanged": 1, "held": 1, "rejected": 0}
    # Two arrivals indeed: told apart by their vouchers, both are recorded.
    vouchers = run_import(world.zone_a, arrivals_file([arrival_row(voucher_ref="PZ-1"), arrival_row(voucher_ref="PZ-2")]))
    assert vouchers["arrivals"] == {"created": 2, "unchanged": 0, "held": 0, "rejected": 0}


def test_two_arrivals_already_recorded_answer_two_identical_rows(world, projects, run_import, db):
    battery, _, _ = projects
    for _ in range(2):   # typed twice on the project page
        add_arrival(battery, ArrivalInput(date(2024, 4, 10), Money(Decimal("12000000"), "CNY"), "fixed_assets"),
                    world.staff)
    db.session.commit()
    summary = run_import(world.zone_a, arrivals_file([arrival_row(voucher_ref="")] * 3), dry_run=True)
    assert summary["arrivals"] == {"created": 0, "unchanged": 2, "held": 1, "rejected": 0}


def test_bad_rows_are_errors_in_chinese_and_the_others_go_in(world, projects, make_project, run_import, db, today):
    make_project(world.zone_a, "同名项目", code="D-1")
    make_project(world.zone_a, "同名项目", code="D-2", investor="另一家公司")
    future = today.replace(year=today.year + 1).isoformat()
    rows = [
        arrival_row(project="不存在的项目"),
        arrival_row(project="赵县食品项目"),                  # another zone's project: not found, never guessed
        arrival_row(project="C-1"),
        arrival_row(project="同名项目"),
        arrival_row(project=""),
        arrival_row(arrived_on="2024-13-01"),
        arrival_row(arrived_on=future),
        arrival_row(amount="-5"),
        arrival_row(amount="0"),
        arrival_row(amount="abc"),
        arrival_row(amount="1.0000001"),
        arrival_row(currency="卢布"),
        arrival_row(currency="人民币", amount="500万美元"),
        arrival_row(kind="奖励资金"),
        arrival_row(kind=""),
        arrival_row(project="D-2", voucher_ref="X" * 65),
        arrival_row(project="D-1"),                          # the one good row
    ]
    summary = run_import(world.zone_a, arrivals_file(rows), user=world.staff)
    assert summary["arrivals"] == {"created": 1, "unchanged": 0, "held": 0, "rejected": 16}
    found = {(row, column): message for _, row, column, message in errors_of(summary)}
    assert found[(3, "项目")] == ("本开发区找不到项目编号或名称为“不存在的项目”的项目；到位资金只记入已有项目，"
                                  "请先在项目台账中录入")
    assert "找不到" in found[(4, "项目")] and "找不到" in found[(5, "项目")]
    assert found[(6, "项目")] == "本区有2个名为“同名项目”的项目，请改填项目编号以区分"
    assert found[(7, "项目")] == "请填写项目编号或项目名称"
    assert "不是有效的日期" in found[(8, "到位日期")]
    assert found[(9, "到位日期")] == "到位日期不能晚于今天"
    assert found[(10, "金额（万）")] == "金额不能为负数"
    assert found[(11, "金额（万）")] == "到位金额应大于零"
    assert found[(12, "金额（万）")] == "“abc”不是有效的金额"
    assert found[(13, "金额（万）")] == "金额最多精确到分"
    assert found[(14, "币种")].startswith("不认识的币种“卢布”")
    assert found[(15, "金额（万）")] == "金额单位“万美元”与本列不符，本列以万元填写"
    assert found[(16, "类型")] == "不认识的类型“奖励资金”，可填：注册资本、固定资产投资、外资实际到位"
    assert found[(17, "类型")].startswith("请填写类型")
    assert found[(18, "凭证号")] == "内容过长，最多64个字，当前65个字"
    assert [(a.project.code, a.amount) for a in arrivals(db)] == [("D-1", Decimal("12000000.00"))]
    assert arrivals(db, world.zone_c) == []


def test_an_arrival_may_name_a_project_the_same_file_creates(world, run_import, db):
    content = arrivals_file([arrival_row(project="新项目", voucher_ref="N-1"), arrival_row(project="坏的新项目")],
                            projects=[project_row(name="新项目", investor="甲公司", stage="签约", signed_on="2024-03-05"),
                                      project_row(name="坏的新项目", total="-1")])
    summary = run_import(world.zone_a, content, user=world.staff)
    assert summary["projects"]["created"] == 1 and summary["arrivals"]["created"] == 1
    (arrival,) = arrivals(db)
    assert arrival.project.name == "新项目" and arrival.zone_id == world.zone_a.id
    (error,) = [e for e in summary["errors"] if e["sheet"] == "到位资金"]
    assert error["message"].startswith("所属项目“坏的新项目”是新项目，其项目台账第3行有错误未导入")


def test_a_failure_while_writing_arrivals_leaves_nothing(world, projects, run_import, snapshot, monkeypatch):
    """The first batch of arrivals is written, the second fails: nothing of the import is kept."""
    before = snapshot()
    calls = []
    real = writing.add_arrivals

    def fail_on_second_batch(items, *args, **kwargs):
        calls.append(len(items))
        if len(calls) == 2:
            raise writing.ArrivalBatchError("测试：写入失败", None, 1)
        return real(items, *args, **kwargs)
    monkeypatch.setattr(writing, "WRITE_BATCH", 2)
    monkeypatch.setattr(writing, "add_arrivals", fail_on_second_batch)
    with pytest.raises(ImportAborted, match="到位资金第6行：测试：写入失败"):
        run_import(world.zone_a, arrivals_file(GOOD), user=world.staff)
    assert calls == [2, 2]
    assert snapshot() == before


def test_the_batch_writes_and_audits_what_the_project_page_writes(world, projects, db):
    """add_arrivals (the import's writer) and add_arrival (the page's) leave the same rows and
    the same audit records."""
    from app.services.funds import add_arrivals
    battery, chips, _ = projects
    inputs = [(battery, ArrivalInput(date(2024, 4, 10), Money(Decimal("12000000.00"), "CNY"), "fixed_assets",
                                     " 银行进账单 ", " PZ-1 ")),
              (chips, ArrivalInput(date(2024, 5, 6), Money(Decimal("123.45"), "HKD"), "registered_capital", "", ""))]

    def written():
        db.session.expire_all()
        rows = [(a.project_id, a.zone_id, a.arrived_on, a.amount, a.currency, a.kind, a.source_note, a.voucher_ref,
                 a.recorded_by_id) for a in db.session.scalars(select(FundsArrival).order_by(FundsArrival.id))]
        events = [(e.action, e.entity, e.zone_id, e.user_id, {k: v for k, v in e.after.items()})
                  for e in db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "funds_arrival")
                                              .order_by(AuditEvent.id))]
        return rows, events
    for project, data in inputs:
        add_arrival(project, data, world.staff, today=date(2024, 12, 31))
    db.session.commit()
    one_by_one = written()
    db.session.execute(FundsArrival.__table__.delete())   # the audit trail is append-only: its new records compared
    db.session.commit()
    seen = len(one_by_one[1])
    add_arrivals(inputs, world.staff, today=date(2024, 12, 31))
    db.session.commit()
    rows, events = written()
    assert rows == one_by_one[0]
    assert events[seen:] == one_by_one[1]


def test_the_template_has_the_arrivals_sheet_and_its_example_is_skipped(world, run_import):
    from io import BytesIO

    from openpyxl import load_workbook

    from app.imports.sheets import template_workbook
    book = load_workbook(BytesIO(template_workbook()))
    assert "到位资金" in book.sheetnames
    header_row = next(r for r in book["到位资金"].iter_rows(values_only=True) if r and r[0] == "项目")
    assert list(header_row)[:7] == ["项目", "到位日期", "金额（万）", "币种", "类型", "来源说明", "凭证号"]
    notes = [r for r in book["填写说明"].iter_rows(values_only=True) if r and r[0] == "到位资金"]
    assert len(notes) == 7


def test_the_pages_show_the_arrivals_and_another_zone_cannot_reach_them(world, projects, login, db):
    import io
    content = arrivals_file(GOOD)

    def through_the_pages(user):
        client = login(user)
        response = client.post("/imports/", data={"file": (io.BytesIO(content), "到位资金.xlsx")},
                               content_type="multipart/form-data")
        job_url = response.headers["Location"]
        client.post(job_url + "/check")
        page = client.get(job_url).get_data(as_text=True)
        return client, job_url, page

    staff, job_url, page = through_the_pages(world.staff)
    assert "<th>到位资金</th>" in page and "1,200.50万港元" in page and "0.35亿 → 3,500.00万元" in page
    assert arrivals(db) == []
    staff.post(job_url + "/commit")
    assert len(arrivals(db, world.zone_a)) == 4

    # The same file from the other zone's staff finds none of zone A's projects.
    _, job_url, page = through_the_pages(world.other_staff)
    assert "本开发区找不到项目编号或名称为“新能源电池项目”的项目" in page
    assert arrivals(db, world.zone_c) == [] and len(arrivals(db)) == 4


def test_the_zones_export_carries_its_arrivals_and_imports_back_as_a_no_op(world, projects, make_project, run_import,
                                                                          snapshot, db):
    from app.imports.sheets import zone_workbook
    battery, chips, elsewhere = projects
    uncoded = make_project(world.zone_a, "无编号项目", investor="丙公司")
    entered = [(battery, "12345678.91", "CNY", "fixed_assets", "PZ-1"), (chips, "12345.67", "USD", "foreign_paid_in", ""),
               (chips, "999.99", "HKD", "registered_capital", None), (uncoded, "0.01", "CNY", "fixed_assets", "")]
    for project, amount, currency, kind, voucher in entered:
        add_arrival(project, ArrivalInput(date(2024, 4, 10), Money(Decimal(amount), currency), kind, "验资报告",
                                          voucher or ""), world.staff)
    add_arrival(elsewhere, ArrivalInput(date(2024, 4, 10), Money(Decimal("5"), "CNY"), "fixed_assets"), None)
    db.session.commit()
    exported = zone_workbook(world.zone_a)
    before = snapshot()
    summary = run_import(world.zone_a, exported, name="export.xlsx", user=world.staff)
    assert summary["arrivals"] == {"created": 0, "unchanged": 4, "held": 0, "rejected": 0}, summary["text"]
    assert summary["totals"]["created"] == summary["totals"]["updated"] == 0
    assert snapshot() == before


def test_a_total_row_under_the_arrivals_is_skipped_and_listed_not_an_error(world, projects, run_import, db):
    """A ledger office sums its 到位资金 at the foot of the sheet: that row is no arrival."""
    total = ["合计", "", "1,700", "", "", "", ""]
    summary = run_import(world.zone_a, arrivals_file([arrival_row(), arrival_row(amount="500", voucher_ref="PZ-2"),
                                                      total]), user=world.staff)
    assert summary["errors"] == []
    assert summary["arrivals"]["created"] == 2 and len(arrivals(db)) == 2
    (sheet,) = [s for s in summary["sheets"] if s["name"] == "到位资金"]
    assert sheet["skipped_totals"] == [{"row": 5, "reason": "合计"}]
