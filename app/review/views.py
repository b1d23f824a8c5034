"""The bureau's desk: every zone and every leader against the year's targets and 序时进度."""
from datetime import date

from flask import abort, render_template, request
from flask_login import current_user
from markupsafe import Markup

from app import audit
from app.auth.access import get_in_scope_or_404, roles_required
from app.domain.pacing import BEHIND
from app.domain.ranking import RANKING_FORMULA
from app.domain import metrics as M
from app.domain.targets import TIERS
from app.exports import bureau, workbook, xlsx_response
from app.imports.sheets import city_workbook
from app.extensions import db
from app.queries import provinces, trends, watch as watchlists
from app.domain.forecast import FORECAST_RULE
from app.pagination import paginate
from app.request_args import year_and_as_of
from app.models import BUREAU, LEADER, STAFF, User, Zone
from app import charts as chart
from app.domain.pacing import expected_share
from app.queries.cache import cached
from app.queries.progress import (Period, build_progress, leader_progress, leaders_progress, projects_contacted,
                          projects_counted, stage_counts, targets_for, zones_with_tiers)

from app.domain.funds import GROWTH_RULE, months_through
from app.queries import money as money_queries

from . import bp, sheets
from .. import clock


@bp.route("/")
@roles_required(BUREAU)
def desk():
    """Every zone against the year's targets, ranked within tier. When the zones span more than
    one province, the desk opens on the province index and ?province= gives that province's
    zones (ranked within tier inside the province); a single-province install sees one desk."""
    year, as_of = year_and_as_of()
    names = provinces.provinces()
    province = request.args.get("province")
    if province is not None and province not in names:
        abort(404)
    if province is None and request.args.get("format") != "xlsx" and provinces.is_national(names):
        index = provinces.province_index(year, as_of)
        return render_template("review/provinces.html", progress=index, index=index)
    progress = build_progress(year, as_of, province)
    by_tier = targets_for(year)
    columns = {tier: [m.key for m in M.zone_metrics() if m.key in by_tier.get(tier, {})] for tier in TIERS}
    if request.args.get("format") == "xlsx":
        where = f"{province or provinces.UNNAMED}_" if province is not None else ""
        return _export(f"开发区进度_{where}{as_of.isoformat()}.xlsx", sheets.desk_sheets(progress),
                       f"{year}年{province or ''}开发区招商引资进度", as_of)
    # The ranking tables are the page's weight: rendered once per data version, like the Progress.
    parts = (year, as_of.isoformat(), request.script_root) + (() if province is None else (province,))
    tables = cached("desk-tables", parts,
                    lambda: render_template("review/_desk_tables.html", progress=progress, columns=columns))
    return render_template("review/desk.html", progress=progress, tables=Markup(tables),
                           formula=RANKING_FORMULA, has_targets=bool(by_tier), growth_rule=GROWTH_RULE,
                           province=province, province_label=(province or provinces.UNNAMED) if province is not None
                           else None)


# Sort orders of the leader view; the default puts those behind pace first, most behind on top.
LEADER_SORTS = {
    "pace": lambda l: (l.pace.status != BEHIND, l.pace.gap, l.zone_code, l.username),
    "contacted": lambda l: (-l.contacted, l.zone_code, l.username),
    "zone": lambda l: (l.tier, l.zone_code, l.username),
    "name": lambda l: (l.name, l.username),
}


@bp.route("/leaders")
@roles_required(BUREAU)
def leaders():
    """Every leader's quota against 序时进度, those behind first; filter by zone or tier."""
    year, as_of = year_and_as_of()
    zones = zones_with_tiers(year)
    rows = leaders_progress(year, as_of, zones)
    tier = request.args.get("tier")
    if tier in TIERS:
        rows = [l for l in rows if l.tier == tier]
    zone_id = request.args.get("zone", type=int)
    if zone_id:
        rows = [l for l in rows if l.zone_id == zone_id]
    rows = sorted(rows, key=LEADER_SORTS.get(request.args.get("sort"), LEADER_SORTS["pace"]))
    if request.args.get("format") == "xlsx":
        return _export(f"领导对接任务_{as_of.isoformat()}.xlsx", {"领导对接任务": sheets.leaders_sheet(rows)},
                       f"{year}年开发区领导对接任务完成情况", as_of)
    period = Period(year, as_of, expected_share(year, as_of))
    zones = [zone for zone, _ in sorted(zones, key=lambda zt: (zt[1], zt[0].code))]
    return render_template("review/leaders.html", progress=period, leaders=rows, zones=zones)


