"""The one way business changes and security events reach the audit trail.

A record is added to the same session as the change it describes, so both commit or
neither does. Records are never changed; `purge_before` is the one way to delete them,
and only those older than the retention period (app.domain.retention).
"""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import delete, func, select, text

from .database import insert_rows
from .domain.retention import check_purge_cutoff
from .extensions import db
from .models import AuditChainHead, AuditEvent
from . import clock
from .clock import utcnow
from .services import audit_chain

# Every action the application records, as the auditor reads it.
ACTIONS = {
    "login": "登录", "login_failed": "登录失败", "lockout": "账号锁定", "login_rate_limited": "登录限流",
    "logout": "退出", "session_expired": "会话超时", "password_change": "修改密码",
    "password_reset": "重置密码", "role_change": "角色变更",
    "create": "新增", "update": "修改", "delete": "删除", "stage_change": "阶段变更",
    "export": "导出", "import": "导入", "report_issued": "出具报告",
    "audit_export": "导出审计日志", "audit_view": "查看审计日志", "audit_purge": "清理审计日志", "backup": "备份数据库", "restore": "恢复数据库",
    "token_create": "创建API令牌", "token_revoke": "撤销API令牌",
    "session_end": "结束会话", "sessions_revoked": "强制退出登录", "audit_verify": "核对审计链",
    "stage_correct": "阶段更正", "task_done": "完成下一步", "task_moved": "下一步改期", "task_reassigned": "下一步转交",
}
ENTITIES = {"user": "用户", "project": "项目", "contact": "对接记录", "zone": "开发区", "target": "目标",
            "fx_rate": "汇率", "report": "报告", "database": "数据库", "audit_event": "审计日志",
            "api_token": "API令牌", "stage_change": "阶段记录", "funds_arrival": "到位资金",
            "zone_monthly": "月度指标", "notify_channel": "通知渠道", "report_archive": "月度通报",
            "task": "下一步工作"}

_ANONYMOUS = object()


def record(action: str, entity: str = "", entity_id: int | None = None, *, before=None,
           after=None, zone_id: int | None = None, user=_ANONYMOUS) -> AuditEvent:
    event = AuditEvent(**values(action, entity, entity_id, before=before, after=after, zone_id=zone_id, user=user))
    db.session.add(event)
    return event


def values(action: str, entity: str = "", entity_id: int | None = None, *, before=None,
           after=None, zone_id: int | None = None, user=_ANONYMOUS) -> dict:
    """The columns of one record, as `record` adds it and `record_many` inserts it."""
    if user is _ANONYMOUS:
        user = current_user if has_request_context() and current_user.is_authenticated else None
    return dict(
        occurred_at=utcnow(),
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


def record_many(rows: list[dict]) -> None:
    """Insert records built by `values` in one statement (a batch write audits thousands)."""
    if rows:
        db.session.flush()  # records added one by one come first in the chain
        audit_chain.seal(db.session.connection(), rows)
        insert_rows(AuditEvent.__table__, rows)


def purge_before(before: date, today: date) -> int:
    """Delete records from before `before` (its 00:00 in the configured zone, as `today` is that
    zone's date), refusing any younger than the retention period; the purge itself is
    recorded, with where the chain now starts. Only the oldest part of the chain goes: a record
    is kept if any record after it in the chain is younger than the cutoff. The caller commits.

    On PostgreSQL the database function zonecrm_audit_purge does the deleting and checks the
    180 days itself, counted in the zone it is given (migrations 0008, 0025): it is the only
    deleter the audit trigger lets through. On SQLite a trigger refuses to delete any record
    younger than 180 days."""
    check_purge_cutoff(before, today)
    if db.session.get_bind().dialect.name == "postgresql":
        deleted = db.session.scalar(text("SELECT zonecrm_audit_purge(:before, :zone)"),
                                    {"before": before, "zone": clock.time_zone().key})
    else:
        cutoff = clock.start_of(before)
        keep_from = db.session.scalar(select(func.min(AuditEvent.chain_seq)).where(AuditEvent.occurred_at >= cutoff))
        query = delete(AuditEvent).where(AuditEvent.occurred_at < cutoff)
        if keep_from is not None:
            query = query.where(AuditEvent.chain_seq < keep_from)
        deleted = db.session.execute(query.execution_options(audit_purge=True, synchronize_session=False)).rowcount
    chain_from = None
    if deleted:  # where the chain now starts, so that `flask audit verify` accepts the cut
        first = db.session.execute(select(AuditEvent.chain_seq, AuditEvent.chain_prev)
                                   .order_by(AuditEvent.chain_seq).limit(1)).first()
        if first is None:
            head = db.session.get(AuditChainHead, 1)
            first = (head.seq + 1, head.hash)
        chain_from = {"seq": first[0], "prev": first[1]}
    record("audit_purge", "audit_event", None, after={"before": before, "deleted": deleted, "chain_from": chain_from})
    return deleted


def record_restore(before: dict, source: str) -> AuditEvent:
    """After a restore: the restored chain goes on from the backup's end, and the records
    written after the backup (lost with the restore) are named by a `restore` record instead
    of being forgotten. Its id is above every id the trail had before, so later records
    never reuse the ids of lost ones. `before` is audit_chain.chain_end() read before the
    restore. The caller commits."""
    after = audit_chain.chain_end()
    event = record("restore", "database", None, after={
        "file": source,
        "lost": {"from_seq": after["seq"] + 1, "to_seq": before["seq"], "last_hash": before["hash"]}
        if before["seq"] > after["seq"] else None})
    if before["max_id"] > after["max_id"]:
        event.id = before["max_id"] + 1
        db.session.flush()
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(text("SELECT setval(pg_get_serial_sequence('audit_events', 'id'), :id)"),
                               {"id": event.id})
    return event


def snapshot(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


def _plain(values):
    """JSON-safe copy: dates as ISO text, Decimals as exact strings; what a JSON round trip
    gives (tuples as lists, keys as text), built directly for the kinds a record holds (a
    batch write audits thousands), through JSON for anything else."""
    if values is None:
        return None
    try:
        return _copy(values)
    except _Unusual:
        return json.loads(json.dumps(values, default=_encode, ensure_ascii=False))


class _Unusual(Exception):
    """A value _copy leaves to the JSON round trip."""


_AS_IS = (str, int, bool, type(None))


def _copy(value):
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is dict:
        copied = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            # The usual leaves here, as _copy gives them: one call fewer each.
            item_kind = type(item)
            if item_kind in _AS_IS:
                copied[key] = item
            elif item_kind is Decimal:
                copied[key] = str(item)
            elif item_kind is date or item_kind is datetime:
                copied[key] = item.isoformat()
            else:
                copied[key] = _copy(item)
        return copied
    if kind is list or kind is tuple:
        return [_copy(item) for item in value]
    if kind is Decimal:
        return str(value)
    if kind is date or kind is datetime:
        return value.isoformat()
    raise _Unusual   # floats (NaN), subclasses, anything else: as JSON reads it back


def _encode(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot audit {type(value).__name__}")
