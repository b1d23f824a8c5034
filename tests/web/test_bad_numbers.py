"""Issue 17: a number no ledger holds (1e309, 1e-400, NaN, Infinity, full-width １e５) typed at any
money entrance is refused with a Chinese message — a 400 showing the form again as typed, or the
API's 422 — never a server error, and nothing is written. Huge page numbers and ids, and a leader report for
0001-01-01..9999-12-31, are answered too."""
import json
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.models import FundsArrival, Project, Target, ZoneMonthly

BAD = ["1e309", "-1e309", "1e-400", "NaN", "nan", "Infinity", "-Infinity", "sNaN", "１e５", "1" + "0" * 30]
CHINESE = re.compile(r"[\u4e00-\u9fff]")
YEAR = 2024


def refused(response):
    """A 400 (the form again, as typed) with a Chinese message; never a server error."""
    assert response.status_code == 400, response.status_code
    body = response.get_data(as_text=True)
    assert CHINESE.search(body)
    return body


def count(db, model):
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("value", BAD)
def test_the_project_form(client, world, login, db, value, project_form):
    login(world.staff)
    body = refused(client.post("/projects/new", data=project_form(total_investment=value)))
    assert "金额" in body and count(db, Project) == 0
    body = refused(client.post("/projects/new", data=project_form(origin="JP", foreign_capital=value)))
    assert "金额" in body and count(db, Project) == 0


@pytest.mark.parametrize("value", BAD)
def test_the_contact_forms_new_project(client, world, login, db, value, today):
    login(world.leader)
    body = refused(client.post("/contacts/new", data={
        "project_name": "德国精密轴承项目", "occurred_on": today.isoformat(), "form": "外出拜访",
        "summary": "介绍园区政策", "leaders": [world.leader.id], "new_total_investment": value, "resolve": "new"}))
    assert "金额" in body and count(db, Project) == 0


@pytest.mark.parametrize("value", BAD)
def test_the_arrival_form(client, world, login, db, make_project, value):
    project = make_project(world.zone_a, planned_on=date(YEAR, 1, 5), today=date(YEAR, 12, 31))
    login(world.staff)
    response = client.post(f"/projects/{project.id}/arrivals", data={
        "arrived_on": f"{YEAR}-05-06", "amount": value, "currency": "CNY", "kind": "fixed_assets",
        "source_note": "外方股东出资"})
    body = refused(response)
    assert response.status_code == 400 and "金额" in body and count(db, FundsArrival) == 0
    # Nothing typed is lost: the page shows the form as it was filled in.
    assert 'value="外方股东出资"' in body and f'value="{YEAR}-05-06"' in body


@pytest.mark.parametrize("value", BAD)
def test_the_indicator_form(client, world, login, db, value):
    login(world.staff)
    for field in ("revenue", "fdi"):
        data = {"month": "3", "revenue": "10000", "fdi": "12", field: value}
        body = refused(client.post(f"/indicators/?year={YEAR}", data=data))
        assert count(db, ZoneMonthly) == 0 and f'value="{value}"' in body   # the figures as typed


