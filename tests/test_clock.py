"""The app's one clock (app/clock.py): today is the date in the configured time zone, and a test
run keeps the one date it read (the `today` fixture pins clock.today for the session)."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from app import clock
from app.models import Contact
from config import Config

NEW_YEARS_EVE_UTC = datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc)


def test_at_half_past_eleven_utc_on_new_years_eve_it_is_already_next_year_in_beijing(app, unpinned_clock,
                                                                                    monkeypatch):
    monkeypatch.setattr(clock, "utc_now", lambda: NEW_YEARS_EVE_UTC)
    monkeypatch.setitem(app.config, "TIME_ZONE", "Asia/Shanghai")   # the default, whatever the environment says
    monkeypatch.setattr(Config, "TIME_ZONE", "Asia/Shanghai")
    with app.app_context():
        assert clock.today() == date(2027, 1, 1)
        assert clock.now() == datetime(2027, 1, 1, 7, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
        # A server configured for UTC is still on the old day: the zone decides, not the machine.
        monkeypatch.setitem(app.config, "TIME_ZONE", "UTC")
        assert clock.today() == date(2026, 12, 31)
    # Outside an app (a bench script driving a server) the configured default zone applies.
    assert clock.today() == date(2027, 1, 1)


def test_stored_times_are_shown_in_the_same_zone(app, monkeypatch):
    from app.templating import local_time
    monkeypatch.setitem(app.config, "TIME_ZONE", "Asia/Shanghai")
    with app.app_context():
        assert local_time(NEW_YEARS_EVE_UTC.replace(tzinfo=None)) == "2027-01-01 07:30"


def test_a_run_that_crosses_midnight_keeps_its_one_date(client, world, login, make_project, contact_form, db, today,
                                                        monkeypatch):
    """The wall clock has passed the next local midnight since the run read today; the app, in a
    request, still answers with the run's date (else a test's "today" would be the app's yesterday)."""
    after_midnight = datetime.combine(today + timedelta(days=1), datetime.min.time(), clock.time_zone())
    monkeypatch.setattr(clock, "utc_now", lambda: (after_midnight + timedelta(minutes=5)).astimezone(timezone.utc))
    assert clock.local(clock.utc_now()).date() == today + timedelta(days=1)   # the real clock says tomorrow
    assert clock.today() == today                                           # the pinned one does not

    project = make_project(world.zone_a)
    login(world.leader)
    page = client.get("/").get_data(as_text=True)
    assert f"截至{today.year}年{today.month}月{today.day}日" in page
    tomorrow = client.post("/contacts/new", data=contact_form(project, leaders=[world.leader.id],
                                                                occurred_on=(today + timedelta(days=1)).isoformat()))
    assert tomorrow.status_code == 400 and "日期不能晚于今天" in tomorrow.get_data(as_text=True)
    dated_today = client.post("/contacts/new", data=contact_form(project, leaders=[world.leader.id]))
    assert dated_today.status_code == 302
    assert [c.occurred_on for c in db.session.query(Contact)] == [today]


def test_forms_built_at_half_past_eleven_utc_on_new_years_eve_offer_new_years_day(app, unpinned_clock, monkeypatch):
    """The contact, new project, stage and 到位资金 forms read the clock when they are built: at
    23:30 UTC on 31 December a Beijing user is offered 1 January of the next year (with
    `default=date.today` they were offered the server's 31 December)."""
    from app.contacts.forms import ContactForm
    from app.projects.forms import ArrivalForm, NewProjectForm, StageForm
    monkeypatch.setattr(clock, "utc_now", lambda: NEW_YEARS_EVE_UTC)
    monkeypatch.setitem(app.config, "TIME_ZONE", "Asia/Shanghai")
    with app.test_request_context("/"):
        offered = {form.__name__: getattr(form(), field).data for form, field in (
            (ContactForm, "occurred_on"), (NewProjectForm, "stage_on"), (StageForm, "changed_on"),
            (ArrivalForm, "arrived_on"))}
    assert offered == dict.fromkeys(("ContactForm", "NewProjectForm", "StageForm", "ArrivalForm"), date(2027, 1, 1))


def test_stored_stamps_are_the_clocks_instant_in_naive_utc(app, db, monkeypatch):
    """A record's stamp (here an audit record's) is the clock's instant as stored: naive UTC,
    still 31 December, read from the one clock a test can shift."""
    from app import audit
    monkeypatch.setattr(clock, "utc_now", lambda: NEW_YEARS_EVE_UTC)
    assert clock.utcnow() == datetime(2026, 12, 31, 23, 30)
    record = audit.record("create", "project", 1, user=None)
    db.session.commit()
    assert record.occurred_at == datetime(2026, 12, 31, 23, 30)
