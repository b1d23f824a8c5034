"""The project pipeline 线索 → 在谈 → 签约 → 开工 → 投产, or 终止 from any stage."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

from .errors import UserFacingError

LEAD, NEGOTIATING, SIGNED, STARTED, PRODUCING, DROPPED = (
    "lead", "negotiating", "signed", "started", "producing", "dropped",
)
STAGES = {
    LEAD: "线索",
    NEGOTIATING: "在谈",
    SIGNED: "签约",
    STARTED: "开工",
    PRODUCING: "投产",
    DROPPED: "终止",
}
# The pipeline's order; 终止 can follow any stage. STAGES lists every stage in display order.
ORDER = [LEAD, NEGOTIATING, SIGNED, STARTED, PRODUCING]
# Stages a project is still being worked at: next steps fall due, silence is watched.
OPEN_STAGES = (LEAD, NEGOTIATING, SIGNED, STARTED)


class StageError(UserFacingError):
    """A stage change that cannot be; `field` is the new stage or its date."""


MILESTONES = (NEGOTIATING, SIGNED, STARTED, PRODUCING)


@dataclass(frozen=True)
class StageDates:
    """The dates a project's stage history implies; None where not reached."""
    stage: str
    entered_on: date | None = None
    negotiating_on: date | None = None
    signed_on: date | None = None
    started_on: date | None = None
    produced_on: date | None = None
    dropped_on: date | None = None


@dataclass(frozen=True)
class StageRecord:
    """One entry of a project's stage history as stored. A corrected (更正) entry is kept for
    the record but no longer counts; `id` orders entries of the same day (None: not yet
    written, so recorded after every other)."""
    stage: str
    on: date
    id: int | None = None
    corrected: bool = False

    @property
    def label(self) -> str:
        return f"{STAGES[self.stage]}（{self.on.isoformat()}）"


def in_force(records: Iterable[StageRecord]) -> list[StageRecord]:
    """The history that counts: the uncorrected entries, oldest first, same-day entries in the
    order they were recorded."""
    return sorted((r for r in records if not r.corrected),
                  key=lambda r: (r.on, r.id is None, r.id or 0))


def history_dates(records: Iterable[StageRecord]) -> StageDates:
    """THE rule for a project's stage and stage dates: its uncorrected history, replayed. The
    stage columns stored on a project are always this rule's output (the service writes them
    from it, tests/test_stage_history_agrees.py proves it), so the desk, the counts and the
    exports that read the columns read this rule."""
    return stage_dates((r.stage, r.on) for r in in_force(records))


def last_change_on(records: Iterable[StageRecord]) -> date | None:
    """The day of the latest uncorrected entry: a new change may not be dated before it."""
    history = in_force(records)
    return history[-1].on if history else None


def correction_conflicts(records: Iterable[StageRecord], wrong_id: int, added: StageRecord | None,
                         also: Iterable[int] = ()) -> list[StageRecord]:
    """Every entry the user must also revoke for the correction to leave no entry whose meaning
    it silently changed, oldest first: revoking one conflicting entry can make the next one a
    step back, so they are gathered until none is left, and the user sees them all at once.
    """
    records, revoked = list(records), set(also)
    found: dict[int, StageRecord] = {}
    while new := [r for r in _conflicts(records, wrong_id, added, revoked | set(found)) if r.id not in found]:
        found.update((r.id, r) for r in new)
    return sorted(found.values(), key=lambda r: (r.on, r.id))


def _conflicts(records: list[StageRecord], wrong_id: int, added: StageRecord | None,
               also: set[int]) -> list[StageRecord]:
    """The entries a correction would silently change the meaning of, oldest first.

    The correction marks entry `wrong_id` (and the entries `also` revoked with it) corrected
    and records `added` (the true stage and date, if any). An entry in force conflicts when it
    was a step forward (or the first entry) and becomes a step back or a repeat of the stage
    now before it: a signing of 12-01 written before an 在谈 of 12-04 would otherwise leave
    the project 在谈 and unsigned without anyone saying so. The added entry is the user's own
    (a step back by choice is theirs to make), but when its new date carries it past a later
    entry and makes it a step back from that one, that entry is named. Steps back that were
    steps back already (a deliberate 终止, say) stay as they were.
    """
    gone = {wrong_id, *also}
    before = in_force(records)
    after = in_force([r for r in records if r.id not in gone] + ([added] if added else []))
    was_before = {r.id: (before[i - 1].stage if i else None) for i, r in enumerate(before)}
    position = {r.id: i for i, r in enumerate(before)}
    conflicts = []
    for i, record in enumerate(after[1:], start=1):
        now = after[i - 1]
        changes_meaning = record.stage == now.stage or is_setback(now.stage, record.stage)
        if record is added:
            if changes_meaning and position.get(now.id, -1) > position.get(wrong_id, len(before)):
                conflicts.append(now)
            continue
        then = was_before[record.id]
        if record.stage == now.stage or (changes_meaning and not (then is not None and is_setback(then, record.stage))):
            conflicts.append(record)
    return sorted(set(conflicts), key=lambda r: (r.on, r.id))


