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
    return render_template("review/desk.html", progress=progress, columns=columns,
                           formula=RANKING_FORMULA, has_targets=bool(by_tier))


@bp.route("/leaders")
@roles_required(BUREAU)
def leaders():
    """Every leader's quota against 序时进度, those behind first; filter by zone or tier."""
    year, as_of = year_and_as_of()
    progress = build_progress(year, as_of)
    rows = progress.leaders
    tier = request.args.get("tier")
    if tier in TIERS:
        rows = [l for l in rows if l.tier == tier]
    zone_id = request.args.get("zone", type=int)
    if zone_id:
        rows = [l for l in rows if l.zone_id == zone_id]
    rows = sorted(rows, key=lambda l: (l.pace.status != BEHIND, l.pace.gap, l.zone_code, l.username))
    zones = sorted(progress.zones, key=lambda z: (z.tier, z.code))
    return render_template("review/leaders.html", progress=progress, leaders=rows, zones=zones)
