"""Reference data for the admin, and the audit trail for the auditor (三员分立: neither
sees the other's pages)."""
from datetime import date

from flask import render_template, request
from sqlalchemy import func, select

from app.auth.access import roles_required
from app.extensions import db
from app.models import ADMIN, AUDITOR, AuditEvent, FxRate, Target, User, Zone
from app.pagination import paginate

from . import bp

AUDIT_ACTIONS = {
    "login": "登录", "login_failed": "登录失败", "logout": "退出",
    "create": "新增", "update": "修改", "delete": "删除", "stage_change": "阶段变更",
}
ENTITIES = {"user": "用户", "project": "项目", "contact": "对接记录", "zone": "开发区", "target": "目标"}


@bp.route("/")
@roles_required(ADMIN)
def index():
    zones = db.session.execute(
        select(Zone, func.count(User.id)).outerjoin(User, User.zone_id == Zone.id)
        .group_by(Zone.id).order_by(Zone.tier, Zone.code)
    ).all()
    users = db.session.scalars(select(User).order_by(User.role, User.zone_id, User.username)).all()
    year = request.args.get("year", type=int) or date.today().year
    targets = db.session.scalars(
        select(Target).where(Target.year == year).order_by(Target.tier, Target.metric)).all()
    rates = db.session.scalars(select(FxRate).where(FxRate.year == year).order_by(FxRate.currency)).all()
    years = db.session.scalars(select(Target.year).distinct().order_by(Target.year)).all()
    return render_template("admin/index.html", zones=zones, users=users, targets=targets, rates=rates,
                           year=year, years=years)


@bp.route("/audit")
@roles_required(AUDITOR)
def audit():
    query = select(AuditEvent)
    if request.args.get("action") in AUDIT_ACTIONS:
        query = query.where(AuditEvent.action == request.args["action"])
    if request.args.get("user", "").strip():
        query = query.where(AuditEvent.username == request.args["user"].strip())
    page = paginate(query.order_by(AuditEvent.id.desc()))
    return render_template("admin/audit.html", page=page, actions=AUDIT_ACTIONS, entities=ENTITIES)
