"""Import jobs: an uploaded file kept in the database, checked (the dry run), then committed.

Each step is started by the page (start_check, start_commit: the job is marked queued, one
running step per zone) and run by a worker of the task queue (run_check, run_commit, through
app/tasks.py). Its progress is committed on a connection of its own, so a poll answered by any
app server sees it while the import's own transaction stays all-or-nothing; a thread beside the
work repeats the last progress every IMPORT_HEARTBEAT_SECONDS, so a step whose worker was killed
falls silent and is given up (reap_stale): its transaction died with it, nothing is written.
SQLite allows one writer at a time: while an import holds the write lock its progress goes to a
small file beside the database instead (a SQLite database is on one host anyway), and the poll
reads whichever is newer.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.models import ImportJob, User, Zone
from app.models.types import MAX_ID
from app.clock import utcnow
from app.queries.scope import acts_for, zone_of

from .duplicates import decisions_of
from .indicators_import import INDICATORS, import_indicators
from .ledger_import import import_ledger
from .reader import ImportFileError, Limits, read_book
from .writing import ImportAborted

log = logging.getLogger(__name__)


class JobStateError(RuntimeError):
    """A step asked of a job in the wrong state (a second click, a second tab)."""


def recent_jobs(user: User, limit: int = 10, kind: str = "ledger") -> list[ImportJob]:
    """The recent uploads of one kind a user acts for: their zone's (the bureau's city-wide
    indicator uploads have no zone)."""
    return db.session.scalars(select(ImportJob).where(acts_for(user, ImportJob.zone_id), ImportJob.kind == kind)
                              .order_by(ImportJob.id.desc()).limit(limit)).all()


def own_job(job_id: int, kind: str, user: User, fresh: bool = False) -> ImportJob | None:
    """An upload of `kind` the user acts for (as `recent_jobs` lists them), else None."""
    if not 0 < job_id <= MAX_ID:
        return None
    job = db.session.get(ImportJob, job_id, populate_existing=fresh)
    return job if job is not None and job.kind == kind and job.zone_id == zone_of(user) else None


def file_info(job: ImportJob) -> dict:
    return {"name": job.file_name, "size": job.size, "sha256": job.sha256}




def stored_bytes(user_id: int) -> int:
    """What the user's uploads still kept in the database (not yet imported or failed) weigh."""
    return db.session.scalar(select(func.coalesce(func.sum(ImportJob.size), 0)).where(
        ImportJob.user_id == user_id, ImportJob.content.is_not(None))) or 0


def check_quota(user: User, size: int) -> None:
    """Refuse an upload that would take the user's stored uploads past IMPORT_USER_QUOTA."""
    quota = current_app.config["IMPORT_USER_QUOTA"]
    kept = stored_bytes(user.id)
    if kept + size > quota:
        from .reader import megabytes
        raise ImportFileError(f"您已上传但尚未导入的文件共 {megabytes(kept)}，再加上本文件将超过每人 {megabytes(quota)} 的上限；"
                              f"请先完成或放弃之前的导入（未导入的文件一天后自动删除）")


def create_job(zone: Zone | None, user: User | None, file_name: str, content: bytes,
               kind: str = "ledger") -> ImportJob:
    job = ImportJob(kind=kind, zone_id=zone.id if zone is not None else None, user_id=user.id if user else None,
                    file_name=(file_name or "")[:255],
                    size=len(content), sha256=hashlib.sha256(content).hexdigest(), content=content, status="uploaded")
    db.session.add(job)
    db.session.flush()
    return job


