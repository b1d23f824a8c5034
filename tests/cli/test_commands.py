"""The operators' commands: progress --json, zones add, users add, demo-data."""
import json
from datetime import date

from app.domain import targets as T
from app.models import User, Zone

YEAR = 2024


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_progress_json_follows_the_contract(app, world, make_project, log_contact):
    project = make_project(world.zone_a, planned_on=date(YEAR, 2, 1), stages=[("negotiating", date(YEAR, 2, 1))],
                           today=date(YEAR, 12, 31))
    log_contact(project, [world.leader, world.leader2], date(YEAR, 3, 3), today=date(YEAR, 12, 31))
    result = run(app, "progress", "--year", str(YEAR), "--as-of", f"{YEAR}-06-30", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # Issue 19 added zone_values and city_values (README); the keys before them are unchanged.
    assert set(data) == {"year", "as_of", "expected_share", "leaders", "zones", "city", "zone_values", "city_values"}
    assert data["year"] == YEAR and data["as_of"] == "2024-06-30" and data["expected_share"] == 0.5
    leader = next(l for l in data["leaders"] if l["username"] == "leader1")
    assert leader == {"username": "leader1", "zone": "gxq", "quota": 100, "contacted_projects": 1, "on_pace": False}
    zone_a = next(z for z in data["zones"] if z["zone"] == "gxq")
    assert zone_a["tier"] == "A" and zone_a["rank_in_tier"] == 1
    assert [m["metric"] for m in zone_a["metrics"]] == [
        "leader_contacts", "foreign_projects", "domestic_projects", "provincial_key_projects", "municipal_key_projects"]
    assert set(zone_a["metrics"][1]) == {"metric", "floor", "stretch", "actual", "on_pace"}
    assert zone_a["metrics"][1]["floor"] == 1 and zone_a["metrics"][1]["stretch"] == 2
    assert data["city"] == {"new_start_industrial_projects": {"target": 400, "actual": 0}}
    assert [v["metric"] for v in data["city_values"]] == ["city_operating_revenue_growth", "city_utilised_fdi_growth"]
    revenue = data["city_values"][0]
    assert revenue["floor"] == "10.00" and revenue["base_zero"] is True and revenue["actual"] is None


def test_tier_b_zones_carry_the_manufacturing_metric(app, world, db):
    db.session.add(Zone(code="zdgx", name="正定高新区", tier="B"))
    db.session.commit()
    data = json.loads(run(app, "progress", "--year", str(YEAR), "--json").output)
    zone_b = next(z for z in data["zones"] if z["zone"] == "zdgx")
    assert T.MANUFACTURING in [m["metric"] for m in zone_b["metrics"]]


def test_progress_rejects_a_bad_date_in_chinese(app, world):
    result = run(app, "progress", "--as-of", "2024-13-01")
    assert result.exit_code != 0 and "不是 YYYY-MM-DD 格式的日期" in result.output


def test_zones_and_users_can_be_added_once(app, db):
    assert run(app, "zones", "add", "lcjk", "栾城经开区", "--tier", "C", "--county", "栾城区").exit_code == 0
    again = run(app, "zones", "add", "lcjk", "另一个名字", "--tier", "C")
    assert again.exit_code == 2 and "开发区代码“lcjk”已被“栾城经开区”使用" in again.output
    ok = run(app, "users", "add", "lc-l1", "--name", "刘洋", "--role", "leader", "--zone", "lcjk", "--password", "Abcdef12!")
    assert ok.exit_code == 0, ok.output
    user = db.session.query(User).filter_by(username="lc-l1").one()
    assert user.zone.code == "lcjk" and user.check_password("Abcdef12!")
    dup = run(app, "users", "add", "lc-l1", "--name", "刘洋", "--role", "leader", "--zone", "lcjk", "--password", "Abcdef12!")
    assert dup.exit_code == 2 and "用户名“lc-l1”已存在" in dup.output
    unknown = run(app, "users", "add", "x1", "--name", "某人", "--role", "staff", "--zone", "nope", "--password", "Abcdef12!")
    assert unknown.exit_code == 2 and "开发区代码“nope”不存在" in unknown.output
    no_zone = run(app, "users", "add", "x2", "--name", "某人", "--role", "leader", "--password", "Abcdef12!")
    assert no_zone.exit_code == 2 and "必须指定所属开发区" in no_zone.output
    bad_role = run(app, "users", "add", "x3", "--name", "某人", "--role", "king", "--password", "Abcdef12!")
    assert bad_role.exit_code != 0


def test_demo_data_loads_once_and_fills_every_screen(app, db):
    first = run(app, "demo-data", "--today", "2024-04-15")
    assert first.exit_code == 0 and "演示数据已载入" in first.output
    counts = (db.session.query(Zone).count(), db.session.query(User).count())
    second = run(app, "demo-data", "--today", "2024-04-15")
    assert "演示数据已存在" in second.output
    assert (db.session.query(Zone).count(), db.session.query(User).count()) == counts
    names = {z.name for z in db.session.query(Zone)}
    assert {"石家庄高新区", "石家庄经开区", "正定高新区", "鹿泉经开区", "装备制造产业园"} <= names
    assert {u.role for u in db.session.query(User)} == {"leader", "staff", "bureau", "admin", "auditor"}
    data = json.loads(run(app, "progress", "--year", "2024", "--as-of", "2024-04-15", "--json").output)
    assert any(l["contacted_projects"] > 0 for l in data["leaders"])
    assert any(not l["on_pace"] for l in data["leaders"]) and any(l["on_pace"] for l in data["leaders"])
    tiers = {z["zone"]: z["tier"] for z in data["zones"]}
    assert tiers["sjzgx"] == "A" and tiers["zdgx"] == "B" and tiers["gcjk"] == "C"
