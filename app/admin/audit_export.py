"""The audit trail as the auditor downloads it: CSV (streamed) or Excel, in the same words as
the viewer (app.queries.audit_trail.lines): local time with the zone named, people and objects
by name, changes as 字段：原值 → 新值."""
from __future__ import annotations

import csv
import io

from flask import Response, current_app, stream_with_context

from app.exports import FORMULA_PREFIXES
from app.queries.audit_trail import AuditLine, line_batches, time_heading
from .. import clock

XLSX_WIDTHS = [8, 19, 20, 14, 14, 28, 14, 60]


def columns() -> list[str]:
    return ["编号", time_heading(current_app.config["TIME_ZONE"]), "操作人", "地址", "操作", "对象", "开发区", "变更内容"]


def _cell(value) -> str:
    """Text for a spreadsheet cell; a leading formula character is neutralised (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _row(line: AuditLine) -> list[str]:
    return [_cell(v) for v in (line.id, line.time, line.person, line.ip, line.action, line.object, line.zone,
                               line.changes_text())]


def _rows(query):
    for batch in line_batches(query):
        yield from (_row(line) for line in batch)


def export_response(query, fmt: str) -> Response:
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")  # the auditor's own (Beijing) time
    if fmt == "xlsx":
        from app.exports import Column, Sheet, workbook
        sheet = Sheet([Column(h, width=w) for h, w in zip(columns(), XLSX_WIDTHS)], _rows(query))
        content = workbook({"审计日志": sheet}, title="审计日志导出", as_of=clock.today(), issuer="系统审计管理员")
        return Response(content, headers=_download(f"audit-{stamp}.xlsx"),
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    def chunks():
        out = io.StringIO()
        writer = csv.writer(out)
        out.write("\ufeff")  # a BOM, so Excel opens the Chinese text as UTF-8
        writer.writerow(columns())
        for row in _rows(query):
            writer.writerow(row)
            if out.tell() > 64_000:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
        yield out.getvalue()
    return Response(stream_with_context(chunks()), headers=_download(f"audit-{stamp}.csv"),
                    mimetype="text/csv; charset=utf-8")


def _download(filename: str) -> dict:
    return {"Content-Disposition": f"attachment; filename={filename}"}
