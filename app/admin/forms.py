from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.domain.passwords import POLICY_TEXT
from app.forms import Form
from app.models import ROLES


class UserForm(Form):
    name = StringField("姓名", validators=[DataRequired("请填写姓名"), Length(max=50)])
    role = SelectField("角色", choices=list(ROLES.items()))
    zone_id = SelectField("所属开发区", coerce=int, description="开发区领导、招商专员必选；其他角色不选")
    active = BooleanField("启用", default=True)


class NewUserForm(UserForm):
    username = StringField("用户名", validators=[DataRequired("请填写用户名"), Length(max=64)])
    password = PasswordField("初始密码", description=POLICY_TEXT + "用户首次登录时须修改。",
                             validators=[DataRequired("请填写初始密码")])


class ResetPasswordForm(Form):
    password = PasswordField("临时密码", description="用户下次登录时须修改；其所有已登录会话立即退出。",
                             validators=[DataRequired("请填写临时密码")])
