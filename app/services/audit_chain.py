"""Sealing audit records into the hash chain, as they are written (app/domain/audit_chain.py).

Every record gets the next sequence number, the previous record's hash and its own hash in
the transaction that writes it. The chain head (audit_chain_head, one row) is updated first:
on PostgreSQL that row lock, on SQLite the database's write lock, holds other writers of
audit records until this transaction ends, so the chain never forks across workers.

Imports go one way: app/audit.py (which writes records) uses this module to seal them; this
module never writes a record itself.
"""
from __future__ import annotations

from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from app.domain.audit_chain import FIELDS, GENESIS, link
from app.extensions import db
from app.models import AuditChainHead, AuditEvent
from app.clock import utcnow


def seal(connection, records: list[dict]) -> list[dict]:
    """Give each record (a dict of AuditEvent columns, in order) its chain values."""
    if not records:
        return records
    connection.execute(text("INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, :genesis) "
                            "ON CONFLICT (id) DO NOTHING"), {"genesis": GENESIS})
    last_seq, prev = connection.execute(text(
        "UPDATE audit_chain_head SET seq = seq + :n WHERE id = 1 RETURNING seq, hash"),
        {"n": len(records)}).one()
    seq = last_seq - len(records)
    for record in records:
        seq += 1
        record.setdefault("occurred_at", None)
        if record["occurred_at"] is None:
            record["occurred_at"] = utcnow()
        record["chain_seq"], record["chain_prev"] = seq, prev
        record["chain_hash"] = prev = link(prev, record)
    connection.execute(text("UPDATE audit_chain_head SET hash = :hash WHERE id = 1"), {"hash": prev})
    return records


@event.listens_for(Session, "before_flush")
def _seal_new_records(session, _flush_context, _instances):
    new = [obj for obj in session.new if isinstance(obj, AuditEvent) and obj.chain_hash is None]
    if not new:
        return
    new.sort(key=lambda obj: obj._sa_instance_state.insert_order)
    records = seal(session.connection(), [{name: getattr(obj, name) for name in FIELDS} for obj in new])
    for obj, record in zip(new, records):
        obj.occurred_at = record["occurred_at"]
        obj.chain_seq, obj.chain_prev, obj.chain_hash = record["chain_seq"], record["chain_prev"], record["chain_hash"]


def chain_end() -> dict:
    """Where the audit trail ends now: the chain head and the highest record id."""
    head = db.session.get(AuditChainHead, 1)
    return {"seq": head.seq if head else 0, "hash": head.hash if head else GENESIS,
            "max_id": db.session.scalar(select(func.max(AuditEvent.id))) or 0}
