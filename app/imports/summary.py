"""What an import did, or would do in a dry run: counts per sheet kind, every rejected row with
its sheet, row, column and reason, and the projects it updates with the fields that change.

One summary, as a dict, for every face: the import job stores it as JSON for the page, the
command line prints it with format_summary, and the audit trail records its counts, so the
three can never tell a different story.
"""
from __future__ import annotations

from app.domain import classifications as K
from app.domain import ledger as L
from app.domain.counting import KEY_LEVELS
from app.domain.funds import ARRIVAL_KINDS, format_wan
from app.domain.money import CURRENCIES, format_amount
from app.domain.pipeline import STAGES
from app.domain.project_fields import plain_fields

from .duplicates import pairs_summary, refusal, summary_lines
from .locating import ARRIVALS, BLANK_ROW, CONTACTS, PROJECTS
from .mapping import format_columns, free_fields, unmapped_message
from .planning import Plan

MAX_ERRORS_KEPT = 5000
MAX_UPDATES_KEPT = 1000
# Rows the preview lists (each with its values as read); a larger file lists its first rows.
MAX_PREVIEW_KEPT = 5000
MAX_SKIPPED_KEPT = 1000
KINDS = {"created": "新增", "updated": "更新"}
HELD = "暂不记入"


def _project_preview(op) -> dict:
    d, row, v = op.data, op.row, op.row.values
    stage = op.stages[-1][0] if op.stages else (op.project.stage if op.project is not None else None)
    values = {
        "项目编号": d.code, "项目名称": d.name, "投资方": d.investor_name,
        "国别或地区": K.ORIGINS.get(d.origin, d.origin) if d.investor_name else "",
        "行业": (K.industry_label(d.industry_code) + (f"（{d.industry}）" if d.industry else ""))
        if (d.industry_code or d.industry) else "",
        "产业标签": d.tags, "总投资": format_amount(d.total_investment) if d.total_investment else "",
        "合同外资": format_amount(d.foreign_capital) if d.foreign_capital else "",
        "阶段": STAGES.get(stage, "") if stage else "",
        "谋划日期": d.planned_on.isoformat() if d.planned_on else "",
        **{L.MILESTONE_COLUMNS[s]: on.isoformat() for s, on in op.stages if s in L.MILESTONE_COLUMNS},
        "重点项目": KEY_LEVELS.get(d.key_level, "") if d.key_level else "",
        "分包领导": "、".join(u.name for u in v.get("leaders", [])),
        "分包责任人": d.responsible, "备注": d.note, **{f.label: d.plain.get(f.key, "") for f in plain_fields()},
    }
    return {"sheet": row.sheet, "row": row.number, "kind": KINDS[op.kind], "project": d.name,
            "values": {k: val for k, val in values.items() if val},
            "readings": [{"column": row.column(key), "text": text} for key, text in row.notes],
            "flags": row.flags, "fields": op.changed_fields}


def _contact_preview(op, names: dict) -> dict:
    leaders = tuple(map(id, op.leaders))   # the same few User objects on thousands of rows
    if leaders not in names:
        names[leaders] = "、".join(u.name for u in op.leaders)
    values = {"对接日期": op.occurred_on.isoformat(), "项目": op.target.name, "对接领导": names[leaders],
              "对接方式": op.form, "对接内容": op.summary if len(op.summary) <= 60 else op.summary[:59] + "…",
              "下一步": op.next_step}
    return {"sheet": op.sheet, "row": op.number, "kind": "新增", "project": op.target.name,
            "values": {k: val for k, val in values.items() if val},
            "readings": [{"column": column, "text": text} for column, text in op.notes], "flags": [],
            "fields": []}


def _arrival_preview(op) -> dict:
    values = {"到位日期": op.arrived_on.isoformat(), "项目": op.target.name,
              "金额": format_wan(op.money.amount, op.money.currency),
              "币种": CURRENCIES[op.money.currency], "类型": ARRIVAL_KINDS[op.arrival_kind],
              "来源说明": op.source_note, "凭证号": op.voucher_ref}
    return {"sheet": op.sheet, "row": op.number, "kind": "新增", "project": op.target.name,
            "values": {k: val for k, val in values.items() if val},
            "readings": [{"column": column, "text": text} for column, text in op.notes], "flags": [],
            "fields": []}


