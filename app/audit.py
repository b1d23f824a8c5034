"""The one way business changes and security events reach the audit trail.

A record is added to the same session as the change it describes, so both commit or
neither does.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from flask import has_request_context, request
from flask_login import current_user

from .extensions import db
from .models import AuditEvent

_ANONYMOUS = object()


def record(action: str, entity: str = "", entity_id: int | None = None, *, before=None,
           after=None, zone_id: int | None = None, user=_ANONYMOUS) -> AuditEvent:
    if user is _ANONYMOUS:
        user = current_user if has_request_context() and current_user.is_authenticated else None
    event = AuditEvent(
        user_id=user.id if user is not None else None,
        username=user.username if user is not None else ("" if has_request_context() else "命令行"),
        ip=(request.remote_addr or "") if has_request_context() else "",
        action=action,
        entity=entity,
        entity_id=entity_id,
        zone_id=zone_id,
        before=_plain(before),
        after=_plain(after),
    )
    db.session.add(event)
    return event


def snapshot(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


def _plain(values):
    """JSON-safe copy: dates as ISO text, Decimals as exact strings."""
    if values is None:
        return None
    return json.loads(json.dumps(values, default=_encode, ensure_ascii=False))


def _encode(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot audit {type(value).__name__}")
