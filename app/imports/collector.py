"""Python's cycle collector held off while an import reads, plans and writes.

An import allocates a few million objects (cells, rows, plans, statements' parameters) that
live until it ends; each full collection walks all of them again, about a quarter of an
import's CPU time. Nothing an import builds needs the collector to be freed in time (what it
drops is freed by reference counting), so the collector waits until the import is done.
Process-wide, so counted: it resumes when the last import running in the process ends.
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = True


@contextmanager
def collector_paused():
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