def stage_dates(history: Iterable[tuple[str, date]]) -> StageDates:
    """Replay a dated stage history (oldest first) into milestone dates.

    Reaching a later stage implies the earlier milestones on the same day when they were
    never recorded (a project entered at 开工 was signed by then). Moving back below a
    milestone clears it; 终止 keeps the milestones and records when the project was dropped.
    """
    dates = StageDates(LEAD)
    for new_stage, on in history:
        dates = next_stage_dates(dates, new_stage, on)
    return dates


def next_stage_dates(dates: StageDates, new_stage: str, on: date) -> StageDates:
    """The dates after one more change at the end of the history `dates` was replayed from:
    a batch extends a project's stored dates without reading its whole history back."""
    reached = {NEGOTIATING: dates.negotiating_on, SIGNED: dates.signed_on, STARTED: dates.started_on,
               PRODUCING: dates.produced_on}
    dropped = dates.dropped_on
    if new_stage == DROPPED:
        dropped = on
    else:
        dropped = None
        rank = ORDER.index(new_stage)
        for milestone in MILESTONES:
            if ORDER.index(milestone) <= rank:
                reached[milestone] = reached[milestone] or on
            else:
                reached[milestone] = None
    return StageDates(new_stage, dates.entered_on or on, reached[NEGOTIATING], reached[SIGNED], reached[STARTED],
                      reached[PRODUCING], dropped)


def stage_as_of(dates: StageDates, as_of: date) -> str | None:
    """The stage a project stood at on a day, from its milestones; None before it was entered."""
    if dates.entered_on is None or dates.entered_on > as_of:
        return None
    if dates.dropped_on is not None and dates.dropped_on <= as_of:
        return DROPPED
    for stage, on in ((PRODUCING, dates.produced_on), (STARTED, dates.started_on),
                      (SIGNED, dates.signed_on), (NEGOTIATING, dates.negotiating_on)):
        if on is not None and on <= as_of:
            return stage
    return LEAD


def is_setback(current: str, new: str) -> bool:
    """A move that undoes progress: back to an earlier stage, to 终止, or out of 终止."""
    if DROPPED in (current, new):
        return current != new
    return ORDER.index(new) < ORDER.index(current)


def describe_change(current: str, new: str) -> str:
    """The change in words, as a confirmation names it: 由“在谈”退回“线索”."""
    if new == DROPPED:
        return f"由“{STAGES[current]}”终止"
    if is_setback(current, new):
        return f"由“{STAGES[current]}”退回“{STAGES[new]}”"
    return f"由“{STAGES[current]}”推进到“{STAGES[new]}”"


def check_stage_change(current: str, new: str, on: date, last_change_on: date | None, today: date,
                       note: str | None = None) -> None:
    """Whether a change may be recorded; `note` (when given) is its reason, which a setback
    must have."""
    if new not in STAGES:
        raise StageError(f"未知的项目阶段：{new}", "stage")
    if new == current:
        raise StageError(f"项目已处于“{STAGES[new]}”阶段", "stage")
    if note is not None and not note.strip() and is_setback(current, new):
        raise StageError(f"{describe_change(current, new)}须填写原因", "note")
    if on > today:
        raise StageError("阶段变更日期不能晚于今天", "changed_on")
    if last_change_on is not None and on < last_change_on:
        raise StageError(f"阶段变更日期不能早于上一次变更（{last_change_on.isoformat()}）；"
                         f"如上一次变更有误，请招商专员在阶段记录中“更正”", "changed_on")


def check_history(history: list[tuple[str, date]], today: date) -> None:
    """A dated history (oldest first) as a correction leaves it: not empty, nothing after
    today, and no change to the stage the project already stood at."""
    if not history:
        raise StageError("更正后项目须至少保留一条阶段记录（录入台账）", "stage")
    current = None
    for stage, on in history:
        if stage not in STAGES:
            raise StageError(f"未知的项目阶段：{stage}", "stage")
        if on > today:
            raise StageError("阶段变更日期不能晚于今天", "changed_on")
        if stage == current:
            raise StageError(f"更正后项目在 {on.isoformat()} 已处于“{STAGES[stage]}”阶段，两条记录重复", "stage")
        current = stage


def dates_as_of(dates: StageDates, as_of: date) -> StageDates | None:
    """A project as it stood on a day: its stage then, and only the milestone dates reached by
    then (a later date was not yet known). None before the project was entered.

    `dates` is history_dates' output (the project's stored columns), so this reads the one
    history rule: for a history that moves forward (then perhaps 终止) it equals the history up
    to that day replayed (tests/domain/test_pipeline.py). A later step back has cleared the
    milestones it undid, and the day is read without them, as the counts read it."""
    stage = stage_as_of(dates, as_of)
    if stage is None:
        return None

    def known(on: date | None) -> date | None:
        return on if on is not None and on <= as_of else None

    return StageDates(stage, dates.entered_on, known(dates.negotiating_on), known(dates.signed_on),
                      known(dates.started_on), known(dates.produced_on), known(dates.dropped_on))
