"""Each role's landing page: what that person opens the app to see."""

from flask import jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.access import ALL_ROLES, roles_required
from app.domain.money import UNITS, MoneyError, read_money, reading
from app.models import ADMIN, AUDITOR, BUREAU, LEADER, SECADMIN, STAFF
from app.queries.ledger import recent_contacts_of
from app.queries.tasks import my_due_tasks
from app.queries.progress import build_progress, leader_progress
from app.queries.provinces import ranked_within

from . import bp
from .. import clock


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
    today = clock.today()
    # The user's own next steps, overdue or due by the end of this week (我的待办).
    due = my_due_tasks(current_user.id, today)
    if current_user.role == LEADER:
        mine = leader_progress(current_user, today.year, today)
        recent = recent_contacts_of(current_user.id)
        return render_template("home/leader.html", mine=mine, recent=recent, due=due, today=today)
    # Computed for the zone's province only in a national install, as the bureau's desk ranks it.
    province = ranked_within(current_user.zone)
    zone = build_progress(today.year, today, province).zone(current_user.zone_id)
    return render_template("home/staff.html", zone=zone, due=due, today=today)


@bp.route("/amount")
@roles_required(LEADER, STAFF, ADMIN)
def amount():
    """How an amount field reads what was typed, for the form to show before saving: the same
    parser the save uses (domain.money.read_money), so the two never disagree."""
    unit = request.args.get("unit", "万元")
    if unit not in UNITS:
        return jsonify({"ok": False, "message": f"未知金额单位：{unit}"}), 400
    try:
        money = read_money(request.args.get("text", "")[:100], unit)
    except MoneyError as error:
        return jsonify({"ok": False, "message": str(error)})
    return jsonify({"ok": True, "reading": reading(money, unit)})
