"""The password policy: length ≥ 8, three of four character classes, not the username."""
import pytest

from app.domain.passwords import REUSE_DEPTH, character_classes, common_passwords, password_problems, reused


@pytest.mark.parametrize("password", ["Passw0rd!", "abcdef12!", "ABCdef123", "Zone-crm-2024", "招商Abc12345"])
def test_acceptable_passwords(password):
    assert password_problems(password, "leader1") == []


def test_short_password_is_refused_in_chinese():
    assert password_problems("Ab1!", None) == ["密码至少 8 位"]


@pytest.mark.parametrize("password", ["abcdefgh", "abcdefg1", "ABCDEFG!", "12345678!", "Abcdefgh"])
def test_two_classes_are_not_enough(password):
    assert password_problems(password) == ["密码须包含大写字母、小写字母、数字、符号中的至少3类"]


def test_password_may_not_contain_the_username():
    assert password_problems("xLeader1!", "leader1") == ["密码不能包含用户名"]


def test_every_problem_is_reported_at_once():
    assert password_problems("abc", None) == ["密码至少 8 位", "密码须包含大写字母、小写字母、数字、符号中的至少3类"]


def test_overlong_password_is_refused():
    assert "密码不能超过 128 位" in password_problems("Aa1!" * 40)


def test_character_classes():
    assert character_classes("aB3 !") == {"大写字母", "小写字母", "数字", "符号"}
    assert character_classes("汉字") == {"符号"}


# Issue 17 item 11: common passwords and the demo password are refused, whatever their case.

@pytest.mark.parametrize("password", ["Password1", "P@ssw0rd", "Admin@123", "Demo@2024", "DEMO@2024",
                                       "1qaz@WSX", "Woaini1314!", "Qq123456!"])
def test_common_passwords_are_refused(password):
    assert "该密码属于常见密码，容易被猜中，请换一个" in password_problems(password, "someone")


def test_the_list_is_a_few_thousand_and_an_unusual_password_passes():
    assert len(common_passwords()) > 5000
    assert password_problems("Lanting#Xu1987", "someone") == []


def test_reuse_of_the_last_five_is_found_by_hash_check():
    matches = lambda stored, password: stored == "h:" + password  # noqa: E731
    hashes = [f"h:Old#Pass{i}" for i in range(7)]
    assert reused("Old#Pass4", hashes, matches) == f"新密码不能与最近 {REUSE_DEPTH} 次用过的密码相同"
    assert reused("Old#Pass5", hashes, matches) is None  # the sixth newest is forgotten
    assert reused("New#Pass9", hashes, matches) is None
