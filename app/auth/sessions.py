"""Session rules applied to every request: server-side session, idle timeout, maximum age,
forced password change.

The signed cookie carries only a random session id; the session itself is a row of
user_sessions (app/services/sessions.py). A request whose row is missing or ended is signed
out at once, so a copied cookie dies with logout, a password or role change, the
concurrent-session limit or an administrator's "sign out everywhere". A session past its
idle or age limit is ended and audited.
"""
from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from app import audit
from app.domain.sessions import IDLE, expired_reason
from app.extensions import db
from app.clock import utcnow
from app.services import kept_forms
from app.services import sessions as session_service

# Pages a user who must change their password may still open.
OPEN_WHILE_CHANGING_PASSWORD = {"auth.password", "auth.logout", "static"}
# last_seen_at is written at most this often (a write per request would serialise readers).
TOUCH_EVERY = timedelta(seconds=30)


def start(user) -> None:
    """Sign the user in on a fresh session: nothing from the session before survives."""
    session.clear()
    login_user(user)
    token, _row = session_service.open_session(
        user, request.remote_addr or "", request.headers.get("User-Agent", ""),
        current_app.config["SESSION_MAX_CONCURRENT"])
    db.session.commit()
    session["sid"] = token
    paths = kept_forms.kept_paths(user.id)
    if paths:
        session["kept_paths"] = paths  # pages that offer 恢复未保存的内容 (read only there)


def current_row():
    return session_service.find(session.get("sid"))


def end(reason: str = "logout") -> None:
    """Sign out this browser and end its server-side session."""
    row = current_row()
    if row is not None and row.ended_at is None:
        session_service.end_session(row, reason)
        db.session.commit()
    logout_user()
    session.clear()


def init_app(app: Flask) -> None:
    @app.before_request
    def enforce_session_rules():
        if request.endpoint == "static" or request.blueprint == "api":
            return None  # the API ignores the session: it authenticates each request by token
        if not current_user.is_authenticated:
            return None
        row = current_row()
        if row is None or row.ended_at is not None or row.user_id != current_user.id:
            logout_user()
            session.clear()
            flash("登录已失效（已退出、被管理员强制下线或在其他设备修改了密码），请重新登录。", "info")
            return _to_login()
        now = utcnow()
        config = current_app.config
        reason = expired_reason(row.created_at, row.last_seen_at, now,
                                config["SESSION_IDLE_MINUTES"], config["SESSION_MAX_HOURS"])
        if reason:
            audit.record("session_expired", "user", current_user.id, after={"reason": reason})
            # What the user typed is kept for them (only for a session that ran out, never a
            # revoked one: a stolen cookie must not leave words for its owner to restore).
            kept = request.method == "POST" and kept_forms.keep(current_user.id, request.path, request.form)
            end(reason)
            message = ("长时间未操作，已自动退出，请重新登录。" if reason == IDLE
                       else "登录时间已超过上限，请重新登录。")
            if kept:
                message += "刚才提交的内容已为您保存，登录后可在原页面恢复。"
            flash(message, "info")
            return redirect(url_for("auth.login", next=request.path)) if kept else _to_login()
        if now - row.last_seen_at >= TOUCH_EVERY:
            row.last_seen_at = now
            db.session.commit()
        if current_user.must_change_password and request.endpoint not in OPEN_WHILE_CHANGING_PASSWORD:
            flash("首次登录或密码被重置后，请先修改密码。", "info")
            return redirect(url_for("auth.password"))
        return None


def _to_login():
    target = request.full_path if request.method == "GET" else None
    return redirect(url_for("auth.login", next=target))
