"""Reading a page's period from its address (?year=, ?as_of=, ?from=, ?to=) by the domain's
period rule; a period the rule refuses answers 400 with its Chinese reason."""
from __future__ import annotations

from datetime import date

from flask import abort, request

from app.domain.period import PeriodError, date_range, reporting_period
from . import clock


def date_arg(name: str) -> date | None:
    """A YYYY-MM-DD query argument, or None when absent or not a date."""
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def year_and_as_of() -> tuple[int, date]:
    try:
        return reporting_period(request.args.get("year", type=int), date_arg("as_of"), clock.today())
    except PeriodError as error:
        abort(400, description=str(error))


def from_and_to() -> tuple[date, date]:
    try:
        return date_range(date_arg("from"), date_arg("to"), clock.today())
    except PeriodError as error:
        abort(400, description=str(error))
