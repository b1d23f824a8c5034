from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models import User

from . import bp
from .forms import LoginForm


def _safe_next(target: str | None) -> str:
    """Only a path on this site; never an absolute or scheme-relative URL (open redirect)."""
    if not target:
        return url_for("home.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("home.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data.strip()))
        if user is not None and user.active and user.check_password(form.password.data):
            login_user(user)
            audit.record("login", "user", user.id, user=user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        audit.record("login_failed", "user", user.id if user else None,
                     after={"username": form.username.data.strip()}, user=None)
        db.session.commit()
        flash("用户名或密码错误。", "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    audit.record("logout", "user", current_user.id)
    db.session.commit()
    logout_user()
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"))
