
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from app.auth.access import get_in_scope_or_404, roles_required
from app.domain.counting import KEY_LEVELS
from app.domain.pipeline import STAGES
from app.domain.project_fields import project_fields
from app.domain.tasks import may_handle
from app.extensions import db
from app.forms import refused_status
from app.models import BUREAU, LEADER, ROLES, STAFF, Project
from app.pagination import paginate
from app.queries.duplicates import likely_duplicates
from app.queries.ledger import (ProjectFilters, all_zones, project_contacts, project_list, stage_change_of,
                                stage_history, zone_leaders)
from app.queries.progress import flags_of, rates_for, threshold_flags

from . import bp
from .forms import (NO_STAGE, ArrivalDeleteForm, ArrivalForm, CorrectionForm, NewProjectForm, ProjectForm, StageForm,
                    TaskForm)
from app.domain.tasks import TaskError
from app.queries.tasks import project_tasks, task_owners
from app.services import tasks as task_service
from app.domain.funds import FundsError
from app.models import FundsArrival
from app.queries.money import project_arrivals, project_funds
from app.services.funds import add_arrival, delete_arrival
from app.services.projects import ProjectError, StageConflict, change_stage, check_change, correct_stage, create_project, update_project
from .. import clock


@bp.route("/")
@roles_required(LEADER, STAFF, BUREAU)
def index():
    year = clock.today().year
    flags, rates = threshold_flags(year), rates_for(year)
    args = request.args
    filters = ProjectFilters(
        search=args.get("q", ""), stage=args.get("stage") if args.get("stage") in STAGES else None,
        key_level=args.get("key") if args.get("key") in KEY_LEVELS else None, origin=args.get("origin"),
        zone_id=args.get("zone", type=int) or None,
        flag=next((f for f in flags if f.key == args.get("flag")), None), year=year)
    page = paginate(project_list(filters, current_user))
    zones = [] if current_user.is_zone_role else all_zones()
    row_flags = {p.id: flags_of(p, flags, rates) for p in page.items}
    return render_template("projects/index.html", page=page, flags=flags, row_flags=row_flags, zones=zones)


def _leader_choices(form, zone_id, current_leader_id=None):
    """The zone's leaders in post, and the project's own leader should they have left since."""
    leaders = [l for l in zone_leaders(zone_id, active_only=False) if l.active or l.id == current_leader_id]
    form.leader_id.choices = [(0, "（未指定）")] + [(l.id, l.name if l.active else f"{l.name}（已停用）")
                                                   for l in leaders]


@bp.route("/new", methods=["GET", "POST"])
@roles_required(LEADER, STAFF)
def new():
    form = NewProjectForm()
    _leader_choices(form, current_user.zone_id)
    if request.method == "GET" and current_user.role == LEADER:
        form.leader_id.data = current_user.id
    duplicates = None
    done = form.created_before("project") if request.method == "POST" else None
    if done is not None:  # the same form again (a retry, a double tap): the project it entered
        flash(f"项目“{get_in_scope_or_404(Project, done).name}”已经录入，重复提交未再次录入。", "success")
        return redirect(url_for("projects.detail", project_id=done))
    if form.validate_on_submit():
        duplicates = likely_duplicates(current_user.zone_id, form.name.data, form.investor_name.data or "",
                                       form.usci.data or "")
        if duplicates and request.form.get("confirm_new") != "y":
            flash("台账中可能已有这个项目，请核对下列项目；确不相同再勾选“仍然新建”后保存。", "error")
            return render_template("projects/form.html", form=form, project=None, duplicates=duplicates)
        try:
            project_id, created = form.create_once("project", lambda: create_project(
                current_user.zone_id, form.to_input(), current_user, stage=form.stage.data,
                stage_on=form.stage_on.data).id)
        except ProjectError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            project = get_in_scope_or_404(Project, project_id)
            flash(f"项目“{project.name}”已录入台账。" if created else
                  f"项目“{project.name}”已经录入，重复提交未再次录入。", "success")
            return redirect(url_for("projects.detail", project_id=project_id))
    elif request.method == "POST":
        flash("请按提示修改后再提交。", "error")
    # A refused submission is a 400 with the form as typed and its Chinese reasons.
    return render_template("projects/form.html", form=form, project=None, duplicates=duplicates), refused_status()


@bp.route("/<int:project_id>")
@roles_required(LEADER, STAFF, BUREAU)
def detail(project_id):
    return _detail_page(get_in_scope_or_404(Project, project_id))


