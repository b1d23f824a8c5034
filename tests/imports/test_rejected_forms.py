"""Every form that must not be guessed is a row error naming the sheet, row, column and problem in
Chinese; the rest of the file still imports and the bad row writes nothing."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.models import Contact, Project
from tests.imports.conftest import contact_row, errors_of, ledger_file, project_row

# The lists below are built before any fixture: a cell that must be "tomorrow" says so, and the
# test writes the day after the run's today into it.
TOMORROW = "<tomorrow>"
GOOD = project_row(code="OK-1", name="好项目")


def dated(values: dict, today) -> dict:
    tomorrow = (today + timedelta(days=1)).isoformat()
    return {k: tomorrow if v == TOMORROW else v for k, v in values.items()}


@pytest.mark.parametrize("values, column, message", [
    ({"stage": "开始"}, "项目阶段", "未知的项目阶段“开始”，最接近的是："),
    ({"leader": "周杰"}, "分包领导", "本开发区没有名为“周杰”的领导（须已在系统中建立领导账号）"),
    ({"leader": "赵强"}, "分包领导", "本开发区没有名为“赵强”的领导（须已在系统中建立领导账号）"),  # another zone's
    ({"total": "-5"}, "总投资（万元）", "金额不能为负数"),
    ({"capital": "－１００"}, "合同外资（万美元）", "金额不能为负数"),
    ({"total": "约一千万"}, "总投资（万元）", "“约一千万”不是有效的金额"),
    ({"total": "12.3456789"}, "总投资（万元）", "金额最多精确到分"),
    ({"capital": "100万元"}, "合同外资（万美元）", "金额单位“万元”与本列不符，本列以万美元填写"),
    ({"planned_on": "下周一"}, "谋划日期",
     "“下周一”不是有效的日期，请写作 2024-03-05、2024/3/5、2024.3.5 或 2024年3月5日"),
    ({"planned_on": "2024-02-30"}, "谋划日期", "“2024-02-30”不是有效的日期（该月没有这一天）"),
    ({"planned_on": TOMORROW}, "谋划日期", "谋划日期不能晚于今天"),
    ({"stage": "签约", "signed_on": "3/5/2024"}, "签约日期",
     "“3/5/2024”不是有效的日期，请写作 2024-03-05、2024/3/5、2024.3.5 或 2024年3月5日"),
    ({"usci": "91350100M000100Y44"}, "统一社会信用代码", "统一社会信用代码校验位不正确，请核对"),
    ({"usci": "9135010"}, "统一社会信用代码", "统一社会信用代码应为18位，当前为7位"),
    ({"name": ""}, "项目名称", "请填写项目名称"),
    ({"name": "   "}, "项目名称", "请填写项目名称"),
    ({"name": "名" * 201}, "项目名称", "内容过长，最多200个字，当前201个字"),
    ({"manufacturing": "可能"}, "是否制造业", "“可能”不是“是”或“否”（可填 是/否、Y/N、√/×）"),
    ({"origin": "火星"}, "投资方国别或地区", "未知的投资方国别或地区“火星”"),
    ({"industry": "火星采掘"}, "所属行业", "未知的所属行业“火星采掘”"),
    ({"key_level": "国家重点"}, "重点项目级别", "未知的重点项目级别“国家重点”，最接近的是："),
    ({"stage": "签约"}, "签约日期", "项目阶段为“签约”，请填写签约日期"),
    ({"stage": "终止"}, "终止日期", "项目阶段为“终止”，请填写终止日期"),
    ({"stage": "签约", "signed_on": "2024-03-05", "started_on": "2024-04-01"}, "开工日期",
     "项目阶段为“签约”，却填写了开工日期"),
    ({"stage": "开工", "signed_on": "2024-05-05", "started_on": "2024-04-01"}, "开工日期",
     "开工日期（2024-04-01）早于签约日期（2024-05-05）"),
    ({"stage": "签约", "signed_on": TOMORROW}, "签约日期", "签约日期不能晚于今天"),
])
def test_rejected_project_cells(world, run_import, db, values, column, message, today):
    bad = project_row(code="BAD-1", **{"name": "坏项目", **dated(values, today)})
    summary = run_import(world.zone_a, ledger_file([GOOD, bad]))
    assert summary["projects"]["created"] == 1 and summary["projects"]["rejected"] == 1
    [(sheet, row, col, text)] = errors_of(summary)
    assert (sheet, row, col) == ("项目台账", 3, column)
    assert text.startswith(message), text
    assert db.session.scalars(select(Project.code)).all() == ["OK-1"]


def test_a_row_with_several_problems_lists_each(world, run_import):
    summary = run_import(world.zone_a, ledger_file([project_row(total="-1", stage="开始", usci="123")]))
    assert [e[2] for e in errors_of(summary)] == ["统一社会信用代码", "总投资（万元）", "项目阶段"]
    assert summary["projects"]["rejected"] == 1


def test_two_rows_of_one_project_are_refused(world, run_import, db):
    summary = run_import(world.zone_a, ledger_file([project_row(name="甲"), project_row(name=" 甲 ")]))
    assert errors_of(summary) == [("项目台账", 3, "项目名称", "与项目台账第2行是同一项目，请合并为一行")]
    same_code = run_import(world.zone_a, ledger_file([project_row(code="C1", name="甲"),
                                                      project_row(code="C1", name="乙")]))
    assert errors_of(same_code)[0][2:] == ("项目编号", "与项目台账第2行是同一项目，请合并为一行")


def test_an_investor_with_two_origins_in_one_file_is_refused(world, run_import):
    summary = run_import(world.zone_a, ledger_file([project_row(name="甲", investor="某公司", origin="日本"),
                                                    project_row(name="乙", investor="某公司", origin="德国")]))
    assert errors_of(summary) == [("项目台账", 3, "投资方国别或地区",
                                   "投资方“某公司”的国别或地区在第2行填写为“日本”，与本行不一致")]


def test_ambiguous_projects_need_a_code(world, run_import, make_project):
    make_project(world.zone_a, name="同名项目", investor="某公司")
    make_project(world.zone_a, name="同名项目", investor="某公司")
    summary = run_import(world.zone_a, ledger_file([project_row(name="同名项目", investor="某公司", note="改")]))
    assert errors_of(summary) == [("项目台账", 2, "项目编号", "本区已有2个名称和投资方都相同的项目，请填写项目编号以区分")]


@pytest.mark.parametrize("values, column, message", [
    ({"occurred_on": ""}, "对接日期", "请填写对接日期"),
    ({"occurred_on": "昨天"}, "对接日期", "“昨天”不是有效的日期"),
    ({"occurred_on": TOMORROW}, "对接日期", "对接日期不能晚于今天"),
    ({"leaders": ""}, "对接领导", "请填写对接领导"),
    ({"leaders": "张伟、周杰"}, "对接领导", "本开发区没有名为“周杰”的领导"),
    ({"leaders": "赵强"}, "对接领导", "本开发区没有名为“赵强”的领导"),
    ({"form": ""}, "对接方式", "请填写对接方式"),
    ({"form": "飞鸽传书"}, "对接方式", "未知的对接方式“飞鸽传书”"),
    ({"summary": " "}, "对接内容", "请填写对接内容"),
    ({"next_step": "再谈", "next_step_on": "2024-02-01"}, "下一步日期", "下一步日期不能早于对接日期"),
    ({"next_step_on": "2024-04-01"}, "下一步", "填写了下一步日期，请同时填写下一步"),
    ({"name": "", "code": ""}, "项目名称", "请填写项目编号或项目名称"),
    ({"code": "", "name": "不存在的项目"}, "项目名称", "找不到名为“不存在的项目”的项目，请先在项目台账中录入，或加入本文件的项目台账"),
    ({"code": "NOPE"}, "项目编号", "找不到项目编号为“NOPE”的项目，请先在项目台账中录入"),
])
def test_rejected_contact_cells(world, run_import, db, values, column, message, today):
    content = ledger_file([GOOD], [contact_row(code="OK-1", summary="好的"),
                                   contact_row(**{"code": "OK-1", "summary": "坏的", **dated(values, today)})])
    summary = run_import(world.zone_a, content)
    assert summary["contacts"]["created"] == 1 and summary["contacts"]["rejected"] == 1
    [(sheet, row, col, text)] = errors_of(summary)
    assert (sheet, row, col) == ("对接记录", 3, column)
    assert text.startswith(message), text
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 1


def test_contacts_of_a_rejected_project_row_say_why(world, run_import):
    content = ledger_file([project_row(code="BAD", name="坏项目", total="-1")],
                          [contact_row(code="BAD"), contact_row(code="", name="坏项目")])
    summary = run_import(world.zone_a, content)
    why = "所属项目“坏项目”是新项目，其项目台账第2行有错误未导入（总投资（万元）：金额不能为负数）；改正该行后重新导入，本行即可导入"
    assert errors_of(summary)[1:] == [("对接记录", 2, "项目编号", why), ("对接记录", 3, "项目名称", why)]
    assert [e["project"] for e in summary["errors"]] == ["坏项目", "新能源电池项目", "坏项目"]  # as each row writes it


def test_contacts_of_a_project_the_database_holds_go_in_whatever_its_row(world, run_import, make_project, db):
    make_project(world.zone_a, name="已有项目", code="OLD-1")
    content = ledger_file([project_row(code="OLD-1", name="已有项目", total="-1")],
                          [contact_row(code="OLD-1"), contact_row(code="", name="已有项目", summary="第二次")])
    summary = run_import(world.zone_a, content)
    assert summary["projects"]["rejected"] == 1 and summary["contacts"]["created"] == 2, summary["text"]


def test_leaders_sharing_a_name_are_told_apart_by_username(world, run_import, db):
    from app.models import LEADER, User
    db.session.add(User(username="zhangwei2", name="张伟", role=LEADER, zone=world.zone_a, password_hash="x"))
    db.session.commit()
    summary = run_import(world.zone_a, ledger_file([project_row(leader="张伟"),
                                                    project_row(name="乙", leader="zhangwei2")]))
    assert errors_of(summary) == [("项目台账", 2, "分包领导", "本开发区有2位名为“张伟”的领导，请改填其用户名")]
    assert summary["projects"]["created"] == 1


def test_contacts_with_the_same_project_name_in_two_projects_need_more(world, run_import, make_project):
    make_project(world.zone_a, name="同名项目", investor="甲公司")
    make_project(world.zone_a, name="同名项目", investor="乙公司")
    summary = run_import(world.zone_a, ledger_file([], [contact_row(name="同名项目")]))
    assert errors_of(summary) == [("对接记录", 2, "项目名称", "本区有2个名为“同名项目”的项目，请填写项目编号或投资方以区分")]
    resolved = run_import(world.zone_a, ledger_file([], [contact_row(name="同名项目", investor="乙公司")]))
    assert resolved["contacts"]["created"] == 1, resolved["text"]


def test_a_departed_leader_is_refused_for_projects_and_contacts(world, run_import, db, today):
    world.leader2.active = False
    db.session.commit()
    summary = run_import(world.zone_a, ledger_file(
        [project_row(code="P-1", leader="李娜")],
        [contact_row(name="新能源电池项目", leaders="李娜", occurred_on=today.isoformat())]))
    assert summary["projects"]["created"] == 0 and summary["contacts"]["created"] == 0
    assert ("项目台账", 2, "分包领导", "李娜已停用，不能担任分包领导") in errors_of(summary)
    assert any(sheet == "对接记录" and "李娜已停用，不能作为对接领导" in message
               for sheet, _, _, message in errors_of(summary)), errors_of(summary)


@pytest.mark.parametrize("value", ["1e309", "1e-400", "NaN", "Infinity", "１e５", "1" + "0" * 30])
def test_a_number_beyond_any_ledger_is_a_row_error(world, run_import, db, value):
    """Issue 17: the import cell, like every money entrance, refuses it in Chinese."""
    summary = run_import(world.zone_a, ledger_file([GOOD, project_row(code="BAD-1", name="坏项目", total=value)]))
    [(sheet, row, column, text)] = errors_of(summary)
    assert (row, column) == (3, "总投资（万元）") and re.search(r"[\u4e00-\u9fff]", text)
    assert db.session.scalars(select(Project.code)).all() == ["OK-1"]
