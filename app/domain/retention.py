"""How long the audit trail is kept (MLPS 2.0 level 3: at least 180 days). No Flask."""
from __future__ import annotations

from datetime import date, timedelta

from .errors import UserFacingError

RETENTION_DAYS = 180


class RetentionError(UserFacingError):
    """A purge that would delete records younger than the retention period."""


def earliest_purge_cutoff(today: date) -> date:
    """The latest `--before` date a purge may use: everything younger is kept."""
    return today - timedelta(days=RETENTION_DAYS)


def check_purge_cutoff(before: date, today: date) -> None:
    """Refuse a cutoff that would delete records less than RETENTION_DAYS days old."""
    latest = earliest_purge_cutoff(today)
    if before > latest:
        raise RetentionError(
            f"审计记录至少保留 {RETENTION_DAYS} 天：只能清理 {latest.isoformat()} 之前的记录，"
            f"不能清理到 {before.isoformat()}")
