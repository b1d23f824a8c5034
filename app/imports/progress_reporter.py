"""How far an import has got, told to whoever waits for it: the page's job row (jobs.py) or the
terminal (cli.py), each of which passes a callback taking (phase, done, total).

Throttled because planning and writing advance once per row: a report per row would cost a
commit of the job row (or a redraw of the terminal line) per row, more than the row itself.
Not to be confused with app/queries/progress.py, the quota progress the desk shows.
"""
from __future__ import annotations

import time
from typing import Callable

PROGRESS_INTERVAL = 0.5  # seconds between two progress reports


class ProgressReporter:
    """Reports (phase, done, total) to a callback, at most every PROGRESS_INTERVAL and at the end."""

    def __init__(self, report: Callable[[str, int, int], None] | None = None):
        self.report = report
        self.interval = PROGRESS_INTERVAL
        self.phase, self.done, self.total, self._last = "", 0, 0, 0.0

    def start(self, phase: str, total: int) -> None:
        self.phase, self.done, self.total = phase, 0, total
        self._send(force=True)

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._send(force=self.done >= self.total)

    def _send(self, force: bool) -> None:
        now = time.monotonic()
        if self.report is not None and (force or now - self._last >= self.interval):
            self._last = now
            self.report(self.phase, self.done, self.total)
