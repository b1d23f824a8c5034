"""Reading the targets-and-rates form: one row of inputs per target, one per currency."""
from decimal import Decimal, InvalidOperation

from app.domain.money import CURRENCIES, MoneyError, read_money
from app.domain.metrics import label as metric_label
from app.domain.targets import TIERS, target_error
from app.services.reference import TargetInput

FX_CURRENCIES = [c for c in CURRENCIES if c != "CNY"]
THRESHOLD_UNITS = {"CNY": "万元", "USD": "万美元"}


def parse(form, rows):
    """(target inputs, rates, Chinese errors) from the submitted form."""
    inputs, errors = [], []
    for t in rows:
        where = f"{TIERS.get(t.tier, '全市')} {metric_label(t.metric)}"
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
            rate = Decimal(text)
            if not rate.is_finite() or rate <= 0:
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


def _int(text, where, label, errors, required=False):
    text = (text or "").strip()
    if not text:
        if required:
            errors.append(f"{where}：请填写{label}")
        return None
    try:
        return int(text)
    except ValueError:
        errors.append(f"{where}：{label}应为整数")
        return None
