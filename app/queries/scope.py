"""Which rows a user sees: the one zone-scope rule, stated once (as Odoo's ir.rule and Data
Hub's permissions state it per resource), used by every list, export, report, API resource,
import and page.

A zone role (leader, staff) sees only its own zone's rows; the bureau, the auditor and the
administrators read across zones (which pages each of them may open at all is the routes'
business: app/auth/access.py `roles_required`). A row of another zone is answered as if it did
not exist (404), so its existence is not revealed.

tests/queries/test_scope.py states the rule per role; tests/test_one_home.py fails
when a module outside this one compares a user's zone with a row's.
"""
from __future__ import annotations

from app.extensions import db
from app.models import ZONE_ROLES
from app.models.types import MAX_ID


def zone_of(user) -> int | None:
    """The zone a user's reads are limited to: their own for a zone role, None (every zone)
    otherwise. It is also the zone a user acts for (whose uploads are theirs, in whose
    name an import writes): None is the bureau's desk."""
    return user.zone_id if user.role in ZONE_ROLES else None


def in_scope(query, user, zone_column):
    """`query` (a SELECT) narrowed to the rows `user` sees, `zone_column` being the column that
    holds a row's zone (Project.zone_id, Contact.zone_id, Zone.id, ...)."""
    zone_id = zone_of(user)
    return query if zone_id is None else query.where(zone_column == zone_id)


def sees(user, zone_id: int | None) -> bool:
    """Whether `user` sees a row of zone `zone_id` (for rows already in hand, such as the
    figures of a computed progress)."""
    own = zone_of(user)
    return own is None or own == zone_id


def acts_for(user, column):
    """The condition on `column` for the rows a user acts for: their zone's, or for a user of
    no zone (the bureau) those of no zone: their own uploads, not every zone's."""
    zone_id = zone_of(user)
    return column.is_(None) if zone_id is None else column == zone_id


def get_in_scope(model, object_id: int, user):
    """The row of `model` with this id if `user` sees it, else None (no such row, or another
    zone's). Every model passed has a `zone_id` (a Zone is its own)."""
    if not 0 < object_id <= MAX_ID:  # no such row; the database driver would overflow
        return None
    obj = db.session.get(model, object_id)
    return obj if obj is not None and sees(user, obj.zone_id) else None
