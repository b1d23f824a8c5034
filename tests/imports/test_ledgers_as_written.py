"""Ledgers made here the way zone offices write them (issue 27): WPS sheet names, a merged
title, two-line headers merged across and downwards, group headings (一 电子信息产业, （一）,
a row that is only an industry), 小计/合计, blank and repeated header rows, GBK CSV, and the
everyday words for amounts (待定, 不详, —, 13,2). Each is imported as a new user would, and
the progress figures after it are the ones the rules give for its rows."""
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from app.domain import metrics as M
from app.imports.mapping import KEEP
from app.models import Project, Zone
from app.queries.progress import build_progress

from .conftest import csv_bytes, errors_of

INVESTMENT = "投资情况"


def workbook(sheets: dict) -> bytes:
    """{sheet name: (rows, merged ranges)}: a workbook as an office writes it, merges and all
    (the merged range's value in its top-left cell, as Excel and WPS keep it)."""
    book = Workbook()
    book.remove(book.active)
    for name, (rows, merges) in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for merged in merges:
            sheet.merge_cells(merged)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def zone_b(world, db):
    """A tier B zone: its targets count foreign projects of any amount, domestic ones from 5亿
    and manufacturing ones from 10亿 (the 2024 work points)."""
    zone = Zone(code="zdgx", name="正定高新区", tier="B", county="正定县", kind="高新区", level="省级")
    db.session.add(zone)
    world.leader.zone = world.leader2.zone = zone
    db.session.commit()
    return zone


def actual(zone, *metrics) -> dict:
    progress = build_progress(2024, date(2024, 12, 31)).zone(zone.id)
    return {m: progress.metric(m).actual for m in metrics}


HEADER_UPPER = ["序号", "项目名称", "投资方", "国别", "所属行业", INVESTMENT, None, "项目阶段", "签约日期", "分包领导"]
HEADER_LOWER = [None, None, None, None, None, "总投资（亿元）", "合同外资（万美元）", None, None, None]
# The header's cells merged downwards over its two rows, and 投资情况 across its two columns.
HEADER_MERGES = ["A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:G2", "H2:H3", "I2:I3", "J2:J3"]


def wps_ledger() -> bytes:
    rows = [
        ["2024年招商引资重点项目台账"],
        HEADER_UPPER,
        HEADER_LOWER,
        ["一、电子信息产业"],                                                                        # 4
        [1, "智能终端电子产品项目", "香港华信电子有限公司", "中国香港", "电子信息", 12, 6000, "签约", "2024-05-01", "张伟"],
        [2, "芯片封装测试项目", "北京芯联科技有限公司", "中国大陆", "电子", 15, "—", "签约", "2024-06-01", "李娜"],
        ["小计", None, None, None, None, 27],                                                        # 7
        ["二", "现代物流"],                                                                           # 8
        [3, "冷链物流园项目", "石家庄顺达物流有限公司", "中国大陆", "现代物流", 6, None, "签约", "2024-07-01", "张伟"],
        [],                                                                                            # 10
        HEADER_UPPER,                                                                                  # 11: printed again
        HEADER_LOWER,                                                                                  # 12
        [None, "新能源产业"],                                                                          # 13
        [4, "光伏组件制造项目", "河北晶阳新能源有限公司", "中国大陆", "新能源", 20, None, "签约", "2024-08-01", "李娜"],
        [5, "风电场项目", "河北冀风能源有限公司", "中国大陆", "新能源", "待定", None, "在谈", None, "张伟"],
        [6, "精密机械项目", "新加坡精工私人有限公司", "新加坡", "高端装备制造", "待定", 3000, "签约", "2024-09-01", "张伟"],
        ["合计", None, None, None, None, 53, 9000],                                                  # 17
    ]
    return workbook({"Sheet1": (rows, ["A1:J1", *HEADER_MERGES, "A4:J4"])})


