"""Every desk table downloads as .xlsx with the screen's numbers, and cannot run formulas."""
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from app.models import AuditEvent
from app.queries.progress import build_progress

YEAR = 2024


def sheet_of(response):
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.data)).active


def test_desk_export_has_the_screens_numbers(client, world, login, make_project, log_contact, db):
    today = date(YEAR, 12, 31)
    p = make_project(world.zone_a, name="外资项目", investor="日本精工株式会社", origin="JP", capital_wan="6000",
                     stages=[("signed", date(YEAR, 3, 1))], today=today)
    log_contact(p, [world.leader], date(YEAR, 3, 2), today=today)
    login(world.bureau)
    sheet = sheet_of(client.get(f"/review/?year={YEAR}&as_of={YEAR}-06-30&format=xlsx"))
    assert sheet.freeze_panes == "A2"
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["类别", "名次", "开发区", "综合得分"]
    rows = {row[2]: dict(zip(headers, row)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    progress = build_progress(YEAR, date(YEAR, 6, 30))
    for zone in progress.zones:
        row = rows[zone.name]
        assert row["名次"] == zone.rank_in_tier
        for m in zone.metrics:
            assert row[f"{m.label}\n实际"] == m.actual and row[f"{m.label}\n目标下限"] == m.floor
    assert rows["石家庄高新区"]["引进外资项目\n实际"] == 1
    assert db.session.query(AuditEvent).filter_by(action="export").count() == 1


def test_leader_export_matches_the_leader_view(client, world, login):
    login(world.bureau)
    sheet = sheet_of(client.get(f"/review/leaders?year={YEAR}&as_of={YEAR}-06-30&format=xlsx"))
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {r[1] for r in rows} == {"leader1", "leader2", "leader_c"}
    leader_c = next(r for r in rows if r[1] == "leader_c")
    assert leader_c[4:8] == (0, 50, 25, -25) and leader_c[8] == "落后"
    assert sheet.cell(row=2, column=7).number_format == "0.0"


def test_project_lists_export_amounts_in_wan_and_neutralise_formulas(client, world, login, make_project):
    today = date(YEAR, 12, 31)
    make_project(world.zone_a, name='=HYPERLINK("http://evil.example","点我")', investor="@SUM(1+1)",
                 total_wan="123456.78", stages=[("signed", date(YEAR, 3, 1))], today=today)
    login(world.bureau)
    response = client.get(f"/review/zones/{world.zone_a.id}/domestic_projects?year={YEAR}&format=xlsx")
    sheet = sheet_of(response)
    row = [c for c in sheet[2]]
    assert row[1].value == '\'=HYPERLINK("http://evil.example","点我")' and row[1].data_type == "s"
    assert row[2].value == "'@SUM(1+1)"
    assert Decimal(str(row[4].value)) == Decimal("123456.78") and row[4].number_format == "#,##0.00"
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)


def test_zone_roles_export_only_their_own_zone(client, world, login):
    login(world.leader)
    assert client.get(f"/review/zones/{world.zone_c.id}/foreign_projects?format=xlsx").status_code == 404
    assert client.get(f"/review/zones/{world.zone_a.id}/foreign_projects?format=xlsx").status_code == 200
    assert client.get("/review/?format=xlsx").status_code == 403
