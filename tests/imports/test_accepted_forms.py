"""Every messy form a zone's ledger holds is read, through a real workbook, into the right value."""
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.imports.mapping import KEEP
from app.models import Contact, Investor, LeaderProject, Project, StageChange
from tests.imports.conftest import (CONTACT_HEADERS, PROJECT_HEADERS, contact_row, errors_of, ledger_file,
                                    project_row, xlsx_bytes)


def only_project(db):
    db.session.expire_all()
    return db.session.scalars(select(Project)).one()


@pytest.mark.parametrize("cell", [
    "2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日", " 2024-03-05 ", "２０２４－０３－０５", "２０２４年３月５日",
    datetime(2024, 3, 5), 45356, "20240305",
])
def test_dates(world, run_import, db, cell):
    summary = run_import(world.zone_a, ledger_file([project_row(stage="签约", signed_on=cell, planned_on=cell)]))
    assert summary["projects"]["created"] == 1, summary["text"]
    project = only_project(db)
    assert project.signed_on == date(2024, 3, 5) and project.planned_on == date(2024, 3, 5)


@pytest.mark.parametrize("cell, wan", [
    ("1200", "1200"), ("1,200.5", "1200.5"), ("１，２００．５", "1200.5"), (" 1200 ", "1200"), (1200.5, "1200.5"),
    (1200, "1200"), ("1200万元", "1200"), ("1.2亿元", "12000"), ("", None), ("—", None), ("0", "0"),
])
def test_total_investment(world, run_import, db, cell, wan):
    summary = run_import(world.zone_a, ledger_file([project_row(total=cell)]))
    assert summary["projects"]["created"] == 1, summary["text"]
    project = only_project(db)
    expected = None if wan is None else Decimal(wan) * 10_000
    assert project.total_investment == expected and project.total_investment_currency == "CNY"


def test_amounts_keep_their_cents_exactly(world, run_import, db):
    run_import(world.zone_a, ledger_file([project_row(origin="日本", capital="6000.123456", total="0.000001")]))
    project = only_project(db)
    assert project.foreign_capital == Decimal("60001234.56") and project.foreign_capital_currency == "USD"
    assert project.total_investment == Decimal("0.01")


def test_a_header_in_yi_yuan_is_read_in_yi_yuan(world, run_import, db):
    content = xlsx_bytes({"项目台账": [["项目名称", "投资方", "总投资（亿元）"], ["大项目", "某公司", "1.5"]]})
    run_import(world.zone_a, content)
    assert only_project(db).total_investment == Decimal("150000000.00")


@pytest.mark.parametrize("cell, expected", [
    ("是", True), ("Y", True), ("y", True), ("√", True), ("✓", True), ("1", True), (" 是 ", True), ("Ｙ", True),
    ("否", False), ("N", False), ("×", False), ("", False), ("0", False),
])
def test_yes_no(world, run_import, db, cell, expected):
    run_import(world.zone_a, ledger_file([project_row(manufacturing=cell, industrial=cell)]))
    project = only_project(db)
    assert project.is_manufacturing is expected and project.is_industrial is expected


@pytest.mark.parametrize("cell, code, foreign", [
    ("中国大陆", "CN", False), ("", "CN", False), ("日本", "JP", True), ("JP", "JP", True), ("香港", "HK", True),
    ("中国台湾", "TW", True),
])
def test_origins(world, run_import, db, cell, code, foreign):
    run_import(world.zone_a, ledger_file([project_row(origin=cell)]))
    project = only_project(db)
    assert project.investor.origin == code and project.is_foreign is foreign


def test_spaces_full_width_and_case_around_codes_and_choices(world, run_import, db):
    row = project_row(code=" ZX-001 ", name="　新能源电池项目 ", investor=" 北京华创科技有限公司　",
                      usci=" 91350100m000100y43 ", industry=" 新材料产业 ", stage=" 已签约 ", signed_on="2024-3-5",
                      key_level="省重点项目", leader=" 张伟 ", responsible=" 王芳 ", note="  第一行\n第二行  ")
    summary = run_import(world.zone_a, ledger_file([row]))
    assert summary["projects"]["created"] == 1, summary["text"]
    project = only_project(db)
    assert (project.code, project.name, project.investor.name) == ("ZX-001", "新能源电池项目", "北京华创科技有限公司")
    assert project.investor.usci == "91350100M000100Y43"
    assert (project.industry, project.industry_code, project.tags) == ("新材料产业", "C", "新材料产业")
    assert (project.stage, project.key_level) == ("signed", "provincial")
    assert project.leader_id == world.leader.id and project.responsible == "王芳" and project.note == "第一行\n第二行"


