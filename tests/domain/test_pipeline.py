"""The pipeline 线索 → 在谈 → 签约 → 开工 → 投产, and 终止 from any stage."""
import re
from datetime import date

import pytest

from app.domain.pipeline import (
    DROPPED,
    LEAD,
    NEGOTIATING,
    ORDER,
    PRODUCING,
    SIGNED,
    STAGES,
    STARTED,
    StageDates,
    StageError,
    StageRecord,
    check_stage_change,
    correction_conflicts,
    history_dates,
    last_change_on,
    stage_as_of,
    stage_dates,
)

CHINESE = re.compile(r"[\u4e00-\u9fff]")
D = date


def test_every_stage_has_its_chinese_name():
    assert STAGES == {LEAD: "线索", NEGOTIATING: "在谈", SIGNED: "签约", STARTED: "开工",
                      PRODUCING: "投产", DROPPED: "终止"}
    assert ORDER == [LEAD, NEGOTIATING, SIGNED, STARTED, PRODUCING]


def test_a_project_with_no_history_is_a_lead_with_no_milestones():
    assert stage_dates([]) == StageDates(LEAD)


def test_the_normal_path_records_each_milestone_on_its_day():
    dates = stage_dates([
        (LEAD, D(2024, 1, 5)),
        (NEGOTIATING, D(2024, 2, 1)),
        (SIGNED, D(2024, 3, 15)),
        (STARTED, D(2024, 6, 1)),
    ])
    assert dates == StageDates(STARTED, entered_on=D(2024, 1, 5), negotiating_on=D(2024, 2, 1),
                               signed_on=D(2024, 3, 15), started_on=D(2024, 6, 1))


def test_reaching_production_keeps_the_earlier_milestones():
    dates = stage_dates([
        (SIGNED, D(2024, 3, 15)), (STARTED, D(2024, 6, 1)), (PRODUCING, D(2024, 11, 20)),
    ])
    assert dates == StageDates(PRODUCING, D(2024, 3, 15), D(2024, 3, 15), D(2024, 3, 15), D(2024, 6, 1),
                               D(2024, 11, 20))


def test_entering_directly_at_started_implies_signed_the_same_day():
    dates = stage_dates([(STARTED, D(2024, 4, 2))])
    assert dates.stage == STARTED
    assert dates.signed_on == D(2024, 4, 2)
    assert dates.started_on == D(2024, 4, 2)
    assert dates.produced_on is None


def test_entering_directly_at_production_implies_signed_and_started_the_same_day():
    dates = stage_dates([(NEGOTIATING, D(2024, 1, 3)), (PRODUCING, D(2024, 9, 9))])
    assert dates == StageDates(PRODUCING, D(2024, 1, 3), D(2024, 1, 3), D(2024, 9, 9), D(2024, 9, 9),
                               D(2024, 9, 9))


def test_dropping_keeps_the_milestones_and_records_the_drop_date():
    dates = stage_dates([(SIGNED, D(2024, 3, 15)), (STARTED, D(2024, 6, 1)), (DROPPED, D(2024, 8, 1))])
    assert dates == StageDates(DROPPED, entered_on=D(2024, 3, 15), negotiating_on=D(2024, 3, 15),
                               signed_on=D(2024, 3, 15), started_on=D(2024, 6, 1), dropped_on=D(2024, 8, 1))


def test_a_lead_dropped_before_signing_has_only_a_drop_date():
    dates = stage_dates([(LEAD, D(2024, 1, 5)), (DROPPED, D(2024, 2, 1))])
    assert dates == StageDates(DROPPED, entered_on=D(2024, 1, 5), dropped_on=D(2024, 2, 1))


def test_moving_back_below_signed_clears_the_signing_date():
    dates = stage_dates([(SIGNED, D(2024, 3, 15)), (NEGOTIATING, D(2024, 4, 1))])
    assert dates == StageDates(NEGOTIATING, entered_on=D(2024, 3, 15), negotiating_on=D(2024, 3, 15))


