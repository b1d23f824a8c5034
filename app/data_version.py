"""The data version: raised by every committed write to the data behind the figures, in the
write's own transaction, so that computed figures can be cached under it (app/queries/cache.py).

Session hooks, so that no write path can forget it: a flush of a row of one of DATA_TABLES, or
an INSERT/UPDATE/DELETE statement run through the session (including the batch writes of the
services and raw SQL), marks the session; at commit one upsert raises the version. The version
becomes visible with the data, atomically: a reader that sees version v sees every write that
raised it to v. Writes that do not change any figure (import job progress, the audit trail,
login throttles, tokens, a user's password) leave it alone. Writes made outside the session
(bulk loads on a raw connection) call bump() themselves.
"""
from __future__ import annotations

import re
import secrets

from sqlalchemy import event, inspect, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

DATA_TABLES = frozenset({"zones", "zone_tiers", "users", "projects", "investors", "stage_changes", "contacts",
                         "contact_leaders", "leader_projects", "leader_months", "targets", "fx_rates",
                         "funds_arrivals", "zone_monthly_indicators"})
# A user's columns that figures show (the rest: password, sessions).
USER_FIGURE_COLUMNS = ("username", "name", "role", "zone_id", "active")
CHANGED = "zonecrm_data_changed"
# An execution option for a statement that writes but changes nothing (a lock taken by a no-op UPDATE).
NO_DATA_CHANGE = "no_data_change"
_WRITE_SQL = re.compile(r"^\s*(insert|update|delete|with|copy|truncate)\b", re.IGNORECASE)

_BUMP = text("INSERT INTO data_version (id, version, epoch) VALUES (1, 1, :epoch) "
             "ON CONFLICT (id) DO UPDATE SET version = data_version.version + 1")


def current(session: Session) -> tuple[str, int] | None:
    """(epoch, version) as this session sees it; None when the database has no version row."""
    row = session.execute(text("SELECT epoch, version FROM data_version WHERE id = 1")).first()
    return (row[0], int(row[1])) if row else None


def bump(connection) -> None:
    """Raise the version on a connection (in its transaction)."""
    connection.execute(_BUMP, {"epoch": secrets.token_hex(16)})


def _is_data_row(obj) -> bool:
    table = getattr(obj, "__tablename__", None)
    if table not in DATA_TABLES:
        return False
    if table == "users":
        state = inspect(obj)
        if state.pending or state.deleted or state.was_deleted:
            return True
        return any(state.attrs[column].history.has_changes() for column in USER_FIGURE_COLUMNS)
    return True


@event.listens_for(Session, "after_flush")
def _mark_flushed_rows(session, _context):
    if session.info.get(CHANGED):
        return
    if any(_is_data_row(obj) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _mark_statements(state):
    if state.session.info.get(CHANGED):
        return
    statement = state.statement
    if state.execution_options.get(NO_DATA_CHANGE):
        return
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(getattr(statement, "table", None), "name", None)
        if table in DATA_TABLES:
            state.session.info[CHANGED] = True
    elif isinstance(statement, TextClause) and _WRITE_SQL.match(statement.text) \
            and "data_version" not in statement.text:
        state.session.info[CHANGED] = True


@event.listens_for(Session, "before_commit")
def _bump_at_commit(session):
    if session.new or session.dirty or session.deleted:
        session.flush()
    if session.info.pop(CHANGED, False):
        session.execute(_BUMP, {"epoch": secrets.token_hex(16)})


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop(CHANGED, None)