class JobProgress:
    """Writes a job's progress, committed at once on its own connection (or the side file), and
    repeats the last one every `heartbeat` seconds from a thread until closed."""

    def __init__(self, job_id: int, to_file: bool = False, heartbeat: float | None = None):
        self.job_id, self.to_file, self.closed = job_id, to_file, False
        self.engine, self.path = db.engine, progress_file(job_id)
        self.last = ("", 0, 0)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._beat = None
        if heartbeat:
            self._beat = threading.Thread(target=self._beating, args=(heartbeat,), daemon=True,
                                          name=f"import-{job_id}-heartbeat")
            self._beat.start()

    def _beating(self, every: float) -> None:
        while not self._stop.wait(every):
            try:
                self(*self.last)
            except Exception:  # a missed heartbeat is not worth stopping the work for
                log.exception("import %s: heartbeat failed", self.job_id)

    def __call__(self, phase: str, done: int, total: int) -> None:
        with self._lock:
            if self.closed:
                return
            self.last = (phase, done, total)
            self._write(phase, done, total)

    def _write(self, phase: str, done: int, total: int) -> None:
        if not self.to_file:
            try:
                with self.engine.begin() as conn:
                    conn.execute(update(ImportJob).where(ImportJob.id == self.job_id).values(
                        progress_phase=phase, progress_done=done, progress_total=total, progress_at=utcnow()))
                return
            except OperationalError:
                # SQLite busy with another writer (another zone's import): progress is not worth
                # failing for, nor waiting on; report through the side file from here on.
                log.info("import %s: progress row busy, using the side file", self.job_id)
                self.to_file = True
        if self.to_file:
            path = self.path
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"phase": phase, "done": done, "total": total}))
            os.replace(tmp, path)

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            self.closed = True
        if self._beat is not None and self._beat is not threading.current_thread():
            self._beat.join()
        self.path.unlink(missing_ok=True)


def progress_file(job_id: int) -> Path:
    return Path(current_app.config["IMPORT_PROGRESS_DIR"]) / f"{job_id}.json"


def progress_of(job: ImportJob) -> dict:
    phase, done, total = job.progress_phase, job.progress_done, job.progress_total
    error = job.error
    running = job.status in ("checking", "importing")
    if running:
        try:
            side = json.loads(progress_file(job.id).read_text())
            phase, done, total = side["phase"], side["done"], side["total"]
        except (OSError, ValueError, KeyError):
            pass
        if is_stale(job):
            running = False
            error = STALE_MESSAGE
    return {"status": job.status, "status_label": job.status_label, "phase": phase,
            "phase_label": PHASE_LABELS.get(phase, ""), "done": done, "total": total,
            "percent": int(done * 100 / total) if total else (100 if job.status in ("checked", "done") else 0),
            "finished": not running, "error": error}


QUEUED = "queued"   # the phase of a step waiting for a worker
PHASE_LABELS = {QUEUED: "排队", "check": "检查", "write": "写入"}
STALE_MESSAGE = "上次检查或导入已中断（服务器重启或超时），未写入任何数据；可以重新开始"
CHECK_STALE_MESSAGE = "检查已中断（后台处理进程停止），未写入任何数据；请重新上传文件"
IMPORT_STALE_MESSAGE = "导入已中断（后台处理进程停止），未写入任何数据；可以再次确认导入"
BUSY_ZONE = "本开发区已有一个文件正在检查或导入，请等它完成后再开始"
UPLOAD_EXPIRED = "上传后超过一天未导入，文件已删除；如需导入请重新上传"


def last_heard(job: ImportJob) -> datetime:
    """When a running job last reported: its row, or its side file while SQLite holds the lock."""
    heard = job.progress_at or job.created_at
    try:
        mtime = progress_file(job.id).stat().st_mtime
    except OSError:
        return heard
    return max(heard, datetime.fromtimestamp(mtime, timezone.utc).replace(tzinfo=None))


def is_stale(job: ImportJob) -> bool:
    key = "IMPORT_QUEUED_STALE_SECONDS" if job.progress_phase == QUEUED else "IMPORT_STALE_SECONDS"
    limit = timedelta(seconds=current_app.config[key])
    return job.status in ("checking", "importing") and utcnow() - last_heard(job) > limit


def _move(job_id: int, from_status: tuple[str, ...], to_status: str, *, stale: tuple | None = None,
          **values) -> bool:
    """Change a job's status on its own connection, only from the given states (or from a dead
    run, `stale` = (its status, the heartbeat seen)); True if this call did it."""
    allowed = ImportJob.status.in_(from_status)
    if stale is not None:
        status, heard = stale
        seen = ImportJob.progress_at.is_(None) if heard is None else ImportJob.progress_at == heard
        allowed = or_(allowed, and_(ImportJob.status == status, seen))
    with db.engine.begin() as conn:
        result = conn.execute(update(ImportJob).where(ImportJob.id == job_id, allowed)
                              .values(status=to_status, **values))
    return result.rowcount == 1