def test_moving_back_from_started_to_signed_clears_only_the_start():
    dates = stage_dates([(SIGNED, D(2024, 3, 15)), (STARTED, D(2024, 6, 1)), (SIGNED, D(2024, 7, 1))])
    assert dates == StageDates(SIGNED, entered_on=D(2024, 3, 15), negotiating_on=D(2024, 3, 15),
                               signed_on=D(2024, 3, 15))


def test_signing_again_after_moving_back_takes_the_new_date():
    dates = stage_dates([
        (SIGNED, D(2023, 11, 1)), (NEGOTIATING, D(2024, 1, 10)), (SIGNED, D(2024, 5, 20)),
    ])
    assert dates.signed_on == D(2024, 5, 20)


def test_reviving_a_dropped_project_clears_the_drop_date():
    dates = stage_dates([(SIGNED, D(2024, 3, 15)), (DROPPED, D(2024, 5, 1)), (STARTED, D(2024, 9, 1))])
    assert dates == StageDates(STARTED, entered_on=D(2024, 3, 15), negotiating_on=D(2024, 3, 15),
                               signed_on=D(2024, 3, 15), started_on=D(2024, 9, 1))


def test_reviving_a_dropped_project_below_signed_clears_drop_and_signing():
    dates = stage_dates([(SIGNED, D(2024, 3, 15)), (DROPPED, D(2024, 5, 1)), (NEGOTIATING, D(2024, 6, 1))])
    assert dates == StageDates(NEGOTIATING, entered_on=D(2024, 3, 15), negotiating_on=D(2024, 3, 15))


def test_the_stage_on_any_day_is_read_from_the_milestones():
    dates = stage_dates([(LEAD, D(2024, 1, 5)), (NEGOTIATING, D(2024, 2, 1)), (SIGNED, D(2024, 3, 15)),
                         (DROPPED, D(2024, 8, 1))])
    assert stage_as_of(dates, D(2024, 1, 4)) is None
    assert stage_as_of(dates, D(2024, 1, 5)) == LEAD
    assert stage_as_of(dates, D(2024, 2, 29)) == NEGOTIATING
    assert stage_as_of(dates, D(2024, 3, 15)) == SIGNED
    assert stage_as_of(dates, D(2024, 7, 31)) == SIGNED
    assert stage_as_of(dates, D(2024, 8, 1)) == DROPPED


# --- check_stage_change ---------------------------------------------------------------

TODAY = D(2024, 6, 30)


def test_a_sensible_change_is_accepted():
    assert check_stage_change(NEGOTIATING, SIGNED, D(2024, 6, 30), D(2024, 3, 1), TODAY) is None
    assert check_stage_change(LEAD, NEGOTIATING, D(2024, 1, 1), None, TODAY) is None


def test_a_change_on_the_same_day_as_the_last_one_is_accepted():
    assert check_stage_change(SIGNED, STARTED, D(2024, 3, 1), D(2024, 3, 1), TODAY) is None


def test_moving_back_a_stage_or_dropping_is_accepted():
    assert check_stage_change(SIGNED, NEGOTIATING, D(2024, 5, 1), D(2024, 3, 1), TODAY) is None
    assert check_stage_change(STARTED, DROPPED, D(2024, 5, 1), D(2024, 3, 1), TODAY) is None
    assert check_stage_change(DROPPED, NEGOTIATING, D(2024, 6, 1), D(2024, 5, 1), TODAY) is None


def _refused(*args):
    with pytest.raises(StageError) as excinfo:
        check_stage_change(*args)
    message = str(excinfo.value)
    assert CHINESE.search(message)
    return message


def test_changing_to_the_stage_the_project_is_already_in_is_refused():
    message = _refused(SIGNED, SIGNED, D(2024, 5, 1), D(2024, 3, 1), TODAY)
    assert "签约" in message


def test_a_change_dated_in_the_future_is_refused():
    message = _refused(NEGOTIATING, SIGNED, D(2024, 7, 1), D(2024, 3, 1), TODAY)
    assert "今天" in message


