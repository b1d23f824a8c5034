"""The dry run writes nothing; the same file twice changes nothing the second time; the zone's
export imports back as a no-op; a changed row updates exactly what changed, audited."""
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.imports.sheets import template_workbook, zone_workbook
from app.models import AuditEvent, Contact, Project
from tests.imports.conftest import contact_row, errors_of, ledger_file, project_row, xlsx_bytes

MESSY = ledger_file([
    project_row(code="A-1", name="新能源电池项目", total="１，２００", stage="开工", signed_on="2024/3/5",
                started_on="2024年5月1日", leader="张伟", manufacturing="√", key_level="市重点"),
    project_row(code="", name=" 生物医药项目 ", investor="日本精工株式会社", origin="日本", capital="6,000.5",
                stage="在谈", negotiating_on="2024.2.1", industry="生物医药"),
    project_row(name="坏项目", total="-1"),
], [
    contact_row(code="A-1", occurred_on="2024-03-01", leaders="张伟、李娜", summary="介绍政策"),
    contact_row(code="", name="生物医药项目", occurred_on="2024/3/2", leaders="李娜", form="电话", summary="电话沟通"),
    contact_row(code="A-1", occurred_on="2024-03-01", leaders="张伟、李娜", summary="介绍政策"),   # same row twice
])


def test_the_dry_run_writes_nothing_and_says_what_would_happen(world, run_import, snapshot):
    before = snapshot()
    summary = run_import(world.zone_a, MESSY, dry_run=True)
    assert snapshot() == before
    assert summary["dry_run"] is True
    assert summary["projects"] == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    assert summary["contacts"] == {"created": 2, "unchanged": 1, "rejected": 0}
    assert errors_of(summary) == [("项目台账", 4, "总投资（万元）", "金额不能为负数")]
    assert "（试运行，未写入任何数据）" in summary["text"]


def test_the_dry_run_predicts_the_import(world, run_import):
    predicted = run_import(world.zone_a, MESSY, dry_run=True)
    done = run_import(world.zone_a, MESSY)
    for key in ("projects", "contacts", "errors"):
        assert predicted[key] == done[key]


def test_the_same_file_twice_changes_nothing_the_second_time(world, run_import, snapshot):
    first = run_import(world.zone_a, MESSY)
    assert first["projects"]["created"] == 2 and first["contacts"]["created"] == 2
    before = snapshot()
    second = run_import(world.zone_a, MESSY)
    assert snapshot() == before  # not even an audit record
    assert second["projects"] == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 1}
    assert second["contacts"] == {"created": 0, "unchanged": 3, "rejected": 0}


def test_the_zones_export_imports_back_as_a_no_op(world, run_import, make_project, log_contact, snapshot, db):
    make_project(world.zone_a, name='=HYPERLINK("http://x")', investor="日本精工株式会社", origin="JP", code="007",
                 capital_wan="6000.123456", total_wan="12345.67", usci="91350100M000100Y43", key_level="provincial",
                 leader_id=world.leader.id, responsible="王芳", note="-待定\n第二行", is_manufacturing=True,
                 stages=[("negotiating", date(2024, 2, 1)), ("signed", date(2024, 3, 1)),
                         ("started", date(2024, 5, 1))])
    dropped = make_project(world.zone_a, name="终止项目", investor="",
                           stages=[("signed", date(2024, 3, 1)), ("dropped", date(2024, 6, 1))])
    lead = make_project(world.zone_a, name="线索项目", investor="+乙公司", planned_on=date(2024, 1, 3))
    log_contact(dropped, [world.leader, world.leader2], date(2024, 3, 2), summary="  多次对接 ",
                next_step="再谈", next_step_on=date(2024, 4, 1))
    log_contact(lead, [world.leader2], date(2024, 3, 3), summary="@提及")
    run_import(world.zone_a, MESSY)
    make_project(world.zone_c, name="别区项目")
    before = snapshot()
    exported = zone_workbook(world.zone_a)
    summary = run_import(world.zone_a, exported, name="export.xlsx")
    assert summary["totals"] == {"created": 0, "updated": 0, "unchanged": 9, "rejected": 0}, summary["text"]
    assert snapshot() == before
    # Another zone's projects are neither exported nor touched.
    assert db.session.scalar(select(Project).where(Project.zone_id == world.zone_c.id)).name == "别区项目"