def test_a_wps_ledger_goes_in_as_the_rules_read_it(world, zone_b, run_import, db):
    dry = run_import(zone_b, wps_ledger(), name="台账.xlsx", dry_run=True)
    summary = run_import(zone_b, wps_ledger(), name="台账.xlsx")
    for result in (dry, summary):
        assert result["projects"] == {"created": 6, "updated": 0, "unchanged": 0, "rejected": 0}, result["text"]
    sheet = summary["sheets"][0]
    assert sheet["name"] == "Sheet1" and sheet["rows"] == 6
    assert sheet["skipped_totals"] == [{"row": 7, "reason": "小计"}, {"row": 17, "reason": "合计"}]
    assert [(r["rows"], r["reason"]) for r in sheet["skipped_rows"]] == [
        ("4", "分组标题“一、电子信息产业”"), ("8", "分组标题“二 现代物流”"), ("10", "空行"), ("11", "重复的表头"),
        ("12", "重复的表头"), ("13", "分组标题“新能源产业”（行业）")]
    assert ("跳过的行（不导入）：第4行（分组标题“一、电子信息产业”）、第8行（分组标题“二 现代物流”）、第10行（空行）、"
            "第11行（重复的表头）、第12行（重复的表头）、第13行（分组标题“新能源产业”（行业））") in summary["text"]

    projects = {p.name: p for p in db.session.scalars(select(Project))}
    assert sorted(projects) == sorted(["智能终端电子产品项目", "芯片封装测试项目", "冷链物流园项目", "光伏组件制造项目",
                                       "风电场项目", "精密机械项目"])
    # 总投资 under 投资情况 in 亿元, read from the header's second line.
    assert projects["芯片封装测试项目"].total_investment == Decimal("1500000000.00")
    assert projects["精密机械项目"].foreign_capital == Decimal("30000000.00")
    flags = {name: (p.is_manufacturing, p.is_industrial) for name, p in projects.items()}
    assert flags == {"智能终端电子产品项目": (True, True), "芯片封装测试项目": (True, True),
                     "冷链物流园项目": (False, False), "光伏组件制造项目": (True, True), "风电场项目": (False, True),
                     "精密机械项目": (True, True)}
    assert projects["风电场项目"].total_investment is None and projects["精密机械项目"].total_investment is None

    # The readings said each of it before anything was written.
    readings = {p["project"]: [f"{r['column']}：{r['text']}" for r in p["readings"]] + p["flags"] for p in dry["preview"]}
    assert "是否制造业：高端装备制造 → C 制造业 → 制造业项目、工业项目" in readings["精密机械项目"]
    assert "是否制造业：电子信息 → 39 计算机、通信和其他电子设备制造业 → 制造业项目、工业项目" in readings["智能终端电子产品项目"]
    assert "是否制造业：新能源 → D 电力、热力、燃气及水生产和供应业 → 工业项目（非制造业）" in readings["风电场项目"]
    solar = readings["光伏组件制造项目"]
    assert ("是否制造业：新能源 → D 电力、热力、燃气及水生产和供应业；项目名称含“制造”，按制造业项目、工业项目计"
            "（以项目名称为准；如不是，请在“是否制造业”列填写“否”）") in solar
    assert "制造业按项目名称认定" in solar
    assert "总投资（亿元）：待定 → 金额未定，留空，不计入门槛" in readings["风电场项目"]
    assert not any("是否制造业" in r for r in readings["冷链物流园项目"])   # nothing to say: 否 as before

    # Tier B, 2024: foreign of any amount 2 (香港, 新加坡 with 总投资 待定); domestic from 5亿 3 (芯片 15,
    # 冷链 6, 光伏 20); manufacturing from 10亿 3 (智能终端 12 and 芯片 15 by their industry, 光伏 20 by its
    # name; 精密机械's amount is not known, so it does not count).
    assert actual(zone_b, M.FOREIGN, M.DOMESTIC, M.MANUFACTURING) == {M.FOREIGN: 2, M.DOMESTIC: 3, M.MANUFACTURING: 3}

    again = run_import(zone_b, wps_ledger(), name="台账.xlsx")
    assert again["projects"] == {"created": 0, "updated": 0, "unchanged": 6, "rejected": 0}, again["text"]


