"""What the reader gives for each kind of cell of an .xlsx, read with calamine directly (no
DataFrame): the values pandas' calamine engine gave before, so that locating and planning read
every file as they did (issue 20)."""
import io
from datetime import datetime, time

from openpyxl import Workbook

from app.imports.reader import Limits, read_book


def workbook(build) -> bytes:
    book = Workbook()
    build(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_cells_read_as_the_spreadsheet_holds_them():
    def build(book):
        sheet = book.active
        sheet.title = "项目台账"
        sheet["B2"] = "项目名称"
        sheet["C2"] = 1200.0            # a whole number stored as a float
        sheet["D2"] = 12.5
        sheet["E2"] = datetime(2024, 3, 5)
        sheet["F2"] = datetime(2024, 3, 5, 9, 30)
        sheet["G2"] = True
        sheet["H2"] = time(10, 5)
    (sheet,) = read_book("台账.xlsx", workbook(build), Limits())
    assert sheet.name == "项目台账"
    # Row 1 and column A are blank but kept: rows[0] is the sheet's row 1, and cells keep their columns.
    assert sheet.rows == [["", "", "", "", "", "", "", ""],
                          ["", "项目名称", 1200, 12.5, datetime(2024, 3, 5), datetime(2024, 3, 5, 9, 30), True,
                           time(10, 5)]]
    assert type(sheet.rows[1][2]) is int


def test_blank_sheets_and_blank_rows_after_the_last_cell():
    def build(book):
        book.active["A1"] = "对接记录"
        book.active["A2"] = None
        book.create_sheet("空白")
    first, empty = read_book("台账.xlsx", workbook(build), Limits())
    assert first.rows == [["对接记录"]]
    assert empty.name == "空白" and empty.rows == []
