"""One reading of money: what a form accepts the import accepts with the same value, and what
one refuses the other refuses. The ledger adds only its own: 约, a bracketed note, Excel's 15
digits and errors that name the column (本列)."""
from decimal import Decimal

import pytest

from app.domain import ledger as L
from app.domain.money import UNIT_WORDS, Money, MoneyError, read_money, unit_named

SPELLINGS = [
    # (typed, field unit, amount in 元 / 美元, currency)
    ("35000", "万元", "350000000.00", "CNY"),
    ("3.5亿", "万元", "350000000.00", "CNY"),
    ("3.5亿元", "万元", "350000000.00", "CNY"),
    ("8.6亿元", "万元", "860000000.00", "CNY"),
    ("5000万", "万元", "50000000.00", "CNY"),
    ("5000万元", "万元", "50000000.00", "CNY"),
    ("5千万", "万元", "50000000.00", "CNY"),
    ("5千万元", "万元", "50000000.00", "CNY"),
    ("1,200", "万元", "12000000.00", "CNY"),
    ("1，200", "万元", "12000000.00", "CNY"),
    ("１２００", "万元", "12000000.00", "CNY"),
    ("１，２００．５", "万元", "12005000.00", "CNY"),
    ("３．５亿", "万元", "350000000.00", "CNY"),
    (" 1 200 万元 ", "万元", "12000000.00", "CNY"),
    ("1200元", "万元", "1200.00", "CNY"),
    ("5000万人民币", "万元", "50000000.00", "CNY"),
    ("3亿人民币", "万元", "300000000.00", "CNY"),
    ("3亿", "亿元", "300000000.00", "CNY"),
    ("12.5", "亿元", "1250000000.00", "CNY"),
    ("0.000001", "万元", "0.01", "CNY"),
    ("0", "万元", "0.00", "CNY"),
    ("500", "万美元", "5000000.00", "USD"),
    ("500万", "万美元", "5000000.00", "USD"),
    ("500万美元", "万美元", "5000000.00", "USD"),
    ("500万美金", "万美元", "5000000.00", "USD"),
    ("1.2亿", "万美元", "120000000.00", "USD"),
    ("1.2亿美元", "万美元", "120000000.00", "USD"),
    ("6000.123456", "万美元", "60001234.56", "USD"),
]

REFUSED = [
    # (typed, field unit, what both say)
    ("500万美元", "万元", "金额单位“万美元”与本[栏列]不符，本[栏列]以万元填写"),
    ("3.5亿美金", "万元", "金额单位“亿美金”与本[栏列]不符"),
    ("100万元", "万美元", "金额单位“万元”与本[栏列]不符"),
    ("100人民币", "万美元", "金额单位“人民币”与本[栏列]不符"),
    ("一千万", "万元", "“一千万”不是有效的金额"),
    ("五亿", "万元", "“五亿”不是有效的金额"),
    ("1e5", "万元", "“1e5”不是有效的金额"),
    ("NaN", "万元", "“NaN”不是有效的金额"),
    ("亿", "万元", "不是有效的金额"),
    ("-3亿", "万元", "金额不能为负数"),
    ("－１００", "万元", "金额不能为负数"),
    ("12.3456789", "万元", "金额最多精确到分"),
    ("1.2345678万", "万元", "金额最多精确到分"),
    # A comma before one or two digits: a decimal comma or a slip, never guessed.
    ("13,2", "万元", "“13,2”中的逗号含义不明：是 13.2（逗号作小数点）还是 132（逗号作千分位）？请改写为其中之一"),
    ("1,20亿", "万元", "是 1.20亿（逗号作小数点）还是 120亿（逗号作千分位）"),
    ("1,234,56", "万元", "是 1234.56（逗号作小数点）还是 123456（逗号作千分位）"),
    ("12,5万美元", "万美元", "是 12.5万美元（逗号作小数点）还是 125万美元（逗号作千分位）"),
    ("1.234,5", "万元", "是 1234.5（逗号作小数点）还是 1.2345（逗号作千分位）"),
]


@pytest.mark.parametrize("text, unit, amount, currency", SPELLINGS)
def test_the_form_and_the_import_read_every_spelling_the_same(text, unit, amount, currency):
    expected = Money(Decimal(amount), currency)
    assert read_money(text, unit) == expected
    assert L.read_ledger_amount(text, unit).money == expected
    assert L.parse_money(text, unit) == expected


@pytest.mark.parametrize("text, unit, message", REFUSED)
def test_what_the_form_refuses_the_import_refuses_with_the_same_reason(text, unit, message):
    with pytest.raises(MoneyError, match=message):
        read_money(text, unit)
    with pytest.raises(L.LedgerError, match=message):
        L.read_ledger_amount(text, unit)


@pytest.mark.parametrize("text, unit", [(t, u) for t, u, _a, _c in SPELLINGS])
def test_the_ledger_adds_only_about_and_a_note(text, unit):
    """约 before and a note in brackets after any accepted spelling change flags, never the value."""
    plain = read_money(text, unit)
    reading = L.read_ledger_amount(f"约{text.strip()}（一期）", unit)
    assert (reading.money, reading.approximate, reading.note) == (plain, True, "一期")


def test_the_one_table_names_each_units_unit():
    assert unit_named("亿") == "亿元"
    assert unit_named("万", "USD") == "万美元"
    assert unit_named("美金") == "美元"
    assert unit_named("万人民币") == "万元"
    assert unit_named("千万") is None     # readable after a number, no column is kept in it
    assert unit_named("吨") is None
    assert all(word.endswith(("元", "美金", "人民币", "万", "亿")) for word in UNIT_WORDS)


def test_excel_noise_is_the_ledgers_own():
    """A cell past Excel's 15 significant digits is spreadsheet noise the import rounds as Excel
    keeps it; a person typing it in a form is told it is finer than a cent."""
    assert L.parse_money("0.30000000000000004", "万元") == Money(Decimal("3000.00"), "CNY")
    with pytest.raises(MoneyError, match="最多精确到分"):
        read_money("0.30000000000000004", "万元")


@pytest.mark.parametrize("text", ["待定", "不详", "暂无", "—", "－", "-", "未定"])
def test_an_amount_not_yet_known_is_no_amount_in_every_reader(text):
    assert read_money(text, "万元") is None
    assert L.read_ledger_amount(text, "万元").money is None