def test_a_column_that_states_manufacturing_overrides_the_reading(world, zone_b, run_import, db):
    content = workbook({"工作表1": ([
        ["项目名称", "所属行业", "是否制造业", "是否工业项目", "总投资（万元）"],
        ["物流装备项目", "高端装备制造", "否", "", "150000"],     # the column says 否: 工业 still from C
        ["光伏组件制造项目", "新能源", "", "否", "200000"],        # blank: read; 工业 stated 否
        ["软件园项目", "软件", "是", "", "100000"],                # the column says 是: 工业 follows
    ], [])})
    summary = run_import(zone_b, content)
    assert summary["projects"]["created"] == 3, summary["text"]
    flags = {p.name: (p.is_manufacturing, p.is_industrial) for p in db.session.scalars(select(Project))}
    assert flags == {"物流装备项目": (False, True), "光伏组件制造项目": (True, False), "软件园项目": (True, True)}
    readings = {p["project"]: [r["text"] for r in p["readings"]] for p in summary["preview"]}
    assert "高端装备制造 → C 制造业 → 工业项目" in readings["物流装备项目"]
    assert any("项目名称含“制造”，按制造业项目计" in r for r in readings["光伏组件制造项目"])


def test_an_existing_project_takes_the_reading_of_its_industry_and_the_preview_says_so(
        world, make_project, run_import, db):
    make_project(world.zone_a, "电子元件项目", investor="甲公司")
    content = workbook({"Sheet1": ([["项目名称", "投资方", "所属行业"], ["电子元件项目", "甲公司", "电子"]], [])})
    summary = run_import(world.zone_a, content)
    assert summary["updates"][0]["fields"] == ["所属行业", "是否制造业", "是否工业项目"], summary["text"]
    project = db.session.scalars(select(Project)).one()
    assert (project.industry_code, project.is_manufacturing, project.is_industrial) == ("39", True, True)
    # A file without the industry says nothing of either: both stay.
    again = run_import(world.zone_a, workbook({"Sheet1": ([["项目名称", "投资方", "总投资"], ["电子元件项目", "甲公司", "100"]], [])}))
    assert again["updates"][0]["fields"] == ["总投资（万元）"]
    db.session.expire_all()
    assert db.session.scalars(select(Project.is_manufacturing)).one() is True


def test_a_two_line_header_merged_downwards_is_not_read_as_data(world, run_import, db):
    # Every column but 总投资 merged over both header rows: the second row holds only the unit.
    content = workbook({"Sheet1": ([
        ["项目名称", "投资方", "总投资", "项目阶段"],
        [None, None, "（亿元）", None],
        ["项目一", "甲公司", "1.5", "在谈"],
        ["项目二", "乙公司", "2", "线索"],
    ], ["A1:A2", "B1:B2", "D1:D2"])})
    summary = run_import(world.zone_a, content)
    assert summary["projects"] == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}, summary["text"]
    amounts = {p.name: p.total_investment for p in db.session.scalars(select(Project))}
    assert amounts == {"项目一": Decimal("150000000.00"), "项目二": Decimal("200000000.00")}


def test_a_sub_header_line_under_a_kept_column_is_not_data(world, run_import, db):
    content = workbook({"Sheet1": ([
        ["项目名称", "投资方", "进展情况", None],
        [None, None, "当前进展", "存在问题"],
        ["项目一", "甲公司", "已完成选址", "用地指标"],
    ], ["A1:A2", "B1:B2", "C1:D1"])})
    summary = run_import(world.zone_a, content, columns={"当前进展": KEEP, "存在问题": KEEP})
    assert summary["projects"]["created"] == 1 and summary["projects"]["rejected"] == 0, summary["text"]


def test_the_first_data_row_under_a_one_line_header_stays_data(world, run_import):
    content = workbook({"Sheet1": ([["项目名称", "投资方", "总投资"], [None, "甲公司", "100"], ["项目二", "乙公司", "200"]], [])})
    summary = run_import(world.zone_a, content)
    assert summary["projects"] == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1}, summary["text"]
    assert errors_of(summary) == [("Sheet1", 2, "项目名称", "请填写项目名称")]


