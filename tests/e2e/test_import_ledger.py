"""A zone's 招商专员 at an office PC (1366×768) imports the ledger the zone keeps in Excel: the
file has good rows and rows with mistakes. The dry run names each mistake by sheet, row,
column and problem, in Chinese, and writes nothing; the specialist imports the good rows and
finds them in the ledger. The upload form is used with the keyboard alone."""
import io
import re
from datetime import date, timedelta

from openpyxl import Workbook

from app.domain.usci import check_character
from tests.e2e.conftest import OFFICE_PC
from tests.e2e.helpers import login, no_horizontal_scroll
from tests.e2e.test_keyboard_and_labels import tab_to

STAFF = "sjzgx-s1"
FILE_NAME = "高新区项目台账（11月报送）.xlsx"


def usci(body: str) -> str:
    """A 统一社会信用代码 with its right check character (GB 32100-2015)."""
    return body + check_character(body)


def ledger_workbook(leader: str, today: date) -> bytes:
    """The zone's ledger as it is kept: a title row, then the headers (with a 序号 column the
    system does not read), three good projects and five with one mistake each; a contact
    sheet with a good row and a row whose project has a mistake."""
    signed = today - timedelta(days=20)
    talks = today - timedelta(days=40)
    good_usci = usci("91130100MA0CH1234")
    bad_usci = good_usci[:-1] + ("1" if good_usci[-1] != "1" else "2")
    book = Workbook()
    ledger = book.active
    ledger.title = "项目台账"
    ledger.append(["石家庄高新区招商引资项目台账"])
    ledger.append(["序号", "项目编号", "项目名称", "投资方", "统一社会信用代码", "所属行业", "总投资（万元）",
                   "项目阶段", "在谈日期", "签约日期", "分包领导"])
    rows = [  # sheet rows 3-10
        [1, "GX-IMP-001", "冀中氢能储运装备项目", "河北冀中氢能科技有限公司", good_usci, "新能源", "120,000",
         "签约", talks, signed, leader],
        [2, "GX-IMP-002", "智慧医疗影像设备项目", "石家庄康影医疗器械有限公司", None, "生物医药", 35000,
         "在谈", talks, None, leader],
        [3, "GX-IMP-003", "碳纤维复合材料项目", "保定碳远新材料有限公司", None, "新材料", "8,500",
         "线索", None, None, None],
        [4, "GX-IMP-004", "数字孪生城市平台项目", "北京数城科技有限公司", None, "数字经济", 20000,
         "已立项", None, None, leader],                                      # unknown stage
        [5, "GX-IMP-005", "高端轴承制造项目", "邢台精工轴承有限公司", bad_usci, "高端装备制造", 60000,
         "线索", None, None, leader],                                        # wrong check character
        [6, "GX-IMP-006", "冷链物流园项目", "石家庄顺冷物流有限公司", None, "现代商贸物流", -500,
         "线索", None, None, leader],                                        # negative amount
        [7, "GX-IMP-007", "光伏玻璃深加工项目", "沧州晶硅玻璃有限公司", None, "新能源", 45000,
         "签约", None, "2025年2月30日", leader],                              # no such day
        [8, "GX-IMP-008", "预制菜中央厨房项目", "河北食联餐饮管理有限公司", None, "现代食品", 9000,
         "线索", None, None, "王大锤"],                                       # not a leader of the zone
    ]
    for row in rows:
        ledger.append(row)
    contacts = book.create_sheet("对接记录")
    contacts.append(["对接日期", "项目名称", "对接领导", "对接方式", "对接内容"])
    contacts.append([signed, "冀中氢能储运装备项目", leader, "来访接待", "企业来区签订投资协议，商定下月办理项目备案。"])
    contacts.append([today, "冷链物流园项目", leader, "电话", "电话沟通冷库用地需求。"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_rows(page, selector: str) -> list[list[str]]:
    return page.locator(f"{selector} tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells, c => c.innerText.trim()))")


def test_zone_imports_a_ledger_with_errors_and_reads_them(open_context, shots, tmp_path, today):
    page = open_context(OFFICE_PC)
    login(page, STAFF)
    page.goto("/contacts/new")
    leader = page.locator("label[for=leaders-0]").inner_text().strip()  # a leader of this zone
    path = tmp_path / FILE_NAME
    path.write_bytes(ledger_workbook(leader, today))

    # From the ledger to the import page.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="项目台账").click()
    page.get_by_role("link", name="导入台账").click()
    page.wait_for_url("**/imports/")
    assert page.get_by_role("heading", level=1).inner_text() == "导入项目台账和对接记录"
    no_horizontal_scroll(page)
    shots(page, "import-page", full_page=False)

    # The keyboard alone: skip the menu, Tab to the file field (the file itself is picked in the
    # system's file dialog, which is not the page's), Tab to the button, Enter uploads.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    tab_to(page, "#file", limit=6)
    page.get_by_label("选择文件").set_input_files(path)
    tab_to(page, "button[type=submit]", limit=3)
    assert page.evaluate("document.activeElement.textContent") == "上传并检查"
    page.keyboard.press("Enter")

    # The dry run starts by itself and ends on the same page; nothing is written yet.
    page.wait_for_url(re.compile(r"/imports/\d+$"))
    page.locator("#import-errors").wait_for()
    no_horizontal_scroll(page)
    assert page.get_by_role("heading", level=1).inner_text() == f"导入：{FILE_NAME}"
    assert page.locator("#import-status").inner_text() == "已检查，待确认"
    assert page.get_by_role("heading", name="试运行结果（尚未写入）").is_visible()
    counts = table_rows(page, "#import-counts")
    assert counts[0] == ["项目台账", "3", "0", "0", "5"], counts
    assert counts[1] == ["对接记录", "1", "—", "0", "1"], counts
    sheets = page.locator("ul.rule").first.inner_text()
    assert "工作表“项目台账”：8 行数据，已忽略的列：序号" in sheets and "工作表“对接记录”：2 行数据" in sheets
    assert "有 6 行有错误，确认导入时这些行将被跳过" in page.locator("main").inner_text()

    # Every mistake: which sheet, which row of the sheet, which column, what is wrong.
    assert page.get_by_role("heading", level=2, name="有错误的行（6 处问题）").is_visible()
    errors = table_rows(page, "#import-errors")
    assert [e[:4] for e in errors] == [
        ["项目台账", "6", "数字孪生城市平台项目", "项目阶段"],
        ["项目台账", "7", "高端轴承制造项目", "统一社会信用代码"],
        ["项目台账", "8", "冷链物流园项目", "总投资（万元）"],
        ["项目台账", "9", "光伏玻璃深加工项目", "签约日期"],
        ["项目台账", "10", "预制菜中央厨房项目", "分包领导"],
        ["对接记录", "3", "冷链物流园项目", "项目名称"],
    ], errors
    assert errors[0][4].startswith("未知的项目阶段“已立项”，最接近的是：")
    assert [e[4] for e in errors[1:5]] == [
        "统一社会信用代码校验位不正确，请核对", "金额不能为负数", "“2025年2月30日”不是有效的日期（该月没有这一天）",
        "本开发区没有名为“王大锤”的领导（须已在系统中建立领导账号）"]
    assert errors[5][4] == ("所属项目“冷链物流园项目”是新项目，其项目台账第8行有错误未导入（总投资（万元）：金额不能为负数）；"
                            "改正该行后重新导入，本行即可导入")

    # The preview: every row to be written with its values as read, each reading marked.
    assert page.get_by_role("heading", level=2, name="将写入的行（4）").is_visible()
    preview = table_rows(page, "#import-preview")
    assert [row[:4] for row in preview] == [
        ["项目台账", "3", "新增", "冀中氢能储运装备项目"], ["项目台账", "4", "新增", "智慧医疗影像设备项目"],
        ["项目台账", "5", "新增", "碳纤维复合材料项目"], ["对接记录", "2", "新增", "冀中氢能储运装备项目"]]
    assert "总投资：12.00亿元" in preview[0][4] and "阶段：签约" in preview[0][4]
    assert "所属行业：新能源 → D 电力、热力、燃气及水生产和供应业" in preview[0][5]
    assert page.locator("#import-preview mark").count() >= 3
    page.locator("#import-preview").scroll_into_view_if_needed()
    shots(page, "dry-run-preview", full_page=False)
    assert page.get_by_role("link", name="下载错误清单").is_visible()
    shots(page, "dry-run-first-screen", full_page=False)
    shots(page, "dry-run")

    # The errors can be taken away as a workbook too.
    with page.expect_download() as download:
        page.get_by_role("link", name="下载错误清单").click()
    assert download.value.suggested_filename == "高新区项目台账（11月报送）_错误标注.xlsx"   # not ….xlsx.xlsx

    # Nothing is in the ledger before 确认导入.
    ledger = page.context.new_page()
    ledger.goto("/projects/?q=GX-IMP")
    assert ledger.locator("table.list tbody td.empty").inner_text() == "没有符合条件的项目。"
    ledger.close()

    # 确认导入, with the keyboard as well: the good rows are written, the others skipped.
    page.locator("#main").focus()
    tab_to(page, "form[action$='/commit'] button", limit=10)
    page.keyboard.press("Enter")
    page.locator(".flash-success").wait_for()
    assert page.locator(".flash-success").inner_text() == "导入完成：新增 4，更新 0，无变化 0，未导入的错误行 6。"
    assert page.locator("#import-status").inner_text() == "已导入"
    assert page.get_by_role("heading", name="导入结果").is_visible()
    assert table_rows(page, "#import-counts")[0] == ["项目台账", "3", "0", "0", "5"]
    assert len(table_rows(page, "#import-errors")) == 6, "the skipped rows stay listed after the import"
    no_horizontal_scroll(page)
    shots(page, "imported")

    # The three good projects are in the ledger, the five with mistakes are not.
    page.get_by_role("link", name="返回项目台账").click()
    page.wait_for_url("**/projects/")
    page.get_by_label("搜索").fill("GX-IMP")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/projects/?*")
    listed = page.locator("table.list tbody tr")
    assert listed.count() == 3
    rows = {row[0]: row for row in table_rows(page, "table.list")}
    assert sorted(rows) == ["GX-IMP-001", "GX-IMP-002", "GX-IMP-003"]
    assert rows["GX-IMP-001"][1:4] == ["冀中氢能储运装备项目", "河北冀中氢能科技有限公司", "12.00亿元"]
    assert rows["GX-IMP-001"][5:7] == ["签约", leader]
    assert rows["GX-IMP-002"][3] == "3.50亿元" and rows["GX-IMP-002"][5] == "在谈"
    assert rows["GX-IMP-003"][3] == "8,500.00万元" and rows["GX-IMP-003"][5] == "线索"
    no_horizontal_scroll(page)
    shots(page, "ledger-after-import", full_page=False)

    # The signed project, with its stage history and the contact logged from the same file.
    page.get_by_role("link", name="冀中氢能储运装备项目").click()
    page.wait_for_url("**/projects/*")
    detail = page.locator("main").inner_text()
    assert "签约" in page.locator("h1 .stage").inner_text()
    assert "河北冀中氢能科技有限公司" in detail and leader in detail
    assert "企业来区签订投资协议，商定下月办理项目备案。" in detail
    no_horizontal_scroll(page)
    shots(page, "imported-project")
