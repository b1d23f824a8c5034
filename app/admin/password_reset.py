"""Resetting a password from the admin's and the security admin's pages: one form, one service
call (services.users.reset_password decides who may reset whom), one set of messages."""
from flask import flash
from flask_login import current_user

from app.extensions import db
from app.models import User
from app.services.users import PasswordPolicyError, reset_password

from .forms import ResetPasswordForm


def reset_from_form(user: User, form: ResetPasswordForm, title: str) -> bool:
    """Reset a password from the temporary one typed; flashes what happened, in Chinese."""
    if not form.validate_on_submit():
        flash("请填写临时密码。", "error")
        return False
    try:
        reset_password(user, form.password.data, by=current_user)
        db.session.commit()
    except PasswordPolicyError as error:
        db.session.rollback()
        flash(str(error), "error")
        return False
    flash(f"已重置{title}“{user.username}”的密码，其下次登录时须修改。", "success")
    return True
