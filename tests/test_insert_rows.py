"""insert_rows hands a batch to the driver directly (COPY on PostgreSQL, executemany on SQLite):
the values stored are those an INSERT through SQLAlchemy stores (issue 20)."""
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Column, Date, DateTime
from sqlalchemy.dialects import sqlite

from app.database import _faster


@pytest.mark.parametrize("column, values", [
    (Column("on", Date), [date(2024, 3, 5), date(999, 1, 2), datetime(2024, 3, 5, 10, 1)]),
    (Column("at", DateTime), [datetime(2024, 3, 5, 1, 2, 3), datetime(2024, 3, 5, 1, 2, 3, 45), datetime(5, 1, 1),
                              date(2024, 1, 1), datetime(2024, 1, 1, tzinfo=UTC)]),
])
def test_sqlite_dates_as_sqlalchemy_writes_them(column, values):
    dialect = sqlite.dialect()
    usual = column.type._cached_bind_processor(dialect)
    faster = _faster(column, dialect, usual)
    assert faster is not usual
    assert [faster(v) for v in values] == [usual(v) for v in values]
