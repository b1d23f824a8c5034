from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

from app.clock import utcnow


class AuditTrailImmutable(RuntimeError):
    """Raised when code tries to change or delete an audit record."""


class AuditEvent(db.Model):
    """Who did what, when, from where, with the values before and after. Append only.

    The application refuses to change or delete a record (below); triggers refuse it in the
    database too (migration 0008: PostgreSQL and SQLite). `flask audit purge` is the one path
    that deletes, and only records older than the retention period: on PostgreSQL through the
    SECURITY DEFINER function zonecrm_audit_purge, the only deleter the trigger lets through.
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
    # The hash chain (app/domain/audit_chain.py): position, the previous record's hash, own hash.
    chain_seq = db.Column(db.BigInteger, unique=True, index=True)
    chain_prev = db.Column(db.String(64))
    chain_hash = db.Column(db.String(64))


class AuditChainHead(db.Model):
    """The end of the audit trail's hash chain: one row (id 1). Sealing new records updates it
    first, which serialises writers of audit records on every worker (a row lock on
    PostgreSQL, SQLite's write lock), so the chain never forks. A deleted last record no longer
    matches it."""
    __tablename__ = "audit_chain_head"

    id = db.Column(db.Integer, primary_key=True, autoincrement=False)
    seq = db.Column(db.BigInteger, nullable=False, default=0)
    hash = db.Column(db.String(64), nullable=False)


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
