"""Tables to .xlsx, ready to print as a government office prints them.

Every sheet carries, inside the sheet: a title row, a line with the issuing body and the
as-of date, then the header (one row, or two when columns are grouped under a heading such
as a metric with its tier's threshold), shown in full (wrapped, heights set), then the rows,
all ruled. Printing: A4 landscape, one page wide, the header rows repeated on every page,
"第 n 页，共 m 页" in the footer. The panes freeze below the header.

Amounts stay Decimal all the way into the sheet's XML. Text that a spreadsheet would read
as a formula (= + - @, tab, carriage return) is neutralised with a leading apostrophe.
The ledger export doubles as the import template: the reader finds the header below the
title rows (app/imports/reader.py).
"""
from __future__ import annotations

import io
import math
from copy import copy
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask import Response

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {"int": "#,##0", "wan": "#,##0.00", "amount": "#,##0.00####", "decimal1": "0.0", "percent": "0.0%",
           "date": "yyyy-mm-dd", "text": "@"}
# Rows a column's drop-down list (Column.choices) covers, for sheets people fill in.
CHOICE_ROWS = 5000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT = "宋体"
HEADER_LINE = 14.5       # points per line of 11-point text in a cell
FOOTER = "第 &P 页，共 &N 页"  # &P the page, &N the pages


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"
    width: int = 12
    choices: tuple[str, ...] = ()   # a drop-down list offered in the column's cells
    group: str = ""                 # a heading over adjacent columns of the same group


@dataclass
class Sheet:
    """One worksheet: its columns and rows, and what its title row says (the workbook's
    title when empty)."""
    columns: list[Column]
    rows: list[list]
    title: str = ""
    notes: list[str] = field(default_factory=list)   # lines under the table (units, rules)


