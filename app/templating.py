"""Jinja filters and globals: amounts, dates and pace as Chinese ledgers write them."""
from datetime import date, datetime

from flask import Flask, request, url_for
from flask_login import current_user

from . import clock
from .domain.counting import KEY_LEVELS
from .domain.money import CURRENCIES, Money, format_amount, in_wan
from .domain.funds import format_wan
from .domain.pacing import PACE_LABELS, PACE_RULE, one_decimal
from .domain.pipeline import STAGES, dates_as_of
from .domain import metrics
from .domain.targets import TIERS
from .models import ROLES
from .queries.audit_trail import time_heading
from .queries.scope import sees
from .charts import trend_chart
from .domain.forecast import FORECAST_RULE, forecast
from .domain.ranking import movement_label


def init_templating(app: Flask) -> None:
    app.jinja_env.filters.update(
        money=format_amount,
        cny=lambda amount: format_amount(Money(amount, "CNY")) if amount is not None else "—",
        cndate=_cndate,
        one_decimal=one_decimal,
        percent=_percent,
        wan_plain=in_wan,
        local_time=local_time,
        wan_exact=format_wan,
    )
    app.jinja_env.globals.update(
        STAGES=STAGES, KEY_LEVELS=KEY_LEVELS, metric_label=metrics.label, metric_currency=_metric_currency, TIERS=TIERS, ROLES=ROLES,
        PACE_LABELS=PACE_LABELS, PACE_RULE=PACE_RULE, CURRENCIES=CURRENCIES, url_with=_url_with, trend_chart=trend_chart, dates_as_of=dates_as_of, forecast=forecast,
        FORECAST_RULE=FORECAST_RULE, movement_label=movement_label,
        year_has_targets=_year_has_targets, sees_zone=_sees_zone,
        time_heading=lambda word="时间": time_heading(app.config["TIME_ZONE"], word),
    )

    @app.context_processor
    def navigation():
        signed_in = current_user.is_authenticated
        return {"can_log_contact": signed_in and current_user.is_zone_role,
                "unread_notifications": _unread if signed_in and current_user.role in ("leader", "staff", "bureau")
                else None,
                "kept_form": kept_form_here if request.method == "GET" else (lambda: None)}


def kept_form_here():
    from .forms import kept_form_here as here
    return here()


def _unread() -> int:
    """The bell's count, read when the header is drawn (one COUNT, only on pages with a header)."""
    from .queries.notifications import unread_count
    return unread_count(current_user.id)


def _sees_zone(zone_id: int) -> bool:
    """Whether the signed-in user sees a row of this zone (app/queries/scope.py's rule), for a
    page that links only the rows its reader may open."""
    return sees(current_user, zone_id)


def _year_has_targets(year: int) -> bool:
    """Whether the year has targets (one indexed query; a page asks once)."""
    from .queries.reference import has_targets
    return has_targets(year)


def local_time(value: datetime | None, seconds: bool = False) -> str:
    """A stored UTC time in the configured time zone (Beijing time), as 2024-03-01 09:30."""
    if value is None:
        return "—"
    return clock.local(value).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def _cndate(value: date | None) -> str:
    if value is None:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日"


def _percent(fraction) -> str:
    return f"{float(fraction) * 100:.1f}%"


def _url_with(**changes) -> str:
    """The current page's URL with some query arguments changed (filters, pages)."""
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items() if v is not None})
    for k, v in changes.items():
        if v is None:
            args.pop(k, None)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def _metric_currency(key: str) -> str:
    """The currency a metric's threshold is usually written in (美元 for foreign capital)."""
    metric = metrics.find(key)
    return metric.threshold_currency if metric else "CNY"
