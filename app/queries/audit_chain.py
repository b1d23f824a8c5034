"""Reading the audit trail back along its hash chain: `flask audit verify`."""
from __future__ import annotations

from sqlalchemy import select

from app.domain.audit_chain import FIELDS, Verdict, verify
from app.extensions import db
from app.models import AuditChainHead, AuditEvent

COLUMNS = [AuditEvent.id, AuditEvent.chain_prev, AuditEvent.chain_hash,
           *(getattr(AuditEvent, name) for name in FIELDS)]


def verify_chain() -> Verdict:
    """Walk every record in chain order; the first break, or none."""
    anchors = {}
    for after in db.session.scalars(select(AuditEvent.after).where(AuditEvent.action == "audit_purge")):
        start = (after or {}).get("chain_from")
        if start:
            anchors[start["seq"]] = start["prev"]
    head = db.session.get(AuditChainHead, 1)
    rows = db.session.execute(select(*COLUMNS).order_by(AuditEvent.chain_seq.is_(None).desc(), AuditEvent.chain_seq)
                              .execution_options(yield_per=2000))
    return verify((row._asdict() for row in rows), anchors, (head.seq, head.hash) if head else None)