def _targets_form(client):
    page = client.get(f"/admin/targets?year={YEAR}").get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="((?:t\d+|fx)-[^"]+)"[^>]*value="([^"]*)"', page))
    for name, block in re.findall(r'<select name="(t\d+-currency)"[^>]*>(.*?)</select>', page, re.S):
        fields[name] = re.search(r'<option value="(\w+)" selected', block).group(1)
    fields["year"] = str(YEAR)
    return fields


@pytest.mark.parametrize("value", BAD)
def test_the_admins_targets_and_rates(client, world, login, db, value):
    login(world.admin)
    fields = _targets_form(client)
    before = sorted(str(t.floor_value) + str(t.threshold_amount) for t in db.session.scalars(select(Target)))
    names = [n for n in fields if n.endswith(("-floor", "-stretch", "-threshold")) or n.startswith("fx-")]
    assert any(n.startswith("fx-") for n in names) and any(n.endswith("-threshold") for n in names)
    for name in names:
        response = client.post("/admin/targets", data={**fields, name: value})
        assert response.status_code == 400, name
        refused(response)
    after = sorted(str(t.floor_value) + str(t.threshold_amount) for t in db.session.scalars(select(Target)))
    assert after == before


@pytest.mark.parametrize("value", BAD)
def test_the_api_as_strings_and_as_json_numbers(api_as, world, db, make_project, value):
    project = make_project(world.zone_a, planned_on=date(YEAR, 1, 5), today=date(YEAR, 12, 31))
    api = api_as(world.staff)
    bodies = {
        ("post", "/projects"): ('{"name": "接口项目", "investor_name": "某公司", "origin": "CN", '
                                '"industry": "高端装备制造", "stage": "lead", "total_investment_cny": %s}'),
        ("post", f"/projects/{project.id}/arrivals"): (f'{{"arrived_on": "{YEAR}-05-06", "currency": "CNY", '
                                                       '"kind": "fixed_assets", "amount": %s}'),
        ("put", f"/zones/{world.zone_a.id}/monthly/{YEAR}/3"): '{"revenue": %s}',
    }
    # As a JSON string, and as a bare JSON number (1e309, NaN and Infinity as Python's parser reads them).
    for written in (json.dumps(value), value.replace("１e５", "1e5")):
        for (method, path), template in bodies.items():
            response = getattr(api.client, method)("/api/v1" + path, data=template % written,
                                                   headers={**api.headers, "Content-Type": "application/json"})
            assert response.status_code in (400, 422), (path, written, response.status_code)
            assert CHINESE.search(response.json["error"]["message"])
    assert count(db, FundsArrival) == 0 and count(db, ZoneMonthly) == 0 and count(db, Project) == 1


def test_a_leader_report_for_all_of_time_is_a_400_in_chinese(client, world, login):
    login(world.bureau)
    response = client.get(f"/reports/leader/{world.leader.id}.pdf",
                          query_string={"from": "0001-01-01", "to": "9999-12-31"})
    assert response.status_code == 400 and "日期应在" in response.get_data(as_text=True)
    assert client.get(f"/reports/leader/{world.leader.id}.pdf",
                      query_string={"from": "2024-12-31", "to": "2024-01-01"}).status_code == 400


HUGE = "9" * 25


def test_page_and_id_numbers_of_twenty_digits_are_answered(client, world, login, api_as, make_project):
    project = make_project(world.zone_a)
    login(world.staff)
    for path in (f"/projects/{HUGE}", f"/projects/{HUGE}/edit", f"/reports/zone/{HUGE}.pdf",
                 f"/reports/leader/{HUGE}.pdf", f"/reports/archive/{HUGE}"):
        assert client.get(path).status_code in (403, 404), path
    for path in ("/projects/", "/contacts/", f"/projects/{project.id}"):
        for page in (HUGE, "-" + HUGE, "1e309"):
            assert client.get(path, query_string={"page": page}).status_code in (200, 400), (path, page)
    api = api_as(world.staff)
    for path in (f"/projects/{HUGE}", f"/projects?page={HUGE}", f"/contacts?page={HUGE}", f"/contacts/{HUGE}", f"/projects/{HUGE}/funds",
                 f"/zones/{HUGE}/monthly"):
        response = api.get(path)
        assert response.status_code in (400, 404, 422), (path, response.status_code)
        assert CHINESE.search(response.json["error"]["message"])


@pytest.mark.parametrize("value", BAD)
def test_the_forms_read_back_of_an_amount(client, world, login, value):
    login(world.staff)
    for unit in ("万元", "万美元"):
        response = client.get("/amount", query_string={"text": value, "unit": unit})
        assert response.status_code == 200 and response.get_json()["ok"] is False
        assert CHINESE.search(response.get_json()["message"])
