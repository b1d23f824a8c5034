"""Zone monthly indicators (营业收入, 实际使用外资): zone staff report their own zone's months,
the bureau any zone's, and uploads the city-wide sheet. Views parse, call and render."""
from datetime import date

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.access import roles_required
from app.domain.funds import FundsError, growth, MonthlyFacts, FDI, REVENUE
from app.domain.money import MoneyError, read_money
from app.domain.period import PeriodError, check_year
from app.extensions import db
from app.exports import xlsx_response
from app.imports.indicators_import import INDICATORS
from app.imports.jobs import is_stale, own_job, progress_of, recent_jobs
from app.imports.reader import ImportFileError, Limits, megabytes
from app.imports.sheets import indicator_template
from app.imports.steps import SHOWN_ERRORS, queue_check, queue_commit, receive_upload
from app.forms import OnceForm, refused_status
from app.models import BUREAU, STAFF, ImportJob
from app.queries.ledger import all_zones
from app.queries.money import monthly_rows
from app.services.funds import MonthlyInput, report_month

from . import bp
from .. import clock


def _zone_for_request():
    """The zone asked for among those the user sees (a zone's staff: their own), else the first."""
    zone_id = request.values.get("zone", type=int)
    zones = all_zones(current_user)
    return next((z for z in zones if z.id == zone_id), zones[0] if zones else None)


@bp.route("/", methods=["GET", "POST"])
@roles_required(STAFF, BUREAU)
def index():
    zone = _zone_for_request() or abort(404)
    try:
        year = check_year(request.values.get("year", type=int) or clock.today().year)
    except PeriodError:
        abort(400)
    keyed = OnceForm()  # the page's form carries a key: the same month posted twice saves once
    if request.method == "POST":
        form = request.form
        try:
            month = int(form.get("month", "0"))
            data = MonthlyInput(zone.id, year, month, read_money(form.get("revenue", ""), "万元"),
                                read_money(form.get("fdi", ""), "万美元"), form.get("reason", ""))
            _, created = keyed.create_once("zone_monthly", lambda: report_month(data, current_user)[0].id)
        except (FundsError, MoneyError, ValueError) as error:
            db.session.rollback()
            flash(str(error) if not isinstance(error, ValueError) or str(error) else "请选择月份", "error")
        else:
            flash(f"{zone.name}{year}年{month}月指标已保存。" if created else
                  f"{zone.name}{year}年{month}月指标已经保存，重复提交未再次保存。", "success")
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
                           keyed=OnceForm(formdata=None),
                           zones=[] if current_user.is_zone_role else all_zones(),
                           typed=request.form if request.method == "POST" else {}), refused_status()


# ---------------------------------------------------------------- the city-wide sheet, imported

# The bureau uploads every zone's rows; a zone's staff upload their own zone's rows only. The
# steps are the ledger import's (app/imports/jobs.py, on the queue): upload → check (dry run) →
# 确认导入 with one reason for the figures it corrects.

def _import_job_or_404(job_id: int, fresh: bool = False) -> ImportJob:
    """One of the user's own indicator uploads: the zone's (staff) or the bureau's (no zone)."""
    return own_job(job_id, INDICATORS, current_user, fresh) or abort(404)


def _imports_page(error: str | None = None, status: int = 200):
    limits = Limits.from_config(current_app.config)
    return render_template("indicators/imports.html", jobs=recent_jobs(current_user, kind=INDICATORS),
                           error=error, max_size=megabytes(limits.max_bytes), max_rows=limits.max_rows), status


@bp.route("/import")
@roles_required(STAFF, BUREAU)
def imports():
    return _imports_page()


@bp.route("/import", methods=["POST"])
@roles_required(STAFF, BUREAU)
def import_upload():
    try:
        job = receive_upload(current_user.zone, INDICATORS)
    except ImportFileError as error:
        return _imports_page(str(error), 400)
    return redirect(url_for("indicators.import_job", job_id=job.id))


@bp.route("/import/<int:job_id>")
@roles_required(STAFF, BUREAU)
def import_job(job_id):
    job = _import_job_or_404(job_id)
    summary = job.summary or {}
    return render_template("indicators/import_job.html", job=job, summary=summary, progress=progress_of(job),
                           stale=is_stale(job), errors=(summary.get("errors") or [])[:SHOWN_ERRORS])


@bp.route("/import/<int:job_id>/check", methods=["POST"])
@roles_required(STAFF, BUREAU)
def import_check(job_id):
    _import_job_or_404(job_id)
    queue_check(job_id)
    return redirect(url_for("indicators.import_job", job_id=job_id))


@bp.route("/import/<int:job_id>/commit", methods=["POST"])
@roles_required(STAFF, BUREAU)
def import_commit(job_id):
    job = _import_job_or_404(job_id)
    reason = (request.form.get("reason") or "").strip()
    if (job.summary or {}).get("changed") and not reason:
        flash("本次导入将更正已报送的数字，请填写更正原因", "error")
    else:
        queue_commit(job_id, reason)
    return redirect(url_for("indicators.import_job", job_id=job_id))


@bp.route("/import/<int:job_id>/progress")
@roles_required(STAFF, BUREAU)
def import_progress(job_id):
    return jsonify(progress_of(_import_job_or_404(job_id, fresh=True)))


@bp.route("/import/template.xlsx")
@roles_required(STAFF, BUREAU)
def import_template():
    return xlsx_response(indicator_template(), "月度指标导入模板.xlsx")
