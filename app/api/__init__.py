"""The JSON API under /api/v1: token authentication only, described by /api/v1/openapi.json.

A browser's session cookie is ignored here: every request but the description itself must
carry `Authorization: Bearer <token>` (app/services/tokens.py). So cross-site requests cannot
ride on a signed-in browser, and the blueprint is exempt from CSRF tokens.
"""
from flask import Blueprint, Flask, g, request

from app.auth.access import PUBLIC
from app.extensions import csrf

from .errors import ApiError, error_response, for_status

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# The readable API page, a signed-in-or-not HTML page of the app (not part of /api/v1).
docs_bp = Blueprint("api_docs", __name__)


@bp.before_request
def authenticate():
    from flask import current_app

    from app.services import api_rate, tokens

    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "allowed_roles", None) == PUBLIC:
        return None
    token = tokens.authenticate_token(request.headers.get("Authorization"))
    if token is None:
        raise ApiError("unauthorized")
    retry_after = api_rate.hit(token.id)
    if retry_after is not None:
        return error_response(ApiError("rate_limited"), {"Retry-After": str(retry_after)})
    user = token.user
    # Flask-Login's current_user for this request only: never read from, nor written to, the session.
    g._login_user = user
    g.api_user = user
    return None


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return error_response(error)


def is_api_request() -> bool:
    return request.path == bp.url_prefix or request.path.startswith(bp.url_prefix + "/")


def http_error(status: int, allow: str | None = None):
    """The JSON answer for an HTTP error under /api/v1 (unknown address, wrong method, …)."""
    return error_response(for_status(status), {"Allow": allow} if allow else None)


def init_app(app: Flask) -> None:
    from . import docs, views  # noqa: F401  (register the endpoints)

    csrf.exempt(bp)
    app.register_blueprint(bp)
    app.register_blueprint(docs_bp)
