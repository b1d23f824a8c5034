"""Zone monthly indicators (营业收入, 实际使用外资): zone staff report their own zone's months,
the bureau any zone's, and uploads the city-wide sheet. Views parse, call and render."""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.access import roles_required
from app.domain.funds import FundsError, growth, MonthlyFacts, FDI, REVENUE
from app.domain.ledger import LedgerError, parse_money
from app.domain.period import PeriodError, check_year
from app.extensions import db
from app.forms import refused_status
from app.models import BUREAU, STAFF, Zone
from app.queries.ledger import all_zones
from app.queries.money import monthly_rows
from app.services.funds import MonthlyInput, report_month

from . import bp


def _zone_for_request():
    if current_user.is_zone_role:
        return db.session.get(Zone, current_user.zone_id)
    zone_id = request.values.get("zone", type=int)
    zones = all_zones()
    return next((z for z in zones if z.id == zone_id), zones[0] if zones else None)


@bp.route("/", methods=["GET", "POST"])
@roles_required(STAFF, BUREAU)
def index():
    zone = _zone_for_request() or abort(404)
    try:
        year = check_year(request.values.get("year", type=int) or date.today().year)
    except PeriodError:
        abort(400)
    if request.method == "POST":
        form = request.form
        try:
            month = int(form.get("month", "0"))
            report_month(MonthlyInput(zone.id, year, month, parse_money(form.get("revenue", ""), "万元"),
                                      parse_money(form.get("fdi", ""), "万美元"), form.get("reason", "")),
                         current_user)
            db.session.commit()
        except (FundsError, LedgerError, ValueError) as error:
            db.session.rollback()
            flash(str(error) if not isinstance(error, ValueError) or str(error) else "请选择月份", "error")
        else:
            flash(f"{zone.name}{year}年{month}月指标已保存。", "success")
            return redirect(url_for("indicators.index", zone=zone.id, year=year))
    rows = monthly_rows([year - 1, year], zone.id)
    by_month = {(r.year, r.month): r for r in rows}
    facts = [MonthlyFacts(r.zone_id, r.year, r.month, r.revenue, r.fdi) for r in rows]
    months = []
    for month in range(1, 13):
        as_of = date(year, month, 1)
        months.append((month, by_month.get((year, month)), by_month.get((year - 1, month)),
                       growth(facts, REVENUE, year, as_of), growth(facts, FDI, year, as_of)))
    # Refused: the page again, the figures as typed, as a 400.
    return render_template("indicators/index.html", zone=zone, year=year, months=months,
                           zones=[] if current_user.is_zone_role else all_zones(),
                           typed=request.form if request.method == "POST" else {}), refused_status()
