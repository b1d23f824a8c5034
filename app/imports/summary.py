"""What an import did, or would do in a dry run: counts per sheet kind, every rejected row with
its sheet, row, column and reason, and the projects it updates with the fields that change.

One summary, as a dict, for every face: the import job stores it as JSON for the page, the
command line prints it with format_summary, and the audit trail records its counts, so the
three can never tell a different story.
"""
from __future__ import annotations

from .locating import CONTACTS, PROJECTS
from .planning import Plan

MAX_ERRORS_KEPT = 5000
MAX_UPDATES_KEPT = 1000


def summarise(plan: Plan, *, dry_run: bool, file_info: dict) -> dict:
    counts = plan.counts()
    order = {sheet.name: i for i, sheet in enumerate(plan.sheets)}
    errors = sorted(plan.errors, key=lambda e: (order.get(e["sheet"], 0), e["row"]))
    updates = [{"sheet": op.row.sheet, "row": op.row.number, "project": op.data.name, "fields": op.changed_fields}
               for op in plan.project_ops if op.kind == "updated"]
    return {
        "dry_run": dry_run,
        "file": file_info,
        "sheets": [{"name": s.name, "kind": s.kind, "rows": len(s.rows), "ignored_columns": s.ignored_columns,
                    "kept_columns": s.kept_columns, "skipped_examples": s.skipped_examples,
                    "skipped_totals": [{"row": n, "reason": why} for n, why in s.skipped_totals]}
                   for s in plan.sheets],
        PROJECTS: counts[PROJECTS],
        CONTACTS: counts[CONTACTS],
        "totals": {k: counts[PROJECTS].get(k, 0) + counts[CONTACTS].get(k, 0)
                   for k in ("created", "updated", "unchanged", "rejected")},
        "error_count": len(errors),
        "errors": errors[:MAX_ERRORS_KEPT],
        "updates": updates[:MAX_UPDATES_KEPT],
        "update_count": len(updates),
    }


def format_summary(summary: dict) -> list[str]:
    """The summary as lines of text, for the command line (the page shows the same figures)."""
    p, c = summary[PROJECTS], summary[CONTACTS]
    lines = []
    for sheet in summary["sheets"]:
        note = f"，已忽略的列：{'、'.join(sheet['ignored_columns'])}" if sheet["ignored_columns"] else ""
        example = f"，跳过模板示例行 {sheet['skipped_examples']} 行" if sheet["skipped_examples"] else ""
        kept = f"，记入备注的列：{'、'.join(sheet['kept_columns'])}" if sheet.get("kept_columns") else ""
        lines.append(f"工作表“{sheet['name']}”：{sheet['rows']} 行数据{example}{note}{kept}")
        for total in sheet.get("skipped_totals", []):
            lines.append(f"  跳过合计行：第{total['row']}行（{total['reason']}）")
    verb = "将" if summary["dry_run"] else "已"
    lines.append(f"项目台账：{verb}新增 {p['created']}，{verb}更新 {p['updated']}，无变化 {p['unchanged']}，有错误 {p['rejected']}")
    lines.append(f"对接记录：{verb}新增 {c['created']}，无变化 {c['unchanged']}，有错误 {c['rejected']}")
    for update_ in summary["updates"][:50]:
        lines.append(f"  更新 {update_['sheet']} 第{update_['row']}行 {update_['project']}：{'、'.join(update_['fields'])}")
    if summary["update_count"] > 50:
        lines.append(f"  ……另有 {summary['update_count'] - 50} 个项目更新")
    if summary["errors"]:
        lines.append("有错误的行（未导入）：")
        for e in summary["errors"]:
            lines.append(f"  {e['sheet']} 第{e['row']}行 {e['column']}：{e['message']}")
        if summary["error_count"] > len(summary["errors"]):
            lines.append(f"  ……另有 {summary['error_count'] - len(summary['errors'])} 条错误未列出")
    if summary["dry_run"]:
        lines.append("（试运行，未写入任何数据）")
    return lines
