"""The import reads a project's stage history as the project page does: a corrected (更正)
entry no longer counts, so a ledger row may move the project on from the true history."""
from datetime import timedelta

from app.models import Project
from app.services.projects import change_stage, correct_stage
from tests.imports.conftest import errors_of, ledger_file, project_row


def test_a_row_after_the_true_history_is_accepted_though_a_corrected_entry_is_later(
        world, make_project, run_import, db, today):
    day = lambda n: today - timedelta(days=n)  # noqa: E731
    project = make_project(world.zone_a, name="新能源电池项目", planned_on=day(20))
    change_stage(project, "negotiating", day(10), "", world.leader)
    wrong = change_stage(project, "producing", day(2), "", world.leader)
    correct_stage(project, wrong, "signed", day(8), "误录投产，实为签约", world.staff)
    db.session.commit()

    row = project_row(name="新能源电池项目", stage="开工", signed_on=day(8).isoformat(), started_on=day(5).isoformat())
    summary = run_import(world.zone_a, ledger_file([row]))
    assert errors_of(summary) == []
    project = db.session.get(Project, project.id)
    assert (project.stage, project.signed_on, project.started_on) == ("started", day(8), day(5))


def test_a_row_before_the_latest_change_in_force_is_still_refused(world, make_project, run_import, db, today):
    day = lambda n: today - timedelta(days=n)  # noqa: E731
    project = make_project(world.zone_a, name="新能源电池项目", planned_on=day(20))
    change_stage(project, "signed", day(8), "", world.leader)
    db.session.commit()
    row = project_row(name="新能源电池项目", stage="开工", signed_on=day(8).isoformat(), started_on=day(9).isoformat())
    (error,) = errors_of(run_import(world.zone_a, ledger_file([row])))
    assert "早于" in error[3]
