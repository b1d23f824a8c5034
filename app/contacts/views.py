from datetime import date

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.domain.pipeline import STAGES
from app.auth.access import get_in_scope_or_404, roles_required, scoped_to_zone
from app.extensions import db
from app.models import BUREAU, LEADER, STAFF, Contact, Investor, Project, User, Zone
from app.pagination import like_escape, paginate
from app.queries.progress import leader_progress
from app.services.projects import ProjectError, ProjectInput, create_project

from . import bp
from .forms import ContactForm
from app.services.contacts import ContactError, log_contact


def _zone_leaders(zone_id):
    return db.session.scalars(
        select(User).where(User.zone_id == zone_id, User.role == LEADER, User.active.is_(True)).order_by(User.name)
    ).all()


@bp.route("/new", methods=["GET", "POST"])
@roles_required(LEADER, STAFF)
def new():
    form = ContactForm()
    leaders = _zone_leaders(current_user.zone_id)
    form.leaders.choices = [(l.id, l.name) for l in leaders]
    if request.method == "GET":
        if current_user.role == LEADER:
            form.leaders.data = [current_user.id]
        preset = request.args.get("project_id", type=int)
        if preset:
            project = get_in_scope_or_404(Project, preset)
            form.project_id.data, form.project_name.data = str(project.id), project.name
    if form.validate_on_submit():
        try:
            project = _project_for(form)
            contact = log_contact(
                project=project, occurred_on=form.occurred_on.data, form=form.form.data,
                summary=form.summary.data, leaders=[l for l in leaders if l.id in form.leaders.data],
                recorded_by=current_user, next_step=form.next_step.data or "",
                next_step_on=form.next_step_on.data,
            )
            db.session.commit()
        except (ContactError, ProjectError) as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            message = f"已记录与“{contact.project.name}”的对接。"
            if current_user.role == LEADER:
                mine = leader_progress(current_user, date.today().year, date.today())
                message += f"您今年已对接 {mine.contacted} 个项目（任务 {mine.quota} 个）。"
            flash(message, "success")
            return redirect(url_for("home.index"))
    elif request.method == "POST":
        flash("请按提示修改后再提交。", "error")
    return render_template("contacts/new.html", form=form)


def _project_for(form: ContactForm) -> Project:
    """The chosen project, or a new ledger entry (线索) for a first contact."""
    if form.project_id.data:
        try:
            project = get_in_scope_or_404(Project, int(form.project_id.data))
        except ValueError:
            abort(400)
        if project.name == form.project_name.data.strip():
            return project
    name = form.project_name.data.strip()
    existing = db.session.scalars(
        select(Project).where(Project.zone_id == current_user.zone_id, Project.name == name)
    ).all()
    if len(existing) == 1:
        return existing[0]
    if len(existing) > 1:
        raise ProjectError(f"本区有多个名为“{name}”的项目，请从下拉列表中选择")
    return create_project(current_user.zone_id, ProjectInput(
        name=name, investor_name=form.new_investor.data or "", origin=form.new_origin.data,
        industry=form.new_industry.data, total_investment=form.new_total_investment.money,
    ), current_user)


@bp.route("/lookup")
@roles_required(LEADER, STAFF)
def lookup():
    """Projects of the user's zone matching what was typed, for the contact form's picker."""
    term = request.args.get("q", "").strip()[:50]
    query = (select(Project.id, Project.name, Project.stage, Investor.name.label("investor"))
             .outerjoin(Investor, Investor.id == Project.investor_id)
             .where(Project.zone_id == current_user.zone_id))
    if term:
        pattern = "%" + like_escape(term) + "%"
        query = query.where(or_(Project.name.like(pattern, escape="\\"),
                                Investor.name.like(pattern, escape="\\"),
                                Project.code.like(pattern, escape="\\")))
    rows = db.session.execute(
        query.order_by(Project.last_contact_on.desc().nulls_last(), Project.id.desc()).limit(20)
    ).all()
    return jsonify([{"id": r.id, "name": r.name, "investor": r.investor or "", "stage": STAGES[r.stage]}
                    for r in rows])


@bp.route("/")
@roles_required(LEADER, STAFF, BUREAU)
def index():
    query = (select(Contact).join(Project, Project.id == Contact.project_id)
             .options(joinedload(Contact.project), selectinload(Contact.leaders),
                      joinedload(Contact.recorded_by)))
    query = scoped_to_zone(query, Contact.zone_id)
    leader_id = request.args.get("leader", type=int)
    if leader_id:
        query = query.where(Contact.leaders.any(User.id == leader_id))
    zone_id = request.args.get("zone", type=int)
    if zone_id and not current_user.is_zone_role:
        query = query.where(Contact.zone_id == zone_id)
    start = _date_arg("from")
    end = _date_arg("to")
    if start:
        query = query.where(Contact.occurred_on >= start)
    if end:
        query = query.where(Contact.occurred_on <= end)
    page = paginate(query.order_by(Contact.occurred_on.desc(), Contact.id.desc()))
    leaders = _zone_leaders(current_user.zone_id) if current_user.is_zone_role else []
    zones = [] if current_user.is_zone_role else db.session.scalars(select(Zone).order_by(Zone.tier, Zone.code)).all()
    return render_template("contacts/index.html", page=page, leaders=leaders, zones=zones)


def _date_arg(name):
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None
