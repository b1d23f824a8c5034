"""The bell: each user's notifications (next steps due, falling behind, bulletins issued,
changes to one's projects). Opening one marks it read and goes to what it is about."""
from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from app.auth.access import roles_required
from app.extensions import db
from app.models import BUREAU, LEADER, STAFF
from app.queries.notifications import notification_of, notifications_of
from app.services.notifications import mark_all_read, mark_read

from . import bp

# The roles whose work the notifications are about (admin and auditor get none).
NOTIFIED_ROLES = (LEADER, STAFF, BUREAU)


@bp.route("/")
@roles_required(*NOTIFIED_ROLES)
def index():
    return render_template("notifications/index.html", notifications=notifications_of(current_user.id))


@bp.route("/<int:notification_id>")
@roles_required(*NOTIFIED_ROLES)
def open_(notification_id):
    notification = notification_of(current_user.id, notification_id)
    if notification is None:
        abort(404)
    mark_read(notification)
    db.session.commit()
    # Links are the app's own paths, written by the services; anything else goes to the list.
    link = notification.link if notification.link.startswith("/") and not notification.link.startswith("//") else ""
    return redirect(link or url_for("notifications.index"))


@bp.route("/read", methods=["POST"])
@roles_required(*NOTIFIED_ROLES)
def read_all():
    mark_all_read(current_user.id)
    db.session.commit()
    return redirect(url_for("notifications.index"))