def test_the_templates_example_rows_are_skipped(world, run_import, snapshot):
    before = snapshot()
    summary = run_import(world.zone_a, template_workbook(), name="模板.xlsx")
    assert summary["totals"] == {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    assert [s["skipped_examples"] for s in summary["sheets"]] == [1, 1, 1]
    assert snapshot() == before


def test_a_changed_row_updates_what_changed_and_is_audited(world, run_import, db):
    run_import(world.zone_a, MESSY)
    changed = ledger_file([
        project_row(code="A-1", name="新能源电池项目", total="1500", stage="投产", signed_on="2024-03-05",
                    started_on="2024-05-01", produced_on="2024-09-01", leader="李娜", manufacturing="是",
                    key_level="市重点"),
        project_row(code="", name="生物医药项目", investor="日本精工株式会社", origin="日本", capital="6000.5",
                    stage="在谈", negotiating_on="2024-02-01", industry="生物医药"),
    ])
    dry = run_import(world.zone_a, changed, dry_run=True)
    assert dry["projects"] == {"created": 0, "updated": 1, "unchanged": 1, "rejected": 0}
    assert dry["updates"] == [{"sheet": "项目台账", "row": 2, "project": "新能源电池项目",
                               "fields": ["总投资（万元）", "分包领导", "项目阶段"]}]
    run_import(world.zone_a, changed, user=world.staff)
    project = db.session.scalars(select(Project).where(Project.code == "A-1")).one()
    assert project.total_investment == Decimal("15000000.00") and project.leader_id == world.leader2.id
    assert project.stage == "producing" and project.produced_on == date(2024, 9, 1)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.user_id == world.staff.id)
                                .order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["update", "stage_change", "import"]
    assert events[0].after == {"total_investment": "15000000.00", "leader_id": world.leader2.id}
    assert events[2].after["projects"] == {"created": 0, "updated": 1, "unchanged": 1, "rejected": 0}


def test_cosmetic_differences_are_no_change(world, run_import, make_project, snapshot):
    make_project(world.zone_a, name="新能源电池项目", investor="北京华创科技有限公司", total_wan="1200", code="A-1")
    before = snapshot()
    summary = run_import(world.zone_a, ledger_file([
        project_row(code="", name=" 新能源电池项目　", investor="北京华创科技 有限公司", total="1,200.00",
                    stage="线索", industry="其他", manufacturing="否", industrial="N")]))
    assert summary["projects"]["unchanged"] == 1, summary["text"]
    assert snapshot() == before


def test_columns_a_file_does_not_have_are_left_alone(world, run_import, make_project, db):
    make_project(world.zone_a, name="项目甲", investor="甲公司", total_wan="1200", note="原备注",
                 leader_id=world.leader.id, responsible="王芳", key_level="municipal")
    summary = run_import(world.zone_a, xlsx_bytes({"台账": [["项目名称", "投资方", "是否制造业"], ["项目甲", "甲公司", "是"]]}))
    assert summary["updates"][0]["fields"] == ["是否制造业"]
    db.session.expire_all()
    project = db.session.scalars(select(Project)).one()
    assert (project.note, project.leader_id, project.responsible, project.key_level) == (
        "原备注", world.leader.id, "王芳", "municipal")
    assert project.total_investment == Decimal("12000000.00") and project.is_manufacturing


def test_a_code_is_given_to_the_project_with_that_name_and_investor(world, run_import, make_project, db):
    make_project(world.zone_a, name="项目甲", investor="甲公司")
    summary = run_import(world.zone_a, ledger_file([project_row(code="NEW-7", name="项目甲", investor="甲公司")]))
    assert summary["updates"][0]["fields"] == ["项目编号"]
    assert db.session.scalars(select(Project.code)).all() == ["NEW-7"]


def test_an_import_never_rewrites_a_recorded_milestone(world, run_import, make_project, db):
    make_project(world.zone_a, name="项目甲", investor="甲公司", code="P1", stages=[("signed", date(2024, 3, 5))])
    summary = run_import(world.zone_a, ledger_file([
        project_row(code="P1", name="项目甲", investor="甲公司", stage="签约", signed_on="2024-03-06"),
        project_row(code="P2", name="项目乙", investor="乙公司", stage="签约", signed_on="2024-03-06")]))
    assert errors_of(summary) == [("项目台账", 2, "签约日期",
                                   "签约日期与系统记录（2024-03-05）不一致；已记录的阶段日期请在项目页面核对")]
    regress = run_import(world.zone_a, ledger_file([project_row(code="P1", name="项目甲", investor="甲公司", stage="在谈")]))
    assert errors_of(regress)[0][2:] == ("项目阶段", "项目阶段不能由“签约”退回“在谈”，如需更正请在项目页面变更阶段")


def test_contacts_already_logged_are_not_logged_again(world, run_import, make_project, log_contact, db):
    project = make_project(world.zone_a, name="项目甲", investor="甲公司", code="P1")
    log_contact(project, [world.leader2, world.leader], date(2024, 3, 1), summary="介绍园区政策")
    summary = run_import(world.zone_a, ledger_file([], [
        contact_row(code="P1", occurred_on="2024/3/1", leaders="张伟、李娜", summary=" 介绍园区政策 "),
        contact_row(code="P1", occurred_on="2024/3/1", leaders="张伟", summary="介绍园区政策"),      # other leaders
        contact_row(code="P1", occurred_on="2024/3/1", leaders="张伟、李娜", form="电话", summary="介绍园区政策"),
    ]))
    assert summary["contacts"] == {"created": 2, "unchanged": 1, "rejected": 0}
    assert db.session.query(Contact).count() == 3


def test_contacts_may_name_a_project_by_the_name_the_same_file_gives_it(world, run_import, make_project, db):
    make_project(world.zone_a, name="旧名称", investor="甲公司", code="P1")
    summary = run_import(world.zone_a, ledger_file([project_row(code="P1", name="新名称", investor="甲公司")],
                                                   [contact_row(code="", name="新名称")]))
    assert summary["projects"]["updated"] == 1 and summary["contacts"]["created"] == 1, summary["text"]
