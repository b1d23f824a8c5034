"""A zone's 招商专员 imports a ledger in which one project is written twice (河北鑫泰新材料有限公司
年产5万吨项目 and 鑫泰新材料年产5万吨项目: the same investor, 12亿, the same month). The dry run
holds the pair and names why; 确认导入 is refused until the specialist decides; decided as
同一项目, the project is created once and the ledger lists it once."""
import io
import re
from datetime import timedelta

from openpyxl import Workbook

from tests.e2e.conftest import OFFICE_PC
from tests.e2e.helpers import login, no_horizontal_scroll
from tests.e2e.test_import_ledger import table_rows

STAFF = "sjzgx-s1"
XINTAI = "河北鑫泰新材料有限公司"


def ledger_workbook(today) -> bytes:
    last_month = today.replace(day=1) - timedelta(days=1)
    book = Workbook()
    sheet = book.active
    sheet.title = "项目台账"
    sheet.append(["项目名称", "投资方", "所属行业", "总投资（亿元）", "项目阶段", "签约日期", "重点项目级别"])
    sheet.append([f"{XINTAI}年产5万吨项目", XINTAI, "新材料", 12, "签约", last_month.replace(day=5), "市重点"])
    sheet.append(["鑫泰冷链仓储中心项目", "石家庄鑫泰冷链物流有限公司", "现代物流", 6, "签约", last_month.replace(day=9), None])
    sheet.append(["鑫泰新材料年产5万吨项目", XINTAI, "新材料", "12亿", "签约", last_month.replace(day=20), "市重点"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_project_written_twice_is_held_until_the_specialist_decides(open_context, shots, tmp_path, today):
    page = open_context(OFFICE_PC)
    login(page, STAFF)
    path = tmp_path / "鑫泰台账.xlsx"
    path.write_bytes(ledger_workbook(today))
    page.goto("/imports/")
    page.get_by_label("选择文件").set_input_files(path)
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_url(re.compile(r"/imports/\d+$"))

    # The dry run holds the second row: the pair, the rule's reasons, a choice each.
    page.locator("#import-pairs").wait_for()
    assert page.get_by_role("heading", name="可能重复、待决定的行（1 对）").is_visible()
    assert page.locator("#import-undecided").inner_text() == "还有 1 对未决定：请逐对选择后保存，全部决定前不能确认导入。"
    [pair] = table_rows(page, "#import-pairs")
    assert pair[:5] == ["项目台账", "4", "鑫泰新材料年产5万吨项目", f"项目台账第2行“{XINTAI}年产5万吨项目”，{XINTAI}",
                        "名称相近、同一投资方、总投资相同、同月"]
    assert table_rows(page, "#import-counts")[0] == ["项目台账", "2", "0", "0", "0"]
    no_horizontal_scroll(page)
    shots(page, "held")

    # 确认导入 before deciding: refused, in Chinese; nothing written.
    page.get_by_role("button", name="确认导入").click()
    page.locator(".flash-error").wait_for()
    assert "有 1 对可能重复的行尚未决定" in page.locator(".flash-error").inner_text()
    assert page.locator("#import-status").inner_text() == "已检查，待确认"

    # 同一项目: saved, the dry run is made again with it.
    page.get_by_role("radiogroup", name="项目台账第4行的决定").get_by_label("同一项目").check()
    page.get_by_role("button", name="保存选择并重新检查").click()
    page.get_by_text("每对均已决定").wait_for()
    assert page.get_by_role("radiogroup", name="项目台账第4行的决定").get_by_label("同一项目").is_checked()
    shots(page, "decided")

    page.get_by_role("button", name="确认导入").click()
    page.locator(".flash-success").wait_for()
    assert page.locator(".flash-success").inner_text() == "导入完成：新增 2，更新 0，无变化 0，未导入的错误行 0。"
    assert table_rows(page, "#import-pairs")[0][5] == "同一项目"

    # The ledger lists the project once, as the first row wrote it.
    page.goto("/projects/?q=鑫泰")
    listed = sorted(row[1] for row in table_rows(page, "table.list"))
    assert listed == [f"{XINTAI}年产5万吨项目 市重点", "鑫泰冷链仓储中心项目"]
    shots(page, "ledger")
