"""Who may use a route, and which rows a user may reach.

Every route declares its users: `@roles_required(...)` for signed-in roles, `@public` for
the few pages anyone may open (the login page). tests/web/test_route_access.py walks the
URL map and fails for a route that declares neither.

Zone roles reach only their own zone's rows; a row of another zone answers 404, so its
existence is not revealed.
"""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.extensions import db, login_manager
from app.models import ROLES, User
from app.models.types import MAX_ID

ALL_ROLES = tuple(ROLES)
PUBLIC = "public"


@login_manager.user_loader
def load_user(session_user_id):
    """The user of a session id "<id>:<session_version>"; an old version or a disabled
    account no longer loads, which signs that session out."""
    user_id, _, version = str(session_user_id).partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


login_manager.login_view = "auth.login"
login_manager.login_message = "请先登录。"
login_manager.login_message_category = "info"


def roles_required(*roles):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        wrapped.allowed_roles = roles
        return wrapped
    return decorator


def public(view):
    """Mark a view anyone may open, signed in or not."""
    view.allowed_roles = PUBLIC
    return view


def zone_scope(user=current_user) -> int | None:
    """The zone a user's reads are limited to: their own for a zone role, None (all) otherwise."""
    return user.zone_id if user.is_zone_role else None


def get_in_scope_or_404(model, object_id: int):
    if not 0 < object_id <= MAX_ID:  # no such row; the database driver would overflow
        abort(404)
    obj = db.session.get(model, object_id)
    if obj is None or (current_user.is_zone_role and obj.zone_id != current_user.zone_id):
        abort(404)
    return obj
