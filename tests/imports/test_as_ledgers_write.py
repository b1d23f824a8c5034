"""Amounts, dates and leaders as zone ledgers write them (issue 16): each accepted form goes
in as the rules read it, each refused form is a row error that says why."""
from datetime import date
from decimal import Decimal

from app.models import AuditEvent, Project

from .conftest import contact_row, errors_of, ledger_file, project_row


def only(db):
    return db.session.query(Project).one()


def test_amounts_with_yi_wan_yuan_about_and_notes(world, run_import, db):
    rows = [project_row(code="A", name="甲", total="3.5亿"), project_row(code="B", name="乙", total="约5亿"),
            project_row(code="C", name="丙", total="8.6亿元"), project_row(code="D", name="丁", total="5000万"),
            project_row(code="E", name="戊", total="10000（一期）", note="原有备注"),
            project_row(code="F", name="己", capital="约500万美元")]
    summary = run_import(world.zone_a, ledger_file(rows))
    assert summary["projects"]["created"] == 6, summary["text"]
    got = {p.code: p for p in db.session.query(Project)}
    assert got["A"].total_investment == Decimal("350000000.00")
    assert got["B"].total_investment == Decimal("500000000.00")
    assert got["C"].total_investment == Decimal("860000000.00")
    assert got["D"].total_investment == Decimal("50000000.00")
    assert got["E"].total_investment == Decimal("100000000.00") and got["E"].note == "原有备注；总投资：一期"
    assert got["F"].foreign_capital == Decimal("5000000.00")


def test_month_only_planning_and_signing_dates(world, run_import, db):
    summary = run_import(world.zone_a, ledger_file([project_row(planned_on="2024.5", stage="签约", signed_on="2024年6月")]))
    assert summary["projects"]["created"] == 1, summary["text"]
    project = only(db)
    assert (project.planned_on, project.signed_on) == (date(2024, 5, 1), date(2024, 6, 1))


def test_month_only_is_refused_where_the_day_decides(world, run_import):
    summary = run_import(world.zone_a, ledger_file([project_row(stage="开工", signed_on="2024-03-01",
                                                                started_on="2024.5")]))
    [(_, _, column, message)] = errors_of(summary)
    assert column == "开工日期" and "只写了年月，开工日期须写到日" in message


def test_a_contact_date_without_a_year_says_so(world, run_import):
    summary = run_import(world.zone_a, ledger_file([project_row(code="P")], [contact_row(code="P", occurred_on="3月5日")]))
    [(sheet, _, column, message)] = errors_of(summary)
    assert (sheet, column) == ("对接记录", "对接日期") and "没有写年份" in message


def test_several_leaders_in_charge(world, run_import, db):
    summary = run_import(world.zone_a, ledger_file([project_row(leader="李娜、张伟")]))
    assert summary["projects"]["created"] == 1, summary["text"]
    project = only(db)
    assert project.leader_id == world.leader2.id
    assert [u.id for u in project.leaders] == [world.leader2.id, world.leader.id]
    event = db.session.query(AuditEvent).filter_by(action="create", entity="project").one()
    assert event.after["co_leader_ids"] == [world.leader.id]
    # The same cell again changes nothing; another order or separator of the same names does.
    for cell, kind in (("李娜、张伟", "unchanged"), ("李娜 张伟", "unchanged"), ("李娜/张伟", "unchanged"),
                       ("张伟，李娜", "updated"), ("张伟", "updated")):
        summary = run_import(world.zone_a, ledger_file([project_row(leader=cell)]))
        assert summary["projects"][kind] == 1, (cell, summary["text"])
    db.session.expire_all()
    assert [u.id for u in only(db).leaders] == [world.leader.id]


def test_a_leader_of_another_zone_among_several_is_refused(world, run_import):
    summary = run_import(world.zone_a, ledger_file([project_row(leader="张伟、王某")]))
    [(_, _, column, message)] = errors_of(summary)
    assert column == "分包领导" and "王某" in message


def test_export_writes_every_leader_and_reads_back_unchanged(world, run_import, db, client, login):
    run_import(world.zone_a, ledger_file([project_row(leader="李娜、张伟", industry="电子", total="约3.5亿")]))
    login(world.staff)
    exported = client.get("/imports/export.xlsx").data
    summary = run_import(world.zone_a, exported)
    assert summary["projects"]["unchanged"] == 1, summary["text"]
