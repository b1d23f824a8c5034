"""Downloads of the printed reports. The bureau previews, issues and re-downloads monthly
bulletins; zone roles download their own zone's report and their leaders' contact lists
(another zone's answers 404, as everywhere). Every download is audited (action `export`,
with the file's name and the address asked for) before the file is sent."""
from __future__ import annotations

import io
from datetime import date

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from app import audit
from app.auth.access import get_in_scope_or_404, roles_required
from app.extensions import db
from app.models import BUREAU, LEADER, STAFF, ReportArchive, User, Zone
from app.queries.progress import build_progress, leader_progress
from app.queries.reports import archived_bulletins, leader_contacts, zone_ledger
from app.services.bulletins import ReportError, issue_bulletin, monthly_bulletin
from app.request_args import from_and_to, year_and_as_of
import reports

from . import bp


def _pdf(data: bytes, filename: str, entity: str = "report", entity_id: int | None = None,
         zone_id: int | None = None):
    audit.record("export", entity, entity_id, zone_id=zone_id, after={"file": filename, "path": request.full_path})
    db.session.commit()
    response = send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                         download_name=filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _year_month():
    year = request.values.get("year", type=int)
    month = request.values.get("month", type=int)
    if year is None or month is None:
        abort(400)
    return year, month


@bp.route("/monthly")
@roles_required(BUREAU)
def monthly():
    """A preview of a month's bulletin, built now and not archived."""
    year, month = _year_month()
    try:
        bulletin = monthly_bulletin(year, month, date.today())
    except ReportError:
        abort(400)
    return _pdf(bulletin.pdf, f"{year}年{month}月开发区招商引资工作通报（预览）.pdf")


@bp.route("/archive")
@roles_required(BUREAU)
def archive():
    year = request.args.get("year", type=int) or date.today().year
    return render_template("reports/archive.html", rows=archived_bulletins(), year=year,
                           today=date.today())


@bp.route("/monthly/issue", methods=["POST"])
@roles_required(BUREAU)
def issue():
    year, month = _year_month()
    try:
        archive = issue_bulletin(year, month, date.today(), current_user)
        db.session.commit()
    except ReportError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(f"{year}年{month}月通报已签发存档（数据指纹 {archive.fingerprint[:12]}…）。", "success")
    return redirect(url_for("reports.archive", year=year))


@bp.route("/archive/<int:archive_id>.pdf")
@roles_required(BUREAU)
def archived(archive_id):
    row = db.session.get(ReportArchive, archive_id) or abort(404)
    return _pdf(row.pdf, f"{row.year}年{row.month}月开发区招商引资工作通报（{row.issued_on.isoformat()}签发）.pdf",
                "report", row.id)


@bp.route("/zone/<int:zone_id>.pdf")
@roles_required(LEADER, STAFF, BUREAU)
def zone_report(zone_id):
    zone = get_in_scope_or_404(Zone, zone_id)
    year, as_of = year_and_as_of()
    progress = build_progress(year, as_of)
    pdf = reports.build_zone_report(progress, zone.id, zone_ledger(zone.id, year), generated_on=date.today())
    return _pdf(pdf, f"{zone.name}{year}年招商引资工作进展情况（截至{as_of.isoformat()}）.pdf",
                "zone", zone.id, zone.id)


@bp.route("/leader/<int:user_id>.pdf")
@roles_required(LEADER, STAFF, BUREAU)
def leader_list(user_id):
    leader = get_in_scope_or_404(User, user_id)
    if leader.role != LEADER:
        abort(404)
    start, end = from_and_to()
    mine = leader_progress(leader, end.year, end)
    pdf = reports.build_leader_list(mine, leader_contacts(leader, start, end), start=start, end=end,
                                    generated_on=date.today())
    return _pdf(pdf, f"{leader.name}对接项目清单（{start.isoformat()}至{end.isoformat()}）.pdf",
                "user", leader.id, leader.zone_id)
