"""Exact money: parsing ledger input, showing amounts, and comparing against thresholds."""
import random
import re
from decimal import Decimal

import pytest

from app.domain.money import (
    Money,
    MoneyError,
    format_amount,
    format_threshold,
    meets_threshold,
    minimum_in_currency,
    parse_amount,
    to_currency,
)
from app.domain.targets import CITY_TARGETS_2024, TARGETS_2024

RATES = {"USD": Decimal("7.1"), "HKD": Decimal("0.91"), "EUR": Decimal("7.7")}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _message(excinfo):
    return str(excinfo.value)


# --- parse_amount ---------------------------------------------------------------------

def test_grouped_wan_yuan_input_becomes_exact_yuan():
    money = parse_amount("1,234.5", "万元")
    assert money == Money(Decimal("12345000.00"), "CNY")
    assert isinstance(money.amount, Decimal)
    assert money.amount.as_tuple().exponent == -2  # stored to the cent


def test_wan_yuan_is_the_default_unit():
    assert parse_amount("1,234.5") == Money(Decimal("12345000.00"), "CNY")


def test_5000_wan_us_dollars_is_fifty_million_dollars():
    assert parse_amount("5000", "万美元") == Money(Decimal("50000000"), "USD")


def test_yi_yuan_and_plain_yuan_units():
    assert parse_amount("10", "亿元") == Money(Decimal("1000000000"), "CNY")
    assert parse_amount("123.45", "元") == Money(Decimal("123.45"), "CNY")
    assert parse_amount("1.5", "亿美元") == Money(Decimal("150000000"), "USD")


def test_full_width_comma_and_surrounding_spaces_are_accepted():
    assert parse_amount("  1，234.5 ", "万元") == Money(Decimal("12345000"), "CNY")


def test_integer_and_decimal_values_are_accepted_as_is():
    assert parse_amount(5000, "万美元") == Money(Decimal("50000000"), "USD")
    assert parse_amount(Decimal("0.5"), "万元") == Money(Decimal("5000"), "CNY")


def test_zero_is_an_amount_not_a_blank():
    assert parse_amount("0") == Money(Decimal("0"), "CNY")


@pytest.mark.parametrize("blank", [None, "", "   ", ","])
def test_blank_input_means_no_amount(blank):
    assert parse_amount(blank) is None


def test_negative_amount_is_refused_in_chinese():
    with pytest.raises(MoneyError) as excinfo:
        parse_amount("-1")
    assert CHINESE.search(_message(excinfo))
    assert "负" in _message(excinfo)


@pytest.mark.parametrize("text", ["abc", "1.2.3", "12万", "NaN", "Infinity", "--5"])
def test_text_that_is_not_a_number_is_refused_in_chinese(text):
    with pytest.raises(MoneyError) as excinfo:
        parse_amount(text)
    assert CHINESE.search(_message(excinfo))


def test_money_error_is_a_value_error():
    assert issubclass(MoneyError, ValueError)


@pytest.mark.parametrize("text, unit", [
    ("0.0000001", "万元"),  # a tenth of a fen
    ("1.005", "元"),
    ("0.001", "美元"),
    ("0.00000000001", "亿元"),
])
def test_more_precision_than_a_cent_is_refused(text, unit):
    with pytest.raises(MoneyError) as excinfo:
        parse_amount(text, unit)
    assert CHINESE.search(_message(excinfo))
    assert "分" in _message(excinfo)


def test_exactly_one_cent_is_fine_in_any_unit():
    assert parse_amount("0.000001", "万元") == Money(Decimal("0.01"), "CNY")
    assert parse_amount("0.0000000001", "亿美元") == Money(Decimal("0.01"), "USD")


def test_unknown_unit_is_refused_in_chinese():
    with pytest.raises(MoneyError) as excinfo:
        parse_amount("5", "万日元")
    assert CHINESE.search(_message(excinfo))


