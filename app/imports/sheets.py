"""The ledger workbook: the template (an example row and notes) and a zone's export, from the
same column definitions the import reads (app.domain.ledger), so export → import changes nothing."""
from __future__ import annotations

import io
from collections import Counter
from datetime import date
from pathlib import PurePath

from app.domain import ledger as L
from app.domain.counting import KEY_LEVELS
from app.domain.funds import ARRIVAL_KINDS
from app.domain.money import CURRENCIES, in_wan
from app.domain.pipeline import STAGES, dates_as_of
from app.domain.project_fields import plain_fields
from app.exports import Column, wan, workbook
from app.domain import classifications as K
from app.models import CONTACT_FORMS, Contact, FundsArrival, Project, Zone
from app.queries.ledger import all_leaders, city_contacts, city_projects, zone_contacts, zone_projects
from app.queries.money import city_arrivals, zone_arrivals

from .planning import leader_labels
from .. import clock

CHOICES = {
    "yes_no": ("是", "否"),
    "stages": tuple(STAGES.values()),
    "key_levels": tuple(KEY_LEVELS.values()),
    # Excel keeps a drop-down list under 255 characters: the usual sources of investment, and
    # the 20 sections; any other country, division or wording may be typed.
    "origins": tuple(K.ORIGINS[c] for c in ("CN", "HK", "MO", "TW", "SG", "VG", "KY", "KR", "JP", "US", "DE", "GB",
                                            "FR", "NL", "CH", "AU", "CA", "MY", "TH", "AE")),
    "industries": (),
    "industry_codes": tuple(K.SECTIONS),
    "contact_forms": tuple(CONTACT_FORMS),
    "currencies": tuple(CURRENCIES.values()),
    "arrival_kinds": tuple(ARRIVAL_KINDS.values()),
}
NOTES_COLUMNS = [Column("工作表", width=10), Column("列名", width=18), Column("是否必填", width=8),
                 Column("填写说明", width=70), Column("示例", width=24)]
GENERAL_NOTES = [
    "每个工作表的表头以上可以有标题行和说明行（本模板即如此），系统自动找到表头；列的顺序不限，系统不认识的列（如“序号”）会被忽略。",
    "空行会被跳过；本模板中的示例行未经修改时也会被跳过，可以直接删除。",
    "上传后系统先试运行，列出将新增、更新、无变化和有错误的行（注明工作表、行号、列和问题），确认后才写入。",
    "有错误的行不会导入，其余各行在确认后一次写入：写入中途出错时全部不写入。",
    "同一文件重复导入不会产生重复数据；导出的台账原样导入不会有任何变化。",
    "项目按项目编号识别；没有编号时按项目名称＋投资方识别（不区分全角半角、大小写和空格）。",
    "对接记录与系统中同一项目、同一日期、同一方式、同一内容、同一组领导的记录视为同一条，不会重复记入。",
    "到位资金只记入已有项目（或本文件项目台账中的项目），按项目编号或项目名称查找，找不到或重名时为错误行，不会新建项目；"
    "与系统中同一项目、同一到位日期、同一金额和币种、同一类型、同一凭证号的记录视为同一笔，不会重复记入。",
    "文件支持 .xlsx、.xls 和 .csv（UTF-8 或 GBK 编码）。",
]


def _columns(definitions) -> list[Column]:
    return [Column(c.header, c.kind, c.width, CHOICES.get(c.choices, ())) for c in definitions]


def _example(definitions) -> list:
    return [c.example if c.example != "" else None for c in definitions]


def _notes() -> tuple[list[Column], list[list]]:
    rows = []
    for sheet, definitions in ((L.PROJECT_SHEET, L.PROJECT_COLUMNS), (L.CONTACT_SHEET, L.CONTACT_COLUMNS),
                               (L.ARRIVAL_SHEET, L.ARRIVAL_COLUMNS)):
        for c in definitions:
            example = L.cell_text(c.example)
            rows.append([sheet, c.header, "必填" if c.required else "", c.note, example])
    rows += [["全部", "", "", note, ""] for note in GENERAL_NOTES]
    return NOTES_COLUMNS, rows


def template_workbook() -> bytes:
    return workbook({
        L.PROJECT_SHEET: (_columns(L.PROJECT_COLUMNS), [_example(L.PROJECT_COLUMNS)]),
        L.CONTACT_SHEET: (_columns(L.CONTACT_COLUMNS), [_example(L.CONTACT_COLUMNS)]),
        L.ARRIVAL_SHEET: (_columns(L.ARRIVAL_COLUMNS), [_example(L.ARRIVAL_COLUMNS)]),
        L.NOTES_SHEET: _notes(),
    }, title="项目台账导入模板")


