"""The bureau's city-wide ledger export carries every zone's 到位资金 up to its date, zone first,
in the zone export's (and the import template's) 到位资金 layout."""
import io
from datetime import date

import openpyxl

from app.domain import ledger as L
from app.domain.money import parse_amount
from app.domain.funds import FIXED_ASSETS, FOREIGN_PAID_IN
from app.services.funds import ArrivalInput, add_arrival

LATER = date(2024, 12, 31)


def test_the_city_wide_export_lists_each_zones_arrivals_up_to_its_date(client, world, login, make_project, db):
    battery = make_project(world.zone_a, name="储能电池项目", code="GX-001", planned_on=date(2024, 1, 5), today=LATER)
    food = make_project(world.zone_c, name="港资食品项目", investor="香港新元投资有限公司", origin="HK",
                        planned_on=date(2024, 1, 5), today=LATER)
    add_arrival(battery, ArrivalInput(date(2024, 3, 10), parse_amount("1200.5", "万元"), FIXED_ASSETS,
                                      voucher_ref="PZ-0310"), world.staff, today=LATER)
    add_arrival(food, ArrivalInput(date(2024, 2, 1), parse_amount("50", "万美元"), FOREIGN_PAID_IN), world.other_staff,
                today=LATER)
    add_arrival(battery, ArrivalInput(date(2024, 4, 2), parse_amount("300", "万元"), FIXED_ASSETS), world.staff,
                today=LATER)
    db.session.commit()
    login(world.bureau)
    response = client.get("/review/exports/ledger.xlsx?as_of=2024-03-31")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))[L.ARRIVAL_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(list(r) for r in rows if r and r[0] == "开发区")
    assert header[1:] == [c.header for c in L.ARRIVAL_COLUMNS]
    found = [dict(zip(header, r)) for r in rows if r and r[0] in ("石家庄高新区", "赵县经开区")]
    assert [(r["开发区"], r["项目"], r["到位日期"].date(), str(r["金额（万）"]), r["币种"]) for r in found] == [
        ("石家庄高新区", "GX-001", date(2024, 3, 10), "1200.5", "人民币"),
        ("赵县经开区", "港资食品项目", date(2024, 2, 1), "50", "美元")]
    assert found[0]["凭证号"] == "PZ-0310"