def test_a_change_dated_before_the_last_change_is_refused():
    message = _refused(NEGOTIATING, SIGNED, D(2024, 2, 28), D(2024, 3, 1), TODAY)
    assert "2024-03-01" in message


def test_an_unknown_stage_is_refused():
    _refused(NEGOTIATING, "won", D(2024, 5, 1), D(2024, 3, 1), TODAY)


def test_stage_error_is_a_value_error():
    assert issubclass(StageError, ValueError)


def test_dates_as_of_blank_what_came_later():
    from app.domain.pipeline import dates_as_of
    dates = StageDates(DROPPED, date(2024, 1, 5), date(2024, 2, 1), date(2024, 3, 1), date(2024, 6, 1), None,
                       date(2024, 9, 1))
    then = dates_as_of(dates, date(2024, 4, 30))
    assert then.stage == SIGNED and then.signed_on == date(2024, 3, 1)
    assert then.started_on is None and then.dropped_on is None and then.entered_on == date(2024, 1, 5)
    assert dates_as_of(dates, date(2024, 9, 1)).stage == DROPPED
    assert dates_as_of(dates, date(2024, 1, 4)) is None


# --- the stage history decides the stage: uncorrected entries, replayed -----------------

def _records(*entries):
    """(stage, 'MM-DD'[, corrected]) entries of 2026, ids in the order given."""
    return [StageRecord(stage, date.fromisoformat(f"2026-{on}"), n, corrected=bool(rest and rest[0]))
            for n, (stage, on, *rest) in enumerate(entries, start=1)]


@pytest.mark.parametrize("entries, stage, signed, started, dropped", [
    ([(LEAD, "11-20"), (NEGOTIATING, "12-04")], NEGOTIATING, None, None, None),
    # A corrected entry no longer counts, whatever it said.
    ([(LEAD, "11-20"), (NEGOTIATING, "12-04"), (PRODUCING, "12-07", True)], NEGOTIATING, None, None, None),
    # The true, earlier signing written by a correction counts from its own date...
    ([(LEAD, "11-20"), (NEGOTIATING, "12-04", True), (PRODUCING, "12-07", True), (SIGNED, "12-01")],
     SIGNED, "12-01", None, None),
    # ...but an uncorrected 在谈 after it is a step back that unsigns the project.
    ([(LEAD, "11-20"), (NEGOTIATING, "12-04"), (PRODUCING, "12-07", True), (SIGNED, "12-01")],
     NEGOTIATING, None, None, None),
    # Entries of the same day count in the order they were recorded.
    ([(LEAD, "12-01"), (SIGNED, "12-01"), (STARTED, "12-01")], STARTED, "12-01", "12-01", None),
    ([(SIGNED, "03-01"), (DROPPED, "05-01"), (STARTED, "09-01", True)], DROPPED, "03-01", None, "05-01"),
    ([(SIGNED, "03-01"), (DROPPED, "05-01", True)], SIGNED, "03-01", None, None),
])
def test_the_uncorrected_history_decides_the_stage_and_its_dates(entries, stage, signed, started, dropped):
    records = _records(*entries)
    dates = history_dates(records)
    day = {None: None} | {on: date.fromisoformat(f"2026-{on}") for _, on, *_ in entries}
    assert (dates.stage, dates.signed_on, dates.started_on, dates.dropped_on) == (
        stage, day[signed], day[started], day[dropped])
    # The same rule, whatever order the records arrive in.
    assert history_dates(reversed(records)) == dates


def test_the_last_change_in_force_ignores_corrected_entries():
    records = _records((LEAD, "11-20"), (NEGOTIATING, "12-04"), (PRODUCING, "12-07", True))
    assert last_change_on(records) == D(2026, 12, 4)
    assert last_change_on([]) is None


BUG = _records((LEAD, "11-20"), (NEGOTIATING, "12-04"), (PRODUCING, "12-07"))


