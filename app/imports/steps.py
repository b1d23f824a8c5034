"""The web's steps of an import job, shared by every page that imports a file (the zone's
ledger, the monthly indicators): take the upload, queue its dry run, queue its import. The
steps run on the queue (app/tasks.py); the pages follow the progress the worker writes."""
from flask import current_app, flash, request
from flask_login import current_user
from sqlalchemy.exc import OperationalError

from app import tasks
from app.extensions import db
from app.models import ImportJob, Zone

from .jobs import JobStateError, check_quota, create_job, start_check, start_commit
from .reader import ImportFileError, Limits, file_kind

SHOWN_ERRORS = 200
# SQLite has one writer: while another zone's import writes, this step could not start.
BUSY = "系统正忙（另一项导入正在写入），未作任何改动，请稍后重试"


def receive_upload(zone: Zone | None, kind: str) -> ImportJob:
    """The posted file as a new job of `kind`, committed; ImportFileError says in Chinese why not."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ImportFileError("请选择要导入的文件")
    limits = Limits.from_config(current_app.config)
    content = upload.read(limits.max_bytes + 1)
    file_kind(upload.filename, content, limits)
    check_quota(current_user, len(content))
    job = create_job(zone, current_user, upload.filename, content, kind=kind)
    db.session.commit()
    return job


def queue_check(job_id: int) -> None:
    """Queue the dry run; a second click or a busy database is told as a flash, nothing changed."""
    if _started(start_check, job_id):
        tasks.import_check(job_id)


def queue_commit(job_id: int, reason: str = "") -> None:
    """Queue the import of a checked file (with the reason for the figures it corrects, if any)."""
    if _started(start_commit, job_id, reason):
        tasks.import_commit(job_id, current_user.id)


def _started(start, *args) -> bool:
    try:
        start(*args)
    except JobStateError as error:
        flash(str(error), "error")
    except OperationalError:
        db.session.rollback()
        flash(BUSY, "error")
    else:
        return True
    return False
