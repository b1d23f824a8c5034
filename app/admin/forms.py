from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from app.domain.passwords import POLICY_TEXT
from app.forms import Form
from app.domain.targets import TIERS
from app.models import ROLES, ZONE_KINDS, ZONE_LEVELS


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


class ZoneForm(Form):
    code = StringField("代码", validators=[DataRequired("请填写开发区代码"), Length(max=32)],
                       description="用于命令行与导入，如 sjzgx")
    name = StringField("名称", validators=[DataRequired("请填写开发区名称"), Length(max=100)])
    province = StringField("所属省份", validators=[Length(max=20, message="所属省份不超过20个字")],
                           description="全国部署时按省份分页显示进度总览；单一城市部署可留空")
    county = StringField("所在县（市、区）", validators=[Length(max=50)])
    kind = SelectField("类型", choices=[(k, k) for k in ZONE_KINDS])
    level = SelectField("级别", choices=[(k, k) for k in ZONE_LEVELS])
    tier = SelectField("类别", choices=[(k, v) for k, v in TIERS.items()])
    effective_year = IntegerField("类别自哪一年起生效", validators=[NumberRange(2000, 2100, "年份应在2000至2100之间")],
                                  description="此前各年度仍按原类别统计，不改写历史进度")


class NewAuditorForm(Form):
    """The security administrator's form: an auditor account (三员分立)."""
    username = StringField("用户名", validators=[DataRequired("请填写用户名"), Length(max=64)])
    name = StringField("姓名", validators=[DataRequired("请填写姓名"), Length(max=50)])
    password = PasswordField("初始密码", description=POLICY_TEXT + "用户首次登录时须修改。",
                             validators=[DataRequired("请填写初始密码")])
