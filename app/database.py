"""Database behaviour that must hold on every connection."""
from flask import Flask
from sqlalchemy import event


def init_app(app: Flask) -> None:
    with app.app_context():
        from .extensions import db
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)


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
    from sqlalchemy import Integer, cast, func

    from .extensions import db
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(func.extract("year", column), Integer)
    return cast(func.strftime("%Y", column), Integer)