@pytest.mark.parametrize("heading", ["（一）签约项目", "(二)在谈项目", "1.新材料", "三 现代物流", "电子信息产业", "制造业"])
def test_group_headings_are_skipped(world, run_import, db, heading):
    content = workbook({"Sheet1": ([["序号", "项目名称", "投资方"], [None, heading], [1, "项目一", "甲公司"]], [])})
    summary = run_import(world.zone_a, content)
    assert summary["projects"]["created"] == 1, summary["text"]
    assert summary["sheets"][0]["skipped_rows"][0]["row"] == 2
    assert db.session.scalars(select(Project.name)).all() == ["项目一"]


@pytest.mark.parametrize("row", [[1, "一期厂房项目"], [None, "新能源电池项目"], ["1", "项目一"], [None, "十里铺物流园"]])
def test_a_project_written_alone_is_not_a_heading(world, run_import, row):
    content = workbook({"Sheet1": ([["序号", "项目名称", "投资方"], row], [])})
    summary = run_import(world.zone_a, content)
    assert summary["projects"]["created"] == 1, summary["text"]
    assert summary["sheets"][0]["skipped_rows"] == []


def test_a_gbk_csv_with_title_headings_and_totals(world, zone_b, run_import, db):
    rows = [
        ["正定高新区2024年项目台账", "", "", "", "", ""],
        ["序号", "项目名称", "投资方", "投资方国别或地区", "所属行业", "总投资（万元）", "合同外资（万美元）", "项目阶段", "签约日期"],
        ["一", "先进制造业", "", "", "", "", "", "", ""],
        ["1", "数控机床项目", "河北精机有限公司", "中国大陆", "装备制造", "120000", "", "签约", "2024/3/5"],
        ["2", "日资轴承项目", "日本精工株式会社", "日本", "通用设备", "不详", "500", "签约", "2024年4月8日"],
        ["", "", "", "", "", "", "", "", ""],
        ["二", "商贸服务", "", "", "", "", "", "", ""],
        ["3", "商贸综合体项目", "石家庄万达商业有限公司", "中国大陆", "零售", "80000", "", "签约", "2024.6.1"],
        ["合计", "", "", "", "", "200000", "500", "", ""],
    ]
    summary = run_import(zone_b, csv_bytes(rows, encoding="gbk"), name="台账.csv")
    assert summary["projects"] == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}, summary["text"]
    assert [(r["rows"], r["reason"]) for r in summary["sheets"][0]["skipped_rows"]] == [
        ("3", "分组标题“一 先进制造业”"), ("6", "空行"), ("7", "分组标题“二 商贸服务”")]
    assert actual(zone_b, M.FOREIGN, M.DOMESTIC, M.MANUFACTURING) == {M.FOREIGN: 1, M.DOMESTIC: 2, M.MANUFACTURING: 1}
    bearings = db.session.scalars(select(Project).where(Project.name == "日资轴承项目")).one()
    assert bearings.total_investment is None and bearings.is_manufacturing and bearings.is_foreign


@pytest.mark.parametrize("written", ["待定", "不详", "暂无", "—", "－", "-"])
def test_an_amount_not_yet_known_keeps_the_project_without_an_amount(world, run_import, db, written):
    content = workbook({"Sheet1": ([["项目名称", "投资方", "国别", "总投资（万元）", "合同外资（万美元）"],
                                    ["外资项目", "东京电子株式会社", "日本", written, "2000"]], [])})
    summary = run_import(world.zone_a, content)
    assert summary["projects"]["created"] == 1, summary["text"]
    project = db.session.scalars(select(Project)).one()
    assert project.total_investment is None and project.foreign_capital == Decimal("20000000.00")
    assert [r["text"] for r in summary["preview"][0]["readings"]] == [f"{written} → 金额未定，留空，不计入门槛"]


@pytest.mark.parametrize("written, quoted, decimal_reading, separator_reading", [
    ("13,2", "13,2", "13.2", "132"), ("1,20亿", "1,20亿", "1.20亿", "120亿"), ("１３，２", "13,2", "13.2", "132"),
    ("1,234,56", "1,234,56", "1234.56", "123456")])