def zone_workbook(zone: Zone) -> bytes:
    """The zone's whole ledger and contact log, in the template's layout."""
    leaders = leader_labels(zone.id)
    project_rows = [_project_row(p, leaders) for p in zone_projects(zone.id)]
    contact_rows = [_contact_row(c, leaders) for c in zone_contacts(zone.id)]
    arrival_rows = [_arrival_row(a) for a in zone_arrivals(zone.id)]
    return workbook({
        L.PROJECT_SHEET: (_columns(L.PROJECT_COLUMNS), project_rows),
        L.CONTACT_SHEET: (_columns(L.CONTACT_COLUMNS), contact_rows),
        L.ARRIVAL_SHEET: (_columns(L.ARRIVAL_COLUMNS), arrival_rows),
        L.NOTES_SHEET: _notes(),
    }, title=f"{zone.name}项目台账", as_of=clock.today(), issuer=zone.name)


ZONE_COLUMN = Column("开发区", width=16)


def city_workbook(as_of: date, issuer: str) -> bytes:
    """Every zone's ledger, contact log and funds arrived as of a date, in the template's layout
    with the zone in a first column (the import ignores a column it does not know): each
    project's stage and milestone dates as they stood on as_of, the contacts and arrivals up to it."""
    by_zone: dict[int, list] = {}
    for u in all_leaders():
        by_zone.setdefault(u.zone_id, []).append(u)
    leaders = {}
    for zone_leaders_ in by_zone.values():
        names = Counter(L.name_key(u.name) for u in zone_leaders_)
        leaders.update({u.id: u.name if names[L.name_key(u.name)] == 1 else u.username for u in zone_leaders_})
    project_rows = [[p.zone.name] + _project_row(p, leaders, as_of) for p in city_projects(as_of)]
    contact_rows = [[c.project.zone.name] + _contact_row(c, leaders) for c in city_contacts(as_of)]
    arrival_rows = [[a.project.zone.name] + _arrival_row(a) for a in city_arrivals(as_of)]
    return workbook({
        L.PROJECT_SHEET: ([ZONE_COLUMN] + _columns(L.PROJECT_COLUMNS), project_rows),
        L.CONTACT_SHEET: ([ZONE_COLUMN] + _columns(L.CONTACT_COLUMNS), contact_rows),
        L.ARRIVAL_SHEET: ([ZONE_COLUMN] + _columns(L.ARRIVAL_COLUMNS), arrival_rows),
        L.NOTES_SHEET: _notes(),
    }, title="全市开发区项目台账", as_of=as_of, issuer=issuer)


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


def _project_row(p: Project, leaders: dict[int, str], as_of: date | None = None) -> list:
    investor = p.investor
    dates = p.stage_dates() if as_of is None else (dates_as_of(p.stage_dates(), as_of) or p.stage_dates())
    capital = wan(p.foreign_capital) if p.foreign_capital_currency == "USD" else None
    values = {
        "code": p.code, "name": p.name, "investor": investor.name if investor else None,
        "origin": investor.origin_label if investor else None, "usci": investor.usci if investor else None,
        "industry_code": p.industry_code, "industry": p.industry, "tags": p.tags or None, "manufacturing": _yes_no(p.is_manufacturing),
        "industrial": _yes_no(p.is_industrial), "total": wan(p.total_investment), "capital": capital,
        "stage": STAGES[dates.stage], "planned_on": p.planned_on, "negotiating_on": dates.negotiating_on,
        "signed_on": dates.signed_on, "started_on": dates.started_on, "produced_on": dates.produced_on,
        "dropped_on": dates.dropped_on, "key_level": KEY_LEVELS.get(p.key_level) if p.key_level else None,
        "leader": "、".join(leaders.get(u.id, u.username) for u in p.leaders) or None, "responsible": p.responsible, "note": p.note,
        **{f.column: getattr(p, f.key) or None for f in plain_fields()},
    }
    return [values[c.key] for c in L.PROJECT_COLUMNS]


def _contact_row(c: Contact, leaders: dict[int, str]) -> list:
    project = c.project
    values = {
        "occurred_on": c.occurred_on, "code": project.code, "name": project.name,
        "investor": project.investor.name if project.investor else None,
        "leaders": "、".join(leaders.get(u.id, u.username) for u in c.leaders), "form": c.form,
        "summary": c.summary, "next_step": c.next_step, "next_step_on": c.next_step_on,
    }
    return [values[col.key] for col in L.CONTACT_COLUMNS]



def _arrival_row(a: FundsArrival) -> list:
    """An arrival as the 到位资金 sheet writes it: the project by its code (its name without one),
    the amount in 万 of its currency, exact."""
    values = {
        "project": a.project.code or a.project.name, "arrived_on": a.arrived_on, "amount": in_wan(a.amount),
        "currency": CURRENCIES[a.currency], "kind": ARRIVAL_KINDS[a.kind], "source_note": a.source_note or None,
        "voucher_ref": a.voucher_ref,
    }
    return [values[c.key] for c in L.ARRIVAL_COLUMNS]


# ---------------------------------------------------------------------------------------
# The error download: the user's own workbook with each bad cell marked, and a list of them

ERROR_FILL = "FFFF9999"
ERROR_LIST_SHEET = "导入错误清单"
ERROR_COLUMNS = [Column("工作表", width=12), Column("行号", "int", 8), Column("项目", width=24), Column("列", width=18),
                 Column("问题", width=70)]