@bp.route("/zones/<int:zone_id>")
@roles_required(BUREAU, LEADER, STAFF)
def zone(zone_id):
    """One zone for the bureau (and its own people): targets and pace with the year-end
    forecast, rank in tier by month, leaders, trends, what needs attention, the zone report."""
    zone = get_in_scope_or_404(Zone, zone_id)
    year, as_of = year_and_as_of()
    # A national install ranks the zone within its province, as the bureau's province page does.
    months = trends.progress_by_month(year, as_of, provinces.ranked_within(zone))
    trend = trends.zone_trend(months, zone.id)
    now = months[-1].zone(zone.id) if months else None
    days = watchlists.STALE_DAYS
    stale = watchlists.all_stale_projects(clock.today(), days, watchlists.StaleFilters(zone_id=zone.id))
    return render_template("review/zone.html", zone=zone, year=year, as_of=as_of, trend=trend, now=now,
                           tier_size=len([z for z in months[-1].zones if now and z.tier == now.tier]) if months else 0,
                           stale=stale, days=days, forecast_rule=FORECAST_RULE, formula=RANKING_FORMULA,
                           share=expected_share(year, as_of))


@bp.route("/zones/<int:zone_id>/<metric>")
@roles_required(BUREAU, LEADER, STAFF)
def zone_metric(zone_id, metric):
    """The list behind one number on the desk: its length is the number."""
    zone = get_in_scope_or_404(Zone, zone_id)
    m = M.find(metric)
    if m is None or m.city:
        abort(404)
    year, as_of = year_and_as_of()
    if m.counts_money:
        return _money_rows(m, year, as_of, zone)
    if m.is_leader_quota:
        progress = build_progress(year, as_of, provinces.ranked_within(zone)).zone(zone.id)
        return render_template("review/explain_leaders.html", zone=zone, metric=progress.metric(metric),
                               leaders=progress.leaders, year=year, as_of=as_of, rule=m.rule)
    projects = projects_counted(metric, year, as_of, zone)
    if request.args.get("format") == "xlsx":
        return _export(f"{zone.name}_{m.label}_{as_of.isoformat()}.xlsx",
                       {m.label: sheets.projects_sheet(projects)}, f"{zone.name}{year}年{m.label}清单", as_of)
    return render_template("review/explain.html", title=f"{zone.name} · {m.label}", projects=projects,
                           year=year, as_of=as_of, rule=m.rule, show_zone=False, zone=zone, metric_name=m.label)


@bp.route("/city/<metric>")
@roles_required(BUREAU)
def city_metric(metric):
    m = M.find(metric)
    if m is None or not m.city:
        abort(404)
    year, as_of = year_and_as_of()
    if m.counts_money:
        return _money_rows(m, year, as_of, None)
    projects = projects_counted(metric, year, as_of)
    if request.args.get("format") == "xlsx":
        return _export(f"全市{m.label}_{as_of.isoformat()}.xlsx",
                       {m.label: sheets.projects_sheet(projects, with_zone=True)}, f"全市{year}年{m.label}清单", as_of)
    return render_template("review/explain.html", title=f"全市 · {m.label}", zone=None, metric_name=f"全市{m.label}",
                           projects=projects, year=year, as_of=as_of, rule=m.rule, show_zone=True)


def _money_rows(m, year, as_of, zone):
    """The arrivals or monthly rows behind a money figure (a zone's, or the city's)."""
    zone_id = zone.id if zone else None
    title = f"{zone.name if zone else '全市'} · {m.label}"
    if m.source == M.ARRIVALS:
        rows = money_queries.arrivals_behind(year, as_of, zone_id)
        base = money_queries.arrivals_behind(year - 1, _last_year(as_of), zone_id)
        return render_template("review/explain_money.html", title=title, arrivals=rows, base_arrivals=base,
                               months=None, year=year, as_of=as_of, rule=m.rule, metric=m, show_zone=zone is None)
    months = months_through(year, as_of)
    rows = [r for r in money_queries.monthly_rows([year - 1, year], zone_id) if r.month <= months
            or (r.year == year - 1 and m.counted_by == M.ZONES_BREAKING_THROUGH)]
    return render_template("review/explain_money.html", title=title, arrivals=None, months=rows, year=year,
                           as_of=as_of, rule=m.rule, metric=m, show_zone=zone is None, through=months)


def _last_year(day):
    return day.replace(year=day.year - 1) if not (day.month == 2 and day.day == 29) else date(day.year - 1, 2, 28)


@bp.route("/leaders/<int:user_id>")
@roles_required(BUREAU, LEADER, STAFF)
def leader_projects(user_id):
    leader = get_in_scope_or_404(User, user_id)
    if leader.role != LEADER:
        abort(404)
    year, as_of = year_and_as_of()
    return render_template("review/explain_leader.html", leader=leader, year=year, as_of=as_of,
                           mine=leader_progress(leader, year, as_of), rows=projects_contacted(leader.id, year, as_of),
                           rule=M.get(M.LEADER_CONTACTS).rule)


