from sqlalchemy import false as sa_false

from app.extensions import db

from app.clock import utcnow

OPEN, DONE, MOVED = "open", "done", "moved"
TASK_STATES = {OPEN: "待办", DONE: "已完成", MOVED: "已改期"}


class Task(db.Model):
    """下一步工作: one step to take on a project, owned by a leader or staff member of its zone.

    A project has any number of them. Open ones are done or moved; a move closes the step as
    `moved` and opens its successor with the new date (`moved_to_id`), so the history shows
    every date that was promised. Project.next_step / next_step_on are derived: the earliest
    open step (services.tasks.refresh_projects), for lists, the export and the API.
    """
    __tablename__ = "tasks"

    id = db.Column(db.Integer, primary_key=True)
    zone_id = db.Column(db.Integer, db.ForeignKey("zones.id"), nullable=False)
    project_id = db.Column(db.Integer, db.ForeignKey("projects.id"), nullable=False, index=True)
    title = db.Column(db.String(200), nullable=False)
    due_on = db.Column(db.Date)
    owner_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    state = db.Column(db.String(8), nullable=False, default=OPEN)
    # The contact that set the step, and the one that closed it, when a contact did.
    contact_id = db.Column(db.Integer, db.ForeignKey("contacts.id"))
    closed_by_contact_id = db.Column(db.Integer, db.ForeignKey("contacts.id"))
    # Opened by a ledger import (or migrated from the one next step a project had): the next
    # import's later contact of the project closes it, as the ledger's history implies.
    imported = db.Column(db.Boolean, nullable=False, default=False, server_default=sa_false())
    moved_to_id = db.Column(db.Integer, db.ForeignKey("tasks.id"))
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    closed_at = db.Column(db.DateTime)
    closed_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))

    project = db.relationship("Project")
    owner = db.relationship("User", foreign_keys=[owner_id])

    __table_args__ = (
        db.Index("ix_tasks_owner_state_due", "owner_id", "state", "due_on"),
        db.Index("ix_tasks_project_state_due", "project_id", "state", "due_on"),
        db.CheckConstraint("state IN ('open', 'done', 'moved')", name="state"),
    )

    @property
    def state_label(self):
        return TASK_STATES[self.state]