def test_absurdly_large_amount_is_refused():
    with pytest.raises(MoneyError):
        parse_amount("10000000", "亿元")  # 10^15 yuan
    # just below the limit is still accepted
    assert parse_amount("99999999999", "万元") == Money(Decimal("999999999990000"), "CNY")


@pytest.mark.parametrize("text", ["1" + "0" * 30, "9" * 60, "1e309", "1e-400", "NaN", "-Infinity", "１e５０"])
def test_numbers_beyond_any_ledger_are_refused_in_chinese_by_both_readings(text):
    """More digits than the decimal context holds is a MoneyError, not decimal.InvalidOperation."""
    for read in (parse_amount, read_money):
        try:
            money = read(text)
        except MoneyError as error:
            assert re.search(r"[\u4e00-\u9fff]", str(error))
        else:  # 1e-400 万元 is not a cent; it may read as nothing only if it were zero
            raise AssertionError(f"{read.__name__}({text!r}) read {money}")


def test_unknown_currency_is_refused():
    with pytest.raises(MoneyError):
        Money(Decimal("1"), "XYZ")


# --- format_amount --------------------------------------------------------------------

def test_yuan_below_one_yi_shows_in_wan_yuan_with_two_decimals_and_grouping():
    assert format_amount(Money(Decimal("12345000"), "CNY")) == "1,234.50万元"
    assert format_amount(Money(Decimal("50000000"), "CNY")) == "5,000.00万元"
    assert format_amount(Money(Decimal("99990000"), "CNY")) == "9,999.00万元"
    assert format_amount(Money(Decimal("0"), "CNY")) == "0.00万元"


def test_yuan_at_or_above_one_yi_shows_in_yi_yuan():
    assert format_amount(Money(Decimal("100000000"), "CNY")) == "1.00亿元"
    assert format_amount(Money(Decimal("1000000000"), "CNY")) == "10.00亿元"
    assert format_amount(Money(Decimal("123456789012"), "CNY")) == "1,234.57亿元"


def test_dollars_show_in_wan_dollars():
    assert format_amount(Money(Decimal("50000000"), "USD")) == "5,000.00万美元"
    assert format_amount(Money(Decimal("1000000"), "USD")) == "100.00万美元"


def test_other_currencies_show_in_wan_of_their_chinese_name():
    assert format_amount(Money(Decimal("2500000"), "HKD")) == "250.00万港元"


def test_no_amount_shows_a_dash():
    assert format_amount(None) == "—"


# --- format_threshold -----------------------------------------------------------------

def test_thresholds_read_like_the_work_points():
    assert format_threshold(Money(Decimal("50000000"), "USD")) == "5000万美元"
    assert format_threshold(Money(Decimal("1000000"), "USD")) == "100万美元"
    assert format_threshold(Money(Decimal("1000000000"), "CNY")) == "10亿元"
    assert format_threshold(Money(Decimal("500000000"), "CNY")) == "5亿元"
    assert format_threshold(Money(Decimal("50000000"), "CNY")) == "5000万元"


def test_threshold_text_does_not_depend_on_trailing_zeros():
    assert format_threshold(Money(Decimal("50000000.00"), "USD")) == "5000万美元"
    assert format_threshold(Money(Decimal("1000000000.00"), "CNY")) == "10亿元"


# --- comparing against thresholds -----------------------------------------------------

def test_conversion_goes_through_yuan_rates():
    assert to_currency(Decimal("100"), "USD", "CNY", RATES) == Decimal("710")
    assert to_currency(Decimal("710"), "CNY", "USD", RATES) == Decimal("100")
    assert to_currency(Decimal("710"), "HKD", "USD", RATES) == Decimal("91")


def test_same_currency_is_not_converted():
    assert to_currency(Decimal("123.45"), "USD", "USD", {}) == Decimal("123.45")


def test_threshold_is_inclusive():
    threshold = Money(Decimal("50000000"), "USD")
    assert meets_threshold(Money(Decimal("50000000.00"), "USD"), threshold, RATES)
    assert not meets_threshold(Money(Decimal("49999999.99"), "USD"), threshold, RATES)


