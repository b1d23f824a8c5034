"""Online backup and restore: SQLite through its backup API, PostgreSQL through pg_dump.

A backup is taken while the app runs (readers and writers carry on). Restore replaces the
whole database with the backup; operators stop the app servers first. The database password
reaches pg_dump/pg_restore in the environment (PGPASSWORD), never on the command line where
the process list shows it; a backup file is created readable by its owner only (0600).
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from .extensions import db


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message is for the operator, in Chinese."""


def create_private(path: Path | str) -> None:
    """Create (or empty) `path` with mode 0600 before anything is written into it."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def backup(out: Path) -> str:
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        source = _sqlite_path(url)
        create_private(out)
        with sqlite3.connect(source) as src, sqlite3.connect(out) as dst:
            src.backup(dst)
        os.chmod(out, 0o600)
        return "sqlite"
    if url.get_backend_name() == "postgresql":
        create_private(out)
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={out}", _libpq(url)], "pg_dump", url)
        os.chmod(out, 0o600)
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
              f"--dbname={_libpq(url)}", str(source)], "pg_restore", url)
        _hand_back_purge_function()
        return
    raise BackupError(f"不支持的数据库类型：{url.get_backend_name()}")


def _hand_back_purge_function() -> None:
    """--no-owner left the audit purge function owned by whoever restored it; it must run as
    zonecrm_audit_purger, the one role the audit trigger lets delete (migrations 0008, 0025)."""
    from sqlalchemy import text
    with db.engine.begin() as conn:
        exists = conn.execute(text("SELECT to_regprocedure('zonecrm_audit_purge(date, text)') IS NOT NULL")).scalar()
        if not exists:
            return
        try:
            conn.execute(text("ALTER FUNCTION zonecrm_audit_purge(date, text) OWNER TO zonecrm_audit_purger"))
        except Exception as error:  # noqa: BLE001  (the operator is told what to run)
            raise BackupError("数据已恢复，但审计清理函数的所有者未能改回 zonecrm_audit_purger，请由数据库管理员执行："
                              "ALTER FUNCTION zonecrm_audit_purge(date, text) OWNER TO zonecrm_audit_purger"
                              f"（{str(error).splitlines()[0][:200]}）") from None


def _sqlite_path(url) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("内存数据库无法备份")
    return url.database


def _libpq(url) -> str:
    """The SQLAlchemy URL as libpq understands it (no driver suffix), without the password."""
    return make_url(url).set(drivername="postgresql")._replace(password=None).render_as_string(hide_password=False)


def _run(command: list[str], tool: str, url=None) -> None:
    if shutil.which(tool) is None:
        raise BackupError(f"未找到 {tool}，请安装 PostgreSQL 客户端（Debian：postgresql-client）")
    env = dict(os.environ)
    password = make_url(url).password if url is not None else None
    if password:
        env["PGPASSWORD"] = str(password)
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise BackupError(f"{tool} 失败：{result.stderr.strip()[:500]}")