def _detail_page(project, arrival_form: ArrivalForm | None = None):
    """The project page; with the arrival form as typed when it was refused (nothing typed is lost)."""
    contacts = project_contacts(project.id)
    history = stage_history(project.id)
    today = clock.today()
    year = today.year
    stage_form = StageForm()
    stage_form.stage.choices = NO_STAGE + [(k, v) for k, v in STAGES.items() if k != project.stage]
    arrivals = project_arrivals(project.id)
    funds = project_funds(project, arrivals, {y: rates_for(y) for y in {a.arrived_on.year for a in arrivals}})
    owners = task_owners(project.zone_id) if current_user.role in (LEADER, STAFF) else []
    task_form = _task_form(owners)
    tasks = project_tasks(project.id)
    handled = {t.id for t in tasks if may_handle(t.owner_id, t.zone_id, current_user.id, current_user.role,
                                                   current_user.zone_id)}
    return render_template("projects/detail.html", project=project, contacts=contacts, history=history,
                           fields={f.key: f for f in project_fields()},
                           flags=flags_of(project, threshold_flags(year), rates_for(year)),
                           stage_form=stage_form, arrivals=arrivals, funds=funds, arrival_form=arrival_form or ArrivalForm(),
                           delete_form=ArrivalDeleteForm(), tasks=tasks, handled=handled, owners=owners,
                           task_form=task_form, today=today)


def _task_form(owners) -> TaskForm:
    form = TaskForm()
    form.owner_id.choices = [(u.id, f"{u.name}（{ROLES[u.role]}）") for u in owners]
    if request.method == "GET":
        form.owner_id.data = current_user.id
    return form


@bp.route("/<int:project_id>/tasks", methods=["POST"])
@roles_required(LEADER, STAFF)
def add_task(project_id):
    """新增下一步 on the project page: its owner any leader or staff member of the zone."""
    project = get_in_scope_or_404(Project, project_id)
    owners = task_owners(project.zone_id)
    form = _task_form(owners)
    if form.validate_on_submit():
        owner = next((u for u in owners if u.id == form.owner_id.data), None)
        try:
            if owner is None:
                raise TaskError("下一步负责人须为本开发区在职的领导或招商专员", "owner_id")
            _, created = form.create_once("task", lambda: task_service.open_task(
                project, form.title.data, form.due_on.data, owner, current_user).id)
        except TaskError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash(f"已新增下一步：{form.title.data.strip()}（负责人 {owner.name}）" if created else
                  "这项下一步已经新增，重复提交未再次新增。", "success")
    else:
        for errors in form.errors.values():
            flash(errors[0], "error")
    return redirect(url_for("projects.detail", project_id=project.id) + "#tasks")


@bp.route("/<int:project_id>/arrivals", methods=["POST"])
@roles_required(LEADER, STAFF)
def add_arrival_view(project_id):
    project = get_in_scope_or_404(Project, project_id)
    form = ArrivalForm()
    if form.validate_on_submit():
        try:
            _, created = form.create_once("arrival", lambda: add_arrival(project, form.to_input(), current_user).id)
        except FundsError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash("到位资金已登记。" if created else "这笔到位资金已经登记，重复提交未再次登记。", "success")
            return redirect(url_for("projects.detail", project_id=project.id) + "#funds")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
    # Refused: the page again with what was typed, as a 400 (bad input, nothing written).
    return _detail_page(project, form), 400


@bp.route("/<int:project_id>/arrivals/<int:arrival_id>/delete", methods=["POST"])
@roles_required(LEADER, STAFF)
def delete_arrival_view(project_id, arrival_id):
    project = get_in_scope_or_404(Project, project_id)
    arrival = get_in_scope_or_404(FundsArrival, arrival_id)
    if arrival.project_id != project.id:
        abort(404)
    form = ArrivalDeleteForm()
    if form.validate_on_submit():
        delete_arrival(arrival, current_user, form.reason.data)
        db.session.commit()
        flash("该笔到位资金已删除（审计日志保留原记录与原因）。", "success")
    else:
        flash("请说明删除原因。", "error")
    return redirect(url_for("projects.detail", project_id=project.id) + "#funds")


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@roles_required(LEADER, STAFF)
def edit(project_id):
    project = get_in_scope_or_404(Project, project_id)
    form = ProjectForm(obj=project)
    _leader_choices(form, project.zone_id, project.leader_id)
    if request.method == "GET":
        investor = project.investor
        form.investor_name.data = investor.name if investor else ""
        form.origin.data = investor.origin if investor else "CN"
        form.usci.data = investor.usci if investor else ""
        form.key_level.data = project.key_level or ""
        form.leader_id.data = project.leader_id or 0
    if form.validate_on_submit():
        try:
            update_project(project, form.to_input(), current_user)
            db.session.commit()
        except ProjectError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash("项目信息已保存。", "success")
            return redirect(url_for("projects.detail", project_id=project.id))
    elif request.method == "POST":
        flash("请按提示修改后再提交。", "error")
    return render_template("projects/form.html", form=form, project=project), refused_status()