def test_no_threshold_lets_any_amount_qualify_even_a_missing_one():
    assert meets_threshold(None, None, RATES)
    assert meets_threshold(Money(Decimal("0.01"), "USD"), None, RATES)


def test_a_missing_amount_does_not_meet_a_real_threshold():
    assert not meets_threshold(None, Money(Decimal("1000000"), "USD"), RATES)


def test_hong_kong_dollars_compare_through_the_years_rates():
    threshold = Money(Decimal("50000000"), "USD")  # = 3.55亿元 = 390,109,890.109… HKD
    assert minimum_in_currency(threshold, "HKD", RATES) == Decimal("390109890.11")
    assert meets_threshold(Money(Decimal("390109890.11"), "HKD"), threshold, RATES)
    assert not meets_threshold(Money(Decimal("390109890.10"), "HKD"), threshold, RATES)


def test_yuan_compare_against_a_dollar_threshold():
    threshold = Money(Decimal("1000000"), "USD")  # = 710万元
    assert meets_threshold(Money(Decimal("7100000"), "CNY"), threshold, RATES)
    assert not meets_threshold(Money(Decimal("7099999.99"), "CNY"), threshold, RATES)


def test_a_missing_fx_rate_is_reported_in_chinese():
    with pytest.raises(MoneyError) as excinfo:
        meets_threshold(Money(Decimal("1"), "JPY"), Money(Decimal("1"), "USD"), RATES)
    assert CHINESE.search(_message(excinfo))
    assert "汇率" in _message(excinfo)


THRESHOLDS = sorted(
    {t.threshold for ts in TARGETS_2024.values() for t in ts if t.threshold is not None}
    | {t.threshold for t in CITY_TARGETS_2024 if t.threshold is not None},
    key=lambda m: (m.currency, m.amount),
)


@pytest.mark.parametrize("currency", ["CNY", "USD", "HKD", "EUR"])
@pytest.mark.parametrize("threshold", THRESHOLDS, ids=format_threshold)
def test_the_minimum_in_a_currency_is_the_first_cent_that_meets_the_threshold(threshold, currency):
    minimum = minimum_in_currency(threshold, currency, RATES)
    assert minimum == minimum.quantize(Decimal("0.01"))
    assert meets_threshold(Money(minimum, currency), threshold, RATES)
    assert not meets_threshold(Money(minimum - Decimal("0.01"), currency), threshold, RATES)


def test_minimum_in_currency_and_meets_threshold_agree_on_random_amounts():
    rng = random.Random(20240316)
    currencies = ["CNY", "USD", "HKD", "EUR"]
    for _ in range(400):
        threshold = rng.choice(THRESHOLDS)
        currency = rng.choice(currencies)
        minimum = minimum_in_currency(threshold, currency, RATES)
        if rng.random() < 0.5:
            cents = rng.randint(0, int(minimum * 300))  # anywhere from 0 to 3× the minimum
        else:
            cents = int(minimum * 100) + rng.randint(-5, 5)  # close to the boundary
        amount = Decimal(cents) / 100
        assert meets_threshold(Money(amount, currency), threshold, RATES) == (amount >= minimum), (
            threshold, currency, amount, minimum)


def test_minus_zero_is_read_as_zero_not_as_a_negative_amount():
    assert parse_amount("-0", "万元") == Money(Decimal("0.00"), "CNY")
    assert format_amount(parse_amount("-0", "万元")) == "0.00万元"


def test_an_amount_that_rounds_up_to_one_yi_reads_in_yi():
    assert format_amount(Money(Decimal("99999999.99"), "CNY")) == "1.00亿元"
    assert format_amount(Money(Decimal("99999000.00"), "CNY")) == "9,999.90万元"


# --- read_money: the one reading of what a person types (forms, import, admin) -----------

from app.domain.money import read_money, reading  # noqa: E402


