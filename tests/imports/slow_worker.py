"""A real worker (`flask worker`'s consumer, one thread) whose import writes ten rows at a time
and pauses before each batch, so that a test can kill it mid-import (test_worker_killed.py).
Run as `python -m tests.imports.slow_worker` with DATABASE_URL and QUEUE_URL set."""
import time

from app.imports import writing

writing.WRITE_BATCH = 10
_real = writing._write_projects


def _slow(*args, **kwargs):
    time.sleep(0.05)
    return _real(*args, **kwargs)


writing._write_projects = _slow

if __name__ == "__main__":
    from app import create_app
    from app.queue import huey

    app = create_app()
    huey.create_consumer(workers=1, worker_type="thread", periodic=False).run()
