"""Reading the targets-and-rates form: one row of inputs per target, one per currency."""
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from app.domain.money import CURRENCIES, MoneyError, read_money
from app.domain.metrics import label as metric_label
from app.domain.metrics import GROWTH
from app.domain.metrics import find as find_metric
from app.domain.money import in_wan
from app.domain.targets import TIERS, target_error, value_target_error
from app.services.reference import TargetInput

FX_CURRENCIES = [c for c in CURRENCIES if c != "CNY"]
THRESHOLD_UNITS = {"CNY": "万元", "USD": "万美元"}


def parse(form, rows):
    """(target inputs, rates, Chinese errors) from the submitted form."""
    inputs, errors = [], []
    for t in rows:
        where = f"{TIERS.get(t.tier, '全市')} {metric_label(t.metric)}"
        m = find_metric(t.metric)
        if m is not None and m.has_value_target:
            floor_value = _value(form.get(f"t{t.id}-floor"), m, where, "目标下限", errors, required=True)
            stretch_value = _value(form.get(f"t{t.id}-stretch"), m, where, "争取目标", errors)
            if floor_value is not None:
                problem = value_target_error(floor_value, stretch_value, m.measures == GROWTH)
                if problem:
                    errors.append(f"{where}：{problem}")
                inputs.append(TargetInput(t.tier, t.metric, 0, None, None, floor_value, stretch_value))
            if (form.get(f"t{t.id}-threshold") or "").strip():  # never dropped silently
                errors.append(f"{where}：按数值考核的指标没有认定标准，请清空“认定标准”")
            continue
        floor = _int(form.get(f"t{t.id}-floor"), where, "目标下限", errors, required=True)
        stretch = _int(form.get(f"t{t.id}-stretch"), where, "争取目标", errors)
        currency = form.get(f"t{t.id}-currency") or "CNY"
        threshold = None
        try:
            if currency not in THRESHOLD_UNITS:
                raise MoneyError("认定标准币种只能是人民币或美元")
            threshold = read_money(form.get(f"t{t.id}-threshold"), THRESHOLD_UNITS[currency])
        except MoneyError as error:
            errors.append(f"{where} 认定标准：{error}")
        if floor is not None:
            problem = target_error(floor, stretch, threshold)
            if problem:
                errors.append(f"{where}：{problem}")
            inputs.append(TargetInput(t.tier, t.metric, floor, stretch, threshold))
    rates = {}
    for currency in FX_CURRENCIES:
        text = (form.get(f"fx-{currency}") or "").strip()
        if not text:
            continue
        try:
            raw = unicodedata.normalize("NFKC", text)
            if not PLAIN_RATE.fullmatch(raw):  # no 1e5, NaN or Infinity; as the API's rates
                raise InvalidOperation
            rate = Decimal(raw)
            if rate <= 0:
                raise InvalidOperation
            if rate != rate.quantize(Decimal("0.000001")):
                raise ValueError
        except InvalidOperation:
            errors.append(f"{CURRENCIES[currency]}汇率应为大于零的数字")
            continue
        except ValueError:
            errors.append(f"{CURRENCIES[currency]}汇率最多保留六位小数")
            continue
        rates[currency] = rate
    return inputs, rates, errors


def value_text(t) -> tuple[str, str]:
    """A value target's floor and stretch as the form shows them: 万 of its currency, or %."""
    m = find_metric(t.metric)
    def shown(v):
        if v is None:
            return ""
        return format(v.normalize(), "f") if m.measures == GROWTH else in_wan(v)
    return shown(t.floor_value), shown(t.stretch_value)


def value_unit(metric: str) -> str:
    m = find_metric(metric)
    if m is None or not m.has_value_target:
        return ""
    return "%" if m.measures == GROWTH else THRESHOLD_UNITS.get(m.threshold_currency, "万")


def _value(text, m, where, label, errors, required=False):
    """An amount in 万 of the metric's currency, or a rate in % (two decimals at most)."""
    text = (text or "").strip()
    if not text:
        if required:
            errors.append(f"{where}：请填写{label}")
        return None
    try:
        if m.measures == GROWTH:
            # Plain decimals only (no 1e5, NaN or Infinity), six digits before the point at most.
            raw = unicodedata.normalize("NFKC", text).rstrip("%").strip()
            if not re.fullmatch(r"-?\d{1,6}(\.\d+)?", raw):
                raise InvalidOperation
            value = Decimal(raw)
            if value != value.quantize(Decimal("0.01")):
                raise InvalidOperation
            return value.quantize(Decimal("0.01"))
        money = read_money(text, THRESHOLD_UNITS.get(m.threshold_currency, "万元"))
        return money.amount if money else None
    except (InvalidOperation, MoneyError):
        errors.append(f"{where}：{label}应为{'百分数（最多两位小数）' if m.measures == GROWTH else '金额（万）'}")
        return None


MAX_COUNT = 1_000_000
PLAIN_RATE = re.compile(r"\d{1,6}(\.\d+)?")  # six digits before the point at most


def _int(text, where, label, errors, required=False):
    text = (text or "").strip()
    if not text:
        if required:
            errors.append(f"{where}：请填写{label}")
        return None
    try:
        value = int(text)
    except ValueError:
        errors.append(f"{where}：{label}应为整数")
        return None
    if abs(value) > MAX_COUNT:  # a count target (negatives are target_error's); 20 digits overflow the column
        errors.append(f"{where}：{label}不能超过 {MAX_COUNT}")
        return None
    return value
