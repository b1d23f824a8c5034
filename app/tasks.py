"""The worker's face: the tasks of the queue (app/queue.py), each a thin call into the core.

Like the pages and the commands, a task only parses what it was given and calls the core; what
it did is in the database. `flask worker` runs them, with the periodic ones on its schedule:
  - every minute, give up the import steps whose worker died (no heartbeat) and say so;
  - every hour, delete the uploaded files never imported within a day;
  - every morning at 07:00, the day's reminders (next steps due, falling behind pace) and
    their delivery by the channels the admin configured (idempotent per day);
  - every night at 02:30, a backup into BACKUP_DIR when that is configured.
The hours are the users' (TIME_ZONE, Beijing time by default), whatever the server's clock says.
"""
from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from huey import crontab

from .queue import huey, in_app
from . import clock

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- imports

@huey.task(name="import.check")
@in_app
def import_check(job_id: int, today: str | None = None) -> None:
    from .imports.jobs import run_check
    run_check(job_id, date.fromisoformat(today) if today else None)


@huey.task(name="import.commit")
@in_app
def import_commit(job_id: int, user_id: int | None, today: str | None = None) -> None:
    from .imports.jobs import run_commit
    run_commit(job_id, user_id, date.fromisoformat(today) if today else None)


# ---------------------------------------------------------------- the schedule

def local_crontab(**fields):
    """A crontab read on the users' clock: huey hands the schedule UTC times (utc=True), and
    07:00 means seven in the morning in TIME_ZONE, not 15:00 Beijing time on a UTC server."""
    matches = crontab(**fields)

    def validate(timestamp: datetime) -> bool:
        return matches(clock.local(timestamp))
    return validate


@huey.periodic_task(local_crontab(minute="*"), name="import.reap_stale")
@in_app
def reap_stale_imports() -> int:
    from .imports.jobs import reap_stale
    return reap_stale()


@huey.periodic_task(local_crontab(minute="17"), name="import.delete_stale_uploads")
@in_app
def delete_stale_uploads() -> int:
    from .imports.jobs import delete_stale_uploads as delete
    deleted = delete()
    if deleted:
        log.info("deleted %s uploaded files never imported", deleted)
    return deleted


@huey.periodic_task(local_crontab(hour="7", minute="0"), name="notify.daily")
@in_app
def daily_reminders() -> None:
    from .extensions import db
    from .services.notifications import run_daily_checks
    result = run_daily_checks(clock.today())
    db.session.commit()
    for failure in result.failed:
        log.warning("notification not delivered: %s", failure)


@huey.periodic_task(local_crontab(hour="2", minute="30"), name="backup.nightly")
@in_app
def nightly_backup() -> Path | None:
    """A backup into BACKUP_DIR (when configured), keeping the newest BACKUP_KEEP files."""
    folder = current_app.config.get("BACKUP_DIR")
    if not folder:
        return None
    from . import audit
    from .backup import backup
    from .extensions import db
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"zonecrm-{clock.now():%Y%m%d-%H%M%S}.backup"
    kind = backup(out)
    audit.record("backup", "database", None, after={"file": str(out), "kind": kind, "by": "schedule"})
    db.session.commit()
    keep = max(int(current_app.config.get("BACKUP_KEEP", 7)), 1)
    for old in sorted(folder.glob("zonecrm-*.backup"))[:-keep]:
        old.unlink(missing_ok=True)
    return out