def test_a_comma_before_one_or_two_digits_is_refused_naming_both_readings(world, run_import, db, written, quoted,
                                                                          decimal_reading, separator_reading):
    content = workbook({"Sheet1": ([["项目名称", "总投资（万元）"], ["项目一", written]], [])})
    summary = run_import(world.zone_a, content)
    assert summary["projects"]["rejected"] == 1
    assert errors_of(summary) == [("Sheet1", 2, "总投资（万元）",
                                   f"“{quoted}”中的逗号含义不明：是 {decimal_reading}（逗号作小数点）还是 "
                                   f"{separator_reading}（逗号作千分位）？请改写为其中之一")]
    assert db.session.scalars(select(Project)).all() == []


def test_an_annotated_workbook_is_made_on_merged_cells_and_points_at_the_cause(world, run_import):
    from app.imports.sheets import error_workbook
    rows = [
        ["重点项目台账"],
        ["项目名称", "投资方", INVESTMENT, None, "项目阶段"],
        [None, None, "总投资（亿元）", "合同外资（万美元）", None],
        ["项目一", "甲公司", "13,2", None, "在谈"],
        ["项目二", "乙公司", "3", None, "终止"],              # 终止 without a 终止日期 column
        ["项目三", None, None, None, "签约"],                 # 签约 without a 签约日期 column
    ]
    content = workbook({"台账": (rows, ["A1:E1", "A2:A3", "B2:B3", "C2:D2", "E2:E3", "A6:B6"])})
    summary = run_import(world.zone_a, content, dry_run=True)
    assert summary["projects"]["rejected"] == 3, summary["text"]
    annotated, name = error_workbook(content, "台账.xlsx", summary["errors"])
    assert name == "台账_错误标注.xlsx"
    sheet = load_workbook(io.BytesIO(annotated))["台账"]
    assert "逗号含义不明" in sheet["C4"].comment.text
    assert sheet["E5"].comment.text == "终止日期：项目阶段为“终止”，请填写终止日期"
    assert sheet["E6"].comment.text == "签约日期：项目阶段为“签约”，请填写签约日期"
    assert sheet["A4"].comment is None and sheet["A5"].comment is None


def test_an_error_in_a_merged_cell_is_commented_on_its_top_left(world, run_import):
    from app.imports.sheets import error_workbook
    rows = [["项目名称", "投资方", "总投资（万元）"], ["项目一", "甲公司", "abc"], [None, "乙公司", "100"]]
    content = workbook({"台账": (rows, ["A2:A3"])})   # a name merged over two rows, as ledgers do
    summary = run_import(world.zone_a, content, dry_run=True)
    assert errors_of(summary) == [("台账", 2, "总投资（万元）", "“abc”不是有效的金额"),
                                  ("台账", 3, "项目名称", "请填写项目名称")]
    annotated, _ = error_workbook(content, "台账.xlsx", summary["errors"])
    sheet = load_workbook(io.BytesIO(annotated))["台账"]
    assert sheet["C2"].comment.text == "“abc”不是有效的金额"
    assert sheet["A2"].comment.text == "第3行：请填写项目名称"


def test_the_indicators_import_refuses_13_2_and_reads_daiding_as_not_given(world, db):
    from app.imports.indicators_import import import_indicators
    from app.imports.reader import Limits, read_book
    content = workbook({"月度指标": ([["开发区", "月份", "营业收入（亿元）", "实际使用外资（万美元）"],
                                      ["石家庄高新区", "2024-01", "12.5", "100"],
                                      ["石家庄高新区", "2024-02", "13,2", "100"],
                                      ["石家庄高新区", "2024-03", "14.1", "待定"]], [])})
    summary = import_indicators(world.bureau, read_book("指标.xlsx", content, Limits()), dry_run=True,
                                max_rows=1000, file_info={"name": "指标.xlsx"})
    db.session.rollback()
    assert [(e["row"], e["message"]) for e in summary["errors"]] == [
        (3, "“13,2”中的逗号含义不明：是 13.2（逗号作小数点）还是 132（逗号作千分位）？请改写为其中之一")]
    march = next(r for r in summary["new"] if r["row"] == 4)
    assert "待定 → 未定，按未填写处理（保留系统中已有的数字）" in march["readings"]


