"""The audit trail as the auditor downloads it: CSV (streamed) or Excel."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

from flask import Response, stream_with_context

from app import audit
from app.exports import FORMULA_PREFIXES
from app.models import AuditEvent
from app.queries.audit_trail import events

COLUMNS = ["编号", "时间（UTC）", "用户", "地址", "操作", "对象", "对象编号", "开发区编号", "变更前", "变更后"]
XLSX_WIDTHS = [8, 19, 12, 14, 12, 10, 9, 9, 40, 40]


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


def export_response(query, fmt: str) -> Response:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    if fmt == "xlsx":
        from app.exports import Column, Sheet, workbook
        columns = [Column(h, width=w) for h, w in zip(COLUMNS, XLSX_WIDTHS)]
        content = workbook({"审计日志": Sheet(columns, (_row(e) for e in events(query)))},
                           title="审计日志导出", as_of=date.today(), issuer="系统审计管理员")
        return Response(content, headers=_download(f"audit-{stamp}.xlsx"),
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    def lines():
        out = io.StringIO()
        writer = csv.writer(out)
        out.write("\ufeff")  # a BOM, so Excel opens the Chinese text as UTF-8
        writer.writerow(COLUMNS)
        for event in events(query):
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
