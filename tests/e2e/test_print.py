"""Paper: the desk and the project ledger print without the menu, buttons or filters, with
the table's headers at the top of every page and the page number at the foot. Printed as a
user's Chromium prints (print media, the stylesheet's A4 page, no background colours)."""
import re

from tests.e2e.conftest import OFFICE_PC
from tests.e2e.helpers import login, pdf_pages, pdf_to_pngs

SCREEN_ONLY = ("退出", "修改密码", "跳到正文", "记录对接", "导出 Excel", "筛选", "查看", "上一页", "下一页")


def print_page(page, shots, name, tmp_path, images=3) -> list[str]:
    page.emulate_media(media="print")
    data = page.pdf(prefer_css_page_size=True)
    pdf_to_pngs(data, shots.file(name), last=images)
    pages = pdf_pages(data, tmp_path)
    text = "\f".join(pages)
    for word in SCREEN_ONLY:
        assert word not in text, f"the printed {name} shows “{word}”"
    for n, page_text in enumerate(pages, 1):
        assert "开发区招商引资管理系统" in page_text and f"第 {n} 页，共 {len(pages)} 页" in page_text
    return pages


def test_desk_prints_clean(open_context, shots, tmp_path):
    page = open_context(OFFICE_PC)
    login(page, "tcj")
    page.wait_for_url("**/review/")
    pages = print_page(page, shots, "desk", tmp_path)
    text = "\f".join(pages)
    for menu in ("进度总览", "重点关注", "领导对接任务", "签发与存档", "月度通报预览"):
        assert menu not in text, f"the printed desk shows “{menu}”"
    assert "2026年开发区招商引资进度" in text or "年开发区招商引资进度" in text
    for tier in "ABC":
        assert f"{tier}类开发区赛马排名" in text
    assert "排名规则" in text and "进度判定" in text
    for n, page_text in enumerate(pages, 1):
        if re.search(r"^\s*\d+\s+\S+(高新区|经开区|产业园)\s", page_text, re.M):
            assert "名次" in page_text and "综合得分" in page_text, f"page {n}: rows without their headers"


def test_ledger_prints_with_headers_on_every_page(open_context, shots, tmp_path):
    page = open_context(OFFICE_PC)
    login(page, "sjzgx-s1")
    page.goto("/projects/")
    rows = page.locator("table.list tbody tr").count()
    assert rows == 50
    pages = print_page(page, shots, "ledger", tmp_path)
    assert len(pages) >= 2, "fifty projects take more than one sheet"
    for n, page_text in enumerate(pages, 1):
        assert re.search(r"编号\s+项目名称\s+投资方\s+总投资", page_text), f"page {n} lacks the table's headers"
    text = "\f".join(pages)
    assert "项目台账" in text and re.search(r"第 1 / \d+ 页，共 \d+ 条", text)
    assert "新增项目" not in text and "对接记录" not in text
