"""The API's resources as a client uses them: scope and roles as on the pages, writes
through the same services (audited, counted), amounts as decimal strings, Chinese errors
that name the field."""
import json
from datetime import date, timedelta
from decimal import Decimal

from app.models import AuditEvent, Contact, LeaderProject, Project, Target


def no_floats(value, path="") -> list[str]:
    """Paths of JSON numbers that are not integers (amounts must never travel as floats)."""
    if isinstance(value, float):
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in no_floats(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in no_floats(v, f"{path}.{i}")]
    return []


# ---------------------------------------------------------------- reading

def test_me_names_the_user_role_and_zone(api_as, world):
    me = api_as(world.leader).get("/me").json
    assert me == {"username": "leader1", "name": "张伟", "role": "leader", "role_label": "开发区领导",
                  "zone": {"id": world.zone_a.id, "code": "gxq", "name": "石家庄高新区"}}
    assert api_as(world.bureau).get("/me").json["zone"] is None


def test_zone_roles_see_their_own_zone_and_its_leaders_only(api_as, world):
    zones = api_as(world.staff).get("/zones").json["items"]
    assert [z["code"] for z in zones] == ["gxq"]
    assert [l["username"] for l in zones[0]["leaders"]] == ["leader1", "leader2"]
    assert api_as(world.staff).get(f"/zones/{world.zone_c.id}").status_code == 404
    assert {z["code"] for z in api_as(world.bureau).get("/zones").json["items"]} == {"gxq", "zxjk"}


def test_projects_are_listed_in_scope_with_filters_and_pages(api_as, world, make_project, today):
    make_project(world.zone_a, "氢能装备项目", investor="东京精工株式会社", origin="JP", capital_wan="6000",
                 stages=[("signed", today)])
    make_project(world.zone_a, "生物医药产业园", total_wan="150000")
    make_project(world.zone_c, "外区项目")
    leader = api_as(world.leader)
    page = leader.get("/projects").json
    assert page["total"] == 2 and {p["name"] for p in page["items"]} == {"氢能装备项目", "生物医药产业园"}
    assert [p["name"] for p in leader.get("/projects?origin=foreign").json["items"]] == ["氢能装备项目"]
    assert [p["name"] for p in leader.get("/projects?stage=signed").json["items"]] == ["氢能装备项目"]
    assert [p["name"] for p in leader.get("/projects?q=医药").json["items"]] == ["生物医药产业园"]
    assert leader.get("/projects?zone=zxjk").json["total"] == 0  # another zone: nothing, not its rows
    one = leader.get("/projects?per_page=1&page=2").json
    assert (one["page"], one["per_page"], one["total"], one["pages"], len(one["items"])) == (2, 1, 2, 2, 1)
    bureau = api_as(world.bureau)
    assert bureau.get("/projects").json["total"] == 3
    assert [p["name"] for p in bureau.get("/projects?zone=zxjk").json["items"]] == ["外区项目"]


def test_a_project_reads_with_exact_amounts_as_strings_and_iso_dates(api_as, world, make_project, today):
    project = make_project(world.zone_a, "氢能装备项目", investor="东京精工株式会社", origin="JP",
                           total_wan="123456.78", capital_wan="6000.5", stages=[("signed", today)])
    body = api_as(world.leader).get(f"/projects/{project.id}").json
    assert body["total_investment_cny"] == "1234567800.00"
    assert body["foreign_capital_amount"] == "60005000.00" and body["foreign_capital_currency"] == "USD"
    assert body["is_foreign"] is True and body["investor"]["origin"] == "JP"
    assert body["signed_on"] == today.isoformat() and body["stage"] == "signed" and body["stage_label"] == "签约"
    assert [h["stage"] for h in body["stage_history"]] == ["lead", "signed"]
    assert body["created_at"].endswith("Z")
    assert no_floats(body) == []


