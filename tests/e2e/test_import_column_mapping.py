"""A zone's 招商专员 imports a ledger with a column the system does not know (对接领导 on the
project sheet: the leader in charge, or the leaders at a meeting?). The dry run starts with the
file's columns, says which field each was matched to and why, and marks 对接领导 未识别; 确认导入
is refused until she answers it. She maps it to 分包领导, the dry run runs again and shows the
leader on every row, and the import writes it."""
import io
import re

from openpyxl import Workbook

from tests.e2e.conftest import OFFICE_PC
from tests.e2e.helpers import login, no_horizontal_scroll
from tests.e2e.test_import_ledger import table_rows

STAFF = "sjzgx-s1"
FILE_NAME = "高新区外资项目台账.xlsx"


def ledger_workbook(leader: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "外资项目"
    sheet.append(["项目编号", "项目名称", "投资方", "投资方国别（地区）", "总投资（万元）", "对接领导"])
    sheet.append(["GX-MAP-001", "精密减速器项目", "大阪精机株式会社", "日本", 30000, leader])
    sheet.append(["GX-MAP-002", "工业软件研发中心项目", "慕尼黑智造有限公司", "德国", 12000, leader])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_user_maps_an_unknown_column_before_importing(open_context, shots, tmp_path):
    page = open_context(OFFICE_PC)
    login(page, STAFF)
    page.goto("/contacts/new")
    leader = page.locator("label[for=leaders-0]").inner_text().strip()
    path = tmp_path / FILE_NAME
    path.write_bytes(ledger_workbook(leader))

    page.goto("/imports/")
    page.get_by_label("选择文件").set_input_files(path)
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_url(re.compile(r"/imports/\d+$"))
    page.locator("#import-columns").wait_for()
    page.locator("#import-counts").wait_for()

    # The preview starts with the file's columns, each with its field and why.
    columns = page.locator("#import-columns table tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells).slice(0, 3).map(c => c.innerText.trim()))")
    assert columns == [
        ["项目编号", "项目编号", "完全一致"], ["项目名称", "项目名称", "完全一致"], ["投资方", "投资方", "完全一致"],
        ["投资方国别（地区）", "投资方国别或地区", "同义词"], ["总投资（万元）", "总投资", "完全一致"],
        ["对接领导", "—", "未识别"]], columns
    assert page.locator("#import-unmapped").inner_text().startswith(
        "以下列未识别，尚未选择对应的字段：工作表“外资项目”的“对接领导”")
    assert "分包领导" not in page.locator("#import-preview").inner_text()
    no_horizontal_scroll(page)
    shots(page, "columns-unmapped", full_page=False)

    # 确认导入 is refused, with the column named.
    page.get_by_role("button", name="确认导入").click()
    page.locator(".flash-error").wait_for()
    assert "不能确认导入：以下列未识别，尚未选择对应的字段：工作表“外资项目”的“对接领导”" in page.locator(".flash-error").inner_text()
    assert page.locator("#import-status").inner_text() == "已检查，待确认"

    # She maps it to 分包领导: the dry run runs again, and the preview shows the leader on each row.
    page.get_by_label("“对接领导”对应的字段").select_option(label="分包领导")
    page.get_by_role("button", name="保存对应关系并重新检查").click()
    page.get_by_role("cell", name="本区已保存的对应关系").wait_for()
    assert page.locator("#import-status").inner_text() == "已检查，待确认"
    assert page.locator("#import-unmapped").count() == 0
    preview = table_rows(page, "#import-preview")
    assert [row[3] for row in preview] == ["精密减速器项目", "工业软件研发中心项目"]
    assert all(f"分包领导：{leader}" in row[4] for row in preview), preview
    assert all("国别或地区：" in row[4] for row in preview) and "日本" in preview[0][4]
    shots(page, "columns-mapped", full_page=False)

    # 确认导入: both projects are written with their leader in charge, as foreign projects.
    page.get_by_role("button", name="确认导入").click()
    page.locator(".flash-success").wait_for()
    assert page.locator(".flash-success").inner_text() == "导入完成：新增 2，更新 0，无变化 0，未导入的错误行 0。"
    page.goto("/projects/?q=GX-MAP")
    rows = {row[0]: row for row in table_rows(page, "table.list")}
    assert sorted(rows) == ["GX-MAP-001", "GX-MAP-002"]
    assert rows["GX-MAP-001"][6] == leader
    shots(page, "imported")
