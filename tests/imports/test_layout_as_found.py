"""Sheets laid out as zones lay them out: title and blank rows, merged and two-line headers,
units and remarks in header brackets, extra columns kept in 备注, several sheets, and total
rows skipped and listed, never imported as projects."""
from decimal import Decimal

from sqlalchemy import select

from app.imports.mapping import KEEP
from app.models import Project

from .conftest import xlsx_bytes


def test_two_line_header_with_a_merged_group_and_units(world, run_import, db):
    content = xlsx_bytes({"台账": [
        ["某开发区重点项目台账"],
        ["填报单位：招商局", None, None, None, "2024年6月"],
        ["序号", "项目名称（全称）", "投资情况", None, "项目\n阶段", "进展情况"],
        [None, None, "总投资\n（亿元）", "合同外资(万美元)", None, None],
        [1, "项目一", "1.5", None, "在谈", "已完成选址"],
        [2, "项目二", "2", "500", "线索", ""],
    ]})
    summary = run_import(world.zone_a, content, columns={"进展情况": KEEP})
    assert summary["projects"]["created"] == 2, summary["text"]
    by_name = {p.name: p for p in db.session.scalars(select(Project))}
    assert by_name["项目一"].total_investment == Decimal("150000000.00")
    assert by_name["项目二"].foreign_capital == Decimal("5000000.00")
    assert by_name["项目一"].note == "进展情况：已完成选址" and by_name["项目二"].note == ""
    sheet = summary["sheets"][0]
    assert sheet["kept_columns"] == ["进展情况"] and sheet["ignored_columns"] == ["序号"]


def test_total_and_subtotal_rows_are_skipped_and_listed(world, run_import, db):
    content = xlsx_bytes({"台账": [
        ["序号", "项目名称", "投资方", "总投资（万元）"],
        [1, "项目一", "甲公司", 300000],
        [2, "项目二", "乙公司", 200000],
        ["小计", None, None, 500000],
        [3, "项目三", "丙公司", 100000],
        [None, "共计", None, 600000],
        [None, None, None, 600000],   # numbers only: the sum of the rows above
        ["合 计", None, None, "100亿"],
    ]})
    summary = run_import(world.zone_a, content)
    assert summary["projects"] == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}, summary["text"]
    assert summary["sheets"][0]["skipped_totals"] == [
        {"row": 4, "reason": "小计"}, {"row": 6, "reason": "共计"}, {"row": 7, "reason": "总投资等于以上各行之和"},
        {"row": 8, "reason": "合计"}]
    assert "跳过合计行：第8行（合计）" in summary["text"]
    assert sorted(p.name for p in db.session.scalars(select(Project))) == ["项目一", "项目三", "项目二"]


def test_a_named_project_is_not_a_total_because_its_amount_adds_up(world, run_import):
    content = xlsx_bytes({"台账": [
        ["项目名称", "投资方", "总投资（万元）"], ["项目一", "甲", 100], ["项目二", "乙", 200], ["项目三", "丙", 300]]})
    assert run_import(world.zone_a, content)["projects"]["created"] == 3


def test_several_project_sheets(world, run_import):
    content = xlsx_bytes({"签约项目": [["项目名称", "项目阶段", "签约日期"], ["项目一", "已签约", "2024-03-01"]],
                          "在谈项目": [["项目名称", "项目阶段"], ["项目二", "洽谈"]]})
    summary = run_import(world.zone_a, content)
    assert summary["projects"]["created"] == 2, summary["text"]
    assert [s["name"] for s in summary["sheets"]] == ["签约项目", "在谈项目"]
