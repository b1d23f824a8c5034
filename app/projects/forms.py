from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.domain.counting import KEY_LEVELS
from app.domain.pipeline import LEAD, STAGES
from app.domain.usci import usci_error
from app.forms import today, Form, IndustrySelect, OnceForm, AmountField, not_in_future, plausible_date
from app.domain.project_fields import plain_fields, project_field
from app.models import ORIGINS

from app.services.projects import ProjectInput
from app.domain.funds import ARRIVAL_KINDS, FIXED_ASSETS
from app.domain.money import CURRENCIES, Money, MoneyError, read_money
from app.services.funds import ArrivalInput


def valid_usci(form, field):
    if field.data and field.data.strip():
        error = usci_error(field.data)
        if error:
            raise ValidationError(error)


def _text(key: str, field_class=StringField):
    """A text field as the declaration states it: its caption, help, required or not, and length."""
    f = project_field(key)
    first = DataRequired(f"请填写{f.label}") if f.required else Optional()
    return field_class(f.caption, validators=[first, Length(max=f.max_length, message=f"{f.label}最多{f.max_length}个字")],
                       description=f.help)


F = project_field


class ProjectForm(Form):
    """The project's fields, captions, help and limits from domain.project_fields."""
    name = _text("name")
    code = _text("code")
    investor_name = _text("investor_name")
    origin = SelectField(F("origin").caption, choices=list(ORIGINS.items()), default="CN", description=F("origin").help)
    usci = StringField(F("usci").caption, validators=[Optional(), Length(max=18, message="统一社会信用代码应为18位"), valid_usci],
                       description=F("usci").help)
    industry_code = IndustrySelect(F("industry_code").caption, description=F("industry_code").help)
    industry = _text("industry")
    tags = _text("tags")
    is_manufacturing = BooleanField(F("is_manufacturing").caption)
    is_industrial = BooleanField(F("is_industrial").caption)
    total_investment = AmountField(F("total_investment").caption, unit=F("total_investment").unit)
    foreign_capital = AmountField(F("foreign_capital").caption, unit=F("foreign_capital").unit)
    key_level = SelectField(F("key_level").caption, choices=[("", "非重点项目")] + list(KEY_LEVELS.items()), default="")
    planned_on = DateField(F("planned_on").caption, validators=[Optional(), not_in_future, plausible_date],
                           description=F("planned_on").help)
    leader_id = SelectField(F("leader_id").caption, coerce=int, default=0)
    responsible = _text("responsible")
    note = _text("note", TextAreaField)

    def plain_fields(self) -> list:
        """The declaration's plain text fields, bound, for the template to render after the others."""
        return [self[f.key] for f in plain_fields()]

    def to_input(self) -> ProjectInput:
        return ProjectInput(
            name=self.name.data, code=self.code.data or "", investor_name=self.investor_name.data or "",
            origin=self.origin.data, usci=self.usci.data or "", industry=self.industry.data or "",
            industry_code=self.industry_code.data or None, tags=self.tags.data or "",
            is_manufacturing=self.is_manufacturing.data, is_industrial=self.is_industrial.data,
            total_investment=self.total_investment.money, foreign_capital=self.foreign_capital.money,
            key_level=self.key_level.data or None, planned_on=self.planned_on.data,
            leader_id=self.leader_id.data or None, responsible=self.responsible.data or "",
            note=self.note.data or "", plain={f.key: self[f.key].data or "" for f in plain_fields()},
        )


for _field in plain_fields():
    setattr(ProjectForm, _field.key, _text(_field.key))


class NewProjectForm(ProjectForm, OnceForm):
    stage = SelectField(F("stage").caption, choices=list(STAGES.items()), default=LEAD, description="录入时所处的阶段")
    stage_on = DateField("进入该阶段日期", default=today,
                         validators=[DataRequired("请填写有效的日期"), not_in_future, plausible_date])


NO_STAGE = [("", "请选择新阶段")]


class StageForm(OnceForm):
    # No default: a click on 变更阶段 without choosing changes nothing.
    stage = SelectField("新阶段", choices=NO_STAGE + list(STAGES.items()), default="",
                        validators=[InputRequired("请选择新阶段")])
    changed_on = DateField("变更日期", default=today,
                           validators=[DataRequired("请填写有效的日期"), not_in_future, plausible_date])
    note = StringField("原因或说明", validators=[Optional(), Length(max=200)],
                       description="退回较早阶段或终止须填写原因")


class CorrectionForm(OnceForm):
    """更正 a mistaken stage change: the true stage and its real date, or nothing (the change
    never happened), and why."""
    stage = SelectField("正确的阶段", choices=[("", "（无此变更，只撤销该记录）")] + list(STAGES.items()), default="")
    changed_on = DateField("正确的日期", validators=[Optional(), not_in_future, plausible_date],
                           description="可以早于之后的阶段记录，如实际更早的签约日期；与之后的记录矛盾时，会列出供一并更正")
    note = StringField("更正原因", validators=[DataRequired("请填写更正原因"), Length(max=200)])
    # Later entries the correction conflicts with, revoked in the same step (offered by the page).
    also = SelectMultipleField("同时撤销这条记录", coerce=int, validate_choice=False)


class ArrivalForm(OnceForm):
    """到位资金: one arrival, its amount typed in 万 of its currency."""
    arrived_on = DateField("到位日期", default=today, validators=[DataRequired("请填写有效的日期"), not_in_future])
    amount = StringField("到位金额（万）", validators=[DataRequired("请填写到位金额")])
    currency = SelectField("币种", choices=list(CURRENCIES.items()), default="CNY")
    kind = SelectField("资金类别", choices=list(ARRIVAL_KINDS.items()), default=FIXED_ASSETS)
    source_note = StringField("资金来源", validators=[Optional(), Length(max=200)])
    voucher_ref = StringField("凭证号", validators=[Optional(), Length(max=64)], description="可不填")

    def validate_amount(self, field):
        try:  # the one reading of amounts, in 万 of the chosen currency
            self.money = read_money(field.data, "万美元" if self.currency.data == "USD" else "万元")
        except MoneyError as error:
            raise ValidationError(str(error)) from None

    def to_input(self) -> ArrivalInput:
        money = Money(self.money.amount, self.currency.data) if self.money else None
        return ArrivalInput(self.arrived_on.data, money, self.kind.data, self.source_note.data or "",
                            self.voucher_ref.data or "")


class ArrivalDeleteForm(Form):
    reason = StringField("删除原因", validators=[DataRequired("请说明删除原因"), Length(max=200)])


class MergeForm(OnceForm):
    """合并: the duplicate to fold into this project, confirmed after seeing what moves."""
    other = StringField("要并入的重复项目（项目编号或系统序号）", validators=[DataRequired("请选择或填写要并入的项目"), Length(max=50)])
    confirm = BooleanField("我已核对，上述记录并入本项目，重复项目删除")


class TaskForm(OnceForm):
    """新增下一步: a step on this project, its owner one of the zone's leaders or staff."""
    title = StringField("下一步工作", validators=[DataRequired("请填写下一步工作"), Length(max=200)])
    due_on = DateField("日期", validators=[Optional(), plausible_date])
    owner_id = SelectField("负责人", coerce=int, validate_choice=False)
