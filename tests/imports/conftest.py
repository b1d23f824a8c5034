"""Helpers for the import tests: files as zones write them, and running an import."""
import csv
import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from app.domain import ledger as L
from app.imports.ledger_import import import_ledger
from app.imports.reader import Limits, read_book
from app.imports.summary import format_summary

PROJECT_HEADERS = [c.header for c in L.PROJECT_COLUMNS]
CONTACT_HEADERS = [c.header for c in L.CONTACT_COLUMNS]


def xlsx_bytes(sheets: dict) -> bytes:
    """A workbook with the given sheets: {name: [row, row, ...]}, written cell by cell."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def project_row(**values) -> list:
    """A 项目台账 row in the template's column order; keys are LedgerColumn keys."""
    base = {"name": "新能源电池项目", "investor": "北京华创科技有限公司"}
    base.update(values)
    return [base.get(c.key, "") for c in L.PROJECT_COLUMNS]


def contact_row(**values) -> list:
    base = {"occurred_on": "2024-03-01", "name": "新能源电池项目", "leaders": "张伟", "form": "外出拜访",
            "summary": "介绍园区政策"}
    base.update(values)
    return [base.get(c.key, "") for c in L.CONTACT_COLUMNS]


def ledger_file(projects=(), contacts=None) -> bytes:
    sheets = {L.PROJECT_SHEET: [PROJECT_HEADERS, *projects]}
    if contacts is not None:
        sheets[L.CONTACT_SHEET] = [CONTACT_HEADERS, *contacts]
    return xlsx_bytes(sheets)


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def read_sheet(content: bytes, name: str) -> list[list]:
    sheet = load_workbook(io.BytesIO(content))[name]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


@pytest.fixture
def run_import(db, today):
    """Import a file into a zone the way the command line does; returns the summary."""
    run_today = today

    def run(zone, content, *, name="台账.xlsx", dry_run=False, user=None, today=None, progress=None, columns=None,
            decisions=None):
        limits = Limits()
        sheets = read_book(name, content, limits)
        try:
            summary = import_ledger(zone, sheets, user, dry_run=dry_run, max_rows=limits.max_rows,
                                    file_info={"name": name}, today=today or run_today, progress=progress,
                                    columns=columns, decisions=decisions)
        except Exception:
            db.session.rollback()
            raise
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
        summary["text"] = "\n".join(format_summary(summary))
        return summary
    return run


@pytest.fixture
def snapshot(db):
    """Every row of every table but the import jobs, to prove an import wrote nothing."""
    def take():
        db.session.expire_all()
        tables = {}
        for table in db.metadata.sorted_tables:
            if table.name == "import_jobs":
                continue
            rows = db.session.execute(select(table)).all()
            tables[table.name] = sorted((tuple(str(v) for v in row) for row in rows))
        return tables
    return take


def errors_of(summary) -> list[tuple]:
    return [(e["sheet"], e["row"], e["column"], e["message"]) for e in summary["errors"]]
