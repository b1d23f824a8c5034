"""Every form and API POST that creates a record carries an idempotency key: the same POST
twice (a retry, a double tap, a resubmission after a timeout) creates once and lands on the
record created (app/forms.OnceForm, app/services/kept_forms.once)."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.models import AuditEvent, FundsArrival, Project
from app.models.funds import ZoneMonthly
from app.models.project import StageChange


def count(db, model, *where):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def twice(client, path, data):
    first = client.post(path, data=data)
    second = client.post(path, data=data)
    return first, second


def test_the_new_project_form_posted_twice_enters_one_project(client, world, login, db, project_form):
    login(world.staff)
    first, second = twice(client, "/projects/new", project_form(idempotency_key="p-1"))
    assert first.status_code == second.status_code == 302
    assert count(db, Project) == 1
    assert second.headers["Location"] == first.headers["Location"]     # lands on the project created
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "已经录入，重复提交未再次录入" in page
    client.post("/projects/new", data=project_form(idempotency_key="p-2", name="另一个项目", confirm_new="y"))
    assert count(db, Project) == 2


def test_a_confirmed_stage_change_posted_twice_changes_once(client, world, login, make_project, db, today):
    project = make_project(world.zone_a)
    db.session.commit()
    login(world.leader)
    data = {"stage": "negotiating", "changed_on": today.isoformat(), "confirmed": "y", "idempotency_key": "s-1"}
    first, second = twice(client, f"/projects/{project.id}/stage", data)
    assert first.status_code == second.status_code == 302
    assert count(db, StageChange, StageChange.project_id == project.id, StageChange.stage == "negotiating") == 1
    assert "阶段已经变更，重复提交未再次变更" in client.get(second.headers["Location"]).get_data(as_text=True)


def test_the_confirmation_page_carries_the_forms_key(client, world, login, make_project, db, today):
    project = make_project(world.zone_a)
    db.session.commit()
    login(world.leader)
    page = client.post(f"/projects/{project.id}/stage", data={
        "stage": "negotiating", "changed_on": today.isoformat(), "idempotency_key": "s-9"}).get_data(as_text=True)
    assert 'name="idempotency_key" type="hidden" value="s-9"' in page


def test_a_correction_posted_twice_corrects_once(client, world, login, make_project, db, today):
    project = make_project(world.zone_a, stages=[("negotiating", today - timedelta(days=30))])
    db.session.commit()
    wrong = db.session.scalar(select(StageChange).where(StageChange.project_id == project.id,
                                                        StageChange.stage == "negotiating"))
    login(world.staff)
    data = {"stage": "signed", "changed_on": (today - timedelta(days=10)).isoformat(), "note": "误点，实为签约",
            "idempotency_key": "c-1"}
    first, second = twice(client, f"/projects/{project.id}/stages/{wrong.id}/correct", data)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"].endswith(f"/projects/{project.id}")
    assert count(db, AuditEvent, AuditEvent.action == "stage_correct") == 1
    assert count(db, StageChange, StageChange.project_id == project.id, StageChange.stage == "signed") == 1


def test_an_arrival_posted_twice_is_recorded_once(client, world, login, make_project, db, today):
    project = make_project(world.zone_a)
    db.session.commit()
    login(world.staff)
    data = {"arrived_on": today.isoformat(), "amount": "1200", "currency": "CNY", "kind": "fixed_assets",
            "source_note": "", "voucher_ref": "", "idempotency_key": "a-1"}
    first, second = twice(client, f"/projects/{project.id}/arrivals", data)
    assert first.status_code == second.status_code == 302
    assert count(db, FundsArrival) == 1
    assert "已经登记，重复提交未再次登记" in client.get(second.headers["Location"]).get_data(as_text=True)


def test_a_monthly_indicator_posted_twice_is_saved_once(client, world, login, db):
    login(world.staff)
    page = client.get("/indicators/").get_data(as_text=True)
    assert 'name="idempotency_key" type="hidden"' in page
    data = {"month": "1", "revenue": "1000", "fdi": "", "idempotency_key": "m-1"}
    first, second = twice(client, "/indicators/", data)
    assert first.status_code == second.status_code == 302
    assert count(db, ZoneMonthly) == 1
    assert count(db, AuditEvent, AuditEvent.entity == "zone_monthly") == 1
    # The same key for another figure is the same form again: the first saving stands.
    client.post("/indicators/", data={**data, "revenue": "2000", "reason": "更正"})
    assert str(db.session.scalars(select(ZoneMonthly)).one().revenue) == "10000000.00"


def test_a_merge_posted_twice_merges_once_and_lands_on_the_survivor(client, world, login, make_project, db):
    keep = make_project(world.zone_a, name="新能源电池项目", code="GX-1")
    dup = make_project(world.zone_a, name="新能源电池项", code="GX-2")
    keep_id = keep.id
    db.session.commit()
    login(world.staff)
    data = {"other": "GX-2", "confirm": "y", "idempotency_key": "g-1"}
    first, second = twice(client, f"/projects/{keep_id}/merge", data)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"].endswith(f"/projects/{keep_id}")
    assert count(db, Project) == 1 and count(db, AuditEvent, AuditEvent.action == "merge") == 1
    assert "已经合并，重复提交未再次合并" in client.get(second.headers["Location"]).get_data(as_text=True)
    assert dup is not None


# ---------------------------------------------------------------- the API's creating POSTs

def keyed(api, path, body, key):
    return api.client.post(f"/api/v1{path}", json=body, headers={**api.headers, "Idempotency-Key": key})


def test_api_project_posted_twice_with_a_key_creates_one(api_as, world, db):
    staff = api_as(world.staff)
    body = {"name": "接口重试项目", "total_investment_cny": "1500000000.00"}
    first, again = keyed(staff, "/projects", body, "k-p"), keyed(staff, "/projects", body, "k-p")
    assert first.status_code == again.status_code == 201
    assert again.json["id"] == first.json["id"] and again.headers["Idempotent-Replayed"] == "true"
    assert count(db, Project) == 1
    assert keyed(api_as(world.leader), "/projects", body, "k-p").json["id"] != first.json["id"]  # per user
    assert count(db, Project) == 2


def test_api_stage_change_posted_twice_with_a_key_changes_once(api_as, world, make_project, db):
    project = make_project(world.zone_a)
    db.session.commit()
    staff = api_as(world.staff)
    body = {"stage": "negotiating"}
    first = keyed(staff, f"/projects/{project.id}/stage", body, "k-s")
    again = keyed(staff, f"/projects/{project.id}/stage", body, "k-s")
    assert first.status_code == again.status_code == 200, again.json
    assert again.headers["Idempotent-Replayed"] == "true" and again.json["stage"] == "negotiating"
    assert count(db, StageChange, StageChange.project_id == project.id, StageChange.stage == "negotiating") == 1
    # Without the key the repeat is what it is: the same stage again, refused.
    assert staff.post(f"/projects/{project.id}/stage", body).status_code == 409


def test_api_arrival_posted_twice_with_a_key_is_recorded_once(api_as, world, make_project, db, today):
    project = make_project(world.zone_a)
    db.session.commit()
    staff = api_as(world.staff)
    body = {"arrived_on": today.isoformat(), "amount": "12000000.00", "currency": "CNY", "kind": "fixed_assets"}
    first = keyed(staff, f"/projects/{project.id}/arrivals", body, "k-a")
    again = keyed(staff, f"/projects/{project.id}/arrivals", body, "k-a")
    assert first.status_code == again.status_code == 201, again.json
    assert again.headers["Idempotent-Replayed"] == "true" and len(again.json["arrivals"]) == 1
    assert count(db, FundsArrival) == 1


def test_every_creating_form_shown_carries_a_fresh_key(client, world, login, make_project, db, today):
    import re
    project = make_project(world.zone_a, stages=[("negotiating", today - timedelta(days=3))])
    dup = make_project(world.zone_a, name="新能源电池项", code="GX-2")
    db.session.commit()
    change = db.session.scalar(select(StageChange).where(StageChange.project_id == project.id,
                                                         StageChange.stage == "negotiating"))
    login(world.staff)
    key = re.compile(r'name="idempotency_key" type="hidden" value="([0-9a-f]{32})"')
    for path, forms in [("/projects/new", 1), (f"/projects/{project.id}", 2),
                        (f"/projects/{project.id}/stages/{change.id}/correct", 1),
                        (f"/projects/{project.id}/merge?other=%23{dup.id}", 1), ("/indicators/", 1), ("/contacts/new", 1)]:
        shown = [key.findall(client.get(path).get_data(as_text=True)) for _ in range(2)]
        assert len(shown[0]) >= forms and not set(shown[0]) & set(shown[1]), path


@pytest.mark.only_on("postgresql")
def test_a_racing_post_with_the_same_key_is_answered_with_the_winners_record(world, make_project, db, today):
    """Two workers take the same keyed POST at once: the one that commits first wins; the other's
    writes are rolled back and its answer is the winner's record (kept_forms.once)."""
    from sqlalchemy import insert

    from app.domain.money import read_money
    from app.models import IdempotencyKey
    from app.services import kept_forms
    from app.services.funds import ArrivalInput, add_arrival
    project = make_project(world.zone_a)
    winner = add_arrival(project, ArrivalInput(today, read_money("10"), "fixed_assets"), world.staff)
    db.session.commit()
    winner_id, staff_id, project_id = winner.id, world.staff.id, project.id

    def create():
        mine = add_arrival(db.session.get(Project, project_id),
                           ArrivalInput(today, read_money("10"), "fixed_assets"), world.staff)
        with db.engine.begin() as other_worker:   # commits its key first
            other_worker.execute(insert(IdempotencyKey).values(user_id=staff_id, scope="arrival", key="race",
                                                               resource_id=winner_id))
        return mine.id

    assert kept_forms.once(staff_id, "arrival", "race", create) == (winner_id, False)
    assert count(db, FundsArrival) == 1
