"""The bureau's reviewer at an office PC (1366×768): open the desk, follow a number to the
projects behind it, and download the month's bulletin. The desk's other views fit too."""
import re

from tests.e2e.conftest import OFFICE_PC
from tests.e2e.helpers import login, no_horizontal_scroll, pdf_pages, pdf_to_pngs

PACE_WORDS = {"领先", "符合序时", "落后"}


def test_reviewer_follows_a_number_and_previews_the_bulletin(open_context, shots, tmp_path, today):
    page = open_context(OFFICE_PC)
    login(page, "tcj")
    page.wait_for_url("**/review/")
    no_horizontal_scroll(page)

    # Readable at 1366: every tier's table, and the 主要指标 table, fits the page without its own scroll bar.
    assert page.locator("table.desk:not(.money)").count() == 3
    tables = page.locator("table.desk")
    for i in range(tables.count()):
        fits = tables.nth(i).evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
        assert fits, f"desk table {i + 1} needs scrolling sideways at 1366 px"
    # Ahead or behind is said in words in every cell, not by the cell's colour alone.
    cells = page.locator("td.metric")
    assert cells.count() > 20
    words = cells.locator(".pace").all_inner_texts()
    assert len(words) == cells.count() and set(words) <= PACE_WORDS
    behind = page.locator("td.pace-cell-behind .pace").all_inner_texts()
    assert behind and set(behind) == {"落后"}
    shots(page, "desk-first-screen", full_page=False)
    shots(page, "desk")

    # Follow a number: the list behind it is exactly that long.
    figure = page.locator("table.desk a.figure[href*='/domestic']").filter(has_not_text=re.compile(r"^0$")).first
    zone = figure.locator("xpath=ancestor::tr/td[2]").inner_text()
    count = int(figure.inner_text())
    figure.click()
    page.wait_for_url("**/review/zones/**")
    no_horizontal_scroll(page)
    heading = page.get_by_role("heading", level=1).inner_text()
    assert zone in heading and heading.endswith(f"{count} 个")
    assert page.locator("table.list tbody tr").count() == count
    shots(page, "projects-behind-the-number")

    # The last finished month's bulletin: the desk's link previews it in the browser (inline).
    page.go_back()
    page.wait_for_url("**/review/")
    month = max(today.month - 1, 1)
    link = page.locator(".bulletins").get_by_role("link", name=f"{month}月", exact=True)
    assert link.get_attribute("target") == "_blank"
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-disposition"].startswith("inline")
    assert f"{month}月" in response.headers["content-disposition"] or "filename*" in response.headers["content-disposition"]
    data = response.body()
    assert data.startswith(b"%PDF")
    text = "".join(pdf_pages(data, tmp_path))
    assert "开发区招商引资工作通报" in text and f"{today.year}年{month}月" in text
    pdf_to_pngs(data, shots.file("bulletin"), last=1)  # bulletin.pdf and its first page


    # The desk's other views fit the same screen.
    page.goto("/review/")
    for tab, name in (("领导对接任务", "leaders"), ("重点关注", "watch"), ("图表", "charts")):
        page.get_by_role("navigation", name="审阅视图").get_by_role("link", name=tab).click()
        page.wait_for_load_state()
        assert page.locator(".tabs a.current").inner_text() == tab
        no_horizontal_scroll(page)
        shots(page, f"tab-{name}", full_page=False)
