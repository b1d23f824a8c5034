"""The one clock: what day (and what local time) it is for the zones' users.

Times are stored as UTC instants (utcnow). A calendar date a user sees or is
checked against (today, this year, 序时进度 as of today, "not later than today") is the date
in the configured time zone (TIME_ZONE, Beijing time by default), not the server's: a server
on UTC is still on yesterday between 00:00 and 08:00 Beijing time.

Call it as `clock.today()` (the module's attribute, read at each call), so that a test can pin
the one function for a whole run. The rules in app/domain never read it: they are given `today`.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from config import Config


def time_zone() -> ZoneInfo:
    """The app's configured zone; outside an app (a bench script driving a server), the zone the
    configuration gives (ZONECRM_TIME_ZONE, else Beijing time)."""
    return ZoneInfo(current_app.config["TIME_ZONE"] if has_app_context() else Config.TIME_ZONE)


def utc_now() -> datetime:
    """This instant, aware, in UTC."""
    return datetime.now(timezone.utc)


def utcnow() -> datetime:
    """This instant as the database stores it: naive UTC (every DateTime column, every stamp)."""
    return utc_now().replace(tzinfo=None)


def local(instant: datetime) -> datetime:
    """An instant in the configured zone; a naive value is UTC, as the database stores it."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=timezone.utc)
    return instant.astimezone(time_zone())


def start_of(day: date, zone: ZoneInfo | None = None) -> datetime:
    """Midnight of `day` in the configured zone (or `zone`), as stored: naive UTC."""
    return datetime.combine(day, time.min, zone or time_zone()).astimezone(timezone.utc).replace(tzinfo=None)


def now() -> datetime:
    """This instant in the configured zone (aware): for stamps a user reads, such as a file name."""
    return local(utc_now())


def today() -> date:
    """Today's date in the configured time zone: the app's only way to know what day it is."""
    return local(utc_now()).date()