def test_another_zones_project_is_404_for_a_zone_role_and_readable_for_the_bureau(api_as, world, make_project):
    other = make_project(world.zone_c, "外区项目")
    for user in (world.leader, world.staff):
        client = api_as(user)
        response = client.get(f"/projects/{other.id}")
        assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
        assert client.patch(f"/projects/{other.id}", {"note": "改他区"}).status_code == 404
        assert client.post(f"/projects/{other.id}/stage", {"stage": "dropped"}).status_code == 404
        assert client.post("/contacts", {"project_id": other.id, "summary": "x",
                                         "leader_usernames": ["leader_c"]}).status_code == 404
    assert api_as(world.bureau).get(f"/projects/{other.id}").status_code == 200
    assert api_as(world.bureau).patch(f"/projects/{other.id}", {"note": "x"}).status_code == 403
    assert api_as(world.leader).get("/projects/2147483648").status_code == 404


# ---------------------------------------------------------------- writing projects

def test_a_leader_enters_a_project_through_the_service_and_it_is_audited(api_as, world, db, today):
    response = api_as(world.leader).post("/projects", {
        "name": "新能源电池生产基地项目", "investor_name": "宁德新能科技有限公司", "investor_usci": "91350900MA2XN3T827",
        "industry": "新能源", "is_manufacturing": True, "total_investment_cny": "1500000000.00",
        "key_level": "municipal", "leader_username": "leader2", "stage": "negotiating",
        "stage_on": (today - timedelta(days=3)).isoformat()})
    assert response.status_code == 201, response.json
    body = response.json
    assert response.headers["Location"] == f"/api/v1/projects/{body['id']}"
    project = db.session.get(Project, body["id"])
    assert project.zone_id == world.zone_a.id and project.total_investment == Decimal("1500000000.00")
    assert project.leader_id == world.leader2.id and project.negotiating_on == today - timedelta(days=3)
    assert body["leader"] == {"username": "leader2", "name": "李娜"} and body["total_investment_cny"] == "1500000000.00"
    event = db.session.query(AuditEvent).filter_by(action="create", entity="project").one()
    assert event.user_id == world.leader.id and event.after["total_investment"] == "1500000000.00"
    # An old industry label still works: it is the wording, its code read through the synonyms.
    assert (body["industry"], body["industry_code"], body["industry_name"]) == ("新能源", "D", "D 电力、热力、燃气及水生产和供应业")


def test_industry_codes_tags_and_every_origin(api_as, world, db):
    client = api_as(world.staff)
    response = client.post("/projects", {"name": "锂电池项目", "investor_name": "某某控股有限公司", "investor_origin": "VG",
                                         "industry": "锂电池", "industry_code": "38", "tags": ["新能源产业"]})
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["industry"], body["industry_code"], body["tags"]) == ("锂电池", "38", ["新能源产业"])
    assert body["investor"]["origin_label"] == "英属维尔京群岛" and body["is_foreign"]
    assert client.post("/projects", {"name": "x", "industry_code": "99"}).status_code == 422
    patched = client.patch(f"/projects/{body['id']}", {"industry": "制造业"}).json
    assert (patched["industry"], patched["industry_code"], patched["tags"]) == ("制造业", "C", ["新能源产业"])


def test_validation_errors_are_chinese_and_name_each_field(api_as, world):
    response = api_as(world.staff).post("/projects", {
        "name": "", "total_investment_cny": 1500000000.5, "foreign_capital_amount": "1.234",
        "stage": "done", "planned_on": "2024/03/01", "investor_usci": "123", "colour": "red"})
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "validation_error" and "请求内容有误" in error["message"]
    assert error["fields"] == {
        "name": "不能为空",
        "investor_usci": "统一社会信用代码应为18位，当前为3位",
        "total_investment_cny": "应为字符串",
        "foreign_capital_amount": "应为金额字符串（单位元，最多两位小数），例如 \"150000000.00\"",
        "planned_on": "应为 ISO 8601 日期（YYYY-MM-DD）",
        "stage": "取值应为以下之一：lead、negotiating、signed、started、producing、dropped",
        "colour": "不支持该字段",
    }