def skipped_rows(rows: list[tuple[int, str]]) -> list[dict]:
    """Skipped rows by row number, a run of blank rows as one entry (第9–11行 空行)."""
    runs: list[dict] = []
    for number, reason in sorted(rows):
        last = runs[-1] if runs else None
        if last is not None and reason == BLANK_ROW == last["reason"] and number == last["last"] + 1:
            last["last"] = number
        else:
            runs.append({"row": number, "last": number, "reason": reason})
    return [{"rows": f"{r['row']}" if r["row"] == r["last"] else f"{r['row']}–{r['last']}", "row": r["row"],
             "reason": r["reason"]} for r in runs[:MAX_SKIPPED_KEPT]]


def summarise(plan: Plan, *, dry_run: bool, file_info: dict) -> dict:
    counts = plan.counts()
    order = {sheet.name: i for i, sheet in enumerate(plan.sheets)}
    errors = sorted(plan.errors, key=lambda e: (order.get(e["sheet"], 0), e["row"]))
    written = [op for op in plan.project_ops if op.kind in KINDS]
    contacts = [op for op in plan.contact_ops if op.kind == "created"]
    preview = [_project_preview(op) for op in written[:MAX_PREVIEW_KEPT]]
    names: dict = {}
    preview += [_contact_preview(op, names) for op in contacts[:max(0, MAX_PREVIEW_KEPT - len(preview))]]
    arrivals = [op for op in plan.arrival_ops if op.kind == "created"]
    preview += [_arrival_preview(op) for op in arrivals[:max(0, MAX_PREVIEW_KEPT - len(preview))]]
    updates = [{"sheet": op.row.sheet, "row": op.row.number, "project": op.data.name, "fields": op.changed_fields}
               for op in plan.project_ops if op.kind == "updated"]
    return {
        "dry_run": dry_run,
        "file": file_info,
        "sheets": [{"name": s.name, "kind": s.kind, "rows": len(s.rows), "ignored_columns": s.ignored_columns,
                    "kept_columns": s.kept_columns, "columns": s.columns, "unmapped_columns": s.unmapped_columns,
                    "free_fields": free_fields(s.columns) if s.kind == PROJECTS else {}, "skipped_examples": s.skipped_examples,
                    "skipped_totals": [{"row": n, "reason": why} for n, why in s.skipped_totals],
                    "skipped_rows": skipped_rows(s.skipped_rows),
                    "merged_down": [{"rows": f"{top}–{bottom}", "column": column} for top, bottom, column in s.merged_down]}
                   for s in plan.sheets],
        PROJECTS: counts[PROJECTS],
        CONTACTS: counts[CONTACTS],
        ARRIVALS: counts[ARRIVALS],
        "totals": {k: counts[PROJECTS].get(k, 0) + counts[CONTACTS].get(k, 0) + counts[ARRIVALS].get(k, 0)
                   for k in ("created", "updated", "unchanged", "rejected")},
        "error_count": len(errors),
        "errors": errors[:MAX_ERRORS_KEPT],
        "updates": updates[:MAX_UPDATES_KEPT],
        "update_count": len(updates),
        "preview": preview,
        "preview_count": len(written) + len(contacts) + len(arrivals),
        "reading_count": sum(1 for op in written if op.row.notes or op.row.flags) + sum(1 for op in contacts if op.notes),
        "skipped_totals": sum(len(s.skipped_totals) for s in plan.sheets),
        **pairs_summary(plan.pairs),
    }


