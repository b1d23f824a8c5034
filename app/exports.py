"""Tables to .xlsx: Chinese headers, a frozen header row, widths and ledger number formats.

Amounts stay Decimal all the way into the sheet's XML. Text that a spreadsheet would read
as a formula (= + - @, tab, carriage return) is neutralised with a leading apostrophe.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask import Response

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {"int": "#,##0", "wan": "#,##0.00", "amount": "#,##0.00####", "decimal1": "0.0", "percent": "0.0%",
           "date": "yyyy-mm-dd", "text": "@"}
# Rows a column's drop-down list (Column.choices) covers, for sheets people fill in.
CHOICE_ROWS = 5000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"
    width: int = 12
    choices: tuple[str, ...] = ()   # a drop-down list offered in the column's cells


def safe_text(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def workbook(sheets: dict[str, tuple[list[Column], list[list]]]) -> bytes:
    # Imported when a sheet is written: together they add a second to every command's start.
    import pandas as pd
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, (columns, rows) in sheets.items():
            frame = pd.DataFrame([[safe_text(v) for v in row] for row in rows],
                                 columns=[c.header for c in columns], dtype=object)
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            for index, column in enumerate(columns, start=1):
                letter = sheet.cell(row=1, column=index).column_letter
                sheet.column_dimensions[letter].width = column.width
                # Also for cells typed in later (a template), e.g. 项目编号 001 stays text.
                sheet.column_dimensions[letter].number_format = FORMATS[column.kind]
                if column.choices:
                    validation = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"',
                                                allow_blank=True, showErrorMessage=False)
                    validation.add(f"{letter}2:{letter}{max(len(rows) + 1, CHOICE_ROWS)}")
                    sheet.add_data_validation(validation)
                header = sheet.cell(row=1, column=index)
                header.font = Font(bold=True)
                header.fill = PatternFill("solid", fgColor="F0F4F8")
                header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                for row in range(2, len(rows) + 2):
                    sheet.cell(row=row, column=index).number_format = FORMATS[column.kind]
    return buffer.getvalue()


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