def test_milestones_become_dated_stage_changes_in_order(world, run_import, db):
    row = project_row(stage="投产", planned_on="2024-01-10", negotiating_on="2024-02-01", signed_on="2024-03-05",
                      started_on="2024-05-01", produced_on="2024-09-01")
    run_import(world.zone_a, ledger_file([row]))
    project = only_project(db)
    history = [(c.stage, c.changed_on) for c in project.stage_changes]
    assert history == [("negotiating", date(2024, 2, 1)), ("signed", date(2024, 3, 5)),
                       ("started", date(2024, 5, 1)), ("producing", date(2024, 9, 1))]
    assert project.stage == "producing" and project.entered_on == date(2024, 2, 1)
    assert project.planned_on == date(2024, 1, 10)


def test_a_new_project_without_a_planning_date_is_planned_when_it_was_entered(world, run_import, db):
    run_import(world.zone_a, ledger_file([project_row(stage="签约", signed_on="2023-06-01", key_level="市重点")]))
    project = only_project(db)
    # Not today: a key project of an old ledger must not count towards this year's planning target.
    assert project.planned_on == date(2023, 6, 1)


def test_a_blank_stage_follows_the_dates(world, run_import, db):
    run_import(world.zone_a, ledger_file([project_row(signed_on="2024-03-05", started_on="2024-04-01")]))
    assert only_project(db).stage == "started"


def test_a_dropped_project_keeps_its_signing(world, run_import, db):
    run_import(world.zone_a, ledger_file([project_row(stage="终止", signed_on="2024-03-05", dropped_on="2024-06-01")]))
    project = only_project(db)
    assert project.stage == "dropped" and project.signed_on == date(2024, 3, 5)
    assert project.dropped_on == date(2024, 6, 1)


def test_title_rows_serial_numbers_unknown_columns_and_blank_rows(world, run_import, db):
    content = xlsx_bytes({"2024年台账": [
        ["石家庄高新区2024年招商项目台账"],
        [],
        ["序号", "项目名称", "投资主体", "计划总投资(万元)", "当前阶段", "签约时间", "包联领导", "联系电话"],
        [1, "项目一", "甲公司", 100, "在谈", "", "张伟", "0311-1234567"],
        [],
        [None, None, None, None],
        [2, "项目二", "乙公司", "2,000", "签约", "2024/3/5", "李娜", ""],
    ]})
    summary = run_import(world.zone_a, content, columns={"联系电话": KEEP})
    assert summary["projects"] == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}, summary["text"]
    assert summary["sheets"][0]["name"] == "2024年台账" and summary["sheets"][0]["ignored_columns"] == ["序号"]
    assert summary["sheets"][0]["kept_columns"] == ["联系电话"]
    by_name = {p.name: p for p in db.session.scalars(select(Project))}
    assert by_name["项目二"].signed_on == date(2024, 3, 5) and by_name["项目二"].leader_id == world.leader2.id
    assert by_name["项目一"].stage == "negotiating" and by_name["项目一"].note == "联系电话：0311-1234567"


def test_row_numbers_are_the_sheets_own(world, run_import):
    content = xlsx_bytes({"台账": [["标题"], [], ["项目名称", "总投资（万元）"], ["好项目", "1"], [], ["坏项目", "-1"]]})
    summary = run_import(world.zone_a, content)
    assert errors_of(summary) == [("台账", 6, "总投资（万元）", "金额不能为负数")]


def test_investors_spelled_with_other_widths_or_spaces_are_the_same_investor(world, run_import, db):
    run_import(world.zone_a, ledger_file([project_row(name="项目一", investor="ABC科技有限公司"),
                                          project_row(name="项目二", investor=" ＡＢＣ科技 有限公司 ")]))
    assert db.session.scalars(select(Investor.name)).all() == ["ABC科技有限公司"]


