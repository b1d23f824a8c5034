"""One reading of money and dates on every path: forms, the read-back the page shows, the API."""
from decimal import Decimal

import pytest

from app.models import Contact, Project
from tests.domain.test_one_money_reader import SPELLINGS


@pytest.mark.parametrize("typed, stored", [
    ("8.6亿元", "860000000.00"), ("3.5亿", "350000000.00"), ("5000万", "50000000.00"),
    ("1,200", "12000000.00"), ("１２００", "12000000.00"),
])
def test_the_project_form_reads_amounts_as_the_import_does(client, world, login, db, typed, stored, project_form):
    login(world.staff)
    response = client.post("/projects/new", data=project_form(total_investment=typed))
    assert response.status_code == 302
    assert str(db.session.query(Project).one().total_investment) == stored


def test_the_form_shows_the_reading_back_before_saving(client, world, login):
    login(world.leader)
    answer = client.get("/amount", query_string={"text": "3.5亿", "unit": "万元"}).get_json()
    assert answer == {"ok": True, "reading": "= 35,000.00 万元"}
    answer = client.get("/amount", query_string={"text": "500万美元", "unit": "万元"}).get_json()
    assert answer["ok"] is False and "本栏以万元填写" in answer["message"]
    assert client.get("/amount", query_string={"text": "1", "unit": "斤"}).status_code == 400
    page = client.get("/projects/new").get_data(as_text=True)
    assert 'data-unit="万元"' in page and 'id="total_investment-reading"' in page


def test_a_refused_amount_keeps_its_reading_field_and_a_good_one_shows_it(client, world, login, db, project_form):
    login(world.staff)
    page = client.post("/projects/new", data=project_form(total_investment="8.6亿元", name="")).get_data(as_text=True)
    assert "= 86,000.00 万元" in page


def test_the_contact_forms_new_project_reads_yi(client, world, login, db, today):
    login(world.leader)
    client.post("/contacts/new", data={
        "project_name": "德国精密轴承项目", "occurred_on": today.isoformat(), "form": "外出拜访",
        "summary": "介绍园区政策", "leaders": [world.leader.id], "new_total_investment": "3.5亿",
        "resolve": "new"})
    assert str(db.session.query(Project).filter_by(name="德国精密轴承项目").one().total_investment) == "350000000.00"


# A day the forms refuse and what they say, given the run's today (a parametrize list is built
# before any fixture).
IMPLAUSIBLE = {"before 2000": lambda today: ("1999-12-31", "早于 2000 年"),
               "after next year": lambda today: (f"{today.year + 2}-01-01", f"晚于 {today.year + 1} 年底")}


@pytest.mark.parametrize("case", IMPLAUSIBLE)
def test_implausible_dates_are_refused_in_chinese_on_the_forms(client, world, login, db, make_project, case, today,
                                                                project_form):
    day, message = IMPLAUSIBLE[case](today)
    project = make_project(world.zone_a)
    login(world.leader)
    page = client.post("/contacts/new", data={
        "project_name": project.name, "project_id": project.id, "occurred_on": today.isoformat(),
        "form": "外出拜访", "summary": "介绍园区政策", "leaders": [world.leader.id], "next_step": "再访",
        "next_step_on": day}).get_data(as_text=True)
    assert message in page and db.session.query(Contact).count() == 0
    login(world.staff)
    page = client.post("/projects/new", data=project_form(planned_on=day)).get_data(as_text=True)
    assert message in page and db.session.query(Project).count() == 1


def test_the_api_refuses_a_contact_dated_before_2000(world, api_as, make_project, db):
    project = make_project(world.zone_a)
    db.session.commit()
    response = api_as(world.leader).post("/contacts", {
        "project_id": project.id, "occurred_on": "1999-05-01", "form": "电话", "summary": "电话沟通"})
    assert response.status_code == 422
    assert "早于 2000 年" in response.get_json()["error"]["fields"]["occurred_on"]


@pytest.mark.parametrize("typed, unit, amount, currency", [s for s in SPELLINGS if s[1] == "万元" and s[2] != "0.00"])
def test_form_import_and_api_store_each_spelling_alike(client, world, login, db, api_as, typed, unit, amount,
                                                       currency, project_form):
    """The project form and the import read the spelling with the one reader; the API's decimal
    string of that amount (in 元) goes through the same reader and stores the same value."""
    from app.domain.ledger import read_ledger_amount
    login(world.staff)
    assert client.post("/projects/new", data=project_form(total_investment=typed)).status_code == 302
    by_form = db.session.query(Project).one().total_investment
    assert read_ledger_amount(typed, unit).money.amount == by_form == Decimal(amount)
    response = api_as(world.staff).post("/projects", {"name": "接口录入项目", "total_investment_cny": amount})
    assert response.status_code == 201, response.json
    assert db.session.get(Project, response.json["id"]).total_investment == by_form


def test_the_monthly_indicator_form_reads_amounts_with_the_one_reader(client, world, login, db):
    from app.models.funds import ZoneMonthly as ZoneMonth
    login(world.staff)
    client.post("/indicators/", data={"month": "1", "revenue": "3.5亿", "fdi": "500万美金"})
    row = db.session.query(ZoneMonth).one()
    assert (str(row.revenue), str(row.fdi)) == ("350000000.00", "5000000.00")
    page = client.post("/indicators/", data={"month": "2", "revenue": "500万美元"}, follow_redirects=True)
    assert "本栏以万元填写" in page.get_data(as_text=True)
