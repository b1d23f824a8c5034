"""Loading a year's targets and FX rates: the 2024 work points are the set the product ships."""
from __future__ import annotations

from sqlalchemy import select

from . import audit
from .domain import targets as T
from .extensions import db
from .models import FxRate, Target


def load_target_set(year: int, source_year: int | None = None) -> bool:
    """Give `year` a target set: a copy of `source_year`'s, or the 2024 work points.

    Returns False and changes nothing when the year already has targets.
    """
    if db.session.scalar(select(Target.id).where(Target.year == year).limit(1)) is not None:
        return False
    if source_year is not None:
        rows = [(t.tier, t.value()) for t in db.session.scalars(select(Target).where(Target.year == source_year))]
        rates = {r.currency: r.rate for r in db.session.scalars(select(FxRate).where(FxRate.year == source_year))}
    else:
        rows = [(tier, t) for tier, ts in T.TARGETS_2024.items() for t in ts]
        rows += [(None, t) for t in T.CITY_TARGETS_2024]
        rates = T.FX_2024
    for tier, t in rows:
        db.session.add(Target(year=year, tier=tier, metric=t.metric, floor=t.floor, stretch=t.stretch,
                              threshold_amount=t.threshold.amount if t.threshold else None,
                              threshold_currency=t.threshold.currency if t.threshold else None))
    for currency, rate in rates.items():
        if db.session.scalar(select(FxRate.id).where(FxRate.year == year, FxRate.currency == currency)) is None:
            db.session.add(FxRate(year=year, currency=currency, rate=rate))
    audit.record("create", "target", None, after={"year": year, "copied_from": source_year or "2024年工作要点"})
    return True
