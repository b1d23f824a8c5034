"""Admin keeps targets, FX rates and zones; changes show everywhere at once, never rewrite the past."""
import json

from app.models import AuditEvent, Target, Zone, ZoneTier

YEAR = 2024


def targets_form(client, year=YEAR):
    """The targets form as the page renders it, as a dict of field -> value."""
    import re
    page = client.get(f"/admin/targets?year={year}").get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="((?:t\d+|fx)-[^"]+)"[^>]*value="([^"]*)"', page))
    for name, block in re.findall(r'<select name="(t\d+-currency)"[^>]*>(.*?)</select>', page, re.S):
        fields[name] = re.search(r'<option value="(\w+)" selected', block).group(1)
    fields["year"] = str(year)
    return fields


def field_for(db, tier, metric, part, year=YEAR):
    t = db.session.query(Target).filter_by(year=year, tier=tier, metric=metric).one()
    return f"t{t.id}-{part}"


def test_the_form_shows_the_2024_work_points_in_ledger_units(client, world, login, db):
    login(world.admin)
    form = targets_form(client)
    assert form[field_for(db, "A", "foreign_projects", "threshold")] == "5000"
    assert form[field_for(db, "A", "foreign_projects", "currency")] == "USD"
    assert form[field_for(db, "A", "domestic_projects", "threshold")] == "100000"
    assert form[field_for(db, "B", "foreign_projects", "threshold")] == ""
    assert form["fx-USD"] == "7.100000"


def test_an_edited_target_shows_on_the_desk_and_in_progress_json(app, client, world, login, db):
    login(world.admin)
    form = targets_form(client)
    form[field_for(db, "C", "foreign_projects", "floor")] = "3"
    form[field_for(db, "C", "foreign_projects", "stretch")] = "4"
    response = client.post("/admin/targets", data=form)
    assert response.status_code == 302
    event = db.session.query(AuditEvent).filter_by(entity="target", action="update").one()
    assert event.before["floor"] == 1 and event.after["floor"] == 3
    data = json.loads(app.test_cli_runner().invoke(args=["progress", "--year", str(YEAR), "--json"]).output)
    zone_c = next(z for z in data["zones"] if z["zone"] == "zxjk")
    foreign = next(m for m in zone_c["metrics"] if m["metric"] == "foreign_projects")
    assert (foreign["floor"], foreign["stretch"]) == (3, 4)
    login(world.bureau)
    assert "（争取4）" in client.get(f"/review/?year={YEAR}").get_data(as_text=True)


def test_bad_targets_are_refused_in_chinese_and_nothing_is_saved(client, world, login, db):
    login(world.admin)
    form = targets_form(client)
    form[field_for(db, "A", "domestic_projects", "floor")] = "-1"
    form[field_for(db, "B", "domestic_projects", "stretch")] = "2"
    form[field_for(db, "C", "domestic_projects", "threshold")] = "abc"
    form[field_for(db, "A", "leader_contacts", "floor")] = "120"
    form["fx-USD"] = "0"
    page = client.post("/admin/targets", data=form, follow_redirects=True).get_data(as_text=True)
    assert "目标下限不能为负数" in page
    assert "“abc”不是有效的金额" in page
    assert "美元汇率应为大于零的数字" in page
    assert 'value="120"' in page
    assert db.session.query(Target).filter_by(year=YEAR, tier="A", metric="leader_contacts").one().floor == 100
    form = targets_form(client)
    form[field_for(db, "B", "domestic_projects", "stretch")] = "2"
    page = client.post("/admin/targets", data=form, follow_redirects=True).get_data(as_text=True)
    assert "争取目标不能低于目标下限" in page


def test_a_new_year_starts_as_a_copy_of_the_last(client, world, login, db):
    login(world.admin)
    assert "尚未设置目标" in client.get("/admin/targets?year=2031").get_data(as_text=True)
    client.post("/admin/targets/copy", data={"year": 2031, "source": YEAR})
    assert db.session.query(Target).filter_by(year=2031).count() == db.session.query(Target).filter_by(year=YEAR).count()
    again = client.post("/admin/targets/copy", data={"year": 2031, "source": YEAR}, follow_redirects=True)
    assert "2031年度已有目标，未作改动" in again.get_data(as_text=True)


def test_a_tier_change_applies_from_its_year_and_leaves_the_past_alone(app, client, world, login, db, today):
    login(world.admin)
    zone = world.zone_c
    response = client.post(f"/admin/zones/{zone.id}", data={
        "code": zone.code, "name": zone.name, "county": "赵县", "kind": "经开区", "level": "省级", "tier": "B",
        "effective_year": today.year})
    assert response.status_code == 302
    assert db.session.get(Zone, zone.id).tier == "B"
    kept = {(t.year, t.tier) for t in db.session.query(ZoneTier).filter_by(zone_id=zone.id)}
    assert (YEAR, "C") in kept
    past = json.loads(app.test_cli_runner().invoke(args=["progress", "--year", str(YEAR), "--json"]).output)
    assert next(z for z in past["zones"] if z["zone"] == "zxjk")["tier"] == "C"
    assert next(l for l in past["leaders"] if l["username"] == "leader_c")["quota"] == 50
    now = json.loads(app.test_cli_runner().invoke(args=["progress", "--json"]).output)
    assert next(z for z in now["zones"] if z["zone"] == "zxjk")["tier"] == "B"
    assert next(l for l in now["leaders"] if l["username"] == "leader_c")["quota"] == 80
    assert db.session.query(AuditEvent).filter_by(entity="zone", action="update").one().after["tier"] == "B"


def test_zone_codes_and_names_stay_unique(client, world, login, db):
    login(world.admin)
    page = client.post("/admin/zones/new", data={"code": "gxq", "name": "新开发区", "county": "", "kind": "其他",
                                                 "level": "省级", "tier": "C", "effective_year": YEAR},
                       follow_redirects=True).get_data(as_text=True)
    assert "开发区代码“gxq”已被“石家庄高新区”使用" in page
    ok = client.post("/admin/zones/new", data={"code": "lcjk", "name": "栾城经开区", "county": "栾城区",
                                               "kind": "经开区", "level": "省级", "tier": "C", "effective_year": YEAR})
    assert ok.status_code == 302 and db.session.query(Zone).filter_by(code="lcjk").one().tier == "C"