def comments(content: bytes) -> dict:
    book = load_workbook(io.BytesIO(content))
    return {(sheet.title, cell.coordinate): (cell.comment.text, cell.fill.start_color.rgb)
            for sheet in book for row in sheet.iter_rows() for cell in row if cell.comment is not None}


def test_the_page_and_the_command_line_give_the_same_annotated_workbook(app, world, login, tmp_path, snapshot):
    rows = [["项目台账"], ["项目名称", "投资方", INVESTMENT, None, "项目阶段"],
            [None, None, "总投资（亿元）", "合同外资（万美元）", None],
            ["一、签约项目"],
            ["项目一", "甲公司", "13,2", None, "在谈"], ["项目二", "乙公司", "3", None, "终止"], [None, "丙公司", 1, None, None]]
    content = workbook({"Sheet1": (rows, ["A1:E1", "A2:A3", "B2:B3", "C2:D2", "E2:E3", "A4:E4", "A6:A7"])})
    staff = login(world.staff)
    job_url = staff.post("/imports/", data={"file": (io.BytesIO(content), "台账.xlsx")},
                         content_type="multipart/form-data").headers["Location"]
    staff.post(job_url + "/check")
    page = staff.get(job_url).get_data(as_text=True)
    assert "跳过的行（不导入）：第4行（分组标题“一、签约项目”）" in page
    from_page = staff.get(job_url + "/errors.xlsx").data

    path, out = tmp_path / "台账.xlsx", tmp_path / "标注.xlsx"
    path.write_bytes(content)
    before = snapshot()
    result = app.test_cli_runner().invoke(args=["import-ledger", str(path), "--zone", "gxq", "--dry-run",
                                                "--errors", str(out)])
    assert result.exit_code == 3, result.output
    assert f"错误标注已保存：{out}" in result.stdout
    assert "  跳过的行（不导入）：第4行（分组标题“一、签约项目”）" in result.stdout
    assert snapshot() == before
    assert comments(out.read_bytes()) == comments(from_page) == {
        ("Sheet1", "C5"): ("“13,2”中的逗号含义不明：是 13.2（逗号作小数点）还是 132（逗号作千分位）？请改写为其中之一", "FFFF9999"),
        ("Sheet1", "E6"): ("终止日期：项目阶段为“终止”，请填写终止日期", "FFFF9999"),
        ("Sheet1", "A6"): ("第7行：请填写项目名称", "FFFF9999"),
    }
    assert load_workbook(io.BytesIO(out.read_bytes())).sheetnames[0] == "导入错误清单"


def test_the_command_line_says_when_there_is_nothing_to_annotate(app, world, tmp_path):
    path, out = tmp_path / "台账.xlsx", tmp_path / "标注.xlsx"
    path.write_bytes(workbook({"Sheet1": ([["项目名称", "投资方"], ["项目一", "甲公司"]], [])}))
    result = app.test_cli_runner().invoke(args=["import-ledger", str(path), "--zone", "gxq", "--dry-run",
                                                "--errors", str(out)])
    assert result.exit_code == 0, result.output
    assert f"没有错误，未生成 {out}" in result.stdout and not out.exists()


def test_a_foreign_project_with_its_total_daiding_goes_in_with_its_contact(world, run_import, db):
    content = workbook({
        "Sheet1": ([["项目名称", "投资方", "国别", "总投资（万元）", "合同外资（万美元）", "项目阶段", "签约日期"],
                    ["精密轴承项目", "日本精工株式会社", "日本", "待定", "6000", "签约", "2024-04-08"]], []),
        "Sheet2": ([["对接日期", "项目名称", "对接领导", "对接方式", "对接内容"],
                    ["2024-03-01", "精密轴承项目", "张伟", "外出拜访", "赴东京洽谈"]], []),
    })
    summary = run_import(world.zone_a, content)
    assert summary["projects"]["created"] == 1 and summary["contacts"]["created"] == 1, summary["text"]
    # Tier A counts a foreign project from 5000万美元 of 合同外资: 6000 counts, the unknown 总投资 is no matter.
    assert actual(world.zone_a, M.FOREIGN, M.DOMESTIC) == {M.FOREIGN: 1, M.DOMESTIC: 0}