@pytest.mark.parametrize("text, unit, amount, currency", [
    ("35000", "万元", "350000000.00", "CNY"),
    ("3.5亿", "万元", "350000000.00", "CNY"),
    ("3.5亿元", "万元", "350000000.00", "CNY"),
    ("8.6亿元", "万元", "860000000.00", "CNY"),
    ("5000万", "万元", "50000000.00", "CNY"),
    ("5000万元", "万元", "50000000.00", "CNY"),
    ("5千万", "万元", "50000000.00", "CNY"),
    ("1,200", "万元", "12000000.00", "CNY"),
    ("１，２００", "万元", "12000000.00", "CNY"),
    ("３．５亿", "万元", "350000000.00", "CNY"),
    (" 1 200 万元 ", "万元", "12000000.00", "CNY"),
    ("1200元", "万元", "1200.00", "CNY"),
    ("500万美元", "万美元", "5000000.00", "USD"),
    ("500万", "万美元", "5000000.00", "USD"),
    ("1.2亿", "万美元", "120000000.00", "USD"),
    ("500", "万美元", "5000000.00", "USD"),
])
def test_every_way_of_writing_an_amount_reads_the_same(text, unit, amount, currency):
    assert read_money(text, unit) == Money(Decimal(amount), currency)


@pytest.mark.parametrize("text, unit, message", [
    ("500万美元", "万元", "金额单位“万美元”与本栏不符，本栏以万元填写"),
    ("100万元", "万美元", "金额单位“万元”与本栏不符"),
    ("一千万", "万元", "不是有效的金额"),
    ("1e5", "万元", "不是有效的金额"),
    ("亿", "万元", "不是有效的金额"),
    ("-3亿", "万元", "金额不能为负数"),
    ("1.2345678万", "万元", "金额最多精确到分"),
])
def test_what_is_not_an_amount_is_refused_in_chinese(text, unit, message):
    with pytest.raises(MoneyError, match=message):
        read_money(text, unit)


@pytest.mark.parametrize("blank", [None, "", "  ", ",", "，"])
def test_blank_reads_as_no_amount(blank):
    assert read_money(blank) is None


def test_the_form_reads_the_amount_back_in_its_unit():
    assert reading(read_money("3.5亿")) == "= 35,000.00 万元"
    assert reading(read_money("500万", "万美元"), "万美元") == "= 500.00 万美元"
    assert reading(read_money("0.000001")) == "= 0.000001 万元"
    assert reading(None) == ""


def test_split_amount_reads_every_text_as_comparing_it_with_each_unit_word_did():
    """split_amount skips the unit words for a text that cannot end in one (a plain number):
    the same reading, or the same refusal, as comparing each unit word in turn."""
    import unicodedata

    from app.domain.money import _WRITTEN_UNITS, UNIT_WORDS, UNITS, MoneyError, split_amount

    def compared(text, unit):
        raw = re.sub(r"[\s,]", "", unicodedata.normalize("NFKC", str(text)))
        for written in _WRITTEN_UNITS:
            if raw.endswith(written) and len(raw) > len(written):
                if UNIT_WORDS[written][0] not in (None, UNITS[unit][0]):
                    return "refused"
                return raw[: -len(written)], written, UNIT_WORDS[written][1]
        return raw, unit, UNITS[unit][1]

    rng = random.Random(20)
    texts = ["", " ", "0", "1,200", "１２００", "3.5", "-7.", ".5", "约100", "100（一期）", "abc", *UNIT_WORDS]
    texts += [f"{rng.choice(['12', '3.5', '１２', '1,000 '])}{word}" for word in UNIT_WORDS for _ in range(3)]
    texts += [f"{rng.randint(0, 10**6)}{rng.choice(['', ' ', '万 ', '元x', '美'])}" for _ in range(300)]
    for unit in UNITS:
        for text in texts:
            try:
                got = split_amount(text, unit)
            except MoneyError:
                got = "refused"
            assert got == compared(text, unit), (text, unit)
