"""Reference data for the admin, and the audit trail for the auditor (三员分立: neither
sees the other's pages)."""
from datetime import date

from flask import render_template, request
from sqlalchemy import func, select

from app import audit as audit_trail
from app.auth.access import roles_required
from app.extensions import db
from app.models import ADMIN, AUDITOR, AuditEvent, FxRate, Target, User, Zone
from app.pagination import paginate

from . import bp
from .audit_search import AuditFilters, export_response


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
    filters = AuditFilters.from_args(request.args)
    page = paginate(filters.apply(select(AuditEvent)).order_by(AuditEvent.id.desc()))
    known = db.session.scalars(select(AuditEvent.action).distinct()).all()
    actions = dict(audit_trail.ACTIONS, **{a: a for a in known if a not in audit_trail.ACTIONS})
    return render_template("admin/audit.html", page=page, actions=actions, entities=audit_trail.ENTITIES,
                           filters=filters)


@bp.route("/audit/export")
@roles_required(AUDITOR)
def audit_export():
    """The filtered audit trail as CSV or Excel; the export itself is recorded first."""
    filters = AuditFilters.from_args(request.args)
    fmt = "xlsx" if request.args.get("format") == "xlsx" else "csv"
    query = filters.apply(select(AuditEvent))
    rows = db.session.scalar(select(func.count()).select_from(query.subquery()))
    audit_trail.record("audit_export", "audit_event", None, after={"format": fmt, "filters": filters.as_dict(),
                                                                    "rows": rows})
    db.session.commit()
    return export_response(query.order_by(AuditEvent.id), fmt)
