"""Nothing typed is lost: a form posted after its session expired is kept, for its user only,
until restored, saved or expired; a POST's idempotency key makes a retried one create nothing
new (`once`). Both in the database (every worker sees them), written here; the caller commits,
except `once`, which commits what it created with its key."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import IdempotencyKey, KeptForm
from app.clock import utcnow

KEEP_FOR = timedelta(hours=24)
NOT_KEPT = {"csrf_token"}
MAX_FIELDS, MAX_VALUE = 200, 20_000


def keep(user_id: int, path: str, form: MultiDict) -> KeptForm | None:
    """Keep what was posted to `path` (its CSRF token left out) for `user_id`."""
    fields = [[name, value[:MAX_VALUE]] for name, value in form.items(multi=True) if name not in NOT_KEPT]
    if not fields:
        return None
    now = utcnow()
    db.session.execute(delete(KeptForm).where(KeptForm.expires_at < now))
    db.session.execute(delete(KeptForm).where(KeptForm.user_id == user_id, KeptForm.path == path[:200]))
    row = KeptForm(user_id=user_id, path=path[:200], fields=fields[:MAX_FIELDS], created_at=now,
                   expires_at=now + KEEP_FOR)
    db.session.add(row)
    return row


def kept_for(user_id: int, path: str) -> KeptForm | None:
    """The user's kept form for `path`, if not expired (never another user's)."""
    return db.session.scalar(select(KeptForm).where(KeptForm.user_id == user_id, KeptForm.path == path,
                                                    KeptForm.expires_at >= utcnow())
                             .order_by(KeptForm.id.desc()).limit(1))


def kept_paths(user_id: int) -> list[str]:
    return list(db.session.scalars(select(KeptForm.path).where(KeptForm.user_id == user_id,
                                                               KeptForm.expires_at >= utcnow())))


def formdata(row: KeptForm) -> MultiDict:
    return MultiDict([(name, value) for name, value in row.fields])


def discard(user_id: int, path: str) -> None:
    db.session.execute(delete(KeptForm).where(KeptForm.user_id == user_id, KeptForm.path == path))


def created_with(user_id: int, scope: str, key: str | None) -> int | None:
    """What this user's earlier POST with the same key created, or None."""
    if not key:
        return None
    return db.session.scalar(select(IdempotencyKey.resource_id).where(
        IdempotencyKey.user_id == user_id, IdempotencyKey.scope == scope, IdempotencyKey.key == key[:100]))


def remember(user_id: int, scope: str, key: str | None, resource_id: int) -> None:
    """Note the record a keyed POST created, in the same transaction as the record: a second
    POST racing the first fails on the unique key and finds the first's record."""
    if key:
        db.session.add(IdempotencyKey(user_id=user_id, scope=scope, key=key[:100], resource_id=resource_id))
        db.session.flush()


def once(user_id: int, scope: str, key: str | None, create: Callable[[], int]) -> tuple[int, bool]:
    """Every creating form and API POST: run `create` (it writes, audited, and returns the new
    record's id), note the key beside it and commit; (id, True). When this user's earlier POST
    with the same key already created its record, nothing runs: (that id, False). A POST with
    the same key racing this one and committing first wins: this one's writes are rolled back
    and the first one's record is the answer. Errors of `create` reach the caller (roll back)."""
    done = created_with(user_id, scope, key)
    if done is not None:
        return done, False
    try:
        resource_id = create()
        remember(user_id, scope, key, resource_id)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        done = created_with(user_id, scope, key)
        if done is None:
            raise
        return done, False
    return resource_id, True