def _stale(job_id: int, status: str) -> tuple | None:
    """(status, heartbeat) of a run of this step that died, which may be started again."""
    job = db.session.get(ImportJob, job_id, populate_existing=True)
    if job is not None and job.status == status and is_stale(job):
        return status, job.progress_at
    return None


def _fresh(job_id: int) -> ImportJob:
    return db.session.get(ImportJob, job_id, populate_existing=True)


def _sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def _one_at_a_time(job_id: int) -> None:
    """A zone runs one check or import at a time: refused while another of its jobs runs."""
    job = _fresh(job_id)
    others = db.session.scalars(select(ImportJob).where(
        ImportJob.zone_id == job.zone_id, ImportJob.id != job_id,
        ImportJob.status.in_(("checking", "importing")))).all()
    if any(not is_stale(other) for other in others):
        raise JobStateError(BUSY_ZONE)


def start_check(job_id: int) -> None:
    """Queue the dry run (the page's step; a worker runs it: run_check)."""
    db.session.rollback()
    _one_at_a_time(job_id)
    if not _move(job_id, ("uploaded", "checked"), "checking", stale=_stale(job_id, "checking"),
                 progress_phase=QUEUED, progress_done=0, progress_total=0, progress_at=utcnow(), error=""):
        raise JobStateError("该文件正在检查或导入中，请稍候")


def start_commit(job_id: int, reason: str = "") -> None:
    """Queue the import of a checked file (the page's step; a worker runs it: run_commit). An
    indicator upload keeps the reason typed for the figures it corrects."""
    db.session.rollback()
    _one_at_a_time(job_id)
    if not _move(job_id, ("checked",), "importing", stale=_stale(job_id, "importing"),
                 progress_phase=QUEUED, progress_done=0, progress_total=0, progress_at=utcnow(), error="",
                 reason=(reason or "").strip()[:200]):
        raise JobStateError("该文件已在导入或已经导入，请勿重复提交")


def _claim(job_id: int, status: str) -> bool:
    """Take a queued step for this worker; False if it was given up or taken meanwhile."""
    with db.engine.begin() as conn:
        result = conn.execute(update(ImportJob).where(
            ImportJob.id == job_id, ImportJob.status == status, ImportJob.progress_phase == QUEUED)
            .values(progress_phase="", progress_at=utcnow()))
    return result.rowcount == 1


def _heartbeat() -> float:
    return current_app.config["IMPORT_HEARTBEAT_SECONDS"]


def _run(job: ImportJob, user: User | None, sheets, **options) -> dict:
    """One step of a job, by its kind: a zone's ledger file, or monthly indicator rows."""
    if job.kind == INDICATORS:
        return import_indicators(user, sheets, file_info=file_info(job), reason=job.reason, **options)
    return import_ledger(job.zone, sheets, user, file_info=file_info(job), decisions=decisions_of(job.summary),
                         **options)


def check_job(job_id: int, today: date | None = None) -> ImportJob:
    """The dry run at once, in this process (start_check, then run_check)."""
    start_check(job_id)
    return run_check(job_id, today)


def commit_job(job_id: int, user: User | None, today: date | None = None, reason: str = "") -> ImportJob:
    """The import at once, in this process (start_commit, then run_commit)."""
    start_commit(job_id, reason)
    return run_commit(job_id, user.id if user else None, today)


def run_check(job_id: int, today: date | None = None) -> ImportJob | None:
    """The dry run: read the file and plan every row; nothing but the job itself is written."""
    db.session.rollback()
    if not _claim(job_id, "checking"):
        log.info("import check %s: no longer queued, skipped", job_id)
        return None
    job = _fresh(job_id)
    progress = JobProgress(job_id, heartbeat=_heartbeat())
    try:
        limits = Limits.from_config(current_app.config)
        sheets = read_book(job.file_name, job.content, limits)
        summary = _run(job, job.user, sheets, dry_run=True, max_rows=limits.max_rows, today=today,
                       progress=progress)
    except ImportFileError as error:
        progress.close()
        db.session.rollback()
        _move(job_id, ("checking",), "failed", error=str(error), content=None, finished_at=utcnow())
        return _fresh(job_id)
    except Exception:
        progress.close()
        db.session.rollback()
        log.exception("import check %s failed", job_id)
        _move(job_id, ("checking",), "failed", error="检查文件时出现系统错误，请稍后重试或联系系统管理员",
              content=None, finished_at=utcnow())
        return _fresh(job_id)
    progress.close()
    _record(job, summary, "checked")
    db.session.commit()
    return job


