"""Loaded by every Python process of `make test`'s shifted-clock pass (tests/passes.sh puts this
folder on PYTHONPATH): time.sleep without clock_nanosleep.

The pass runs under libfaketime with the monotonic clock left real (FAKETIME_DONT_FAKE_MONOTONIC),
as it must be: a faked monotonic clock makes every lock or event wait with a timeout block for
weeks (glibc's sem_clockwait reaches the kernel with the faked deadline). But libfaketime 0.9.10
then shifts Python's time.sleep deadline (clock_nanosleep on the monotonic clock, absolute) by
the offset, and the sleep fails with EINVAL (wolfcw/libfaketime#426). A select() timeout is
relative and passes through untouched."""
import os
import select
import time

if "faketime" in os.environ.get("LD_PRELOAD", ""):
    def _sleep(seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            select.select([], [], [], left)

    time.sleep = _sleep
