"""Five wrong passwords lock the account: the sixth try, with the right password, is refused
too, and says why. The account used here (a B-tier leader) is used by no other browser test."""
from tests.e2e.conftest import OFFICE_PC
from tests.e2e.helpers import login

VICTIM = "zbzz-l4"


def test_five_wrong_passwords_lock_the_account(open_context, shots):
    page = open_context(OFFICE_PC)
    for attempt in range(1, 6):
        login(page, VICTIM, f"Wrong@{attempt}xyz")
        assert page.url.endswith("/login"), "a wrong password never signs in"
        message = page.get_by_role("alert").inner_text()
        if attempt < 5:
            assert message == "用户名或密码错误。"
        else:
            assert "账号已被锁定" in message and "15 分钟" in message
        if attempt in (1, 5):
            shots(page, f"wrong-password-{attempt}", full_page=False)
        # The username stays filled in; the password never comes back from the server.
        assert page.get_by_label("用户名").input_value() == VICTIM
        assert page.get_by_label("密码").input_value() == ""

    login(page, VICTIM)  # the right password, during the lock
    assert page.url.endswith("/login")
    assert "账号已被锁定" in page.get_by_role("alert").inner_text()
    shots(page, "right-password-while-locked", full_page=False)
