"""Stage changes are deliberate and correctable: no default stage, a reason for a setback, a
confirmation that names the change, and 更正 so the true history can always be written."""
import re
from datetime import timedelta

import pytest

from app.domain.pipeline import check_stage_change, describe_change, is_setback, StageError
from app.models import AuditEvent, LeaderProject, Project, StageChange
from app.services.contacts import recount_leader_projects


@pytest.fixture
def days_ago(today):
    def make(n):
        return today - timedelta(days=n)
    return make


def test_setbacks_need_a_reason_and_are_named(today):
    assert is_setback("negotiating", "lead") and is_setback("signed", "dropped") and is_setback("dropped", "lead")
    assert not is_setback("lead", "signed")
    assert describe_change("negotiating", "lead") == "由“在谈”退回“线索”"
    assert describe_change("signed", "dropped") == "由“签约”终止"
    with pytest.raises(StageError, match="由“在谈”退回“线索”须填写原因"):
        check_stage_change("negotiating", "lead", today, None, today, "  ")
    check_stage_change("negotiating", "lead", today, None, today, "企业暂缓投资")


def test_the_stage_form_has_no_default_and_a_click_changes_nothing(client, world, login, make_project, db, today,
                                                                   days_ago):
    project = make_project(world.zone_a, stages=[("negotiating", days_ago(30))])
    db.session.commit()
    login(world.leader)
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert '<option selected value="">请选择新阶段</option>' in page
    client.post(f"/projects/{project.id}/stage", data={"stage": "", "changed_on": today.isoformat()})
    assert "请选择新阶段" in client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert db.session.get(Project, project.id).stage == "negotiating"


def test_a_change_is_confirmed_by_name_before_it_is_written(client, world, login, make_project, db, today, days_ago):
    project = make_project(world.zone_a, stages=[("negotiating", days_ago(30))])
    db.session.commit()
    login(world.leader)
    data = {"stage": "lead", "changed_on": today.isoformat(), "note": ""}
    response = client.post(f"/projects/{project.id}/stage", data=data)
    assert response.status_code == 302  # refused: a setback needs a reason
    assert "须填写原因" in client.get(f"/projects/{project.id}").get_data(as_text=True)
    data["note"] = "企业暂缓投资"
    page = client.post(f"/projects/{project.id}/stage", data=data).get_data(as_text=True)
    assert "确认变更阶段" in page and "由“在谈”退回“线索”" in page
    assert db.session.get(Project, project.id).stage == "negotiating", "nothing written before the confirm"
    client.post(f"/projects/{project.id}/stage", data={**data, "confirmed": "y"})
    db.session.expire_all()
    assert db.session.get(Project, project.id).stage == "lead"


def test_staff_correct_a_misclick_and_record_the_earlier_signing_date(client, world, login, make_project, db, days_ago):
    project = make_project(world.zone_a, stages=[("negotiating", days_ago(60))])
    db.session.commit()
    login(world.leader)
    client.post(f"/projects/{project.id}/stage", data={
        "stage": "lead", "changed_on": days_ago(5).isoformat(), "note": "误点", "confirmed": "y"})
    wrong = db.session.query(StageChange).filter_by(project_id=project.id, stage="lead").order_by(
        StageChange.id.desc()).first()
    # The true signing date is earlier than the mistaken change: a plain change refuses it.
    client.post(f"/projects/{project.id}/stage", data={
        "stage": "signed", "changed_on": days_ago(20).isoformat(), "confirmed": "y"})
    assert db.session.get(Project, project.id).signed_on is None
    assert client.get(f"/projects/{project.id}/stages/{wrong.id}/correct").status_code == 403, "staff correct"

    login(world.staff)
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert f"/projects/{project.id}/stages/{wrong.id}/correct" in page
    response = client.post(f"/projects/{project.id}/stages/{wrong.id}/correct", data={
        "stage": "signed", "changed_on": days_ago(20).isoformat(), "note": "误点退回线索；实际已于当日签约"})
    assert response.status_code == 302
    db.session.expire_all()
    project = db.session.get(Project, project.id)
    assert project.stage == "signed" and project.signed_on == days_ago(20)
    assert project.negotiating_on == days_ago(60) and project.entered_on == days_ago(60)
    wrong = db.session.get(StageChange, wrong.id)
    assert wrong.is_corrected and wrong.corrected_by_id == world.staff.id
    true = db.session.query(StageChange).filter_by(corrects_id=wrong.id).one()
    assert true.stage == "signed" and true.changed_on == days_ago(20)
    actions = [(e.action, e.entity) for e in db.session.query(AuditEvent).filter(
        AuditEvent.action.in_(["stage_correct", "stage_change"])).order_by(AuditEvent.id)]
    assert actions[-2:] == [("stage_correct", "stage_change"), ("stage_change", "project")]
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "已更正" in page and "<del>" in page
    # A later change is dated after the true history, not the corrected entry.
    assert db.session.get(StageChange, wrong.id).changed_on > true.changed_on


def test_a_correction_may_only_void_and_keeps_one_entry(client, world, login, make_project, db, days_ago):
    project = make_project(world.zone_a, stages=[("negotiating", days_ago(10))])
    db.session.commit()
    first, second = project.stage_changes
    login(world.staff)
    client.post(f"/projects/{project.id}/stages/{second.id}/correct", data={"stage": "", "note": "录错"})
    db.session.expire_all()
    project = db.session.get(Project, project.id)
    assert project.stage == "lead" and project.negotiating_on is None
    page = client.post(f"/projects/{project.id}/stages/{first.id}/correct",
                       data={"stage": "", "note": "录错"}).get_data(as_text=True)
    assert "至少保留一条阶段记录" in page
    assert client.get(f"/projects/{project.id}/stages/{second.id}/correct").status_code == 404, "already corrected"