@bp.route("/<int:project_id>/stage", methods=["POST"])
@roles_required(LEADER, STAFF)
def stage(project_id):
    """A change of stage, in two steps: the form, then a confirmation that names the change."""
    project = get_in_scope_or_404(Project, project_id)
    form = StageForm()
    if form.validate_on_submit() and form.created_before("stage_change"):
        flash("阶段已经变更，重复提交未再次变更。", "success")
    elif form.validate_on_submit():
        new_stage, on, note = form.stage.data, form.changed_on.data, form.note.data or ""
        try:
            words = check_change(project, new_stage, on, note)
            if request.form.get("confirmed") != "y":
                return render_template("projects/stage_confirm.html", project=project, form=form, words=words)
            form.create_once("stage_change", lambda: change_stage(project, new_stage, on, note, current_user).id)
        except ProjectError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash(f"项目阶段已{words}（{on.isoformat()}）。", "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
    return redirect(url_for("projects.detail", project_id=project.id))


@bp.route("/<int:project_id>/stages/<int:change_id>/correct", methods=["GET", "POST"])
@roles_required(STAFF)
def correct(project_id, change_id):
    """更正 a mistaken stage change (zone staff): marked corrected, the true one recorded."""
    project = get_in_scope_or_404(Project, project_id)
    wrong = stage_change_of(project.id, change_id)
    form = CorrectionForm()
    if request.method == "POST" and wrong is not None and form.created_before("stage_correction"):
        flash("阶段记录已经更正，重复提交未再次更正。", "success")
        return redirect(url_for("projects.detail", project_id=project.id))
    if wrong is None or wrong.is_corrected:
        abort(404)
    conflicts = []
    if form.validate_on_submit():
        def write() -> int:
            true_change = correct_stage(project, wrong, form.stage.data or None,
                                        form.changed_on.data if form.stage.data else None, form.note.data, current_user,
                                        also=form.also.data or ())
            return true_change.id if true_change is not None else wrong.id
        try:
            form.create_once("stage_correction", write)
        except StageConflict as error:
            db.session.rollback()
            conflicts = error.conflicts  # shown beside the form, each to tick or the correction cancelled
        except ProjectError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            revoked = len(form.also.data or ())
            flash("阶段记录已更正，原记录保留并标为“已更正”" + (f"；同时撤销了 {revoked} 条与之矛盾的记录" if revoked else "")
                  + "。", "success")
            return redirect(url_for("projects.detail", project_id=project.id))
    elif request.method == "POST":
        flash("请按提示修改后再提交。", "error")
    return render_template("projects/correct.html", project=project, wrong=wrong, form=form, conflicts=conflicts,
                           history=stage_history(project.id))


@bp.route("/<int:project_id>/merge", methods=["GET", "POST"])
@roles_required(STAFF)
def merge(project_id):
    """合并重复项目 (zone staff): choose the duplicate, see what moves, confirm."""
    from app.queries.merges import merge_preview, project_by_reference
    from app.services.merges import MergeError, check_merge, merge_projects
    from .forms import MergeForm
    project = get_in_scope_or_404(Project, project_id)
    form = MergeForm(request.form if request.method == "POST" else request.args)
    if request.method == "POST" and form.created_before("merge"):
        flash("这两个项目已经合并，重复提交未再次合并。", "success")
        return redirect(url_for("projects.detail", project_id=project.id))
    investor = project.investor
    candidates = likely_duplicates(project.zone_id, project.name, investor.name if investor else "",
                                   (investor.usci or "") if investor else "", exclude_id=project.id, other_zones=False)
    other = preview = None
    if form.other.data:
        other = project_by_reference(project.zone_id, form.other.data.strip())
        if other is None:
            form.other.errors = ["本开发区没有这个项目"]
        else:
            try:
                check_merge(project, other)
            except MergeError as error:
                form.other.errors, other = [str(error)], None
            else:
                preview = merge_preview(project, other)
    if request.method == "POST" and other is not None and form.validate():
        if not form.confirm.data:
            flash("请勾选确认后再合并。", "error")
        else:
            name, moved = other.name, {}

            def write() -> int:
                moved.update(merge_projects(project, other, current_user))
                return project.id
            form.create_once("merge", write)
            flash(f"已将“{name}”并入本项目：对接记录 {moved['contacts']} 条、到位资金 {moved['arrivals']} 笔随之转入，"
                  "领导对接任务已重新计算。", "success")
            return redirect(url_for("projects.detail", project_id=project.id))
    return render_template("projects/merge.html", project=project, form=form, candidates=candidates,
                           other=other, preview=preview)