def file_stem(file_name: str) -> str:
    """台账.xlsx → 台账 (the download names the file once, not 台账.xlsx.xlsx)."""
    stem = PurePath(file_name or "").name
    for suffix in (".xlsx", ".xlsm", ".xls", ".csv", ".txt"):
        if stem.lower().endswith(suffix):
            return stem[: -len(suffix)] or "台账"
    return stem or "台账"


def error_rows(errors: list[dict]) -> list[list]:
    return [[e["sheet"], e["row"], e.get("project", ""), e["column"], e["message"]] for e in errors]


def error_workbook(content: bytes | None, file_name: str, errors: list[dict], issuer: str = "") -> tuple[bytes, str]:
    """(workbook, download name): the uploaded .xlsx itself with every bad cell filled red and a
    comment saying what is wrong, plus a sheet listing them; a file that is not an .xlsx (or
    is no longer stored) gets the list alone."""
    stem = file_stem(file_name)
    annotated = _annotated(content, errors) if content and content[:2] == b"PK" else None
    if annotated is not None:
        return annotated, f"{stem}_错误标注.xlsx"
    listed = workbook({ERROR_LIST_SHEET: (ERROR_COLUMNS, error_rows(errors))}, title=f"导入错误清单（{file_name}）",
                      issuer=issuer)
    return listed, f"导入错误清单_{stem}.xlsx"


def _annotated(content: bytes, errors: list[dict]) -> bytes | None:
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    try:
        book = load_workbook(io.BytesIO(content))
    except Exception:  # noqa: BLE001  (an .xlsx openpyxl cannot edit: the list alone)
        return None
    fill = PatternFill("solid", start_color=ERROR_FILL, end_color=ERROR_FILL)
    by_cell: dict[tuple[str, int, int], list[str]] = {}
    for e in errors:
        if e["sheet"] not in book.sheetnames:
            continue
        sheet = book[e["sheet"]]
        if e.get("cell") is not None:   # where the check read it (a summary from before: by its header)
            column, own = e["cell"] + 1, e.get("own", True)
        else:
            column = _column_of(sheet, e["column"])
            column, own = column or 1, column is not None
        row, column = _top_left(sheet, e["row"], column)
        message = e["message"] if own else f"{e['column']}：{e['message']}"
        by_cell.setdefault((e["sheet"], row, column), []).append(
            message if row == e["row"] else f"第{e['row']}行：{message}")
    for (sheet, row, column), messages in by_cell.items():
        cell = book[sheet].cell(row=row, column=column)
        cell.fill = fill
        cell.comment = Comment("\n".join(messages), "导入检查", width=320, height=120)
    if ERROR_LIST_SHEET in book.sheetnames:
        del book[ERROR_LIST_SHEET]
    listing = book.create_sheet(ERROR_LIST_SHEET, 0)
    listing.append([c.header for c in ERROR_COLUMNS])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for values in error_rows(errors):
        listing.append(values)
    for letter, column in zip("ABCDE", ERROR_COLUMNS):
        listing.column_dimensions[letter].width = column.width
    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _top_left(sheet, row: int, column: int) -> tuple[int, int]:
    """A cell inside a merged range is read-only in openpyxl: the range's top-left cell holds
    its value, its fill and its comment."""
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= column <= merged.max_col:
            return merged.min_row, merged.min_col
    return row, column


def _column_of(sheet, header: str) -> int | None:
    """The column a header names, read from the sheet's first rows (where the header is)."""
    wanted = L.header_key(header)
    for row in sheet.iter_rows(min_row=1, max_row=25):
        for cell in row:
            if cell.value is not None and L.header_key(cell.value) == wanted:
                return cell.column
    return None


# ---------------------------------------------------------------------------------------
# The monthly indicator sheet (the bureau's city-wide sheet): template

INDICATOR_NOTES = [
    "每行一个开发区一个月份；开发区填名称或代码，月份如 2024-03 或 2024年3月。",
    "上传后系统先试运行，分别列出新增、无变化和将更正已报送数字的行，以及有错误的行；确认后才写入。",
    "更正已报送的数字须在确认导入时填写一次更正原因，每处更正连同原因记入审计日志。",
    "营业收入或实际使用外资不填时保留系统中已有的数字；同一文件重复导入不会有任何变化。",
    "开发区工作人员只能导入本开发区的行，其他开发区的行为错误行。",
]


def indicator_template() -> bytes:
    rows = [[L.INDICATOR_SHEET, c.header, "必填" if c.required else "", c.note, L.cell_text(c.example)]
            for c in L.INDICATOR_COLUMNS]
    rows += [["全部", "", "", note, ""] for note in INDICATOR_NOTES]
    return workbook({
        L.INDICATOR_SHEET: (_columns(L.INDICATOR_COLUMNS), [_example(L.INDICATOR_COLUMNS)]),
        L.NOTES_SHEET: (NOTES_COLUMNS, rows),
    }, title="开发区月度指标导入模板")
