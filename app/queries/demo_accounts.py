"""Accounts that still carry the demo password (`flask demo-data` gives every demo account one
shared hash of it; the password policy refuses it to anyone else)."""
from __future__ import annotations

from sqlalchemy import func, inspect, select
from werkzeug.security import check_password_hash

from app.extensions import db
from app.models import User

# Accounts the demo loader creates under these names; with every hash shared by two or more
# accounts, the only hashes worth checking (scrypt is slow by design).
DEMO_USERNAMES = ("admin", "tcj", "auditor")


def demo_accounts(password: str) -> list[str]:
    """Usernames of active accounts whose password is `password`, sorted; [] before migrations."""
    if not inspect(db.engine).has_table(User.__tablename__):
        return []
    shared = select(User.password_hash).group_by(User.password_hash).having(func.count() > 1)
    candidates = db.session.execute(select(User.username, User.password_hash).where(
        User.active.is_(True),
        (User.password_hash.in_(shared)) | User.username.in_(DEMO_USERNAMES))).all()
    verdict: dict[str, bool] = {}
    found = []
    for username, password_hash in candidates:
        if password_hash not in verdict:
            verdict[password_hash] = check_password_hash(password_hash, password)
        if verdict[password_hash]:
            found.append(username)
    return sorted(found)
