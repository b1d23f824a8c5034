"""Who may use a route, and which rows a user may reach.

Every route declares its users: `@roles_required(...)` for signed-in roles, `@public` for
the few pages anyone may open (the login page). tests/web/test_route_access.py walks the
URL map and fails for a route that declares neither.

Which rows a user reaches is app/queries/scope.py's rule; a page asks for a row through
`get_in_scope_or_404`, so another zone's row answers 404 as a missing one does.
"""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.extensions import db, login_manager
from app.models import ROLES, User
from app.queries.scope import get_in_scope

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


def get_in_scope_or_404(model, object_id: int):
    """The signed-in user's row of `model`, or 404 (none, or another zone's)."""
    obj = get_in_scope(model, object_id, current_user)
    if obj is None:
        abort(404)
    return obj
