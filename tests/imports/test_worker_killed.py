"""A worker killed (SIGKILL) in the middle of an import: nothing of the import is in the database,
the job is given up once its heartbeat has stopped (back to "checked", saying why in Chinese),
and importing the same file again writes every row exactly once.

The worker is a real process (tests/imports/slow_worker.py: `flask worker`'s consumer with its
writes slowed), on the tests' database and a queue file of its own."""
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from app.extensions import db as _db
from app.imports import jobs
from app.models import ImportJob, Project
from app.queue import huey, storage_for
from app.tasks import import_commit
from config import BASE_DIR
from tests.imports.conftest import csv_bytes

ROWS = 400


def wait_for(condition, what: str, seconds: float = 60):
    """Poll until condition() is true; a deadline, not a timing: the test fails if never."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"waited {seconds} s for {what}")


def test_a_worker_killed_mid_import_leaves_nothing_and_the_job_is_given_up(world, db, app, tmp_path, monkeypatch):
    from app.domain import ledger as L
    header = [c.header for c in L.PROJECT_COLUMNS]
    # "号" ends each name: 项目10 would be inside 项目100, a likely duplicate held for a decision.
    rows = [[{"name": f"项目{i}号", "investor": "北京华创科技有限公司"}.get(c.key, "") for c in L.PROJECT_COLUMNS]
            for i in range(ROWS)]
    job = jobs.create_job(world.zone_a, world.staff, "台账.csv", csv_bytes([header, *rows]))
    db.session.commit()
    checked = jobs.check_job(job.id)
    assert checked.status == "checked" and checked.created == ROWS

    queue_url = f"sqlite:///{tmp_path / 'queue.db'}"
    env = {**os.environ, "DATABASE_URL": str(db.engine.url.render_as_string(hide_password=False)),
           "QUEUE_URL": queue_url, "ZONECRM_CONFIG": "development", "SECRET_KEY": "k" * 40,
           "IMPORT_HEARTBEAT_SECONDS": "1", "IMPORT_PROGRESS_DIR": app.config["IMPORT_PROGRESS_DIR"]}
    env.pop("REDIS_URL", None)
    worker = subprocess.Popen([sys.executable, "-m", "tests.imports.slow_worker"], cwd=BASE_DIR, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        jobs.start_commit(job.id)
        huey.immediate = False
        huey.storage = storage_for(queue_url, app.instance_path)
        try:
            import_commit(job.id, world.staff.id)
        finally:
            huey.immediate = True

        def written_some():
            fresh = _db.session.get(ImportJob, job.id, populate_existing=True)
            _db.session.rollback()
            return jobs.progress_of(fresh)["phase"] == "write" and jobs.progress_of(fresh)["done"] >= 50
        wait_for(written_some, "the worker to write some batches")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        worker.stderr.close()

    assert db.session.scalar(select(func.count()).select_from(Project)) == 0   # nothing half-written
    fresh = db.session.get(ImportJob, job.id, populate_existing=True)
    assert fresh.status == "importing"                    # not yet given up: it may only be slow
    monkeypatch.setitem(app.config, "IMPORT_STALE_SECONDS", 2)

    def given_up():
        _db.session.rollback()
        return jobs.reap_stale()
    wait_for(given_up, "the heartbeat to fall silent")
    fresh = db.session.get(ImportJob, job.id, populate_existing=True)
    assert (fresh.status, fresh.error) == ("checked", jobs.IMPORT_STALE_MESSAGE)
    assert not jobs.progress_file(job.id).exists()

    done = jobs.commit_job(job.id, world.staff)            # the same file again: all of it, once
    assert done.status == "done" and done.created == ROWS
    assert db.session.scalar(select(func.count()).select_from(Project)) == ROWS
