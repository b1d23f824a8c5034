"""Database behaviour that must hold on every connection."""
import os
from operator import itemgetter

from flask import Flask
from sqlalchemy import Integer, bindparam, cast, event, func, insert, literal, select
from sqlalchemy.dialects.postgresql import ARRAY

from .extensions import db


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _create_private_sqlite_file(engine.url.database)
            event.listen(engine, "connect", _sqlite_pragmas)


def _create_private_sqlite_file(path: str | None) -> None:
    """A new SQLite database file is created readable by its owner only (0600); its -wal and
    -shm files take the same mode from it."""
    if not path or path == ":memory:" or path.startswith("file:") or os.path.exists(path):
        return
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        return
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers work while a contact is written; busy_timeout makes concurrent
    # writers wait instead of failing; SQLite leaves foreign keys off unless asked.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def year_of(column):
    """The calendar year of a DATE column, as an integer, on SQLite and PostgreSQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(func.extract("year", column), Integer)
    return cast(func.strftime("%Y", column), Integer)


def insert_ids(table, rows: list[dict]) -> list[int]:
    """Insert rows into a table with an integer `id` key; returns their ids, in order.

    The ids are taken first and the rows inserted with them, so the insert itself is a plain
    executemany: asking for ids back in parameter order would cost a statement per row on
    SQLite, and on PostgreSQL a multi-row INSERT whose every placeholder psycopg parses in
    Python. PostgreSQL hands out the ids from the table's sequence. On SQLite the first row
    is inserted alone and the others get the ids after its own: from that insert on this
    transaction holds SQLite's one write lock, and SQLite gives a new row an id above every
    id in the table, so the ids after it are free (were one taken, the key would refuse it).
    """
    if not rows:
        return []
    if db.session.get_bind().dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(literal(table.name), literal("id"))
        ids = db.session.scalars(select(func.nextval(sequence)).select_from(
            func.generate_series(1, len(rows)))).all()
        insert_rows(table, [{**row, "id": row_id} for row, row_id in zip(rows, ids)])
        return ids
    first = db.session.execute(insert(table).returning(table.c.id), rows[0]).scalar_one()
    ids = list(range(first, first + len(rows)))
    if len(rows) > 1:
        insert_rows(table, [{**row, "id": row_id} for row, row_id in zip(rows[1:], ids[1:])])
    return ids


def any_of(column, values):
    """column IN values, for a long list. On PostgreSQL the values go as one array parameter
    (psycopg parses every placeholder of a statement in Python) and are unnested into a
    subquery the planner can hash: matched row by row against the array, a batch's look-up
    grew with every row the import had written before it."""
    if db.session.get_bind().dialect.name == "postgresql":
        return column.in_(select(func.unnest(bindparam(None, list(values), type_=ARRAY(column.type)))))
    return column.in_(values)


COPY_FROM = 100   # rows from which an insert goes to the driver directly (COPY on PostgreSQL)


def insert_rows(table, rows: list[dict]) -> None:
    """Insert rows (each with the keys of the first) in the session's transaction.

    A batch of COPY_FROM rows or more goes to the driver directly, with the columns' Python
    defaults and bind processing applied as an INSERT would: COPY on PostgreSQL (psycopg),
    the driver's executemany on SQLite. Either skips SQLAlchemy's per-row parameter handling,
    which cost more than the database's own work. A smaller batch is one executemany INSERT.
    """
    if not rows:
        return
    if len(rows) < COPY_FROM or any(
            column.default is not None and column.default.is_clause_element for column in table.columns):
        db.session.execute(insert(table), rows)
        return
    from . import data_version
    connection = db.session.connection()
    dialect = connection.dialect
    keys = list(rows[0])
    defaults = [column for column in table.columns
                if column.key not in keys and column.default is not None and not column.default.is_sequence]
    columns = [table.c[key] for key in keys] + defaults
    processors = [_faster(column, dialect, column.type._cached_bind_processor(dialect)) for column in columns]
    names = ", ".join(dialect.identifier_preparer.quote(column.name) for column in columns)
    name = dialect.identifier_preparer.format_table(table)

    # The batch is one statement: its rows share what a default gives (a callable one is the
    # time: the same for all, as SQL's CURRENT_TIMESTAMP is), made and bound once, not per row.
    filled = []
    for column, process in zip(defaults, processors[len(keys):]):
        value = column.default.arg(None) if column.default.is_callable else column.default.arg
        filled.append(process(value) if process is not None and value is not None else value)
    processed = [(i, process) for i, process in enumerate(processors[:len(keys)]) if process is not None]

    pick = itemgetter(*keys) if len(keys) > 1 else (lambda row, key=keys[0]: (row[key],))

    def values():
        for row in rows:
            found = [*pick(row), *filled]
            for i, process in processed:
                value = found[i]
                if value is not None:
                    found[i] = process(value)
            yield found

    driver = connection.connection.driver_connection
    if dialect.name == "postgresql":
        with driver.cursor() as cursor:
            with cursor.copy(f"COPY {name} ({names}) FROM STDIN") as copy:
                for row in values():
                    copy.write_row(row)
    else:
        cursor = driver.cursor()
        try:
            cursor.executemany(f"INSERT INTO {name} ({names}) VALUES ({', '.join('?' * len(columns))})", values())
        finally:
            cursor.close()
    if table.name in data_version.DATA_TABLES:   # the driver's statements are not ones the session sees
        db.session.info[data_version.CHANGED] = True


def _faster(column, dialect, process):
    """SQLite's date and datetime bind processors, as isoformat() gives their text (the same
    text, a fifth of the time) for a plain date or naive datetime; anything else as before."""
    if process is None or dialect.name != "sqlite":
        return process
    from datetime import date, datetime

    from sqlalchemy.dialects.sqlite import DATE, DATETIME
    impl = column.type.dialect_impl(dialect)
    if isinstance(impl, DATE) and impl._storage_format == DATE._storage_format:
        def as_date(value):
            return value.isoformat() if type(value) is date else process(value)
        return as_date
    if isinstance(impl, DATETIME) and impl._storage_format == DATETIME._storage_format:
        def as_datetime(value):
            if type(value) is datetime and value.tzinfo is None:
                return value.isoformat(" ", "microseconds")
            return process(value)
        return as_datetime
    return process
