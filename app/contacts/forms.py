from wtforms import DateField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import today, IndustrySelect, OnceForm, AmountField, not_in_future, plausible_date
from app.domain.project_fields import project_field as F
from app.models import CONTACT_FORMS, ORIGINS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        allowed = {value for value, _ in self.choices}
        if any(value not in allowed for value in self.data or ()):
            raise ValidationError("所选人员不在可选范围内（只能选择本开发区的领导）")


class ContactForm(OnceForm):
    project_id = HiddenField()
    project_name = StringField("对接项目", validators=[DataRequired("请选择或输入对接项目"), Length(max=200)])
    occurred_on = DateField("对接日期", default=today,
                            validators=[DataRequired("请填写有效的对接日期"), not_in_future, plausible_date])
    form = SelectField("对接方式", choices=[(f, f) for f in CONTACT_FORMS], default=CONTACT_FORMS[0])
    leaders = MultiCheckboxField("参与对接的领导", coerce=int,
                                 validators=[DataRequired("请至少选择一位参与对接的领导")])
    summary = TextAreaField("对接内容", validators=[DataRequired("请填写对接内容"), Length(max=2000)])
    next_step = StringField("下一步工作", validators=[Optional(), Length(max=200)])
    next_step_on = DateField("下一步日期", validators=[Optional(), plausible_date])
    next_step_owner = SelectField("下一步负责人", coerce=int, validate_choice=False)
    # "完成并安排下一步": the open step this contact closes, when it was opened from one.
    close_task_id = HiddenField()
    # For a first contact with a project not yet in the ledger.
    # Captions and limits as the project's fields are declared (domain.project_fields).
    new_investor = StringField(F("investor_name").caption,
                               validators=[Optional(), Length(max=F("investor_name").max_length)])
    new_origin = SelectField(F("origin").caption, choices=list(ORIGINS.items()), default="CN")
    new_industry_code = IndustrySelect(F("industry_code").caption)
    new_total_investment = AmountField(F("total_investment").caption, unit=F("total_investment").unit)