@pytest.mark.parametrize("records, wrong, also, added, conflicts", [
    # 投产 12-07 was really 签约 12-01: the 在谈 of 12-04 would follow the signing and unsign it.
    (BUG, 3, (), (SIGNED, "12-01"), [2]),
    # Corrected in the same step, nothing conflicts any more.
    (BUG, 3, (2,), (SIGNED, "12-01"), []),
    # A true signing after the 在谈 is a plain step forward.
    (BUG, 3, (), (SIGNED, "12-05"), []),
    # The true history may be a step back, when the user says so where it stood.
    (BUG, 3, (), (LEAD, "12-07"), []),
    (BUG, 3, (), (DROPPED, "12-07"), []),
    # Revoking an entry can turn the next one into a repeat.
    (_records((SIGNED, "12-01"), (NEGOTIATING, "12-03"), (SIGNED, "12-05")), 2, (), None, [3]),
    # A deliberate step back (终止) stays one: no conflict.
    (_records((LEAD, "11-20"), (NEGOTIATING, "12-04"), (PRODUCING, "12-07"), (DROPPED, "12-08")), 3, (),
     (SIGNED, "12-06"), []),
    # A correction dated before the first entry: the old first entry now follows it.
    (_records((NEGOTIATING, "12-04"), (PRODUCING, "12-07")), 2, (), (SIGNED, "12-01"), [1]),
    # A signing moved later, past the 开工 that followed it, would undo that 开工.
    (_records((NEGOTIATING, "12-01"), (SIGNED, "12-02"), (STARTED, "12-04")), 2, (), (SIGNED, "12-06"), [3]),
    (_records((NEGOTIATING, "12-01"), (SIGNED, "12-02"), (STARTED, "12-04")), 2, (3,), (SIGNED, "12-06"), []),
    # Every entry to revoke is named at once, not one per attempt: a 线索 moved past the whole
    # history undoes the 开工, then the 签约, then the 在谈 behind it.
    (_records((LEAD, "11-01"), (NEGOTIATING, "11-10"), (SIGNED, "11-20"), (STARTED, "12-08")), 1, (),
     (LEAD, "12-09"), [2, 3, 4]),
    (_records((LEAD, "11-01"), (NEGOTIATING, "11-10"), (SIGNED, "11-20"), (STARTED, "12-08")), 1, (4,),
     (LEAD, "12-09"), [2, 3]),
])
def test_a_correction_names_the_entries_it_would_silently_change(records, wrong, also, added, conflicts):
    new = StageRecord(added[0], date.fromisoformat(f"2026-{added[1]}")) if added else None
    assert [r.id for r in correction_conflicts(records, wrong, new, also)] == conflicts


def test_a_conflict_is_named_in_chinese_with_its_stage_and_date():
    (conflict,) = correction_conflicts(BUG, 3, StageRecord(SIGNED, D(2026, 12, 1)))
    assert conflict.label == "在谈（2026-12-04）"


def test_the_stage_on_a_past_day_is_the_history_up_to_that_day_for_a_forward_history():
    """The as-of views read the stage dates the history rule stored (dates_as_of, and its SQL
    twin in queries/progress.py); for a history that only moves forward (then perhaps 终止),
    that is exactly the history up to that day replayed."""
    import random
    from datetime import timedelta
    from app.domain.pipeline import dates_as_of
    rng = random.Random(26)
    for _ in range(300):
        on, records = D(2026, 1, 1), []
        for n, stage in enumerate(sorted(rng.sample(ORDER, rng.randint(1, 5)), key=ORDER.index), start=1):
            on += timedelta(days=rng.randint(0, 20))
            records.append(StageRecord(stage, on, n, corrected=rng.random() < 0.1))
        if rng.random() < 0.3:
            records.append(StageRecord(DROPPED, on + timedelta(days=rng.randint(0, 20)), len(records) + 1))
        if not [r for r in records if not r.corrected]:
            continue
        now = history_dates(records)
        for day in (D(2025, 12, 31) + timedelta(days=k) for k in range(0, 130, 3)):
            up_to = [r for r in records if r.on <= day and not r.corrected]
            assert dates_as_of(now, day) == (history_dates(up_to) if up_to else None), (records, day)
