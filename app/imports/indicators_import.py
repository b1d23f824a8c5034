"""Importing monthly indicators: the city-wide sheet the bureau collects, one row per zone and
month (开发区, 月份, 营业收入（万元）, 实际使用外资（万美元）).

The same steps as the ledger import (jobs.py runs both, on the queue): the file is read by
reader.py, the sheet found by its header row, every row planned against the figures already
reported (the dry run: new rows, unchanged rows, rows that would change a reported figure,
rejected rows with their reasons), then written through the indicators service
(app/services/funds.py report_month), so a changed figure is a correction audited with its
reason exactly as one typed on the indicators page. The reason is typed once for the upload.

Rules:
- 开发区 is a zone's name or code; 月份 as 2024-03, 2024年3月, 2024.3 or a date (its month);
- amounts are read by the one money reader (domain.money.read_money) in the header's unit;
  a blank cell keeps the figure already reported (a sheet may carry one of the two columns);
- a zone's staff may import their own zone's rows only; any other zone's row is an error;
- the same zone and month twice in a file is an error on the later row;
- rejected rows are listed and never written; the rest is written all or nothing.

The caller owns the transaction: it commits once after a whole import, or rolls everything back.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Callable

from sqlalchemy import select, text

from app import audit
from app.domain import ledger as L
from app.domain.funds import format_wan, monthly_error
from app.domain.money import Money, MoneyError, read_money
from app.domain.period import PeriodError, check_year
from app.extensions import db
from app.models import User, Zone, ZoneMonthly
from app.queries.ledger import all_zones
from app.queries.scope import sees, zone_of
from app.services.funds import FundsError, MonthlyInput, report_month

from .locating import POSITION_HEADERS
from .progress_reporter import ProgressReporter
from .reader import HEADER_ROOM, ImportFileError, RawSheet
from .writing import ImportAborted
from .. import clock

INDICATORS = "indicators"
MAX_LISTED = 5000
LABELS = {c.key: c.header for c in L.INDICATOR_COLUMNS}
PLAIN_NUMBER = re.compile(r"\d+(\.\d+)?")
NO_SHEET = ("文件中没有找到月度指标：表头应包含“开发区”“月份”以及“营业收入（万元）”或“实际使用外资（万美元）”。"
            "请使用导入模板")


class ReasonMissing(ImportAborted):
    """Rows would change figures already reported, and no reason was given: nothing written."""


@dataclass
class IndicatorSheet:
    name: str
    headers: dict[str, str]
    units: dict[str, str]
    rows: list[tuple[int, dict[str, str]]]
    ignored_columns: list[str]
    skipped_examples: int = 0


@dataclass
class IndicatorRow:
    sheet: str
    number: int
    zone: Zone
    year: int
    month: int
    revenue: Decimal | None           # after the import: the cell, or the figure kept
    fdi: Decimal | None
    kind: str = "created"             # created, updated (changes a reported figure), unchanged
    before: tuple[Decimal | None, Decimal | None] | None = None
    readings: list[str] = field(default_factory=list)


def _enough(match: L.HeaderMatch) -> bool:
    return {"zone", "month"} <= set(match.positions) and bool({"revenue", "fdi"} & set(match.positions))


def locate(raw_sheets: list[RawSheet], max_rows: int) -> list[IndicatorSheet]:
    sheets = []
    for raw in raw_sheets:
        if raw.name.strip() == L.NOTES_SHEET:
            continue
        for index, cells in enumerate(raw.rows[:HEADER_ROOM]):
            match = L.match_headers(cells, L.INDICATOR_COLUMNS)
            if _enough(match):
                break
        else:
            continue
        name = L.INDICATOR_SHEET if raw.is_csv else raw.name
        if match.duplicates:
            raise ImportFileError(f"工作表“{name}”的表头中“{match.duplicates[0]}”出现了不止一次")
        headers = {key: L.cell_text(cells[pos]).strip() for key, pos in match.positions.items()}
        ignored = [h for h in match.ignored if L.header_key(h) not in POSITION_HEADERS]
        sheet = IndicatorSheet(name, headers, match.units, [], ignored)
        example = L.example_row(L.INDICATOR_COLUMNS)
        positions = list(match.positions.items())
        for number, row in enumerate(raw.rows[index + 1:], start=index + 2):
            texts = {key: L.cell_text(row[pos]) if pos < len(row) else "" for key, pos in positions}
            if not any(t.strip() for t in texts.values()):
                continue
            if all(texts[key].strip() == example[key] for key in texts):
                sheet.skipped_examples += 1
                continue
            sheet.rows.append((number, texts))
        if len(sheet.rows) > max_rows:
            raise ImportFileError(f"工作表“{name}”有 {len(sheet.rows):,} 行数据，超过每个工作表 {max_rows:,} 行的导入上限；"
                                  f"请分成几个文件导入")
        sheets.append(sheet)
    if not sheets:
        raise ImportFileError(NO_SHEET)
    return sheets


def _zone_index() -> dict[str, Zone]:
    zones = {}
    for zone in all_zones():
        zones.setdefault(L.name_key(zone.name), zone)
        zones.setdefault(L.name_key(zone.code), zone)
    return zones


def _amount(texts: dict, key: str, unit: str, fail, readings: list) -> Money | None:
    written = texts.get(key, "")
    if L.is_blank(written):
        return None
    try:
        money = read_money(L.normalize(written), unit)
    except MoneyError as error:
        fail(key, str(error).replace("本栏", "本列"))
        return None
    if money is None:   # 待定, 不详: no figure, as a blank cell
        readings.append(f"{written.strip()} → 未定，按未填写处理（保留系统中已有的数字）")
        return None
    base = "万元" if key == "revenue" else "万美元"
    if unit != base or not PLAIN_NUMBER.fullmatch(written.strip()):
        readings.append(f"{written.strip()} → {format_wan(money.amount, money.currency)}")
    return money


@dataclass
class IndicatorPlan:
    sheets: list[IndicatorSheet]
    rows: list[IndicatorRow] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    rejected: int = 0

    def of(self, kind: str) -> list[IndicatorRow]:
        return [r for r in self.rows if r.kind == kind]


def plan_indicators(user: User | None, sheets: list[IndicatorSheet], today: date,
                    progress: ProgressReporter) -> IndicatorPlan:
    plan = IndicatorPlan(sheets)
    zones = _zone_index()
    progress.start("check", sum(len(s.rows) for s in sheets))
    parsed = []
    for sheet in sheets:
        for number, texts in sheet.rows:
            errors: list[tuple[str, str]] = []

            def fail(key, message, sheet=sheet, errors=errors):
                errors.append((sheet.headers.get(key, LABELS[key]), message))
            written_zone = texts.get("zone", "").strip()
            zone = zones.get(L.name_key(written_zone)) if written_zone else None
            if not written_zone:
                fail("zone", "请填写开发区")
            elif zone is None:
                fail("zone", f"系统中没有名称或代码为“{written_zone}”的开发区")
            elif user is not None and not sees(user, zone.id):
                fail("zone", f"只能导入本开发区的数据，本行是{zone.name}的")
            year = month = None
            try:
                year, month = L.parse_month(texts.get("month", ""))
                check_year(year)
            except (L.LedgerError, PeriodError) as error:
                fail("month", str(error))
                year = None
            readings: list[str] = []
            revenue = _amount(texts, "revenue", sheet.units.get("revenue", "万元"), fail, readings)
            fdi = _amount(texts, "fdi", sheet.units.get("fdi", "万美元"), fail, readings)
            if year is not None and not any(c == sheet.headers.get("revenue", LABELS["revenue"])
                                            or c == sheet.headers.get("fdi", LABELS["fdi"]) for c, _ in errors):
                problem = monthly_error(year, month, revenue, fdi, today)
                if problem:
                    fail("month" if "月份" in problem else "revenue", problem)
            parsed.append((sheet, number, written_zone, zone, year, month, revenue, fdi, errors, readings))
    pairs = {(zone.id, year, month) for _, _, _, zone, year, month, *_ in parsed if zone is not None and year}
    existing = {}
    if pairs:
        zone_ids, years = {p[0] for p in pairs}, {p[1] for p in pairs}
        for row in db.session.scalars(select(ZoneMonthly).where(ZoneMonthly.zone_id.in_(zone_ids),
                                                                ZoneMonthly.year.in_(years))):
            existing[(row.zone_id, row.year, row.month)] = row
    seen: dict[tuple, tuple[str, int]] = {}
    for sheet, number, written_zone, zone, year, month, revenue, fdi, errors, readings in parsed:
        key = (zone.id, year, month) if zone is not None and year else None
        if key is not None and not errors and key in seen:
            first_sheet, first_number = seen[key]
            errors.append((sheet.headers.get("month", LABELS["month"]),
                           f"{zone.name}{year}年{month}月与{first_sheet}第{first_number}行重复"))
        if errors:
            plan.rejected += 1
            for column, message in errors:
                plan.errors.append({"sheet": sheet.name, "row": number, "column": column, "message": message,
                                    "project": written_zone})
            progress.advance()
            continue
        seen[key] = (sheet.name, number)
        current = existing.get(key)
        new_revenue = revenue.amount if revenue is not None else (current.revenue if current else None)
        new_fdi = fdi.amount if fdi is not None else (current.fdi if current else None)
        row = IndicatorRow(sheet.name, number, zone, year, month, new_revenue, new_fdi, readings=readings)
        if current is not None:
            row.before = (current.revenue, current.fdi)
            same = _cents(current.revenue) == _cents(new_revenue) and _cents(current.fdi) == _cents(new_fdi)
            row.kind = "unchanged" if same else "updated"
        plan.rows.append(row)
        progress.advance()
    return plan


def _cents(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def _shown(row: IndicatorRow) -> dict:
    shown = {"sheet": row.sheet, "row": row.number, "zone": row.zone.name, "zone_id": row.zone.id,
             "month": f"{row.year}-{row.month:02d}",
             "revenue": format_wan(row.revenue, "CNY") if row.revenue is not None else "",
             "fdi": format_wan(row.fdi, "USD") if row.fdi is not None else "",
             "readings": row.readings}
    if row.before is not None:
        revenue, fdi = row.before
        shown["revenue_before"] = format_wan(revenue, "CNY") if revenue is not None else ""
        shown["fdi_before"] = format_wan(fdi, "USD") if fdi is not None else ""
        shown["changed"] = [label for label, before, after in (("营业收入", revenue, row.revenue),
                                                                ("实际使用外资", fdi, row.fdi))
                            if _cents(before) != _cents(after)]
    return shown


def summarise(plan: IndicatorPlan, *, dry_run: bool, file_info: dict, reason: str = "") -> dict:
    counts = {"created": len(plan.of("created")), "updated": len(plan.of("updated")),
              "unchanged": len(plan.of("unchanged")), "rejected": plan.rejected}
    return {
        "kind": INDICATORS,
        "dry_run": dry_run,
        "file": file_info,
        "sheets": [{"name": s.name, "kind": INDICATORS, "rows": len(s.rows), "ignored_columns": s.ignored_columns,
                    "kept_columns": [], "skipped_examples": s.skipped_examples, "skipped_totals": []}
                   for s in plan.sheets],
        INDICATORS: counts,
        "totals": counts,
        "new": [_shown(r) for r in plan.of("created")[:MAX_LISTED]],
        "changed": [_shown(r) for r in plan.of("updated")[:MAX_LISTED]],
        "unchanged_rows": [_shown(r) for r in plan.of("unchanged")[:MAX_LISTED]],
        "error_count": len(plan.errors),
        "errors": plan.errors[:MAX_LISTED],
        "reason": reason,
    }


def format_summary(summary: dict) -> list[str]:
    """The summary as `flask import-indicators` prints it: every row to be written, old and new
    figures side by side for a correction, how a figure was read, and the errors."""
    c = summary[INDICATORS]
    verb = "将" if summary["dry_run"] else "已"
    lines = [f"月度指标：{verb}新增 {c['created']}，{verb}更正 {c['updated']}，无变化 {c['unchanged']}，有错误 {c['rejected']}"]
    for r in summary["new"]:
        lines.append(f"  新增 {r['sheet']} 第{r['row']}行 {r['zone']} {r['month']}：营业收入 {r['revenue'] or '—'}，"
                     f"实际使用外资 {r['fdi'] or '—'}" + _read(r))
    for r in summary["changed"]:
        lines.append(f"  更正 {r['sheet']} 第{r['row']}行 {r['zone']} {r['month']}：营业收入 {r['revenue_before'] or '—'} → "
                     f"{r['revenue'] or '—'}，实际使用外资 {r['fdi_before'] or '—'} → {r['fdi'] or '—'}" + _read(r))
    for e in summary["errors"]:
        lines.append(f"  {e['sheet']} 第{e['row']}行（{e['project']}） {e['column']}：{e['message']}")
    shown = len(summary["new"]) + len(summary["changed"])
    if shown < c["created"] + c["updated"]:
        lines.append(f"  （只列出前 {shown} 行）")
    if summary["dry_run"]:
        lines.append("（试运行，未写入任何数据）")
    return lines


def _read(row: dict) -> str:
    return f"（读法：{'；'.join(row['readings'])}）" if row["readings"] else ""


def _lock() -> None:
    """One indicator import at a time, city-wide (each may write any zone's months)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(7306, 0)"))


def import_indicators(user: User | None, raw_sheets: list[RawSheet], *, dry_run: bool, max_rows: int,
                      file_info: dict, today: date | None = None, reason: str = "",
                      progress: Callable[[str, int, int], None] | None = None) -> dict:
    """Plan (and unless dry_run, write) a monthly indicator sheet; returns the summary.

    Writes only into the session: the caller commits, or rolls back on any exception."""
    today = today or clock.today()
    tracker = ProgressReporter(progress)
    sheets = locate(raw_sheets, max_rows)
    reason = (reason or "").strip()
    if not dry_run:
        _lock()
    plan = plan_indicators(user, sheets, today, tracker)
    if dry_run:
        return summarise(plan, dry_run=True, file_info=file_info)
    changes = plan.of("updated")
    if changes and not reason:
        raise ReasonMissing(f"有 {len(changes)} 行将更正已报送的数字，请填写更正原因后再确认导入")
    if len(reason) > 200:
        raise ReasonMissing("更正原因最多200字")
    written = plan.of("created") + changes
    tracker.start("write", len(written))
    for row in written:
        try:
            report_month(MonthlyInput(row.zone.id, row.year, row.month,
                                      Money(row.revenue, "CNY") if row.revenue is not None else None,
                                      Money(row.fdi, "USD") if row.fdi is not None else None,
                                      reason if row.kind == "updated" else ""), user, today=today)
        except (FundsError, PeriodError) as error:
            raise ImportAborted(f"{row.sheet}第{row.number}行：{error}") from error
        tracker.advance()
    summary = summarise(plan, dry_run=False, file_info=file_info, reason=reason if changes else "")
    if written:
        audit.record("import", "zone_monthly", None, zone_id=zone_of(user) if user is not None else None,
                     user=user, after={"file": file_info, "indicators": summary[INDICATORS],
                                       "reason": summary["reason"]})
    return summary


__all__ = ["INDICATORS", "ReasonMissing", "format_summary", "import_indicators"]
