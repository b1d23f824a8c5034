"""Importing a zone's ledger file, the whole pipeline: reader.py has read the file's sheets;
locating.py finds the ledger, contact and arrival (到位资金) sheets in them; planning.py plans every row against
what the zone already holds (the dry run: what would be created, updated, left unchanged or
rejected, and why); writing.py writes the plan through the project and contact services;
summary.py says what was done. jobs.py (the page) and cli.py (the command line) run it
through import_ledger alone; the steps are modules of their own so that each can be read,
and tested, by itself.

The caller owns the transaction: it commits once after a whole import, or rolls everything back.
"""
from __future__ import annotations

from datetime import date
from typing import Callable

from app import audit
from app.models import User, Zone

from .collector import collector_paused
from .duplicates import audit_record, refusal
from .mapping import Answers, refuse_unmapped, zone_answers
from .locating import ARRIVALS, CONTACTS, PROJECTS, locate_sheets
from .planning import Planner
from .progress_reporter import ProgressReporter
from .reader import RawSheet
from .summary import summarise
from .writing import ImportAborted, apply_plan, lock_zone
from .. import clock


class DuplicatesUndecided(ImportAborted):
    """Asked to write while likely duplicates are held without a decision (imports.duplicates):
    nothing is written; the summary lists the pairs."""

    def __init__(self, summary: dict):
        super().__init__(refusal(summary["undecided"]))
        self.summary = summary


def import_ledger(zone: Zone, raw_sheets: list[RawSheet], user: User | None, *, dry_run: bool, max_rows: int,
                  file_info: dict, today: date | None = None,
                  progress: Callable[[str, int, int], None] | None = None,
                  columns: dict[str, str] | None = None, decisions: dict | None = None) -> dict:
    """Plan (and unless dry_run, write) a ledger file for a zone; returns the summary.
    `decisions` settles the likely duplicates held ({pair key: same/different}); a write with
    a pair undecided raises DuplicatesUndecided.

    `columns` answers for columns no field declares ({header: field key, KEEP or IGNORE}, the
    command line's --map), over the zone's saved answers; a file with a column still unanswered
    is previewed, never written (mapping.py).

    Writes only into the session: the caller commits, or rolls back on any exception.
    The raw sheets are consumed: their cells are let go once the ledger is located in them.
    """
    with collector_paused():
        return _import(zone, raw_sheets, user, dry_run=dry_run, max_rows=max_rows, file_info=file_info,
                       today=today or clock.today(), progress=progress, answers=zone_answers(zone.id, columns),
                       decisions=decisions)


def _import(zone: Zone, raw_sheets: list[RawSheet], user: User | None, *, dry_run: bool, max_rows: int,
            file_info: dict, today: date, progress: Callable[[str, int, int], None] | None,
            answers: Answers, decisions: dict | None) -> dict:
    tracker = ProgressReporter(progress)
    sheets = locate_sheets(raw_sheets, max_rows, answers)
    for raw in raw_sheets:
        raw.rows = []   # the located texts are all the import reads from here: the cells' memory goes now
    if not dry_run:
        refuse_unmapped(sheets)
        lock_zone(zone.id)
    plan = Planner(zone, sheets, today, tracker, decisions).run()
    summary = summarise(plan, dry_run=dry_run, file_info=file_info)
    if dry_run:
        return summary
    if summary["undecided"]:   # nothing is written: the summary says what would be (将新增), not 已新增
        raise DuplicatesUndecided(summarise(plan, dry_run=True, file_info=file_info))
    apply_plan(plan, zone, user, today, tracker)
    if not (summary["totals"]["created"] or summary["totals"]["updated"]):
        return summary  # nothing written, nothing to record: a repeated import leaves no trace
    audit.record("import", "ledger", None, zone_id=zone.id, user=user, after={
        "file": file_info, "projects": summary[PROJECTS], "contacts": summary[CONTACTS],
        "arrivals": summary[ARRIVALS], **({"duplicates": audit_record(summary)} if summary["pairs"] else {})})
    return summary
