from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

from .user import utcnow


class AuditTrailImmutable(RuntimeError):
    """Raised when code tries to change or delete an audit record."""


class AuditEvent(db.Model):
    """Who did what, when, from where, with the values before and after. Append only.

    The application refuses to change or delete a record (below); on PostgreSQL triggers
    from migration 0002 refuse it in the database too. `flask audit purge` is the one
    path that deletes, and only records older than the retention period.
    """
    __tablename__ = "audit_events"

    id = db.Column(db.Integer, primary_key=True)
    occurred_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    username = db.Column(db.String(64), nullable=False, default="", index=True)
    ip = db.Column(db.String(45), nullable=False, default="")
    action = db.Column(db.String(40), nullable=False, index=True)
    entity = db.Column(db.String(40), nullable=False, default="")
    entity_id = db.Column(db.Integer)
    zone_id = db.Column(db.Integer, db.ForeignKey("zones.id"))
    before = db.Column(db.JSON)
    after = db.Column(db.JSON)


@event.listens_for(Session, "before_flush")
def _refuse_changed_audit_rows(session, _flush_context, _instances):
    for obj in session.deleted:
        if isinstance(obj, AuditEvent):
            raise AuditTrailImmutable("审计记录不可删除")
    for obj in session.dirty:
        if isinstance(obj, AuditEvent) and session.is_modified(obj):
            raise AuditTrailImmutable("审计记录不可修改")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_audit_changes(state):
    if not (state.is_update or state.is_delete):
        return
    if any(m.class_ is AuditEvent for m in state.all_mappers):
        if state.is_delete and state.execution_options.get("audit_purge"):
            return
        raise AuditTrailImmutable("审计记录不可修改或删除")
