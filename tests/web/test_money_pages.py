"""Money that arrives on the pages (issue 19): arrivals on the project page, the monthly
indicators page with audited corrections, and targets as data for the admin."""
import json
from datetime import date
from decimal import Decimal

from app.domain import metrics as M
from app.models import AuditEvent, FundsArrival, Target, ZoneMonthly

YEAR = 2024


def test_staff_record_an_arrival_in_dollars_and_see_promised_against_arrived(client, world, login, make_project, db):
    project = make_project(world.zone_a, name="外资新材料项目", origin="JP", capital_wan="3000", total_wan="50000",
                           planned_on=date(YEAR, 1, 5), today=date(YEAR, 12, 31))
    login(world.staff)
    response = client.post(f"/projects/{project.id}/arrivals", data={
        "arrived_on": f"{YEAR}-05-06", "amount": "1234.56", "currency": "USD", "kind": "foreign_paid_in",
        "source_note": "外方股东出资", "voucher_ref": "YH-001"})
    assert response.status_code == 302
    arrival = db.session.query(FundsArrival).one()
    assert (arrival.amount, arrival.currency) == (Decimal("12345600.00"), "USD")
    assert db.session.query(AuditEvent).filter_by(entity="funds_arrival", action="create").count() == 1
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    # 12,345,600 USD at 2024's 7.1 = 87,653,760 CNY.
    assert "8,765.376万元" in page   # exact: 87,653,760.00 元
    assert "3,000.00万美元" in page and "1,234.56万美元" in page


def test_another_zone_cannot_add_arrivals(client, world, login, make_project):
    project = make_project(world.zone_a, planned_on=date(YEAR, 1, 5), today=date(YEAR, 12, 31))
    login(world.other_staff)
    assert client.post(f"/projects/{project.id}/arrivals", data={"arrived_on": "2024-05-06", "amount": "1",
                                                                  "currency": "CNY", "kind": "fixed_assets"}
                       ).status_code == 404


def test_a_correction_of_a_reported_month_needs_its_reason(client, world, login, db):
    login(world.staff)
    assert client.post(f"/indicators/?year={YEAR}", data={"month": "3", "revenue": "10000.5", "fdi": "12"}
                       ).status_code == 302
    client.post(f"/indicators/?year={YEAR}", data={"month": "3", "revenue": "10001", "fdi": "12"})
    row = db.session.query(ZoneMonthly).one()
    assert row.revenue == Decimal("100005000.00")  # unchanged: no reason given
    client.post(f"/indicators/?year={YEAR}", data={"month": "3", "revenue": "10001", "fdi": "12",
                                                    "reason": "统计局更正"})
    db.session.refresh(row)
    assert row.revenue == Decimal("100010000.00")
    event = db.session.query(AuditEvent).filter_by(entity="zone_monthly", action="update").one()
    assert event.after["reason"] == "统计局更正" and event.before["revenue"] == "100005000.00"
    page = client.get(f"/indicators/?year={YEAR}").get_data(as_text=True)
    assert "10,001.00万元" in page and "上年同期为零" in page


def test_the_admin_loads_the_langfang_set_and_edits_a_growth_rate_without_code(app, client, world, login, db):
    login(world.admin)
    assert client.post("/admin/targets/example", data={"year": "2030", "example": "langfang"}).status_code == 302
    rows = {t.metric: t for t in db.session.query(Target).filter_by(year=2030)}
    assert rows[M.ZONES_FDI_ABOVE].floor == 3 and rows[M.ZONES_FDI_ABOVE].threshold_amount == Decimal("100000000.00")
    assert rows[M.ZONES_FDI_BREAKTHROUGH].floor == 2
    # Shijiazhuang 2024: revenue growth ≥ 10% is a row of the shipped set; the admin makes it 12.5%.
    import re
    page = client.get(f"/admin/targets?year={YEAR}").get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="((?:t\d+|fx)-[^"]+)"[^>]*value="([^"]*)"', page))
    for name, block in re.findall(r'<select name="(t\d+-currency)"[^>]*>(.*?)</select>', page, re.S):
        fields[name] = re.search(r'<option value="(\w+)" selected', block).group(1)
    revenue = db.session.query(Target).filter_by(year=YEAR, tier=None, metric=M.CITY_REVENUE_GROWTH).one()
    assert fields[f"t{revenue.id}-floor"] == "10"
    fields[f"t{revenue.id}-floor"] = "12.5"
    fields["year"] = str(YEAR)
    assert client.post("/admin/targets", data=fields).status_code == 302
    db.session.refresh(revenue)
    assert revenue.floor_value == Decimal("12.50")
    data = json.loads(app.test_cli_runner().invoke(args=["progress", "--year", str(YEAR), "--json"]).output)
    assert data["city_values"][0]["floor"] == "12.50"
    # Any registered metric can be targeted: 到位资金 for tier C.
    assert client.post("/admin/targets/add", data={"year": str(YEAR), "tier": "C", "metric": M.FUNDS_ARRIVED}
                       ).status_code == 302
    assert db.session.query(Target).filter_by(year=YEAR, tier="C", metric=M.FUNDS_ARRIVED).one().floor_value == 0
