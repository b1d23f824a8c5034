"""Session rules applied to every request: idle timeout, maximum age, forced password change.

The session is Flask's signed cookie; it carries when the user signed in and when they were
last seen. A session past either limit is ended and audited.
"""
from __future__ import annotations

import time

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from app import audit
from app.extensions import db

# Pages a user who must change their password may still open.
OPEN_WHILE_CHANGING_PASSWORD = {"auth.password", "auth.logout", "static"}


def start(user) -> None:
    """Sign the user in on a fresh session: nothing from the session before survives."""
    session.clear()
    login_user(user)
    now = int(time.time())
    session["login_at"] = now
    session["last_seen"] = now


def end() -> None:
    logout_user()
    session.clear()


def _expired_reason(now: int) -> str | None:
    config = current_app.config
    last_seen, login_at = session.get("last_seen"), session.get("login_at")
    if not isinstance(last_seen, int) or not isinstance(login_at, int):
        return "idle"
    if now - last_seen > config["SESSION_IDLE_MINUTES"] * 60:
        return "idle"
    if now - login_at > config["SESSION_MAX_HOURS"] * 3600:
        return "max_age"
    return None


def init_app(app: Flask) -> None:
    @app.before_request
    def enforce_session_rules():
        if request.endpoint == "static" or request.blueprint == "api":
            return None  # the API ignores the session: it authenticates each request by token
        if not current_user.is_authenticated:
            return None
        now = int(time.time())
        reason = _expired_reason(now)
        if reason:
            audit.record("session_expired", "user", current_user.id, after={"reason": reason})
            db.session.commit()
            end()
            flash("长时间未操作，已自动退出，请重新登录。" if reason == "idle"
                  else "登录时间已超过上限，请重新登录。", "info")
            target = request.full_path if request.method == "GET" else None
            return redirect(url_for("auth.login", next=target))
        session["last_seen"] = now
        if current_user.must_change_password and request.endpoint not in OPEN_WHILE_CHANGING_PASSWORD:
            flash("首次登录或密码被重置后，请先修改密码。", "info")
            return redirect(url_for("auth.password"))
        return None
