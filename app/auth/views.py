from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import audit
from app.services import tokens as api_tokens
from app.extensions import db
from app.domain.sessions import describe_browser
from app.models import ApiToken, UserSession
from app.services import sessions as session_service

from app.services import sign_in, users

from . import bp, sessions
from .access import ALL_ROLES, public, roles_required
from .forms import LoginForm, PasswordForm, TokenForm


def _safe_next(target: str | None) -> str:
    """Only a path on this site; never an absolute or scheme-relative URL (open redirect)."""
    if not target:
        return url_for("home.index")
    parts = urlsplit(target)
    if (parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//")
            or "\\" in target or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target)):
        return url_for("home.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        outcome = sign_in.attempt_login(form.username.data, form.password.data, request.remote_addr or "")
        db.session.commit()
        if outcome.result == sign_in.OK:
            sessions.start(outcome.user)
            if outcome.user.must_change_password:
                return redirect(url_for("auth.password"))
            return redirect(_safe_next(request.args.get("next")))
        if outcome.result == sign_in.RATE_LIMITED:
            status = 429
            flash("登录尝试过于频繁，请稍后再试。", "error")
        elif outcome.result == sign_in.LOCKED:
            minutes = current_app.config["LOGIN_LOCKOUT_MINUTES"]
            flash(f"登录失败次数过多，账号已被锁定，请 {minutes} 分钟后再试或联系系统管理员。", "error")
        else:
            flash("用户名或密码错误。", "error")
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@roles_required(*ALL_ROLES)
def logout():
    audit.record("logout", "user", current_user.id)
    db.session.commit()
    sessions.end()
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@roles_required(*ALL_ROLES)
def password():
    form = PasswordForm(current_user.username)
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append("当前密码不正确")
        else:
            user = current_user._get_current_object()
            try:
                users.change_password(user, form.new.data)
            except users.PasswordPolicyError as error:  # e.g. one of the last five passwords
                db.session.rollback()
                form.new.errors.append(str(error))
            else:
                db.session.commit()
                sessions.start(user)  # this session continues under the new version; all others end
                flash("密码已修改，其他设备上的登录已全部退出。", "success")
                return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form, forced=current_user.must_change_password)


@bp.route("/sessions")
@roles_required(*ALL_ROLES)
def sessions_list():
    """The user's signed-in sessions: when, from where, which browser; each can be ended."""
    current = sessions.current_row()
    return render_template("auth/sessions.html", rows=session_service.active_sessions(current_user),
                           current_id=current.id if current else None, describe_browser=describe_browser)


@bp.route("/sessions/<int:session_id>/end", methods=["POST"])
@roles_required(*ALL_ROLES)
def session_end(session_id):
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    current = sessions.current_row()
    if current is not None and current.id == row.id:
        return logout()
    session_service.end_session(row, "ended_by_user")
    db.session.commit()
    flash("已结束该会话，使用它的浏览器须重新登录。", "success")
    return redirect(url_for("auth.sessions_list"))


@bp.route("/tokens", methods=["GET", "POST"])
@roles_required(*ALL_ROLES)
def tokens():
    """The user's own API tokens: create one (shown once, on this response only), list, revoke."""
    user = current_user._get_current_object()
    form = TokenForm()
    created = None
    if form.validate_on_submit():
        try:
            token, created = api_tokens.create_token(user, form.name.data, form.lifetime.data)
            db.session.commit()
        except api_tokens.TokenError as error:
            db.session.rollback()
            form.name.errors.append(str(error))
        else:
            form = TokenForm(formdata=None)
            flash(f"已创建令牌“{token.name}”。请立即复制保存，离开本页后将无法再次查看。", "success")
    return render_template("auth/tokens.html", form=form, created=created, tokens=api_tokens.user_tokens(user),
                           may_create=api_tokens.may_hold_tokens(user))


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@roles_required(*ALL_ROLES)
def token_revoke(token_id):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if token.revoked_at is None:
        api_tokens.revoke_token(token, current_user._get_current_object())
        db.session.commit()
        flash(f"令牌“{token.name}”已撤销，使用它的请求将被拒绝。", "success")
    return redirect(url_for("auth.tokens"))
