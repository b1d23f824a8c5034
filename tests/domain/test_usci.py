"""统一社会信用代码: 18 characters with a check character (GB 32100-2015)."""
import re

import pytest

from app.domain.usci import check_character, is_valid_usci, normalize_usci, usci_error

VALID = ["91350100M000100Y43", "91110000802100433B"]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("code", VALID)
def test_real_codes_are_valid(code):
    assert usci_error(code) is None
    assert is_valid_usci(code)


@pytest.mark.parametrize("code", VALID)
def test_the_check_character_is_computed_from_the_first_17(code):
    assert check_character(code[:17]) == code[17]


@pytest.mark.parametrize("code", VALID)
def test_lower_case_and_surrounding_spaces_are_normalised(code):
    typed = f"  {code.lower()} "
    assert normalize_usci(typed) == code
    assert is_valid_usci(typed)


@pytest.mark.parametrize("code, wrong_last", [
    ("91350100M000100Y43", "4"),
    ("91110000802100433B", "A"),
])
def test_a_wrong_check_character_is_reported_in_chinese(code, wrong_last):
    bad = code[:17] + wrong_last
    message = usci_error(bad)
    assert message and CHINESE.search(message)
    assert "校验" in message
    assert not is_valid_usci(bad)


def test_swapping_two_characters_is_caught_by_the_check_character():
    code = VALID[0]
    swapped = code[1] + code[0] + code[2:]
    assert not is_valid_usci(swapped)


@pytest.mark.parametrize("code", [VALID[0][:17], VALID[0] + "0", "", "9135"])
def test_a_code_that_is_not_18_characters_is_reported_in_chinese(code):
    message = usci_error(code)
    assert message and CHINESE.search(message)
    assert "18" in message
    assert f"{len(code)}位" in message


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_the_standard_leaves_out_are_reported_in_chinese(letter):
    code = VALID[0][:8] + letter + VALID[0][9:]  # in place of the 'M'
    message = usci_error(code)
    assert message and CHINESE.search(message)
    assert f"“{letter}”" in message
    assert not is_valid_usci(code)


@pytest.mark.parametrize("letter", ["i", "o", "z", "s", "v"])
def test_forbidden_letters_are_refused_in_lower_case_too(letter):
    code = VALID[0][:8] + letter + VALID[0][9:]
    assert not is_valid_usci(code)


def test_punctuation_inside_the_code_is_refused():
    code = VALID[0][:8] + "-" + VALID[0][9:]
    message = usci_error(code)
    assert message and CHINESE.search(message)
