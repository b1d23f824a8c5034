"""Every desk table downloads as .xlsx with the screen's numbers, and cannot run formulas."""
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell

from app.models import AuditEvent
from app.queries.progress import build_progress

YEAR = 2024


def book_of(response):
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.data))


def sheet_of(response):
    return book_of(response).active


def table_of(sheet) -> tuple[list[str], list[tuple]]:
    """Headers (a group's name and the column's joined by "/") and the rows below them; the
    rows start where the panes freeze."""
    first = int(sheet.freeze_panes[1:])
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    head, body = rows[:first - 3], rows[first - 3:]
    if len(head) == 1:
        return list(head[0]), body
    headers, group = [], None
    for top, bottom in zip(*head):
        group = top if top is not None else group
        headers.append(f"{group}/{bottom}" if bottom is not None else top)
    return headers, body


def test_desk_export_gives_one_sheet_per_tier_with_its_thresholds_and_the_screens_numbers(
        client, world, login, make_project, log_contact, db):
    today = date(YEAR, 12, 31)
    p = make_project(world.zone_a, name="外资项目", investor="日本精工株式会社", origin="JP", capital_wan="6000",
                     stages=[("signed", date(YEAR, 3, 1))], today=today)
    log_contact(p, [world.leader], date(YEAR, 3, 2), today=today)
    login(world.bureau)
    book = book_of(client.get(f"/review/?year={YEAR}&as_of={YEAR}-06-30&format=xlsx"))
    progress = build_progress(YEAR, date(YEAR, 6, 30))
    tiers = sorted({z.tier for z in progress.zones})
    assert book.sheetnames == [f"{t}类开发区" for t in tiers]
    for tier in tiers:
        sheet = book[f"{tier}类开发区"]
        assert sheet["A1"].value == f"{YEAR}年{tier}类开发区招商引资进度"
        assert sheet["A2"].value == "制表单位：石家庄市投资促进局　　数据截至：2024年6月30日"
        assert sheet.freeze_panes == "A5"
        headers, body = table_of(sheet)
        assert headers[:3] == ["名次", "开发区", "综合得分\n（分）"]
        rows = {row[1]: dict(zip(headers, row)) for row in body}
        for zone in progress.zones_in_tier(tier):
            row = rows[zone.name]
            assert row["名次"] == zone.rank_in_tier
            for m in zone.metrics:
                group = f"{m.label}（{m.threshold_label}）" if m.threshold_label else None
                if group:
                    assert row[f"{group}/实际\n（个）"] == m.actual and row[f"{group}/目标下限\n（个）"] == m.floor
    a_headers = table_of(book["A类开发区"])[0]
    c_headers = table_of(book["C类开发区"])[0]
    # The A tier counts foreign projects from 5000万美元, the others from a lower bar.
    assert "引进外资项目（≥5000万美元）/实际\n（个）" in a_headers
    assert not any("≥5000万美元" in h for h in c_headers)
    rows = {row[1]: dict(zip(a_headers, row)) for row in table_of(book["A类开发区"])[1]}
    assert rows["石家庄高新区"]["引进外资项目（≥5000万美元）/实际\n（个）"] == 1
    assert db.session.query(AuditEvent).filter_by(action="export").count() == 1


def test_every_export_prints_a4_landscape_one_page_wide_with_its_header_on_every_page(
        client, world, login, make_project):
    make_project(world.zone_a, name="本区项目", code="A-1", total_wan="1000", stages=[("signed", date(YEAR, 3, 1))],
                 today=date(YEAR, 12, 31))
    q = f"year={YEAR}&as_of={YEAR}-06-30&format=xlsx"
    books = {}
    login(world.bureau)
    for path in (f"/review/?{q}", f"/review/leaders?{q}", f"/review/zones/{world.zone_a.id}/domestic_projects?{q}",
                 f"/review/city/new_start_industrial_projects?{q}", f"/review/watch?{q}"):
        books[path] = book_of(client.get(path))
    login(world.staff)
    for path in ("/imports/template.xlsx", "/imports/export.xlsx"):
        books[path] = book_of(client.get(path))
    login(world.auditor)
    books["audit"] = book_of(client.get("/admin/audit/export?format=xlsx"))
    for path, book in books.items():
        for sheet in book.worksheets:
            where = (path, sheet.title)
            first = int(sheet.freeze_panes[1:])
            assert sheet["A1"].value and sheet["A1"].font.b and sheet.row_dimensions[1].height, where
            assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize in (9, "9"), where
            assert sheet.sheet_properties.pageSetUpPr.fitToPage, where
            assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0), where
            assert sheet.print_title_rows == f"$3:${first - 1}", where
            assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页", where
            for row in range(3, first):
                assert sheet.row_dimensions[row].height >= 20, where
                for cell in sheet[row]:
                    if isinstance(cell, MergedCell):
                        continue  # styled in the file; openpyxl reads back only a merge's first cell
                    assert cell.alignment.wrap_text and cell.border.bottom.style == "thin", where
            for cell in sheet[first]:
                if cell.value is not None:
                    assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin", where


def test_two_line_headers_get_the_height_of_their_lines(client, world, login):
    login(world.bureau)
    sheet = sheet_of(client.get(f"/review/leaders?year={YEAR}&as_of={YEAR}-06-30&format=xlsx"))
    headers, _ = table_of(sheet)
    lines = max(h.count("\n") + 1 for h in headers)
    assert lines == 2 and sheet.row_dimensions[3].height >= 2 * 14


def test_leader_export_matches_the_leader_view(client, world, login):
    login(world.bureau)
    sheet = sheet_of(client.get(f"/review/leaders?year={YEAR}&as_of={YEAR}-06-30&format=xlsx"))
    assert sheet["A1"].value == f"{YEAR}年开发区领导对接任务完成情况"
    headers, rows = table_of(sheet)
    assert headers[4:7] == ["已对接项目\n（个）", "全年任务\n（个）", "序时应完成\n（个）"]
    assert {r[1] for r in rows} == {"leader1", "leader2", "leader_c"}
    leader_c = next(r for r in rows if r[1] == "leader_c")
    assert leader_c[4:8] == (0, 50, 25, -25) and leader_c[8] == "落后"
    assert sheet.cell(row=4, column=7).number_format == "0.0"


def test_project_lists_export_amounts_in_wan_and_neutralise_formulas(client, world, login, make_project):
    today = date(YEAR, 12, 31)
    make_project(world.zone_a, name='=HYPERLINK("http://evil.example","点我")', investor="@SUM(1+1)",
                 total_wan="123456.78", stages=[("signed", date(YEAR, 3, 1))], today=today)
    login(world.bureau)
    response = client.get(f"/review/zones/{world.zone_a.id}/domestic_projects?year={YEAR}&format=xlsx")
    sheet = sheet_of(response)
    row = [c for c in sheet[4]]
    assert row[1].value == '\'=HYPERLINK("http://evil.example","点我")' and row[1].data_type == "s"
    assert row[2].value == "'@SUM(1+1)"
    assert Decimal(str(row[4].value)) == Decimal("123456.78") and row[4].number_format == "#,##0.00"
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)


def test_zone_roles_export_only_their_own_zone(client, world, login):
    login(world.leader)
    assert client.get(f"/review/zones/{world.zone_c.id}/foreign_projects?format=xlsx").status_code == 404
    assert client.get(f"/review/zones/{world.zone_a.id}/foreign_projects?format=xlsx").status_code == 200
    assert client.get("/review/?format=xlsx").status_code == 403
