"""The import pages: upload → dry run summary → 确认导入; the template and the zone's export.

Thin: the work is in jobs.py (the job's steps) and ledger_import.py (locating, planning, writing).
A step is queued here and run by a worker (app/tasks.py): the page answers at once with the job's
page, which follows the progress the worker writes to the database."""

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from app import audit
from app.auth.access import roles_required
from app.exports import xlsx_response
from app.extensions import db
from app.models import LEADER, STAFF, ImportJob
from app.services.column_mappings import save_answers

from . import bp
from .duplicates import with_decisions
from .jobs import is_stale, own_job, progress_of, recent_jobs
from .mapping import read_answers
from .reader import ImportFileError, Limits, megabytes
from .sheets import error_workbook, template_workbook, zone_workbook
from .steps import SHOWN_ERRORS, queue_check, queue_commit, receive_upload
from .summary import not_ready
from .. import clock


def _job_or_404(job_id: int, fresh: bool = False) -> ImportJob:
    return own_job(job_id, "ledger", current_user, fresh) or abort(404)


def _index(error: str | None = None, status: int = 200):
    jobs = recent_jobs(current_user)
    limits = Limits.from_config(current_app.config)
    return render_template("imports/index.html", jobs=jobs, error=error, max_size=megabytes(limits.max_bytes),
                           max_rows=limits.max_rows), status


@bp.route("/")
@roles_required(LEADER, STAFF)
def index():
    return _index()


@bp.route("/", methods=["POST"])
@roles_required(LEADER, STAFF)
def upload():
    try:
        job = receive_upload(current_user.zone, "ledger")
    except ImportFileError as error:
        return _index(str(error), 400)
    return redirect(url_for("imports.job", job_id=job.id))


@bp.route("/<int:job_id>")
@roles_required(LEADER, STAFF)
def job(job_id):
    job = _job_or_404(job_id)
    summary = job.summary or {}
    return render_template("imports/job.html", job=job, summary=summary, progress=progress_of(job),
                           stale=is_stale(job), errors=(summary.get("errors") or [])[:SHOWN_ERRORS],
                           editable=job.status == "checked")


@bp.route("/<int:job_id>/check", methods=["POST"])
@roles_required(LEADER, STAFF)
def check(job_id):
    _job_or_404(job_id)
    queue_check(job_id)
    return redirect(url_for("imports.job", job_id=job_id))


@bp.route("/<int:job_id>/commit", methods=["POST"])
@roles_required(LEADER, STAFF)
def commit(job_id):
    refused = not_ready(_job_or_404(job_id).summary)
    if refused:
        flash(refused, "error")
    else:
        queue_commit(job_id)
    return redirect(url_for("imports.job", job_id=job_id))


@bp.route("/<int:job_id>/columns", methods=["POST"])
@roles_required(LEADER, STAFF)
def columns(job_id):
    """The mapping step: the answers for the columns no field declares, saved for the zone, then the dry run again."""
    job = _job_or_404(job_id)
    try:
        answers = read_answers(request.form)
    except ImportFileError as error:
        flash(str(error), "error")
        return redirect(url_for("imports.job", job_id=job_id))
    save_answers(job.zone, current_user, answers)
    db.session.commit()
    queue_check(job_id)
    return redirect(url_for("imports.job", job_id=job_id))


@bp.route("/<int:job_id>/duplicates", methods=["POST"])
@roles_required(LEADER, STAFF)
def decide(job_id):
    """The user's decisions on the likely duplicates held; the dry run is made again with them."""
    job = _job_or_404(job_id)
    if job.status != "checked" or not (job.summary or {}).get("pairs"):
        flash("该文件不在待确认状态，不能再选择可能重复的行", "error")
        return redirect(url_for("imports.job", job_id=job_id))
    job.summary = with_decisions(job.summary, request.form)
    db.session.commit()
    queue_check(job_id)
    return redirect(url_for("imports.job", job_id=job_id))


@bp.route("/<int:job_id>/progress")
@roles_required(LEADER, STAFF)
def progress(job_id):
    # Always read anew: the progress is written on other connections while this session may hold the row.
    return jsonify(progress_of(_job_or_404(job_id, fresh=True)))


@bp.route("/<int:job_id>/errors.xlsx")
@roles_required(LEADER, STAFF)
def errors(job_id):
    job = _job_or_404(job_id)
    content, name = error_workbook(job.content, job.file_name, (job.summary or {}).get("errors", []),
                                   issuer=current_user.zone.name if current_user.zone else "")
    return xlsx_response(content, name)


@bp.route("/template.xlsx")
@roles_required(LEADER, STAFF)
def template():
    return xlsx_response(template_workbook(), "项目台账导入模板.xlsx")


@bp.route("/export.xlsx")
@roles_required(LEADER, STAFF)
def export():
    zone = current_user.zone
    filename = f"{zone.name}_项目台账_{clock.today().isoformat()}.xlsx"
    audit.record("export", "ledger", None, zone_id=zone.id, after={"file": filename, "path": request.full_path})
    content = zone_workbook(zone)
    db.session.commit()
    return xlsx_response(content, filename)
