"""Reference data as the admin pages and the API read it: zones, accounts, a year's target
rows (its FX rates are `queries.progress.rates_for`)."""
from __future__ import annotations

from sqlalchemy import func, select

from app.domain.metrics import position
from app.extensions import db
from app.models import Target, User, Zone

def zones_with_user_counts() -> list:
    """(zone, number of accounts) for every zone, by tier and code."""
    return db.session.execute(
        select(Zone, func.count(User.id)).outerjoin(User, User.zone_id == Zone.id)
        .group_by(Zone.id).order_by(Zone.tier, Zone.code)).all()


def all_users() -> list[User]:
    return db.session.scalars(select(User).order_by(User.role, User.zone_id, User.username)).all()


def users_with_role(role: str) -> list[User]:
    return db.session.scalars(select(User).where(User.role == role).order_by(User.username)).all()


def target_rows(year: int) -> list[Target]:
    """A year's target rows: tier by tier (city-wide last), metrics in display order."""
    rows = db.session.scalars(select(Target).where(Target.year == year)).all()
    return sorted(rows, key=lambda t: (t.tier is None, t.tier or "", position(t.metric)))


def has_targets(year: int) -> bool:
    return db.session.scalar(select(Target.id).where(Target.year == year).limit(1)) is not None


def target_years() -> list[int]:
    return db.session.scalars(select(Target.year).distinct().order_by(Target.year)).all()


def synonym_rows() -> list:
    """Every synonym the admin page lists, by vocabulary and word."""
    from app.models import Synonym
    return db.session.scalars(select(Synonym).order_by(Synonym.vocabulary, Synonym.word)).all()


def vocabularies() -> dict:
    """The six closed vocabularies (domain.classifications.Vocabulary) with the synonyms the
    database holds: what the import, and the API's industry wording, read words with."""
    from app.domain import classifications as K
    from app.domain.ledger import vocabulary_choices
    from app.models import Synonym
    rows = db.session.execute(select(Synonym.vocabulary, Synonym.word, Synonym.value)).all()
    return K.vocabularies(vocabulary_choices(), [tuple(r) for r in rows])
