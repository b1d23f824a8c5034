"""The task queue: long work (imports, builds, scheduled jobs) runs in a worker, off the request.

huey keeps the queue: in a SQLite file under instance/ by default (one machine, nothing more to
run), in Redis when REDIS_URL (or QUEUE_URL) is set (workers on other hosts), and "immediate"
in the tests (a task runs at once, inside the caller). The tasks themselves are in app/tasks.py;
`flask worker` runs them. A task never hands its result back through the queue: what it did is
written to the database (the import job's row), where any app server reads it.
"""
from __future__ import annotations

import functools
from pathlib import Path

from flask import Flask, has_app_context
from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

QUEUE_NAME = "zonecrm"

# Tasks are bound to this one instance when app/tasks.py is imported; init_app points it at the
# configured storage. Results are not kept: callers read the database.
huey = Huey(QUEUE_NAME, results=False, utc=True, storage_class=MemoryStorage)

_app: Flask | None = None


def init_app(app: Flask) -> None:
    """Point the queue at the app's storage; the tasks of this process run in this app."""
    global _app
    _app = app
    url = app.config["QUEUE_URL"]
    if url == "immediate":
        huey.immediate = True
        return
    huey.immediate = False
    huey.storage = storage_for(url, app.instance_path)


def storage_for(url: str, instance_path: str):
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisStorage(QUEUE_NAME, url=url)
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteStorage(QUEUE_NAME, filename=str(path))
    raise RuntimeError(f"无法识别的任务队列地址 QUEUE_URL：{url}（应为 redis://… 或 sqlite:///…）")


def describe() -> str:
    """Where the queue is, for the worker's first line (no password)."""
    storage = huey.storage
    if isinstance(storage, SqliteStorage):
        return f"SQLite {storage.filename}"
    if isinstance(storage, RedisStorage):
        kwargs = storage.conn.connection_pool.connection_kwargs
        return f"Redis {kwargs.get('host', '')}:{kwargs.get('port', '')}/{kwargs.get('db', 0)}"
    return type(storage).__name__


def in_app(func):
    """Run a task inside the app: the caller's (immediate mode, a request) or the worker's own,
    with a session of its own that is closed afterwards."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if has_app_context():
            return func(*args, **kwargs)
        if _app is None:
            raise RuntimeError("the task queue has no app: create_app() first")
        from .extensions import db
        with _app.app_context():
            try:
                return func(*args, **kwargs)
            finally:
                db.session.remove()
    return wrapper