def safe_text(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def cn_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def bureau() -> str:
    """The issuing body the bureau's exports name: the bulletin's (config REPORT_ISSUER)."""
    from flask import current_app, has_app_context
    if has_app_context() and current_app.config.get("REPORT_ISSUER"):
        return current_app.config["REPORT_ISSUER"]
    return "石家庄市投资促进局"


def display_width(text: str) -> float:
    """Width in Excel's column units (a digit's width at 11 points): a CJK character is two."""
    return sum(1.0 if ord(ch) < 0x1100 else 2.0 for ch in text)


def lines_needed(text: str, width: float) -> int:
    room = max(width - 1.2, 1.0)
    return sum(max(1, math.ceil(display_width(part) * 1.08 / room)) for part in str(text).split("\n"))


def workbook(sheets: dict[str, Sheet | tuple[list[Column], list[list]]], *, title: str = "",
             as_of: date | None = None, issuer: str = "") -> bytes:
    """`sheets` by sheet name; `title`, `as_of` and `issuer` head every sheet. A sheet's rows
    may be any iterable (the audit trail streams them): the workbook is written row by row."""
    # Imported when a sheet is written: it adds a second to every command's start.
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, content in sheets.items():
        sheet = content if isinstance(content, Sheet) else Sheet(*content)
        heading = sheet.title or (f"{title}（{name}）" if title and len(sheets) > 1 and name not in title
                                  else title or name)
        _write(book.create_sheet(name), sheet, heading, as_of, issuer)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write(ws, sheet: Sheet, heading: str, as_of: date | None, issuer: str) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.properties import PageSetupProperties

    columns = sheet.columns
    n = max(len(columns), 1)
    thin = Side(style="thin", color="000000")
    ruled = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_font = Font(name=FONT, size=11, bold=True)
    head_fill = PatternFill("solid", fgColor="EDEDED")
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def cell(value, **style):
        c = WriteOnlyCell(ws, value=value)
        for key, v in style.items():
            setattr(c, key, v)
        return c

    def styled_like(template):
        """A cell maker copying a template cell's style ids: setting styles cell by cell
        hashes them each time, which costs more than writing the sheet."""
        style = template._style

        def make(value):
            c = WriteOnlyCell(ws, value=value)
            c._style = copy(style)
            return c
        return make

    def merge(r1, c1, r2, c2):
        ws.merged_cells.add(CellRange(min_row=r1, min_col=c1, max_row=r2, max_col=c2))

    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        # Also for cells typed in later (a template), e.g. 项目编号 001 stays text.
        ws.column_dimensions[letter].number_format = FORMATS[column.kind]

    # Written with the first row, so set before it.
    top = 3
    grouped = any(c.group for c in columns)
    first_data = top + (2 if grouped else 1)
    ws.freeze_panes = f"A{first_data}"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)

    # Title and the line naming who issues it and as of when.
    ws.row_dimensions[1].height = 30
    ws.append([cell(heading, font=Font(name=FONT, size=16, bold=True),
                    alignment=Alignment(horizontal="center", vertical="center"))])
    merge(1, 1, 1, n)
    byline = "　　".join(x for x in (f"制表单位：{issuer}" if issuer else "",
                                     f"数据截至：{cn_date(as_of)}" if as_of else "") if x)
    ws.row_dimensions[2].height = 20
    ws.append([cell(byline, font=Font(name=FONT, size=11),
                    alignment=Alignment(horizontal="right" if n > 3 else "left", vertical="center"))])
    merge(2, 1, 2, n)

    # Header: one row, or two when columns are grouped (a group's name over its columns,
    # an ungrouped column's name across both rows). Every line of every header shows.

    def head(value):
        return cell(value, font=head_font, fill=head_fill, alignment=centred, border=ruled)

    if grouped:
        def group_width(c):
            return sum(x.width for x in columns if x.group == c.group)
        first = max(lines_needed(c.group, group_width(c)) if c.group else 1 for c in columns)
        second = max((lines_needed(c.header, c.width) for c in columns if c.group), default=1)
        tallest = max((lines_needed(c.header, c.width) for c in columns if not c.group), default=1)
        second = max(second, tallest - first)
        ws.row_dimensions[top].height = first * HEADER_LINE + 6
        ws.row_dimensions[top + 1].height = second * HEADER_LINE + 6
        ws.append([head(None if c.group and i and columns[i - 1].group == c.group else c.group or c.header)
                   for i, c in enumerate(columns)])
        ws.append([head(c.header if c.group else None) for c in columns])
        start = 0
        while start < n:
            c, end = columns[start], start
            while c.group and end + 1 < n and columns[end + 1].group == c.group:
                end += 1
            if c.group and end > start:
                merge(top, start + 1, top, end + 1)
            elif not c.group:
                merge(top, start + 1, top + 1, start + 1)
            start = end + 1
    else:
        ws.row_dimensions[top].height = max(lines_needed(c.header, c.width) for c in columns) * HEADER_LINE + 6
        ws.append([head(c.header) for c in columns])

    # Rows, ruled, each column in its number format; long text wraps.
    wraps = Alignment(vertical="center", wrap_text=True)
    middle = Alignment(vertical="center")
    body_font = Font(name=FONT, size=11)
    makers = [styled_like(cell(None, number_format=FORMATS[c.kind], border=ruled, font=body_font,
                               alignment=wraps if c.kind == "text" and c.width >= 20 else middle))
              for c in columns]
    # Row heights where wrapped text needs more than a line: spreadsheet programs keep the
    # default height of a row the file does not size (LibreOffice does), hiding the rest.
    wrapped = [(i, c.width) for i, c in enumerate(columns) if c.kind == "text" and c.width >= 20]
    count = 0
    for row in sheet.rows:
        lines = max((lines_needed(row[i], width) for i, width in wrapped if isinstance(row[i], str) and row[i]),
                    default=1)
        if lines > 1:
            ws.row_dimensions[first_data + count].height = lines * HEADER_LINE + 3
        ws.append([make(safe_text(v)) for v, make in zip(row, makers)])
        count += 1
    for note in sheet.notes:
        ws.append([cell(note, font=Font(name=FONT, size=10))])

    for index, column in enumerate(columns, start=1):
        if column.choices:
            letter = get_column_letter(index)
            validation = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"',
                                        allow_blank=True, showErrorMessage=False)
            validation.add(f"{letter}{first_data}:{letter}{max(count, CHOICE_ROWS) + first_data - 1}")
            ws.data_validations.append(validation)

    # Print set-up: A4 landscape, one page wide and as many tall as needed, header rows on
    # every page, page numbers in the footer.
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3
    ws.print_title_rows = f"{top}:{first_data - 1}"
    for footer in (ws.oddFooter, ws.evenFooter):
        footer.center.text = FOOTER
        footer.center.size = 10


def xlsx_response(content: bytes, filename: str) -> Response:
    from urllib.parse import quote
    return Response(content, mimetype=XLSX, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})


def wan(amount: Decimal | None) -> Decimal | None:
    """An amount in 万 (元 or 美元), exact; the sheet shows it with two decimals."""
    return None if amount is None else amount / 10_000


def tenths(value) -> Decimal:
    """A Fraction to one decimal, rounded as the screens round it (half away from zero)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