def test_a_first_row_without_a_name_under_a_one_line_header_is_still_a_row(world, run_import):
    content = workbook({"Sheet1": ([["项目名称", "投资方", "项目阶段"], [None, "甲公司", "在谈"], ["项目二", "乙公司", "线索"]], [])})
    summary = run_import(world.zone_a, content)
    assert summary["projects"] == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1}, summary["text"]
    assert errors_of(summary) == [("Sheet1", 2, "项目名称", "请填写项目名称")]


def test_the_page_names_both_identical_arrival_rows(world, login, make_project):
    make_project(world.zone_a, "新能源电池项目", code="A-1")
    row = ["A-1", "2024-04-10", "1200", "人民币", "固定资产投资", "银行进账单", ""]
    content = workbook({"到位资金": ([["项目", "到位日期", "金额（万）", "币种", "类型", "来源说明", "凭证号"], row, row], [])})
    staff = login(world.staff)
    job_url = staff.post("/imports/", data={"file": (io.BytesIO(content), "到位.xlsx")},
                         content_type="multipart/form-data").headers["Location"]
    staff.post(job_url + "/check")
    page = staff.get(job_url).get_data(as_text=True)
    assert "可能重复、待决定的行（1 对）" in page
    assert "到位资金第2行“新能源电池项目”" in page and "项目、到位日期、金额、币种、类型、凭证号完全相同" in page
    assert "同一笔" in page and "两笔不同的到位资金" in page


def test_a_cell_merged_down_over_projects_is_read_in_each_row_it_covers(world, zone_b, run_import, db):
    """An office writes 所属行业 and 分包领导 once for the projects under them, merged down: each
    project is of that industry (so its manufacturing is read from it) and has that leader; the
    preview says which cells were read so. A name merged over two rows stays one project's: the
    second row is not made a project of that name."""
    rows = [
        ["2024年重点项目台账"],
        ["序号", "项目名称", "投资方", "所属行业", "总投资（亿元）", "项目阶段", "签约日期", "分包领导"],
        [1, "数控机床项目", "河北精机有限公司", "高端装备制造", 12, "签约", "2024-05-01", "张伟"],   # 3
        [2, "减速器项目", "石家庄传动有限公司", None, 11, "签约", "2024-06-01", None],             # 4
        [3, "工业机器人项目", "河北智造有限公司", None, 10, "签约", "2024-07-01", None],           # 5
        [4, "冷链仓储项目", "石家庄冷链有限公司", "现代物流", 8, "签约", "2024-08-01", "李娜"],     # 6
        [5, "物流园二期项目", "石家庄顺达物流有限公司", "现代物流", 6, "在谈", None, "李娜"],       # 7
        [None, None, None, None, 2, None, None, None],                                               # 8
    ]
    merges = ["A1:H1", "D3:D5", "H3:H5", "B7:B8"]
    summary = run_import(zone_b, workbook({"Sheet1": (rows, merges)}), name="台账.xlsx")
    sheet = summary["sheets"][0]
    assert sheet["merged_down"] == [{"rows": "3–5", "column": "所属行业"}, {"rows": "3–5", "column": "分包领导"}]
    assert "合并单元格按所跨各行读取：第3–5行（所属行业）、第3–5行（分包领导）" in summary["text"]
    projects = {p.name: p for p in db.session.scalars(select(Project))}
    assert {name: (p.industry, p.is_manufacturing, p.leader.name if p.leader else None)
            for name, p in projects.items() if name in ("数控机床项目", "减速器项目", "工业机器人项目")} == {
        "数控机床项目": ("高端装备制造", True, "张伟"), "减速器项目": ("高端装备制造", True, "张伟"),
        "工业机器人项目": ("高端装备制造", True, "张伟")}
    assert actual(zone_b, M.MANUFACTURING) == {M.MANUFACTURING: 3}
    # The name merged over rows 7–8 is not copied down: row 8 makes no second 物流园二期项目.
    assert sorted(projects) == sorted(["数控机床项目", "减速器项目", "工业机器人项目", "冷链仓储项目", "物流园二期项目"])