def test_domain_rules_answer_with_the_field_and_conflicts_with_409(api_as, world, make_project, today):
    make_project(world.zone_a, "已有项目", code="GX-001")
    client = api_as(world.staff)
    tomorrow = (today + timedelta(days=1)).isoformat()
    cases = [
        ({"name": "甲", "code": "GX-001"}, 409, "code", "项目编号“GX-001”已被本区其他项目使用"),
        ({"name": "甲", "leader_username": "leader_c"}, 422, "leader_username", "“leader_c”不是本开发区的在职领导"),
        ({"name": "甲", "stage_on": tomorrow}, 422, "stage_on", "阶段日期不能晚于今天"),
        ({"name": "甲", "planned_on": tomorrow}, 422, "planned_on", "日期不能晚于今天"),
        ({"name": "   "}, 422, "name", "请填写项目名称"),
        ({"name": "甲", "investor_name": "某公司", "investor_usci": "91350900MA2XN3T82K"}, 422, "investor_usci",
         "统一社会信用代码校验位不正确，请核对"),
    ]
    for body, status, field, message in cases:
        response = client.post("/projects", body)
        assert response.status_code == status, body
        assert response.json["error"]["fields"] == {field: message}, body


def test_a_patch_changes_only_what_it_sends(api_as, world, make_project, db):
    project = make_project(world.zone_a, "智能装备项目", total_wan="120000", capital_wan=None, code="GX-9")
    client = api_as(world.leader)
    body = client.patch(f"/projects/{project.id}", {"note": "投资方追加投资", "leader_username": "leader1"}).json
    assert body["note"] == "投资方追加投资" and body["leader"]["username"] == "leader1"
    assert body["total_investment_cny"] == "1200000000.00" and body["code"] == "GX-9"  # untouched, not ×10,000
    assert body["investor"]["name"] == "北京华创科技有限公司"
    body = client.patch(f"/projects/{project.id}", {"total_investment_cny": None, "key_level": "provincial"}).json
    assert body["total_investment_cny"] is None and body["key_level"] == "provincial"
    assert client.patch(f"/projects/{project.id}", {"name": None}).json["error"]["fields"] == {"name": "应为字符串"}
    events = db.session.query(AuditEvent).filter_by(action="update", entity="project").order_by(AuditEvent.id).all()
    assert events[0].after == {"note": "投资方追加投资", "leader_id": world.leader.id}
    assert events[1].before == {"total_investment": "1200000000.00", "key_level": None}


def test_stage_changes_keep_their_dates_and_refuse_the_current_stage(api_as, world, make_project, db, today):
    project = make_project(world.zone_a, "智能装备项目", stages=[("negotiating", today - timedelta(days=10))])
    client = api_as(world.staff)
    body = client.post(f"/projects/{project.id}/stage",
                       {"stage": "signed", "changed_on": (today - timedelta(days=2)).isoformat(), "note": "签约仪式"}).json
    assert body["stage"] == "signed" and body["signed_on"] == (today - timedelta(days=2)).isoformat()
    assert body["stage_history"][-1] == {"stage": "signed", "stage_label": "签约", "note": "签约仪式",
                                         "changed_on": (today - timedelta(days=2)).isoformat(), "recorded_by": "staff1",
                                         "corrected": False}
    response = client.post(f"/projects/{project.id}/stage", {"stage": "signed"})
    assert response.status_code == 409 and response.json["error"]["fields"] == {"stage": "项目已处于“签约”阶段"}
    response = client.post(f"/projects/{project.id}/stage",
                           {"stage": "started", "changed_on": (today - timedelta(days=5)).isoformat()})
    assert response.status_code == 422 and list(response.json["error"]["fields"]) == ["changed_on"]
    assert db.session.query(AuditEvent).filter_by(action="stage_change").count() == 2  # fixture's + this one


# ---------------------------------------------------------------- contacts and progress

def test_a_leaders_contact_counts_towards_the_quota_and_shows_in_progress(api_as, world, make_project, db, today):
    project = make_project(world.zone_a, "智能装备项目")
    client = api_as(world.leader)
    before = {l["username"]: l for l in client.get("/progress").json["leaders"]}
    response = client.post("/contacts", {"project_id": project.id, "form": "来访接待", "summary": "介绍园区政策",
                                         "next_step": "报送用地需求", "next_step_on": today.isoformat()})
    assert response.status_code == 201, response.json
    contact = response.json
    assert contact["leaders"] == [{"username": "leader1", "name": "张伟"}] and contact["recorded_by"] == "leader1"
    assert contact["occurred_on"] == today.isoformat() and contact["project"] == {"id": project.id, "name": "智能装备项目"}
    after = {l["username"]: l for l in client.get("/progress").json["leaders"]}
    assert after["leader1"]["contacted_projects"] == before["leader1"]["contacted_projects"] + 1
    assert db.session.query(LeaderProject).filter_by(leader_id=world.leader.id, project_id=project.id).count() == 1
    detail = client.get(f"/projects/{project.id}").json
    assert detail["last_contact_on"] == today.isoformat() and detail["next_step"] == "报送用地需求"
    event = db.session.query(AuditEvent).filter_by(action="create", entity="contact").one()
    assert event.user_id == world.leader.id and event.after["leaders"] == ["leader1"]
    assert response.headers["Location"] == f"/api/v1/contacts/{contact['id']}"
    assert client.get(f"/contacts/{contact['id']}").json == contact