def run_commit(job_id: int, user_id: int | None, today: date | None = None) -> ImportJob | None:
    """Write a checked file in one transaction: all of it, or (on any failure) none of it."""
    db.session.rollback()
    if not _claim(job_id, "importing"):
        log.info("import %s: no longer queued, skipped", job_id)
        return None
    job = _fresh(job_id)
    user = db.session.get(User, user_id) if user_id else None
    progress = JobProgress(job_id, to_file=_sqlite(), heartbeat=_heartbeat())
    try:
        limits = Limits.from_config(current_app.config)
        sheets = read_book(job.file_name, job.content, limits)
        summary = _run(job, user, sheets, dry_run=False, max_rows=limits.max_rows, today=today,
                       progress=progress)
        # No progress write may follow: from here this transaction holds the job's row.
        progress.close()
        _record(job, summary, "done")
        job.content = None
        job.finished_at = utcnow()
        db.session.commit()
    except Exception as error:
        progress.close()
        db.session.rollback()
        if isinstance(error, (ImportAborted, ImportFileError)):
            message = f"导入未完成，未写入任何数据：{error}"
        elif isinstance(error, OperationalError) and _sqlite():
            message = "系统正忙（另一项导入正在写入），未写入任何数据，请稍后重试"
        else:
            log.exception("import %s failed", job_id)
            message = "导入时出现系统错误，未写入任何数据；请稍后重试或联系系统管理员"
        # Back to "checked", so the same file can be tried again once the cause is fixed.
        _move(job_id, ("importing",), "checked", error=message)
        return _fresh(job_id)
    return job


def _record(job: ImportJob, summary: dict, status: str) -> None:
    totals = summary["totals"]
    job.status = status
    job.summary = summary
    job.created, job.updated = totals["created"], totals["updated"]
    job.unchanged, job.rejected = totals["unchanged"], totals["rejected"]
    job.progress_phase = "check" if status == "checked" else "write"
    job.progress_done = job.progress_total = sum(sheet["rows"] for sheet in summary["sheets"])


def reap_stale() -> int:
    """Give up the steps whose worker died (silent past IMPORT_STALE_SECONDS) or that no worker
    took (IMPORT_QUEUED_STALE_SECONDS): a check fails, an import goes back to checked. Their
    transactions died with them, so nothing was written. Returns how many were given up."""
    db.session.rollback()
    given_up = 0
    for job in db.session.scalars(select(ImportJob).where(ImportJob.status.in_(("checking", "importing")))).all():
        if not is_stale(job):
            continue
        if job.status == "checking":
            done = _move(job.id, (), "failed", stale=("checking", job.progress_at), error=CHECK_STALE_MESSAGE,
                         content=None, finished_at=utcnow())
        else:
            done = _move(job.id, (), "checked", stale=("importing", job.progress_at), error=IMPORT_STALE_MESSAGE)
        if done:
            progress_file(job.id).unlink(missing_ok=True)
            log.warning("import job %s (%s) given up: its worker stopped reporting", job.id, job.status)
            given_up += 1
    return given_up


def delete_stale_uploads(now: datetime | None = None) -> int:
    """Delete the files uploaded more than UPLOAD_KEEP_HOURS ago and never imported: the one
    clean-up, run by the queue every hour and by `flask imports clean`. The job stays as history,
    marked failed with the reason; what the user's quota counts is freed. How many were deleted."""
    cutoff = (now or utcnow()) - timedelta(hours=current_app.config["UPLOAD_KEEP_HOURS"])
    with db.engine.begin() as conn:
        result = conn.execute(update(ImportJob).where(
            ImportJob.status.in_(("uploaded", "checked")), ImportJob.created_at < cutoff)
            .values(status="failed", content=None, error=UPLOAD_EXPIRED, finished_at=utcnow()))
        conn.execute(update(ImportJob).where(
            ImportJob.status == "failed", ImportJob.content.is_not(None), ImportJob.created_at < cutoff)
            .values(content=None))
    return result.rowcount
