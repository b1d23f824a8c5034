"""更正 of a stage change is checked against the whole history: a correction that would turn a
later entry into a step back (a true signing of 12-01 before an 在谈 of 12-04) names the
entries it conflicts with and writes nothing, until they are corrected in the same step."""
from datetime import date, timedelta

import pytest

from app.domain import metrics as M
from app.domain.pipeline import history_dates
from app.models import AuditEvent, Project, StageChange
from app.queries.progress import projects_counted
from app.services.projects import ProjectError, StageConflict, change_stage, correct_stage, stage_records
from app.services.reference import load_target_set


@pytest.fixture
def misclicked(world, make_project, db, today):
    """A project 在谈 since 4 days ago, then a mistaken 投产 yesterday that was really a signing
    6 days ago (the 在谈 record was itself written after the real signing)."""
    day = lambda n: today - timedelta(days=n)  # noqa: E731
    project = make_project(world.zone_a, total_wan="150000", planned_on=day(20))  # a 线索 since then
    change_stage(project, "negotiating", day(4), "", world.leader)
    change_stage(project, "producing", day(1), "", world.leader)
    db.session.commit()
    lead, negotiating, wrong = project.stage_changes
    return project, negotiating, wrong, day


def test_a_correction_that_would_unsign_the_project_names_the_conflict_and_writes_nothing(misclicked, world, db):
    project, negotiating, wrong, day = misclicked
    with pytest.raises(StageConflict) as raised:
        correct_stage(project, wrong, "signed", day(6), "误录投产，实为签约", world.staff)
    assert [(r.id, r.stage, r.on) for r in raised.value.conflicts] == [(negotiating.id, "negotiating", day(4))]
    assert f"在谈（{day(4).isoformat()}）" in str(raised.value) and "同时撤销" in str(raised.value)
    db.session.rollback()
    project = db.session.get(Project, project.id)
    assert project.stage == "producing" and not db.session.get(StageChange, wrong.id).is_corrected
    assert db.session.query(StageChange).filter_by(project_id=project.id).count() == 3


def test_the_conflict_corrected_in_the_same_step_keeps_the_signing_and_it_counts(misclicked, world, db, today):
    project, negotiating, wrong, day = misclicked
    true = correct_stage(project, wrong, "signed", day(6), "误录投产，实为签约", world.staff, also=[negotiating.id])
    db.session.commit()
    project = db.session.get(Project, project.id)
    assert (project.stage, project.signed_on, project.produced_on) == ("signed", day(6), None)
    assert true.changed_on == day(6) and true.corrects_id == wrong.id
    revoked = db.session.get(StageChange, negotiating.id)
    assert revoked.is_corrected and revoked.correction_note == "误录投产，实为签约"
    # 引进 counts the year it reached 签约 (on 1 January, last year: the year's targets as a bureau has them).
    year = day(6).year
    load_target_set(year)
    assert project in projects_counted(M.DOMESTIC, year, min(today, date(year, 12, 31)), world.zone_a)
    # Audited as every correction: each entry corrected, and the project's stage change.
    events = db.session.query(AuditEvent).filter(AuditEvent.action.in_(["stage_correct", "stage_change"])) \
        .order_by(AuditEvent.id).all()
    corrected = {e.entity_id: e for e in events if e.action == "stage_correct"}
    assert set(corrected) == {wrong.id, negotiating.id}
    assert events[-1].entity == "project" and events[-1].entity_id == project.id


def test_a_correction_that_conflicts_with_nothing_needs_no_second_step(misclicked, world, db):
    project, negotiating, wrong, day = misclicked
    correct_stage(project, wrong, "signed", day(2), "误录投产，实为签约", world.staff)
    assert (project.stage, project.signed_on, project.negotiating_on) == ("signed", day(2), day(4))


def test_only_the_projects_own_entries_in_force_can_be_revoked_with_it(misclicked, world, make_project, db):
    project, negotiating, wrong, day = misclicked
    other = make_project(world.zone_a, name="另一个项目", stages=[("negotiating", day(3))])
    with pytest.raises(ProjectError, match="不存在或已经更正过"):
        correct_stage(project, wrong, "signed", day(6), "误录", world.staff, also=[other.stage_changes[-1].id])


def test_the_stored_stage_columns_are_the_rules_output_after_every_correction(misclicked, world, db):
    project, negotiating, wrong, day = misclicked
    change_stage(project, "dropped", day(0), "企业撤资", None)
    correct_stage(project, wrong, None, None, "误录", world.staff)
    db.session.commit()
    project = db.session.get(Project, project.id)
    assert project.stage_dates() == history_dates(stage_records(project.id))
    assert (project.stage, project.negotiating_on, project.dropped_on) == ("dropped", day(4), day(0))
