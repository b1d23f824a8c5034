"""The printed reports. The bureau previews a month's bulletin (in the browser), issues it
after a confirm page (or a numbered correction), and sees who has read it; every zone reads
the issued bulletins with its own rank and movement; zone roles download their own zone's report
and their leaders' contact lists (another zone's answers 404, as everywhere). Every download is
audited (action `export`, with the file's name and the address asked for) before it is sent."""
from __future__ import annotations

import io
from datetime import date

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from app import audit
from app.auth.access import get_in_scope_or_404, roles_required
from app.extensions import db
from app.models import BUREAU, LEADER, STAFF, ReportArchive, User, Zone
from app.queries import bulletins
from app.queries.notifications import zone_users
from app.queries.progress import build_progress, leader_progress
from app.queries.reports import leader_contacts, zone_ledger
from app.services.bulletins import ReportError, issue_bulletin, monthly_bulletin, plan_issue, record_read
from app.request_args import from_and_to, year_and_as_of
import reports

from . import bp
from .. import clock


def _pdf(data: bytes, filename: str, entity: str = "report", entity_id: int | None = None,
         zone_id: int | None = None, inline: bool = False):
    """A PDF, audited first; `inline` opens it in the browser's viewer (a preview, a bulletin to read)."""
    audit.record("export", entity, entity_id, zone_id=zone_id, after={"file": filename, "path": request.full_path})
    db.session.commit()
    response = send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=not inline,
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
    """A preview of a month's bulletin, built now and not archived; it opens in the browser."""
    year, month = _year_month()
    try:
        bulletin = monthly_bulletin(year, month, clock.today())
    except ReportError:
        abort(400)
    return _pdf(bulletin.pdf, f"{year}年{month}月开发区招商引资工作通报（预览）.pdf", inline=True)


@bp.route("/archive")
@roles_required(BUREAU, LEADER, STAFF)
def archive():
    """Issued bulletins: the bureau issues and sees who read them; zones read them."""
    today = clock.today()
    year = request.args.get("year", type=int) or today.year
    is_bureau = current_user.role == BUREAU
    return render_template("reports/archive.html", rows=bulletins.archive_rows(with_readers=is_bureau), year=year,
                           today=today, is_bureau=is_bureau, last_month=_last_month(today))


def _last_month(today: date) -> tuple[int, int]:
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


@bp.route("/monthly/issue", methods=["GET"])
@roles_required(BUREAU)
def issue_confirm():
    """What issuing a month would send, to confirm (or, for a month already issued, to correct)."""
    year, month = _year_month()
    note = request.args.get("correction_note", "")
    try:
        plan = plan_issue(year, month, clock.today(), note)
    except ReportError as error:
        flash(str(error), "error")
        return redirect(url_for("reports.archive", year=year))
    published = plan.bulletin.progress
    return render_template("reports/issue_confirm.html", plan=plan, progress=published,
                           recipients=zone_users(), note=note)


@bp.route("/monthly/issue", methods=["POST"])
@roles_required(BUREAU)
def issue():
    """Issue after the confirm page; a POST without its confirmation goes to that page first."""
    year, month = _year_month()
    confirmed = request.form.get("fingerprint")
    note = request.form.get("correction_note", "")
    if not confirmed:
        return redirect(url_for("reports.issue_confirm", year=year, month=month))
    try:
        archive = issue_bulletin(year, month, clock.today(), current_user, correction_note=note,
                                 confirmed_fingerprint=confirmed)
        db.session.commit()
    except ReportError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("reports.issue_confirm", year=year, month=month, correction_note=note or None))
    flash(f"{archive.issue_label}通报已签发存档并下发各开发区（数据指纹 {archive.fingerprint[:12]}…）。", "success")
    return redirect(url_for("reports.bulletin", archive_id=archive.id))


def _readable_archive(archive_id: int) -> ReportArchive:
    row = bulletins.archive(archive_id)
    if row is None:
        abort(404)
    if current_user.is_zone_role:
        record_read(row, current_user)
        db.session.commit()
    return row


@bp.route("/archive/<int:archive_id>")
@roles_required(BUREAU, LEADER, STAFF)
def bulletin(archive_id):
    """An issued bulletin on screen: the tiers' tables as published, the reader's own zone
    first with its rank and movement; for the bureau, who has opened it."""
    row = _readable_archive(archive_id)
    published = bulletins.published(row)
    own = None
    if current_user.is_zone_role and published is not None:
        own = published.zone(current_user.zone.code)
    receipts = bulletins.read_receipts(row.id) if current_user.role == BUREAU else None
    return render_template("reports/bulletin.html", row=row, published=published, own=own, receipts=receipts,
                           superseded_by=bulletins.superseding(row),
                           corrects=bulletins.archive(row.corrects_id) if row.corrects_id else None)


@bp.route("/archive/<int:archive_id>.pdf")
@roles_required(BUREAU, LEADER, STAFF)
def archived(archive_id):
    row = _readable_archive(archive_id)
    return _pdf(row.pdf, f"{row.issue_label}开发区招商引资工作通报（{row.issued_on.isoformat()}签发）.pdf",
                "report", row.id, inline=request.args.get("download") != "1")


@bp.route("/zone/<int:zone_id>.pdf")
@roles_required(LEADER, STAFF, BUREAU)
def zone_report(zone_id):
    zone = get_in_scope_or_404(Zone, zone_id)
    year, as_of = year_and_as_of()
    progress = build_progress(year, as_of)
    pdf = reports.build_zone_report(progress, zone.id, zone_ledger(zone.id, year), generated_on=clock.today())
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
                                    generated_on=clock.today())
    return _pdf(pdf, f"{leader.name}对接项目清单（{start.isoformat()}至{end.isoformat()}）.pdf",
                "user", leader.id, leader.zone_id)
