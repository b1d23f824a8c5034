"""Issue 17 item 11: a user cannot choose a common password, nor one of the last five; the
history keeps hashes only; the demo loader alone sets the demo password."""
import pytest

from app.models import PasswordHistory, User
from app.services.users import PasswordPolicyError, change_password, create_user, reset_password


def test_the_last_five_passwords_cannot_be_chosen_again(world, db):
    user = db.session.get(User, world.leader.id)
    chosen = [f"Lanting#{i}Xu" for i in range(6)]
    for password in chosen:
        change_password(user, password)
        db.session.commit()
    rows = db.session.query(PasswordHistory).filter_by(user_id=user.id).all()
    assert len(rows) == 4  # the four before the current one
    assert all(row.password_hash.startswith("scrypt:") and "Lanting" not in row.password_hash for row in rows)
    for password in chosen[1:]:  # the current one and the four before it
        with pytest.raises(PasswordPolicyError, match="最近 5 次"):
            change_password(user, password)
        db.session.rollback()
    change_password(user, chosen[0])  # the sixth newest may come back
    db.session.commit()


def test_an_administrators_reset_also_refuses_reuse_and_common_passwords(world, db):
    staff = db.session.get(User, world.staff.id)
    reset_password(staff, "Lanting#Reset1", by=world.admin)
    db.session.commit()
    with pytest.raises(PasswordPolicyError, match="最近 5 次"):
        reset_password(staff, "Lanting#Reset1", by=world.admin)
    db.session.rollback()
    with pytest.raises(PasswordPolicyError, match="常见密码"):
        reset_password(staff, "Admin@123", by=world.admin)
    db.session.rollback()
    with pytest.raises(PasswordPolicyError, match="常见密码"):
        create_user("newbie", "新人", "bureau", None, "Demo@2024", by=world.admin)


def test_the_password_page_refuses_a_common_and_a_reused_password_in_chinese(client, login, world, db):
    from tests.conftest import PASSWORD
    login(world.staff)
    page = client.post("/password", data={"current": PASSWORD, "new": "P@ssw0rd", "confirm": "P@ssw0rd"})
    assert page.status_code == 200 and "常见密码" in page.get_data(as_text=True)
    assert client.post("/password", data={"current": PASSWORD, "new": "Lanting#1Xu",
                                          "confirm": "Lanting#1Xu"}).status_code == 302
    page = client.post("/password", data={"current": "Lanting#1Xu", "new": PASSWORD, "confirm": PASSWORD})
    assert page.status_code == 200 and "最近 5 次" in page.get_data(as_text=True)
