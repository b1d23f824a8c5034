"""Migration 0024: a next step handed over is its own kind of notification (转交待办); the
hand-overs told before it, as 项目变动, are relabelled, and a downgrade turns them back."""
import flask_migrate
from sqlalchemy import select, text

from app.models import Notification


def _bell(db):
    return db.session.execute(select(Notification.key, Notification.kind).order_by(Notification.key)).all()


def test_earlier_hand_overs_become_task_assigned_and_back(app, world, db):
    user_id = world.leader2.id
    db.session.remove()
    flask_migrate.downgrade(revision="0023")
    with db.engine.begin() as conn:
        for key in ("project:7:2026-12-01T08:00:00.000000", "task:3:2026-12-01T09:00:00.000000"):
            conn.execute(text("INSERT INTO notifications (user_id, kind, key, title, body, link, created_at) "
                              "VALUES (:user, 'project_changed', :key, '标题', '', '', CURRENT_TIMESTAMP)"),
                         {"user": user_id, "key": key})
    flask_migrate.upgrade()
    assert _bell(db) == [("project:7:2026-12-01T08:00:00.000000", "project_changed"),
                         ("task:3:2026-12-01T09:00:00.000000", "task_assigned")]
    db.session.remove()
    flask_migrate.downgrade(revision="0023")
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT kind FROM notifications ORDER BY key")).scalars().all() == [
            "project_changed", "project_changed"]
    flask_migrate.upgrade()
