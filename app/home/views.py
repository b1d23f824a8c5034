"""Each role's landing page: what that person opens the app to see."""
from datetime import date, timedelta

from flask import redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.access import ALL_ROLES, roles_required
from app.extensions import db
from app.models import ADMIN, AUDITOR, BUREAU, LEADER, SECADMIN, Contact, LeaderProject, Project, contact_leaders
from app.progress import build_progress, leader_progress

from . import bp

DUE_WITHIN_DAYS = 14


@bp.route("/")
@roles_required(*ALL_ROLES)
def index():
    if current_user.role == BUREAU:
        return redirect(url_for("review.desk"))
    if current_user.role == ADMIN:
        return redirect(url_for("admin.index"))
    if current_user.role == AUDITOR:
        return redirect(url_for("admin.audit"))
    if current_user.role == SECADMIN:
        return redirect(url_for("admin.security"))
    today = date.today()
    due = _due_next_steps(today)
    if current_user.role == LEADER:
        mine = leader_progress(current_user, today.year, today)
        recent = db.session.scalars(
            select(Contact).join(contact_leaders, contact_leaders.c.contact_id == Contact.id)
            .where(contact_leaders.c.user_id == current_user.id)
            .options(joinedload(Contact.project), selectinload(Contact.leaders))
            .order_by(contact_leaders.c.occurred_on.desc(), Contact.id.desc()).limit(10)
        ).all()
        return render_template("home/leader.html", mine=mine, recent=recent, due=due, today=today)
    zone = build_progress(today.year, today).zone(current_user.zone_id)
    return render_template("home/staff.html", zone=zone, due=due, today=today)


def _due_next_steps(today):
    """Projects whose next step is overdue or due soon: for a leader, those they lead or
    have contacted this year; for staff, the whole zone."""
    query = (select(Project).where(Project.zone_id == current_user.zone_id,
                                   Project.next_step_on <= today + timedelta(days=DUE_WITHIN_DAYS),
                                   Project.stage.not_in(("dropped", "producing")))
             .options(joinedload(Project.leader)).order_by(Project.next_step_on).limit(20))
    if current_user.role == LEADER:
        contacted = exists().where(LeaderProject.project_id == Project.id,
                                   LeaderProject.leader_id == current_user.id,
                                   LeaderProject.year == today.year)
        query = query.where(or_(Project.leader_id == current_user.id, contacted))
    return db.session.scalars(query).all()
