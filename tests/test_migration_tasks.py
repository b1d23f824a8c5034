"""Migration 0012 turns each project's one next step into an open task, with an owner of its
zone, and the project's columns keep reading the same."""
from datetime import date

import flask_migrate
from sqlalchemy import select, text

from app.models import Project, Task


def test_each_projects_next_step_becomes_an_open_task(app, world, make_project, log_contact, db):
    led = make_project(world.zone_a, name="有负责领导", leader_id=world.leader.id)
    unled = make_project(world.zone_a, name="无负责领导", investor="乙公司")
    log_contact(unled, [world.leader2], date(2024, 5, 6), recorded_by=world.staff)
    none = make_project(world.zone_a, name="无下一步", investor="丙公司")
    ids = (led.id, unled.id, none.id)
    leader_id, staff_id = world.leader.id, world.staff.id
    db.session.remove()
    flask_migrate.downgrade(revision="0018")
    with db.engine.begin() as conn:  # the ledger as it was: one next step per project
        conn.execute(text("UPDATE projects SET next_step = '报送用地需求', next_step_on = :on WHERE id = :id"),
                     {"on": date(2024, 7, 1), "id": ids[0]})
        conn.execute(text("UPDATE projects SET next_step = '寄送资料', next_step_on = NULL WHERE id = :id"),
                     {"id": ids[1]})
    flask_migrate.upgrade()
    tasks = db.session.scalars(select(Task).order_by(Task.project_id)).all()
    assert [(t.project_id, t.title, t.due_on, t.owner_id, t.state, t.imported) for t in tasks] == [
        (ids[0], "报送用地需求", date(2024, 7, 1), leader_id, "open", True),
        (ids[1], "寄送资料", None, staff_id, "open", True)]
    assert db.session.get(Project, ids[2]).next_step is None
