"""Watch lists that can be acted on (filter by zone, tier, leader; sort; export as filtered),
and the bureau's city-wide ledger export as of a date."""
import io
from datetime import date, timedelta

import openpyxl
import pytest

from app.domain import ledger as L


@pytest.fixture
def _quiet(today):
    def make(world, make_project, log_contact, db, name, zone, leader, days):
        project = make_project(zone, name=name, investor=f"{name}投资方", leader_id=leader.id,
                               stages=[("negotiating", today - timedelta(days=days + 10))])
        log_contact(project, [leader], today - timedelta(days=days))
        return project
    return make


def _stale(page):
    return page.split("未对接的跟进中项目")[1].split("</section>")[0]


def test_the_quiet_list_filters_sorts_and_exports(client, world, login, make_project, log_contact, db, _quiet):
    _quiet(world, make_project, log_contact, db, "高新区久未对接", world.zone_a, world.leader, 45)
    _quiet(world, make_project, log_contact, db, "高新区更久未对接", world.zone_a, world.leader2, 80)
    _quiet(world, make_project, log_contact, db, "赵县久未对接", world.zone_c, world.other_leader, 60)
    login(world.bureau)
    everything = _stale(client.get("/review/watch").get_data(as_text=True))
    assert everything.index("高新区更久未对接") < everything.index("赵县久未对接") < everything.index("高新区久未对接")
    zone_a = _stale(client.get(f"/review/watch?zone={world.zone_a.id}").get_data(as_text=True))
    assert "高新区久未对接" in zone_a and "赵县久未对接" not in zone_a
    tier_c = _stale(client.get("/review/watch?tier=C").get_data(as_text=True))
    assert "赵县久未对接" in tier_c and "高新区" not in tier_c.split("</thead>")[1]
    leader = _stale(client.get(f"/review/watch?leader={world.leader2.id}").get_data(as_text=True))
    assert "高新区更久未对接" in leader and "高新区久未对接<" not in leader
    recent = _stale(client.get("/review/watch?sort=recent").get_data(as_text=True))
    assert recent.index("高新区久未对接") < recent.index("赵县久未对接") < recent.index("高新区更久未对接")
    page = client.get(f"/review/watch?zone={world.zone_a.id}").get_data(as_text=True)
    assert f"/review/zones/{world.zone_a.id}?" in page                      # zone names lead to the zone page

    response = client.get("/review/watch?tier=C&format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    names = {cell.value for row in sheet.iter_rows() for cell in row}
    assert "赵县久未对接" in names and "高新区久未对接" not in names


def _header_row(sheet, first):
    for row in sheet.iter_rows(values_only=True):
        if row and row[0] == first:
            return list(row)
    raise AssertionError("no header row")


def test_the_city_wide_ledger_as_of_a_date(client, world, login, make_project, log_contact, db, today):
    year = today.year if today.month > 3 else today.year - 1
    as_of = date(year, 3, 31)
    moved = make_project(world.zone_a, name="三月后开工项目", investor="甲投资方", total_wan="120000",
                         planned_on=date(year, 1, 5),
                         stages=[("signed", date(year, 2, 1)), ("started", date(year, 5, 1))], today=date(year, 12, 31))
    make_project(world.zone_c, name="赵县项目", investor="乙投资方", planned_on=date(year, 1, 5),
                 stages=[("negotiating", date(year, 3, 1))], today=date(year, 12, 31))
    make_project(world.zone_c, name="四月才录入的项目", investor="丙投资方", planned_on=date(year, 4, 5),
                 stages=[("negotiating", date(year, 4, 5))], today=date(year, 12, 31))
    log_contact(moved, [world.leader], date(year, 3, 3), summary="三月对接", today=date(year, 12, 31))
    log_contact(moved, [world.leader], date(year, 6, 3), summary="六月对接", today=date(year, 12, 31))
    login(world.staff)
    assert client.get(f"/review/exports/ledger.xlsx?as_of={as_of}").status_code == 403
    login(world.bureau)
    response = client.get(f"/review/exports/ledger.xlsx?as_of={as_of}")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    projects, contacts = book[L.PROJECT_SHEET], book[L.CONTACT_SHEET]
    header = _header_row(projects, "开发区")
    assert header[1:] == [c.header for c in L.PROJECT_COLUMNS]            # the zone export's template, zone first
    rows = {r[header.index("项目名称")]: r for r in projects.iter_rows(values_only=True)
            if r and r[0] in ("石家庄高新区", "赵县经开区")}
    assert set(rows) == {"三月后开工项目", "赵县项目"}
    assert rows["三月后开工项目"][header.index("项目阶段")] == "签约"
    assert rows["三月后开工项目"][header.index("开工日期")] in (None, "")
    assert rows["赵县项目"][0] == "赵县经开区"
    contact_header = _header_row(contacts, "开发区")
    summaries = [r[contact_header.index("对接内容")] for r in contacts.iter_rows(values_only=True)
                 if r and r[0] == "石家庄高新区"]
    assert summaries == ["三月对接"]
