"""The import pages: upload → dry run summary → 确认导入; the template and the zone's export.

Thin: the work is in jobs.py (the job's steps) and ledger_import.py (locating, planning, writing)."""
from datetime import date

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import OperationalError

from app import audit
from app.auth.access import roles_required
from app.exports import Column, workbook, xlsx_response
from app.extensions import db
from app.models import LEADER, STAFF, ImportJob

from . import bp
from .jobs import JobStateError, check_job, check_quota, commit_job, create_job, is_stale, progress_of, recent_jobs
from .reader import ImportFileError, Limits, file_kind, megabytes
from .sheets import template_workbook, zone_workbook

SHOWN_ERRORS = 200
# SQLite has one writer: while another zone's import writes, this step could not start.
BUSY = "系统正忙（另一项导入正在写入），未作任何改动，请稍后重试"


def _job_or_404(job_id: int, fresh: bool = False) -> ImportJob:
    job = db.session.get(ImportJob, job_id, populate_existing=fresh)
    if job is None or job.zone_id != current_user.zone_id:
        abort(404)
    return job


def _index(error: str | None = None, status: int = 200):
    jobs = recent_jobs(current_user.zone_id)
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
    upload_ = request.files.get("file")
    if upload_ is None or not upload_.filename:
        return _index("请选择要导入的文件", 400)
    limits = Limits.from_config(current_app.config)
    content = upload_.read(limits.max_bytes + 1)
    try:
        file_kind(upload_.filename, content, limits)
        check_quota(current_user, len(content))
    except ImportFileError as error:
        return _index(str(error), 400)
    job = create_job(current_user.zone, current_user, upload_.filename, content)
    db.session.commit()
    return redirect(url_for("imports.job", job_id=job.id))


@bp.route("/<int:job_id>")
@roles_required(LEADER, STAFF)
def job(job_id):
    job = _job_or_404(job_id)
    summary = job.summary or {}
    return render_template("imports/job.html", job=job, summary=summary, progress=progress_of(job),
                           stale=is_stale(job), errors=(summary.get("errors") or [])[:SHOWN_ERRORS])


@bp.route("/<int:job_id>/check", methods=["POST"])
@roles_required(LEADER, STAFF)
def check(job_id):
    _job_or_404(job_id)
    try:
        check_job(job_id)
    except JobStateError as error:
        flash(str(error), "error")
    except OperationalError:
        db.session.rollback()
        flash(BUSY, "error")
    return redirect(url_for("imports.job", job_id=job_id))


@bp.route("/<int:job_id>/commit", methods=["POST"])
@roles_required(LEADER, STAFF)
def commit(job_id):
    _job_or_404(job_id)
    try:
        job = commit_job(job_id, current_user)
    except JobStateError as error:
        flash(str(error), "error")
    except OperationalError:
        db.session.rollback()
        flash(BUSY, "error")
    else:
        if job.status == "done":
            flash(f"导入完成：新增 {job.created}，更新 {job.updated}，无变化 {job.unchanged}，"
                  f"未导入的错误行 {job.rejected}。", "success")
        else:
            flash(job.error, "error")
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
    rows = [[e["sheet"], e["row"], e["column"], e["message"]] for e in (job.summary or {}).get("errors", [])]
    columns = [Column("工作表", width=12), Column("行号", "int", 8), Column("列", width=18), Column("问题", width=70)]
    content = workbook({"错误清单": (columns, rows)}, title=f"导入错误清单（{job.file_name}）",
                       issuer=current_user.zone.name if current_user.zone else "")
    return xlsx_response(content, f"导入错误清单_{job.file_name}.xlsx")


@bp.route("/template.xlsx")
@roles_required(LEADER, STAFF)
def template():
    return xlsx_response(template_workbook(), "项目台账导入模板.xlsx")


@bp.route("/export.xlsx")
@roles_required(LEADER, STAFF)
def export():
    zone = current_user.zone
    filename = f"{zone.name}_项目台账_{date.today().isoformat()}.xlsx"
    audit.record("export", "ledger", None, zone_id=zone.id, after={"file": filename, "path": request.full_path})
    content = zone_workbook(zone)
    db.session.commit()
    return xlsx_response(content, filename)
