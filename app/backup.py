"""Online backup and restore: SQLite through its backup API, PostgreSQL through pg_dump.

A backup is taken while the app runs (readers and writers carry on). Restore replaces the
whole database with the backup; operators stop the app servers first.
"""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from .extensions import db


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message is for the operator, in Chinese."""


def backup(out: Path) -> str:
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        source = _sqlite_path(url)
        with sqlite3.connect(source) as src, sqlite3.connect(out) as dst:
            src.backup(dst)
        return "sqlite"
    if url.get_backend_name() == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={out}", _libpq(url)], "pg_dump")
        return "postgresql"
    raise BackupError(f"不支持的数据库类型：{url.get_backend_name()}")


def restore(source: Path) -> None:
    if not source.is_file():
        raise BackupError(f"备份文件不存在：{source}")
    url = db.engine.url
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        with source.open("rb") as f:
            if f.read(16) != b"SQLite format 3\x00":
                raise BackupError("该文件不是 SQLite 备份")
        with sqlite3.connect(source) as src, sqlite3.connect(_sqlite_path(url)) as dst:
            src.backup(dst)
        return
    if url.get_backend_name() == "postgresql":
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_libpq(url)}", str(source)], "pg_restore")
        return
    raise BackupError(f"不支持的数据库类型：{url.get_backend_name()}")


def _sqlite_path(url) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("内存数据库无法备份")
    return url.database


def _libpq(url) -> str:
    """The SQLAlchemy URL as libpq understands it (no driver suffix)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str], tool: str) -> None:
    if shutil.which(tool) is None:
        raise BackupError(f"未找到 {tool}，请安装 PostgreSQL 客户端（Debian：postgresql-client）")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{tool} 失败：{result.stderr.strip()[:500]}")