def test_staff_name_the_leaders_and_only_their_zones_leaders(api_as, world, make_project, db, today):
    project = make_project(world.zone_a, "智能装备项目")
    client = api_as(world.staff)
    response = client.post("/contacts", {"project_id": project.id, "summary": "电话沟通"})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"leader_usernames": "请至少选择一位参与对接的领导"}
    response = client.post("/contacts", {"project_id": project.id, "summary": "电话沟通",
                                         "leader_usernames": ["leader1", "leader_c"]})
    assert response.json["error"]["fields"] == {"leader_usernames": "“leader_c”不是本开发区的在职领导"}
    response = client.post("/contacts", {"project_id": project.id, "summary": "电话沟通", "next_step_on":
                                         today.isoformat(), "leader_usernames": ["leader1", "leader2"]})
    assert response.json["error"]["fields"] == {"next_step": "填写了下一步日期，请同时填写下一步工作"}
    response = client.post("/contacts", {"project_id": project.id, "summary": "电话沟通",
                                         "leader_usernames": ["leader1", "leader2"]})
    assert response.status_code == 201
    assert {l["username"] for l in response.json["leaders"]} == {"leader1", "leader2"}
    assert db.session.query(Contact).count() == 1


def test_contacts_are_listed_in_scope_and_filtered(api_as, world, make_project, log_contact, today):
    own = make_project(world.zone_a, "本区项目")
    other = make_project(world.zone_c, "外区项目")
    log_contact(own, [world.leader], today - timedelta(days=20))
    log_contact(own, [world.leader2], today)
    log_contact(other, [world.other_leader], today)
    leader = api_as(world.leader)
    assert leader.get("/contacts").json["total"] == 2
    assert leader.get(f"/contacts?project_id={other.id}").json["total"] == 0
    recent = leader.get(f"/contacts?from={(today - timedelta(days=5)).isoformat()}").json["items"]
    assert [c["leaders"][0]["username"] for c in recent] == ["leader2"]
    assert [c["zone"]["code"] for c in leader.get("/contacts?leader=leader1").json["items"]] == ["gxq"]
    assert api_as(world.bureau).get("/contacts?zone=zxjk").json["total"] == 1
    other_id = api_as(world.bureau).get("/contacts?zone=zxjk").json["items"][0]["id"]
    assert leader.get(f"/contacts/{other_id}").status_code == 404
    assert api_as(world.bureau).get(f"/contacts/{other_id}").status_code == 200


def test_progress_is_the_progress_json_object(api_as, world, make_project, log_contact, app):
    project = make_project(world.zone_a, "本区项目", stages=[("signed", date(2024, 3, 1))], total_wan="150000",
                           today=date(2024, 6, 30))
    log_contact(project, [world.leader], date(2024, 3, 1), today=date(2024, 6, 30))
    cli = app.test_cli_runner().invoke(args=["progress", "--year", "2024", "--as-of", "2024-06-30", "--json"])
    assert cli.exit_code == 0, cli.output
    response = api_as(world.bureau).get("/progress?year=2024&as_of=2024-06-30")
    assert response.json == json.loads(cli.output)
    mine = api_as(world.leader).get("/progress?year=2024&as_of=2024-06-30").json
    assert {l["zone"] for l in mine["leaders"]} == {"gxq"} and [z["zone"] for z in mine["zones"]] == ["gxq"]
    assert mine["city"] == response.json["city"] and mine["zones"][0] == response.json["zones"][0]
    leader1 = next(l for l in mine["leaders"] if l["username"] == "leader1")
    assert leader1["contacted_projects"] == 1 and leader1["quota"] == 100
    assert api_as(world.admin).get("/progress").status_code == 403