def test_an_investors_origin_given_once_holds_for_its_other_rows(world, run_import, db):
    run_import(world.zone_a, ledger_file([project_row(name="项目一", investor="日本精工株式会社"),
                                          project_row(name="项目二", investor="日本精工株式会社", origin="日本")]))
    assert {p.is_foreign for p in db.session.scalars(select(Project))} == {True}


def test_contacts_in_every_accepted_form(world, run_import, db):
    content = ledger_file([project_row(code="A1", name="项目一"), project_row(name="项目二", investor="乙公司")], [
        contact_row(code="A1", occurred_on="2024/3/1", leaders="张伟、李娜", form="外出拜访", summary="一"),
        contact_row(code="", name="项目二", occurred_on=datetime(2024, 3, 2), leaders="张伟,李娜", form="拜访",
                    summary="二", next_step="再谈", next_step_on="2024年4月1日"),
        contact_row(code="", name="  项目二 ", investor="乙公司", occurred_on="２０２４．３．３", leaders="张伟，leader2",
                    form="电话", summary="三"),
    ])
    summary = run_import(world.zone_a, content, user=world.staff)
    assert summary["contacts"] == {"created": 3, "unchanged": 0, "rejected": 0}, summary["text"]
    contacts = db.session.scalars(select(Contact).order_by(Contact.occurred_on)).all()
    assert [c.form for c in contacts] == ["外出拜访", "外出拜访", "电话"]
    assert all({u.id for u in c.leaders} == {world.leader.id, world.leader2.id} for c in contacts)
    assert all(c.recorded_by_id == world.staff.id for c in contacts)
    assert contacts[1].next_step == "再谈" and contacts[1].next_step_on == date(2024, 4, 1)
    # The quota summary and the project's latest contact are kept by log_contact.
    credited = db.session.execute(select(LeaderProject.leader_id, LeaderProject.project_id)).all()
    assert len(credited) == 4
    project_two = db.session.scalars(select(Project).where(Project.name == "项目二")).one()
    assert project_two.last_contact_on == date(2024, 3, 3)


def test_contacts_refer_to_projects_of_the_same_file_and_already_in_the_ledger(world, run_import, make_project, db):
    make_project(world.zone_a, name="已有项目", code="OLD-1")
    content = ledger_file([project_row(code="NEW-1", name="新项目")], [
        contact_row(code="OLD-1", summary="一"), contact_row(code="NEW-1", summary="二"),
        contact_row(code="", name="已有项目", summary="三"),
    ])
    summary = run_import(world.zone_a, content)
    assert summary["contacts"]["created"] == 3, summary["text"]


def test_a_contacts_only_file(world, run_import, make_project, db):
    make_project(world.zone_a, name="已有项目", code="OLD-1")
    content = xlsx_bytes({"对接记录": [CONTACT_HEADERS, contact_row(code="OLD-1")]})
    summary = run_import(world.zone_a, content)
    assert summary["contacts"]["created"] == 1 and summary["projects"]["created"] == 0


def test_the_template_headers_work_in_any_column_order(world, run_import, db):
    headers = list(reversed(PROJECT_HEADERS))
    row = list(reversed(project_row(stage="签约", signed_on="2024-03-05")))
    run_import(world.zone_a, xlsx_bytes({"项目台账": [headers, row]}))
    assert only_project(db).signed_on == date(2024, 3, 5)


def test_stage_changes_are_recorded_with_the_import_note(world, run_import, db):
    run_import(world.zone_a, ledger_file([project_row(stage="开工", signed_on="2024-03-05", started_on="2024-04-01")]))
    notes = db.session.scalars(select(StageChange.note).order_by(StageChange.id)).all()
    assert notes == ["录入台账", "导入台账"]


def test_codes_in_another_width_are_the_same_code(world, run_import, make_project, db):
    make_project(world.zone_a, name="项目甲", investor="甲公司", code="ZX-001")
    summary = run_import(world.zone_a, ledger_file([project_row(code="ＺＸ－００１", name="项目甲", investor="甲公司")],
                                                   [contact_row(code=" ZX-００1 ", name="")]))
    assert summary["projects"]["unchanged"] == 1, summary["text"]
    assert summary["contacts"]["created"] == 1, summary["text"]
    assert db.session.scalars(select(Project.code)).all() == ["ZX-001"]
