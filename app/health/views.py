"""The load balancer's health check: cheap, anonymous, no data.

haproxy (bench/national.py, README's deployment section) asks GET /healthz every few seconds.
It answers from one `SELECT 1`, never a page's work, so with gthread workers it does not queue
behind a heavy desk and a busy server is not mistaken for a dead one.
"""
import logging

from flask import Response
from sqlalchemy import text

from app.auth.access import public
from app.extensions import db

from . import bp

log = logging.getLogger(__name__)


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        log.warning("healthz: the database does not answer", exc_info=True)
        db.session.rollback()
        return _plain("数据库无响应", 503)
    return _plain("正常", 200)


def _plain(body: str, status: int) -> Response:
    return Response(body + "\n", status=status, mimetype="text/plain", headers={"Cache-Control": "no-store"})
