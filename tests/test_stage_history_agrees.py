"""The stage columns stored on every project (stage, 签约日期, 开工日期, 投产日期, 终止日期 ...,
what the desk, the counts and the exports read) are always what domain.pipeline.history_dates
makes of the project's uncorrected stage history, through any mix of changes, steps back,
terminations and corrections (with the conflicts they raise corrected in the same step)."""
import random
from datetime import timedelta

from app.domain.pipeline import ORDER, STAGES, history_dates, is_setback, last_change_on
from app.models import Project
from app.services.projects import (ProjectError, StageConflict, change_stage, correct_stage, last_changes,
                                   stage_records)


def test_the_stored_stage_dates_equal_the_history_replayed(world, make_project, db, today):
    rng = random.Random(20261207)
    start = today - timedelta(days=200)
    projects, conflicts_resolved = [], 0
    for n in range(25):
        on = start + timedelta(days=rng.randint(0, 20))
        project = make_project(world.zone_a, name=f"项目{n}", planned_on=on)
        for _ in range(rng.randint(1, 6)):
            on += timedelta(days=rng.randint(0, 25))
            if on > today:
                break
            stage = rng.choice([s for s in STAGES if s != project.stage])
            note = "测试：退回或终止" if is_setback(project.stage, stage) else ""
            change_stage(project, stage, on, note, world.leader)
        projects.append(project)
    db.session.commit()

    for _ in range(60):
        project = rng.choice(projects)
        records = stage_records(project.id)
        wrong = rng.choice(records)
        change = next(c for c in project.stage_changes if c.id == wrong.id)
        true = None
        if rng.random() < 0.75:
            true = (rng.choice(ORDER + ["dropped"]),
                    min(today, wrong.on + timedelta(days=rng.randint(-30, 10))))
        also = []
        for _attempt in range(4):
            try:
                correct_stage(project, change, *(true or (None, None)), "测试更正", world.staff, also=also)
            except StageConflict as conflict:
                db.session.rollback()
                conflicts_resolved += 1
                also += [r.id for r in conflict.conflicts]
                project = db.session.get(Project, project.id)
                change = next(c for c in project.stage_changes if c.id == wrong.id)
                continue
            except ProjectError:
                db.session.rollback()
            else:
                db.session.commit()
            break
    assert conflicts_resolved > 3, "the data must raise conflicts, or the comparison proves little"

    db.session.expire_all()
    # The latest change in force, which a new change may not precede, read in SQL by the screens
    # and the import alike, is the rule's too.
    by_zone = last_changes(zone_id=world.zone_a.id)
    assert by_zone == last_changes({p.id for p in projects})
    for project in projects:
        project = db.session.get(Project, project.id)
        records = stage_records(project.id)
        assert project.stage_dates() == history_dates(records), project.name
        assert by_zone[project.id] == last_change_on(records), project.name
