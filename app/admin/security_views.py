"""The security administrator's pages (安全管理员, 三员分立): auditor accounts only — create
one, reset its password, enable or disable it. The system administrator cannot do any of
this (app/domain/separation.py), so they cannot make themselves an auditor."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.auth.access import roles_required
from app.extensions import db
from app.models import AUDITOR, SECADMIN, User
from app.queries.reference import users_with_role
from app.services.users import AccountError, PasswordPolicyError, create_user, update_user

from . import bp
from .forms import NewAuditorForm, ResetPasswordForm
from .password_reset import reset_from_form


def _auditor_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role != AUDITOR:
        abort(404)
    return user


@bp.route("/security", methods=["GET", "POST"])
@roles_required(SECADMIN)
def security():
    form = NewAuditorForm()
    if form.validate_on_submit():
        try:
            user = create_user(form.username.data, form.name.data, AUDITOR, None, form.password.data,
                               by=current_user)
            db.session.commit()
        except (AccountError, PasswordPolicyError) as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash(f"已新增审计管理员“{user.username}”，首次登录时须修改密码。", "success")
            return redirect(url_for("admin.security"))
    auditors = users_with_role(AUDITOR)
    return render_template("admin/security.html", form=form, auditors=auditors, reset_form=ResetPasswordForm())


@bp.route("/security/users/<int:user_id>/password", methods=["POST"])
@roles_required(SECADMIN)
def security_reset_password(user_id):
    user = _auditor_or_404(user_id)
    reset_from_form(user, ResetPasswordForm(), "审计管理员")
    return redirect(url_for("admin.security"))


@bp.route("/security/users/<int:user_id>/active", methods=["POST"])
@roles_required(SECADMIN)
def security_toggle_active(user_id):
    user = _auditor_or_404(user_id)
    try:
        update_user(user, name=user.name, role=user.role, zone=None, active=not user.active, by=current_user)
        db.session.commit()
    except AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(f"审计管理员“{user.username}”已{'启用' if user.active else '停用'}。", "success")
    return redirect(url_for("admin.security"))