def format_summary(summary: dict) -> list[str]:
    """The summary as lines of text, for the command line (the page shows the same figures)."""
    p, c = summary[PROJECTS], summary[CONTACTS]
    lines = format_columns(summary["sheets"])
    for sheet in summary["sheets"]:
        note = f"，已忽略的列：{'、'.join(sheet['ignored_columns'])}" if sheet["ignored_columns"] else ""
        example = f"，跳过模板示例行 {sheet['skipped_examples']} 行" if sheet["skipped_examples"] else ""
        kept = f"，记入备注的列：{'、'.join(sheet['kept_columns'])}" if sheet.get("kept_columns") else ""
        lines.append(f"工作表“{sheet['name']}”：{sheet['rows']} 行数据{example}{note}{kept}")
        for total in sheet.get("skipped_totals", []):
            lines.append(f"  跳过合计行：第{total['row']}行（{total['reason']}）")
        if sheet.get("skipped_rows"):
            lines.append("  跳过的行（不导入）：" + "、".join(f"第{r['rows']}行（{r['reason']}）" for r in sheet["skipped_rows"]))
        if sheet.get("merged_down"):
            lines.append("  合并单元格按所跨各行读取：" + "、".join(f"第{m['rows']}行（{m['column']}）" for m in sheet["merged_down"]))
    verb = "将" if summary["dry_run"] else "已"
    lines.append(f"项目台账：{verb}新增 {p['created']}，{verb}更新 {p['updated']}，无变化 {p['unchanged']}，有错误 {p['rejected']}")
    lines.append(f"对接记录：{verb}新增 {c['created']}，无变化 {c['unchanged']}，有错误 {c['rejected']}")
    a = summary.get(ARRIVALS)
    if a is not None and (a["created"] or a["unchanged"] or a["rejected"] or a.get("held")):
        held = f"，{HELD}（与前面的行相同，待决定）{a['held']}" if a.get("held") else ""
        lines.append(f"到位资金：{verb}新增 {a['created']}，无变化（已记录）{a['unchanged']}{held}，有错误 {a['rejected']}")
    lines += summary_lines(summary)
    for update_ in summary["updates"][:50]:
        lines.append(f"  更新 {update_['sheet']} 第{update_['row']}行 {update_['project']}：{'、'.join(update_['fields'])}")
    if summary["update_count"] > 50:
        lines.append(f"  ……另有 {summary['update_count'] - 50} 个项目更新")
    shown = [p for p in summary.get("preview", []) if p["readings"] or p["flags"]]
    if shown:
        lines.append("按台账写法读取、需要留意的行：")
        for p in shown[:50]:
            notes = [f"{r['column']} {r['text']}" for r in p["readings"]] + p["flags"]
            lines.append(f"  {p['sheet']} 第{p['row']}行 {p['project']}：{'；'.join(notes)}")
        if len(shown) > 50:
            lines.append(f"  ……另有 {len(shown) - 50} 行")
    if summary["errors"]:
        lines.append("有错误的行（未导入）：")
        for e in summary["errors"]:
            project = f"（{e['project']}）" if e.get("project") else ""
            lines.append(f"  {e['sheet']} 第{e['row']}行{project} {e['column']}：{e['message']}")
        if summary["error_count"] > len(summary["errors"]):
            lines.append(f"  ……另有 {summary['error_count'] - len(summary['errors'])} 条错误未列出")
    unmapped = _unmapped(summary)
    if unmapped:
        lines.append(unmapped)
    if summary["dry_run"]:
        lines.append("（试运行，未写入任何数据）")
    return lines


def _unmapped(summary: dict) -> str:
    return unmapped_message([(s["name"], s["unmapped_columns"]) for s in summary.get("sheets", [])
                             if s.get("unmapped_columns")])


def not_ready(summary: dict | None) -> str:
    """Why a checked file may not be confirmed yet, in Chinese ("" when it may): a column without
    an answer, or a likely duplicate without a decision. import_ledger refuses both itself; the
    page says so before queueing."""
    summary = summary or {}
    unmapped = _unmapped(summary)
    if unmapped:
        return f"不能确认导入：{unmapped}"
    return refusal(summary["undecided"]) if summary.get("undecided") else ""
