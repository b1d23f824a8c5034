from app.domain.passwords import MAX_LENGTH, POLICY_TEXT, password_problems
from app.forms import Form
from app.services.tokens import DEFAULT_LIFETIME_DAYS, LIFETIMES
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError


class LoginForm(Form):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=128)])


class PasswordForm(Form):
    current = PasswordField("当前密码", validators=[DataRequired("请输入当前密码"), Length(max=MAX_LENGTH)])
    new = PasswordField("新密码", description=POLICY_TEXT, validators=[DataRequired("请输入新密码")])
    confirm = PasswordField("再次输入新密码", validators=[
        DataRequired("请再次输入新密码"), EqualTo("new", "两次输入的新密码不一致")])

    def __init__(self, username: str, **kwargs):
        super().__init__(**kwargs)
        self.username = username

    def validate_new(self, field):
        problems = password_problems(field.data or "", self.username)
        if problems:
            raise ValidationError("；".join(problems))
        if field.data == self.current.data:
            raise ValidationError("新密码不能与当前密码相同")


class TokenForm(Form):
    name = StringField("令牌名称", description="写明用途或调用它的系统，例如“省招商平台数据同步”",
                       validators=[DataRequired("请填写令牌名称"), Length(max=50)])
    lifetime = SelectField("有效期", coerce=int, description="到期后令牌自动失效，需要时重新创建",
                           choices=[(d, f"{d} 天") for d in LIFETIMES], default=DEFAULT_LIFETIME_DAYS)