def test_the_quota_summary_equals_a_recount_after_corrections(client, world, login, make_project, db, days_ago):
    from app.services.contacts import log_contact
    project = make_project(world.zone_a, stages=[("negotiating", days_ago(20))])
    log_contact(project=project, occurred_on=days_ago(15), form="电话", summary="电话沟通", leaders=[world.leader],
                recorded_by=world.leader)
    db.session.commit()
    login(world.staff)
    second = project.stage_changes[1]
    client.post(f"/projects/{project.id}/stages/{second.id}/correct",
                data={"stage": "signed", "changed_on": days_ago(18).isoformat(), "note": "实为签约"})
    before = sorted((r.leader_id, r.year, r.project_id, r.first_contact_on) for r in db.session.query(LeaderProject))
    recount_leader_projects()
    after = sorted((r.leader_id, r.year, r.project_id, r.first_contact_on) for r in db.session.query(LeaderProject))
    assert before == after and len(after) == 1
    assert db.session.get(Project, project.id).signed_on == days_ago(18)


def test_the_api_refuses_a_setback_without_a_reason(world, api_as, make_project, db, days_ago):
    project = make_project(world.zone_a, stages=[("negotiating", days_ago(10))])
    client = api_as(world.staff)
    response = client.post(f"/projects/{project.id}/stage", {"stage": "dropped"})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"note": "由“在谈”终止须填写原因"}
    assert client.post(f"/projects/{project.id}/stage", {"stage": "dropped", "note": "企业撤资"}).status_code == 200


def test_a_correction_that_conflicts_shows_the_entries_and_keeps_what_was_typed(client, world, login, make_project,
                                                                                 db, days_ago):
    from app.services.projects import change_stage
    project = make_project(world.zone_a, planned_on=days_ago(30))
    negotiating = change_stage(project, "negotiating", days_ago(4), "", world.leader)
    wrong = change_stage(project, "producing", days_ago(1), "", world.leader)
    db.session.commit()
    login(world.staff)
    url = f"/projects/{project.id}/stages/{wrong.id}/correct"
    form = client.get(url).get_data(as_text=True)
    key = re.search(r'name="idempotency_key" type="hidden" value="(\w+)"', form).group(1)
    data = {"stage": "signed", "changed_on": days_ago(6).isoformat(), "note": "误录投产，实为签约",
            "idempotency_key": key}
    page = client.post(url, data=data).get_data(as_text=True)
    assert "更正后与之矛盾的阶段记录" in page
    assert f'name="also" value="{negotiating.id}"' in page and "同时撤销这条记录" in page
    shown = page[page.index('id="conflicts"'):]
    d = days_ago(4)
    assert "在谈" in shown and f"{d.year}年{d.month}月{d.day}日" in shown
    # What the user typed is still there.
    assert '<option selected value="signed">签约</option>' in page
    assert f'value="{days_ago(6).isoformat()}"' in page and 'value="误录投产，实为签约"' in page
    db.session.expire_all()
    assert db.session.get(Project, project.id).stage == "producing", "nothing written while it conflicts"

    response = client.post(url, data={**data, "also": str(negotiating.id)})
    assert response.status_code == 302
    db.session.expire_all()
    project = db.session.get(Project, project.id)
    assert (project.stage, project.signed_on) == ("signed", days_ago(6))
    assert db.session.get(StageChange, negotiating.id).is_corrected
    assert "同时撤销了 1 条与之矛盾的记录" in client.get(f"/projects/{project.id}").get_data(as_text=True)


def test_entries_ticked_before_stay_in_sight_when_a_further_conflict_is_named(client, world, login, make_project,
                                                                              db, days_ago):
    from app.services.projects import change_stage
    project = make_project(world.zone_a, planned_on=days_ago(30))
    change_stage(project, "signed", days_ago(9), "", world.leader)
    back = change_stage(project, "negotiating", days_ago(6), "企业暂缓", world.leader)
    again = change_stage(project, "signed", days_ago(3), "", world.leader)
    wrong = change_stage(project, "producing", days_ago(1), "", world.leader)
    db.session.commit()
    login(world.staff)
    url = f"/projects/{project.id}/stages/{wrong.id}/correct"
    data = {"stage": "started", "changed_on": days_ago(8).isoformat(), "note": "误录"}
    # The user ticks the 在谈 of 6 days ago to go with the true 开工 of 8 days ago; without it the
    # second 签约 (3 days ago) would follow the 开工 and undo it: that one is named now.
    page = client.post(url, data={**data, "also": str(back.id)}).get_data(as_text=True)
    assert f'name="also" value="{again.id}"' in page, "the 签约 after the 开工 is named"
    assert f'<input type="checkbox" name="also" value="{back.id}" checked>' in page, "the one ticked is still shown"
    db.session.expire_all()
    assert db.session.get(Project, project.id).stage == "producing", "nothing written while it conflicts"
    client.post(url, data={**data, "also": [str(back.id), str(again.id)]})
    db.session.expire_all()
    project = db.session.get(Project, project.id)
    assert (project.stage, project.signed_on, project.started_on) == ("started", days_ago(9), days_ago(8))
