from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.domain.counting import KEY_LEVELS
from app.domain.pipeline import LEAD, STAGES
from app.domain.usci import usci_error
from app.forms import today, Form, IndustrySelect, OnceForm, AmountField, not_in_future, plausible_date
from app.domain.classifications import SEI_AREAS
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


class ProjectForm(Form):
    name = StringField("项目名称", validators=[DataRequired("请填写项目名称"), Length(max=200)])
    code = StringField("项目编号", validators=[Optional(), Length(max=50)],
                       description="本区自编号，可不填")
    investor_name = StringField("投资方", validators=[Optional(), Length(max=200)])
    origin = SelectField("投资方国别或地区", choices=list(ORIGINS.items()), default="CN",
                         description="港澳台及境外投资均计为外资")
    usci = StringField("统一社会信用代码", validators=[Optional(), Length(max=18, message="统一社会信用代码应为18位"), valid_usci])
    industry_code = IndustrySelect("国民经济行业（GB/T 4754-2017）",
                                description="门类或大类；制造业为门类 C（大类 13–43）")
    industry = StringField("所属行业（本区表述）", validators=[Optional(), Length(max=50)],
                           description="如 电子、现代食品，与上面的国标行业一并保存")
    tags = StringField("产业标签", validators=[Optional(), Length(max=200)],
                       description="战略性新兴产业领域或本区主导产业，多个用“、”分隔，如 " + "、".join(SEI_AREAS[:3]))
    is_manufacturing = BooleanField("制造业项目")
    is_industrial = BooleanField("工业项目")
    total_investment = AmountField("总投资（万元）", unit="万元")
    foreign_capital = AmountField("合同外资（万美元）", unit="万美元")
    key_level = SelectField("重点项目级别", choices=[("", "非重点项目")] + list(KEY_LEVELS.items()), default="")
    planned_on = DateField("谋划日期", validators=[Optional(), not_in_future, plausible_date],
                           description="不填则为录入当天")
    leader_id = SelectField("分包领导", coerce=int, default=0)
    responsible = StringField("分包责任人", validators=[Optional(), Length(max=50)])
    note = TextAreaField("备注", validators=[Optional(), Length(max=2000)])

    def to_input(self) -> ProjectInput:
        return ProjectInput(
            name=self.name.data, code=self.code.data or "", investor_name=self.investor_name.data or "",
            origin=self.origin.data, usci=self.usci.data or "", industry=self.industry.data or "",
            industry_code=self.industry_code.data or None, tags=self.tags.data or "",
            is_manufacturing=self.is_manufacturing.data, is_industrial=self.is_industrial.data,
            total_investment=self.total_investment.money, foreign_capital=self.foreign_capital.money,
            key_level=self.key_level.data or None, planned_on=self.planned_on.data,
            leader_id=self.leader_id.data or None, responsible=self.responsible.data or "",
            note=self.note.data or "",
        )


class NewProjectForm(ProjectForm, OnceForm):
    stage = SelectField("当前阶段", choices=list(STAGES.items()), default=LEAD)
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
                           description="可以早于之后的阶段记录，如实际更早的签约日期")
    note = StringField("更正原因", validators=[DataRequired("请填写更正原因"), Length(max=200)])


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
