"""The bureau's desk: every zone and every leader against the year's targets and 序时进度."""
from datetime import date

from flask import render_template, request

from app.auth.access import roles_required
from app.domain.pacing import BEHIND
from app.domain.ranking import RANKING_FORMULA
from app.domain.targets import METRIC_ORDER, TIERS
from app.models import BUREAU
from app.progress import build_progress, targets_for

from . import bp


def year_and_as_of():
    """?year= and ?as_of= from the query string; today and this year by default."""
    today = date.today()
    year = request.args.get("year", type=int) or today.year
    if not 2000 <= year <= 2100:
        year = today.year
    try:
        as_of = date.fromisoformat(request.args.get("as_of", ""))
    except ValueError:
        as_of = min(today, date(year, 12, 31)) if year <= today.year else date(year, 1, 1)
    if as_of.year != year:
        as_of = date(year, 12, 31) if as_of.year > year else date(year, 1, 1)
    return year, as_of


@bp.route("/")
@roles_required(BUREAU)
def desk():
    year, as_of = year_and_as_of()
    progress = build_progress(year, as_of)
    by_tier = targets_for(year)
    columns = {tier: [m for m in METRIC_ORDER if m in by_tier.get(tier, {})] for tier in TIERS}
    leaders = sorted(progress.leaders, key=lambda l: (l.pace.status != BEHIND, l.pace.gap, l.zone_code, l.username))
    return render_template("review/desk.html", progress=progress, columns=columns, leaders=leaders,
                           formula=RANKING_FORMULA, has_targets=bool(by_tier))