def _export(filename: str, content: dict, title: str, as_of: date):
    audit.record("export", "report", None, after={"file": filename, "path": request.full_path})
    db.session.commit()
    issuer = current_user.zone.name if current_user.is_zone_role else bureau()
    return xlsx_response(workbook(content, title=title, as_of=as_of, issuer=issuer), filename)


@bp.route("/watch")
@roles_required(BUREAU)
def watch():
    """What needs attention: big projects, who is behind, projects gone quiet, shared investors.
    The lists narrow by zone, tier and leader, sort, and export as filtered."""
    year, as_of = year_and_as_of()
    days = min(max(request.args.get("days", watchlists.STALE_DAYS, type=int), 1), 3650)
    tier = request.args.get("tier") if request.args.get("tier") in TIERS else None
    filters = watchlists.StaleFilters(zone_id=request.args.get("zone", type=int) or None, tier=tier,
                                      leader_id=request.args.get("leader", type=int) or None,
                                      sort=request.args.get("sort") if request.args.get("sort") in watchlists.STALE_SORTS
                                      else "quiet")
    progress = build_progress(year, as_of)

    def kept(zone_id, zone_tier):
        return (filters.zone_id is None or zone_id == filters.zone_id) and (tier is None or zone_tier == tier)

    behind_zones = [(z, [m for m in z.metrics if not m.pace.on_pace]) for z in progress.zones if kept(z.id, z.tier)]
    behind_zones = [(z, ms) for z, ms in behind_zones if ms]
    behind_leaders = sorted((l for l in progress.leaders if not l.pace.on_pace and kept(l.zone_id, l.tier)
                             and (filters.leader_id is None or l.id == filters.leader_id)), key=lambda l: l.pace.gap)
    if request.args.get("format") == "xlsx":
        stale_all = watchlists.all_stale_projects(clock.today(), days, filters)
        return _export(f"重点关注_{as_of.isoformat()}.xlsx", {
            f"超过{days}天未对接": sheets.stale_sheet(stale_all),
            "多区对接同一投资方": sheets.shared_sheet(watchlists.shared_investors()),
            "落后序时的领导": sheets.leaders_sheet(behind_leaders),
        }, f"{year}年招商引资重点关注事项", as_of)
    stale = paginate(watchlists.stale_projects(clock.today(), days, filters))
    zones = [z for z, _ in sorted(zones_with_tiers(year), key=lambda zt: (zt[1], zt[0].code))]
    leaders = sorted(progress.leaders, key=lambda l: (l.tier, l.zone_code, l.name))
    if filters.zone_id is not None:
        leaders = [l for l in leaders if l.zone_id == filters.zone_id]
    return render_template("review/watch.html", progress=progress, days=days, stale=stale,
                           flags=watchlists.threshold_counts(year), behind_zones=behind_zones,
                           behind_leaders=behind_leaders, shared=watchlists.shared_investors(),
                           shared_shown=watchlists.SHARED_SHOWN, filters=filters, zones=zones, leaders=leaders,
                           sorts=watchlists.STALE_SORT_LABELS)


@bp.route("/exports/ledger.xlsx")
@roles_required(BUREAU)
def city_ledger():
    """Every zone's ledger, contact log and funds arrived as of a date, in the import template's layout."""
    _, as_of = year_and_as_of()
    filename = f"全市开发区项目台账_{as_of.isoformat()}.xlsx"
    audit.record("export", "report", None, after={"file": filename, "path": request.full_path})
    db.session.commit()
    return xlsx_response(city_workbook(as_of, bureau()), filename)


@bp.route("/charts")
@roles_required(BUREAU)
def charts():
    """Pictures of the desk: quota progress per zone against 序时进度, projects by stage, and the
    city's totals month by month."""
    year, as_of = year_and_as_of()
    progress = build_progress(year, as_of)
    by_zone = stage_counts(as_of)
    city = {}
    for counts in by_zone.values():
        for stage, n in counts.items():
            city[stage] = city.get(stage, 0) + n
    quota = {tier: chart.quota_bars(progress.zones_in_tier(tier)) for tier in TIERS}
    stages = chart.stage_bars([("全市", city)] + [(z.name, by_zone.get(z.id, {}))
                                                 for tier in TIERS for z in progress.zones_in_tier(tier)])
    city = trends.city_trend(trends.progress_by_month(year, as_of))
    return render_template("review/charts.html", progress=progress, quota=quota, stages=stages,
                           stage_order=chart.STAGE_ORDER, city_trends=city)