# ---------------------------------------------------------------- targets

def test_targets_read_with_amounts_as_strings(api_as, world):
    body = api_as(world.leader).get("/targets?year=2024").json
    row = next(t for t in body["targets"] if t["tier"] == "A" and t["metric"] == "foreign_projects")
    assert row == {"tier": "A", "metric": "foreign_projects", "metric_label": "引进外资项目", "floor": 1,
                   "stretch": 2, "threshold_amount": "50000000.00", "threshold_currency": "USD",
                   "floor_value": None, "stretch_value": None}
    city = next(t for t in body["targets"] if t["tier"] is None)
    assert city["metric"] == "new_start_industrial_projects" and city["threshold_amount"] == "50000000.00"
    assert body["fx_rates"]["USD"] == "7.100000"
    assert api_as(world.leader).get("/targets?year=2031").json == {"year": 2031, "targets": [], "fx_rates": {}}


def test_only_the_admin_writes_targets_and_each_change_is_audited(api_as, world, db):
    row = {"tier": "B", "metric": "domestic_projects", "floor": 6, "stretch": 12,
           "threshold_amount": "600000000.00", "threshold_currency": "CNY"}
    for user in (world.leader, world.bureau):
        assert api_as(user).put("/targets/2024", {"targets": [row]}).status_code == 403
    admin = api_as(world.admin)
    body = admin.put("/targets/2024", {"targets": [row]}).json
    assert next(t for t in body["targets"] if (t["tier"], t["metric"]) == ("B", "domestic_projects")) == {
        **row, "metric_label": "引进内资项目", "floor_value": None, "stretch_value": None}
    target = db.session.query(Target).filter_by(year=2024, tier="B", metric="domestic_projects").one()
    assert (target.floor, target.threshold_amount) == (6, Decimal("600000000.00"))
    event = db.session.query(AuditEvent).filter_by(action="update", entity="target").one()
    assert event.user_id == world.admin.id and event.after["floor"] == 6

    bad = admin.put("/targets/2024", {"targets": [{**row, "stretch": 2}]})
    assert bad.status_code == 422 and "争取目标不能低于目标下限" in bad.json["error"]["fields"]["targets"]
    bad = admin.put("/targets/2024", {"targets": [{**row, "tier": "C", "metric": "manufacturing_projects"}]})
    assert bad.json["error"]["fields"] == {"targets.0.metric": "2024年度没有该类别的这项目标"}
    bad = admin.put("/targets/2024", {"targets": [{**row, "threshold_currency": None}]})
    assert list(bad.json["error"]["fields"]) == ["targets.0.threshold_currency"]
    missing = admin.put("/targets/2031", {"targets": [row]})
    assert missing.status_code == 404 and "2031年度还没有目标" in missing.json["error"]["message"]


# ---------------------------------------------------------------- errors

def test_every_api_error_is_json_with_a_code_and_a_chinese_message(api_as, world, app):
    client = api_as(world.leader)
    cases = [
        (client.get("/no-such-thing"), 404, "not_found"),
        (client.client.delete("/api/v1/me", headers=client.headers), 405, "method_not_allowed"),
        (client.post("/projects", data="{not json", content_type="application/json"), 400, "bad_request"),
        (client.post("/projects", body=[1, 2]), 422, "validation_error"),
        (client.get("/projects?page=0"), 422, "validation_error"),
        (client.get("/projects?pages=2"), 422, "validation_error"),
        (client.get("/projects?page=1&page=2"), 422, "validation_error"),
        (client.get("/progress?year=2024.0"), 422, "validation_error"),
        (client.get("/progress?as_of=20240630"), 422, "validation_error"),
    ]
    for response, status, code in cases:
        assert response.status_code == status, (code, response.get_data(as_text=True))
        assert response.is_json and response.json["error"]["code"] == code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json["error"]["message"])
    assert cases[1][0].headers["Allow"]
    assert cases[5][0].json["error"]["fields"] == {"pages": "不支持该查询参数"}
    app.config["MAX_CONTENT_LENGTH"], limit = 100, app.config["MAX_CONTENT_LENGTH"]
    try:
        response = client.post("/projects", {"name": "长" * 200})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert response.status_code == 413 and response.json["error"]["code"] == "payload_too_large"
