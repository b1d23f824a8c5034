
from flask import abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from app.auth.access import get_in_scope_or_404, roles_required
from app.domain.pipeline import STAGES
from app.extensions import db
from app.forms import refused_status
from app.models import BUREAU, LEADER, ROLES, STAFF, Contact, Project, Task
from app.models.task import OPEN
from app.queries.tasks import task_owners
from app.pagination import paginate
from app.queries.duplicates import likely_duplicates
from app.queries.ledger import ContactFilters, all_zones, contact_list, picker_matches, zone_leaders
from app.queries.scope import zone_of
from app.queries.progress import leader_progress
from app.request_args import date_arg
from app.services import kept_forms
from app.services.projects import ProjectError, ProjectInput, create_project

from . import bp
from .forms import ContactForm
from app.services.contacts import ContactError, log_contact
from .. import clock


@bp.route("/new", methods=["GET", "POST"])
@roles_required(LEADER, STAFF)
def new():
    form = ContactForm()
    leaders = zone_leaders(current_user.zone_id)
    form.leaders.choices = [(l.id, l.name) for l in leaders]
    owners = task_owners(current_user.zone_id)
    form.next_step_owner.choices = [(u.id, f"{u.name}（{ROLES[u.role]}）") for u in owners]
    chosen, candidates = None, None
    if request.method == "GET":
        if current_user.role == LEADER:
            form.leaders.data = [current_user.id]
        form.next_step_owner.data = current_user.id
        preset = request.args.get("project_id", type=int)
        if preset:
            chosen = get_in_scope_or_404(Project, preset)
            form.project_id.data, form.project_name.data = str(chosen.id), chosen.name
        closing_id = request.args.get("task_id", type=int)
        if closing_id:
            form.close_task_id.data = str(closing_id)
    closing = _closing_task(form)
    if form.validate_on_submit():
        chosen = _chosen_project(form)
        if chosen is None and request.form.get("resolve") != "new":
            # A name that is no chosen project: ask, with the closest existing projects first.
            candidates = likely_duplicates(current_user.zone_id, form.project_name.data, form.new_investor.data)
            flash(f"台账中没有选中的项目。请从下列相近项目中选择，或确认新建项目“{form.project_name.data.strip()}”。",
                  "error")
        else:
            def write() -> int:
                project = chosen or _new_project(form)
                contact = log_contact(
                    project=project, occurred_on=form.occurred_on.data, form=form.form.data,
                    summary=form.summary.data, leaders=[l for l in leaders if l.id in form.leaders.data],
                    recorded_by=current_user, next_step=form.next_step.data or "",
                    next_step_on=form.next_step_on.data,
                    next_step_owner=next((u for u in owners if u.id == form.next_step_owner.data),
                                         current_user._get_current_object()),
                    closes_task=closing if request.form.get("close_task") else None,
                )
                kept_forms.discard(current_user.id, request.path)
                return contact.id
            try:
                contact_id, created = form.create_once("contact", write)
            except (ContactError, ProjectError) as error:
                db.session.rollback()
                flash(str(error), "error")
            else:
                session["kept_paths"] = [p for p in session.get("kept_paths", []) if p != request.path]
                if not created:  # the same form again (a retry, a double tap): the contact it logged
                    return _already_saved()
                contact = db.session.get(Contact, contact_id)
                session["draft_saved"] = "contact"  # static/js/draft.js forgets the browser's draft
                message = f"已记录与“{contact.project.name}”的对接。"
                if current_user.role == LEADER:
                    today = clock.today()
                    mine = leader_progress(current_user, today.year, today)
                    message += f"您今年已对接 {mine.contacted} 个项目（任务 {mine.quota} 个）。"
                flash(message, "success")
                return redirect(url_for("home.index"))
    elif request.method == "POST":
        chosen = _chosen_project(form) if form.project_id.data else None
        flash("请按提示修改后再提交。", "error")
    # The question which project was meant is no refusal; anything else after a POST is (400).
    return (render_template("contacts/new.html", form=form, chosen=chosen, candidates=candidates, closing=closing),
            200 if candidates is not None else refused_status())


def _already_saved():
    flash("这条对接记录已经保存，重复提交未再次记录。", "success")
    session["draft_saved"] = "contact"
    return redirect(url_for("home.index"))


def _closing_task(form: ContactForm) -> Task | None:
    """The open step this contact would close (完成并安排下一步), of the user's zone."""
    raw = form.close_task_id.data or ""
    if not raw.isdigit():
        return None
    task = get_in_scope_or_404(Task, int(raw))
    return task if task.state == OPEN else None


def _chosen_project(form: ContactForm) -> Project | None:
    """The project chosen in the picker (its id, not its name: same-name projects are
    distinct), or from the list of likely projects; None when none was chosen."""
    picked = request.form.get("resolve", "")
    picked = "" if picked == "new" else picked
    raw = picked or form.project_id.data or ""
    if not raw:
        return None
    try:
        project = get_in_scope_or_404(Project, int(raw))
    except ValueError:
        abort(400)
    if not picked and project.name != (form.project_name.data or "").strip():
        return None  # the name was changed after choosing: no longer that project
    form.project_id.data, form.project_name.data = str(project.id), project.name
    return project


def _new_project(form: ContactForm) -> Project:
    """A new ledger entry (线索) for a first contact, once the user confirmed it is new."""
    return create_project(current_user.zone_id, ProjectInput(
        name=form.project_name.data.strip(), investor_name=form.new_investor.data or "", origin=form.new_origin.data,
        industry_code=form.new_industry_code.data or None, total_investment=form.new_total_investment.money,
    ), current_user)


@bp.route("/lookup")
@roles_required(LEADER, STAFF)
def lookup():
    """Projects of the user's zone matching what was typed, for the contact form's picker."""
    rows = picker_matches(current_user, request.args.get("q", ""))
    return jsonify([{"id": r.id, "name": r.name, "investor": r.investor or "", "stage": STAGES[r.stage],
                     "code": r.code or ""} for r in rows])


@bp.route("/")
@roles_required(LEADER, STAFF, BUREAU)
def index():
    filters = ContactFilters(leader_id=request.args.get("leader", type=int) or None,
                             zone_id=request.args.get("zone", type=int) or None,
                             start=date_arg("from"), end=date_arg("to"))
    page = paginate(contact_list(filters, current_user))
    own_zone = zone_of(current_user)
    leaders = zone_leaders(own_zone) if own_zone is not None else []
    zones = [] if current_user.is_zone_role else all_zones()
    return render_template("contacts/index.html", page=page, leaders=leaders, zones=zones)
