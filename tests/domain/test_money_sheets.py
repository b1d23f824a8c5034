"""The cell rules of the two money sheets (issue 19): 到位资金 (币种, 类型, 金额 in 万 of the row's
currency, read by the one money reader) and the monthly indicators' 月份."""
from decimal import Decimal

import pytest

from app.domain import ledger as L
from app.domain.money import Money


@pytest.mark.parametrize("written, code", [
    ("人民币", "CNY"), ("CNY", "CNY"), ("rmb", "CNY"), ("美元", "USD"), ("ＵＳＤ", "USD"), ("美金", "USD"),
    ("港币", "HKD"), ("港元", "HKD"), ("日元", "JPY"), (" 欧元 ", "EUR"), ("", None), ("—", None),
])
def test_a_currency_is_read_by_code_or_name(written, code):
    assert L.parse_currency(written) == code


def test_an_unknown_currency_lists_the_choices():
    with pytest.raises(L.LedgerError, match="不认识的币种“卢布”，可填：人民币、美元"):
        L.parse_currency("卢布")


@pytest.mark.parametrize("written, kind", [
    ("注册资本", "registered_capital"), ("注册资金", "registered_capital"), ("固定资产投资", "fixed_assets"),
    ("固投", "fixed_assets"), ("外资实际到位", "foreign_paid_in"), ("实际使用外资", "foreign_paid_in"),
    ("fixed_assets", "fixed_assets"),
])
def test_an_arrival_kind_is_read_by_its_label_or_a_usual_word(written, kind):
    assert L.parse_arrival_kind(written) == kind


@pytest.mark.parametrize("written, message", [("", "请填写类型"), ("奖励", "不认识的类型“奖励”")])
def test_an_arrival_kind_is_required_and_closed(written, message):
    with pytest.raises(L.LedgerError, match=message):
        L.parse_arrival_kind(written)


@pytest.mark.parametrize("written, currency, amount", [
    ("1200", "CNY", "12000000.00"), ("1,200.5", "CNY", "12005000.00"), ("３.５亿", "CNY", "350000000.00"),
    ("500万美元", "USD", "5000000.00"), ("500", "USD", "5000000.00"), ("12.34", "HKD", "123400.00"),
    ("0.0001", "CNY", "1.00"),
])
def test_an_arrival_amount_is_in_wan_of_its_currency(written, currency, amount):
    assert L.read_arrival_amount(written, currency) == Money(Decimal(amount), currency)


@pytest.mark.parametrize("written, currency, message", [
    ("", "CNY", "请填写金额"), ("0", "CNY", "到位金额应大于零"), ("-1", "CNY", "金额不能为负数"),
    ("x", "CNY", "不是有效的金额"), ("500万美元", "CNY", "与本列不符"), ("0.0000001", "CNY", "最多精确到分"),
])
def test_an_arrival_amount_that_cannot_be_recorded(written, currency, message):
    with pytest.raises(L.LedgerError, match=message):
        L.read_arrival_amount(written, currency)


def test_the_currency_written_after_the_amount_decides_a_blank_currency():
    assert L.written_currency("500万美元") == "USD" and L.written_currency("500 美金") == "USD"
    assert L.written_currency("500万") is None


@pytest.mark.parametrize("written, month", [
    ("2026-03", (2026, 3)), ("2026年3月", (2026, 3)), ("2026年3月份", (2026, 3)), ("2026.3", (2026, 3)),
    ("2026/03", (2026, 3)), ("202603", (2026, 3)), ("2026-03-01", (2026, 3)), ("46082", (2026, 3)),
])
def test_a_month_is_read_as_ledgers_write_it(written, month):
    assert L.parse_month(written) == month


@pytest.mark.parametrize("written, message", [
    ("", "请填写月份"), ("2026-13", "不是有效的月份"), ("三月", "不是有效的月份"), ("3月", "不是有效的月份"),
])
def test_a_month_that_is_not_one(written, message):
    with pytest.raises(L.LedgerError, match=message):
        L.parse_month(written)
