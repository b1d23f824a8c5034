"""Form fields shared by several areas."""
from decimal import Decimal
from uuid import uuid4

from flask import request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import ValidationError

from .domain.classifications import industry_choices
from .domain.money import MoneyError, in_wan, read_money, reading
from .domain.period import PeriodError, check_entry_date
from .services import kept_forms
from . import clock


class Form(FlaskForm):
    """Every form of the app: WTForms' own messages in Chinese. Opened with ?restore=1 on a
    page whose form was kept when the session expired (app/auth/sessions.py), it is filled
    with what the user typed then: their own kept form, never another user's."""

    class Meta:
        locales = ("zh",)

    def __init__(self, *args, **kwargs):
        if "formdata" not in kwargs and not args and request.method == "GET" and request.args.get("restore"):
            kept = kept_form_here()
            if kept is not None:
                kwargs["formdata"] = kept_forms.formdata(kept)
        super().__init__(*args, **kwargs)


class OnceForm(Form):
    """A form that creates a record (a contact, a project, a stage change, an arrival, a task
    ...): one idempotency key per form shown, so the same form posted twice (a retry, a double
    tap, a resubmission after a timeout) creates once and lands on the record created."""
    # One key per form shown; a form shown again after an error keeps the posted key.
    idempotency_key = HiddenField(default=lambda: uuid4().hex)

    def create_once(self, scope: str, create) -> tuple[int, bool]:
        """kept_forms.once for the signed-in user with this form's key: (record id, created)."""
        return kept_forms.once(current_user.id, scope, self.idempotency_key.data, create)

    def created_before(self, scope: str) -> int | None:
        """The record this form's key already created, for flows whose checks would refuse the
        repeat before reaching create_once (a stage already changed, a duplicate already merged)."""
        return kept_forms.created_with(current_user.id, scope, self.idempotency_key.data)


def kept_form_here():
    """The signed-in user's kept form for this page, if they have one (a query only on the
    pages the session noted at sign-in)."""
    if not current_user.is_authenticated or request.path not in session.get("kept_paths", ()):
        return None
    return kept_forms.kept_for(current_user.id, request.path)


class AmountField(StringField):
    """An amount typed in a ledger unit (万元, 万美元); `.money` holds the exact value."""

    def __init__(self, label=None, unit="万元", **kwargs):
        super().__init__(label, **kwargs)
        self.unit = unit
        self.money = None

    def process_data(self, value):
        # A stored amount (in 元 or 美元, from obj=) is shown in the field's unit of 万.
        self.data = in_wan(value) if isinstance(value, Decimal) else value

    def pre_validate(self, form):
        try:
            self.money = read_money(self.data, self.unit)
        except MoneyError as error:
            raise ValidationError(str(error)) from None

    def __call__(self, **kwargs):
        # The page's script reads the amount back as it is typed (static/js/app.js) from the
        # same parser, on the server: data-unit names the field's unit.
        kwargs.setdefault("inputmode", "decimal")
        kwargs.setdefault("data-unit", self.unit)
        kwargs.setdefault("data-reading", url_for("home.amount"))
        kwargs.setdefault("aria-describedby", f"{self.id}-reading")
        return super().__call__(**kwargs)

    @property
    def reading(self) -> str:
        """The amount as it was read ("= 35,000.00 万元"), shown under the field."""
        try:
            return reading(read_money(self.data, self.unit), self.unit) if self.data else ""
        except MoneyError:
            return ""


def today():
    """A date field's default: the clock's today, read when the form is built. Not
    `default=clock.today` (the function the module held at import, which a test's pinned
    clock would not replace), nor `date.today` (the server's date, yesterday in Beijing
    between 00:00 and 08:00)."""
    return clock.today()


def not_in_future(form, field):
    if field.data and field.data > clock.today():
        raise ValidationError("日期不能晚于今天")


def plausible_date(form, field):
    """Between 2000 and the end of next year (domain.period.check_entry_date)."""
    try:
        check_entry_date(field.data, clock.today(), label=field.label.text)
    except PeriodError as error:
        raise ValidationError(str(error)) from None


class IndustrySelect(SelectField):
    """GB/T 4754-2017 sections and divisions; a project without a code reads as 未分类 ("")."""

    def __init__(self, label, **kwargs):
        super().__init__(label, choices=[("", "未分类")] + industry_choices(), default="", **kwargs)

    def process_data(self, value):
        self.data = value or ""


def refused_status() -> int:
    """The status of a form page rendered again: 400 after a POST (the view redirects when it
    saved, so a POST that renders was refused: bad input, nothing written), else 200."""
    return 400 if request.method == "POST" else 200
