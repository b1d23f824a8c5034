"""Searching and exporting the audit trail for the auditor."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from flask import Response, stream_with_context
from app import audit
from app.extensions import db
from app.models import AuditEvent

COLUMNS = ["编号", "时间（UTC）", "用户", "地址", "操作", "对象", "对象编号", "开发区编号", "变更前", "变更后"]
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _day(value: str | None) -> date | None:
    try:
        day = date.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2100 else None  # 9999-12-31 + 1 day would overflow


@dataclass
class AuditFilters:
    """Date range (UTC days, both inclusive), username, action and entity."""
    date_from: date | None = None
    date_to: date | None = None
    user: str = ""
    action: str = ""
    entity: str = ""

    @classmethod
    def from_args(cls, args) -> "AuditFilters":
        return cls(date_from=_day(args.get("from")), date_to=_day(args.get("to")),
                   user=args.get("user", "").strip()[:64], action=args.get("action", "").strip()[:40],
                   entity=args.get("entity", "").strip()[:40])

    def apply(self, query):
        if self.date_from:
            query = query.where(AuditEvent.occurred_at >= datetime.combine(self.date_from, time.min))
        if self.date_to:
            query = query.where(AuditEvent.occurred_at < datetime.combine(self.date_to + timedelta(days=1), time.min))
        if self.user:
            query = query.where(AuditEvent.username == self.user)
        if self.action:
            query = query.where(AuditEvent.action == self.action)
        if self.entity:
            query = query.where(AuditEvent.entity == self.entity)
        return query

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v}

    def as_args(self) -> dict:
        return {"from": self.date_from.isoformat() if self.date_from else None,
                "to": self.date_to.isoformat() if self.date_to else None,
                "user": self.user or None, "action": self.action or None, "entity": self.entity or None}


def _cell(value) -> str:
    """Text for a spreadsheet cell; a leading formula character is neutralised (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _row(e: AuditEvent) -> list[str]:
    return [_cell(v) for v in (
        e.id, e.occurred_at.strftime("%Y-%m-%d %H:%M:%S"), e.username, e.ip,
        audit.ACTIONS.get(e.action, e.action), audit.ENTITIES.get(e.entity, e.entity), e.entity_id, e.zone_id,
        json.dumps(e.before, ensure_ascii=False) if e.before is not None else "",
        json.dumps(e.after, ensure_ascii=False) if e.after is not None else "",
    )]


def _events(query):
    return db.session.scalars(query.execution_options(yield_per=500))


def export_response(query, fmt: str) -> Response:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    if fmt == "xlsx":
        from openpyxl import Workbook
        book = Workbook(write_only=True)
        sheet = book.create_sheet("审计日志")
        sheet.append(COLUMNS)
        for event in _events(query):
            sheet.append(_row(event))
        buffer = io.BytesIO()
        book.save(buffer)
        return Response(buffer.getvalue(), headers=_download(f"audit-{stamp}.xlsx"),
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    def lines():
        out = io.StringIO()
        writer = csv.writer(out)
        out.write("\ufeff")  # a BOM, so Excel opens the Chinese text as UTF-8
        writer.writerow(COLUMNS)
        for event in _events(query):
            writer.writerow(_row(event))
            if out.tell() > 64_000:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
        yield out.getvalue()
    return Response(stream_with_context(lines()), headers=_download(f"audit-{stamp}.csv"),
                    mimetype="text/csv; charset=utf-8")


def _download(filename: str) -> dict:
    return {"Content-Disposition": f"attachment; filename={filename}"}
