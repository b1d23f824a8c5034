"""Imports through the task queue: the page queues a step and answers at once; a worker runs it;
one step at a time per zone; the schedule gives up dead steps and deletes old uploads.

The app's queue is "immediate" in the tests (a task runs inside the request). Here a queue that
keeps its tasks (huey's memory storage) shows the page answering before any worker ran, and a
worker's own loop (dequeue, execute) then runs what was queued, as `flask worker` does."""
import time
from datetime import timedelta

import pytest
from huey.storage import MemoryStorage
from sqlalchemy import select, text

from app import tasks
from app.imports import jobs
from app.models import AuditEvent, ImportJob, Project
from app.clock import utcnow
from app.queue import huey
from tests.imports.test_web import job_id_of, upload


@pytest.fixture
def kept_queue():
    """The queue keeps what is queued until worked() runs it, as with a worker elsewhere."""
    huey.immediate = False
    huey.storage = MemoryStorage("test")

    def worked() -> int:
        ran = 0
        while (task := huey.dequeue()) is not None:
            huey.execute(task)
            ran += 1
        return ran
    yield worked
    huey.immediate = True


def test_the_page_answers_at_once_and_a_worker_does_the_work(world, login, db, kept_queue):
    staff = login(world.staff)
    url = upload(staff).headers["Location"]
    response = staff.post(url + "/check")
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    page = staff.get(url).get_data(as_text=True)
    assert "已排队，等待后台处理进程开始" in page and "data-running" in page
    assert staff.get(url + "/progress").get_json() == {
        "status": "checking", "status_label": "正在检查", "phase": "queued", "phase_label": "排队",
        "done": 0, "total": 0, "percent": 0, "finished": False, "error": ""}
    assert kept_queue() == 1
    assert staff.get(url + "/progress").get_json()["status"] == "checked"

    staff.post(url + "/commit")
    assert db.session.query(Project).count() == 0        # queued, not yet written
    assert kept_queue() == 1
    page = staff.get(url).get_data(as_text=True)
    assert "导入完成：新增 2，更新 0，无变化 0，未导入的错误行 1。" in page
    job = db.session.get(ImportJob, job_id_of(upload(staff)))
    assert db.session.query(Project).count() == 1 and job.status == "uploaded"


def test_a_queued_step_given_up_meanwhile_is_not_run(world, login, db, kept_queue, app, monkeypatch):
    staff = login(world.staff)
    url = upload(staff).headers["Location"]
    staff.post(url + "/check")
    db.session.execute(text("UPDATE import_jobs SET progress_at = :t"), {"t": utcnow() - timedelta(hours=2)})
    db.session.commit()
    assert jobs.reap_stale() == 1          # no worker took it within the hour
    assert kept_queue() == 1                # the task, run late, finds it no longer queued
    job = db.session.scalars(select(ImportJob)).one()
    db.session.refresh(job)
    assert job.status == "failed" and job.error == jobs.CHECK_STALE_MESSAGE and job.content is None


def test_one_step_at_a_time_per_zone(world, login, db, kept_queue):
    staff = login(world.staff)
    first = upload(staff).headers["Location"]
    second = upload(staff).headers["Location"]
    staff.post(first + "/check")
    page = staff.post(second + "/check", follow_redirects=True).get_data(as_text=True)
    assert jobs.BUSY_ZONE in page
    # Another zone is not held up.
    other = login(world.other_staff)
    theirs = upload(other).headers["Location"]
    other.post(theirs + "/check")
    assert kept_queue() == 2
    statuses = dict(db.session.execute(select(ImportJob.id, ImportJob.status)).all())
    assert sorted(statuses.values()) == ["checked", "checked", "uploaded"]
    # Once the first is done, the second may run.
    staff = login(world.staff)
    staff.post(second + "/check")
    assert kept_queue() == 1


def test_the_reaper_gives_up_silent_steps_and_keeps_live_ones(world, db, app):
    def job(status, seconds_ago, phase="write"):
        row = ImportJob(zone_id=world.zone_a.id, file_name="x.xlsx", size=1, sha256="0" * 64, content=b"x",
                        status=status, progress_phase=phase, progress_at=utcnow() - timedelta(seconds=seconds_ago))
        db.session.add(row)
        return row
    dead_import, dead_check = job("importing", 120), job("checking", 120, "check")
    live_import, queued = job("importing", 5), job("checking", 120, jobs.QUEUED)
    db.session.commit()
    assert tasks.reap_stale_imports.call_local() == 2
    for row in (dead_import, dead_check, live_import, queued):
        db.session.refresh(row)
    assert (dead_import.status, dead_import.error) == ("checked", jobs.IMPORT_STALE_MESSAGE)
    assert dead_import.content == b"x"                  # may be imported again
    assert (dead_check.status, dead_check.error, dead_check.content) == ("failed", jobs.CHECK_STALE_MESSAGE, None)
    assert live_import.status == "importing" and queued.status == "checking"


def test_uploads_never_imported_are_deleted_after_a_day(world, db):
    def job(status, hours_ago):
        row = ImportJob(zone_id=world.zone_a.id, file_name="x.xlsx", size=1, sha256="0" * 64, content=b"x",
                        status=status, created_at=utcnow() - timedelta(hours=hours_ago))
        db.session.add(row)
        return row
    old_upload, old_checked, new_upload = job("uploaded", 25), job("checked", 30), job("uploaded", 2)
    db.session.commit()
    assert tasks.delete_stale_uploads.call_local() == 2
    for row in (old_upload, old_checked, new_upload):
        db.session.refresh(row)
    assert (old_upload.status, old_upload.content, old_upload.error) == ("failed", None, jobs.UPLOAD_EXPIRED)
    assert old_checked.content is None and new_upload.content == b"x" and new_upload.status == "uploaded"


@pytest.mark.only_on("sqlite")  # pg_dump of the test database is covered by tests/cli
def test_the_nightly_backup_runs_only_when_configured(world, db, app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "BACKUP_DIR", "")
    assert tasks.nightly_backup.call_local() is None
    monkeypatch.setitem(app.config, "BACKUP_DIR", str(tmp_path))
    monkeypatch.setitem(app.config, "BACKUP_KEEP", 2)
    for name in ("zonecrm-20200101-000000.backup", "zonecrm-20200102-000000.backup"):
        (tmp_path / name).write_bytes(b"old")
    out = tasks.nightly_backup.call_local()
    assert out.read_bytes()[:16] == b"SQLite format 3\x00"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["zonecrm-20200102-000000.backup", out.name]
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "backup")).one()


def test_a_worker_heartbeat_keeps_a_long_step_alive(world, db, app):
    """The heartbeat repeats the last progress while the work itself reports nothing."""
    job = ImportJob(zone_id=world.zone_a.id, file_name="x.xlsx", size=1, sha256="0" * 64, status="checking",
                    progress_at=utcnow() - timedelta(hours=1))
    db.session.add(job)
    db.session.commit()
    progress = jobs.JobProgress(job.id, heartbeat=0.01)
    try:
        progress("check", 3, 10)
        db.session.execute(text("UPDATE import_jobs SET progress_at = :t"), {"t": utcnow() - timedelta(hours=1)})
        db.session.commit()
        for _ in range(500):   # until the thread has beaten once more (or 10 s: then it failed)
            if db.session.get(ImportJob, job.id, populate_existing=True).progress_at > \
                    utcnow() - timedelta(minutes=1):
                break
            time.sleep(0.02)
    finally:
        progress.close()
    job = db.session.get(ImportJob, job.id, populate_existing=True)
    assert not jobs.is_stale(job) and (job.progress_done, job.progress_total) == (3, 10)
