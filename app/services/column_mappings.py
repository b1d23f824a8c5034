"""A zone's answers for the ledger columns no field declares (app/imports/mapping.py): saved,
changed and removed on an import's mapping step, each change audited."""
from __future__ import annotations

from sqlalchemy import select

from app import audit
from app.domain import ledger as L
from app.extensions import db
from app.imports.mapping import FORGET, PROJECTS, target_label
from app.models import ImportColumnMapping, User, Zone


def save_answers(zone: Zone, user: User | None, answers: dict[str, str]) -> int:
    """Save {header as written: field key, KEEP, IGNORE or FORGET} for the zone's project sheets;
    returns how many answers changed. The caller commits."""
    saved = {row.header: row for row in db.session.scalars(select(ImportColumnMapping).where(
        ImportColumnMapping.zone_id == zone.id, ImportColumnMapping.sheet_kind == PROJECTS))}
    changed = 0
    for written, target in answers.items():
        key = L.header_key(written)
        row = saved.get(key)
        if target == FORGET:
            if row is not None:
                audit.record("delete", "column_mapping", row.id, zone_id=zone.id, user=user,
                             before={"表头": row.written, "对应": target_label(row.target)})
                db.session.delete(row)
                changed += 1
            continue
        if row is None:
            row = ImportColumnMapping(zone_id=zone.id, sheet_kind=PROJECTS, header=key, written=written[:200],
                                      target=target, user_id=user.id if user else None)
            db.session.add(row)
            db.session.flush()
            audit.record("create", "column_mapping", row.id, zone_id=zone.id, user=user,
                         after={"表头": written, "对应": target_label(target)})
            changed += 1
        elif row.target != target:
            audit.record("update", "column_mapping", row.id, zone_id=zone.id, user=user,
                         before={"表头": row.written, "对应": target_label(row.target)},
                         after={"表头": written, "对应": target_label(target)})
            row.target, row.written, row.user_id = target, written[:200], user.id if user else None
            changed += 1
    return changed
