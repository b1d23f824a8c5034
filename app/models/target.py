from app.domain.money import Money
from app.domain.targets import Target as TargetValue
from app.extensions import db

from .types import ScaledDecimal


class Target(db.Model):
    """One row of a year's target set: tier × metric → floor, stretch, qualifying threshold.

    tier is NULL for city-wide targets (e.g. new-start industrial projects).
    """
    __tablename__ = "targets"

    id = db.Column(db.Integer, primary_key=True)
    year = db.Column(db.Integer, nullable=False, index=True)
    tier = db.Column(db.String(1))
    metric = db.Column(db.String(40), nullable=False)
    floor = db.Column(db.Integer, nullable=False)
    stretch = db.Column(db.Integer)
    threshold_amount = db.Column(ScaledDecimal(2))
    threshold_currency = db.Column(db.String(3))
    # Amount and growth metrics: the exact target (an amount in the metric's currency, or a
    # rate in percent); floor and stretch stay 0 and NULL for them.
    floor_value = db.Column(ScaledDecimal(2))
    stretch_value = db.Column(ScaledDecimal(2))

    __table_args__ = (
        db.UniqueConstraint("year", "tier", "metric", name="uq_targets_year_tier_metric"),
        db.CheckConstraint("floor >= 0", name="floor_not_negative"),
        db.CheckConstraint("stretch IS NULL OR stretch >= floor", name="stretch_at_least_floor"),
    )

    @property
    def threshold(self):
        if self.threshold_amount is None:
            return None
        return Money(self.threshold_amount, self.threshold_currency)

    def value(self) -> TargetValue:
        return TargetValue(self.metric, self.floor, self.stretch, self.threshold, self.floor_value, self.stretch_value)


class FxRate(db.Model):
    """The admin's rate for a year: CNY per one unit of the currency."""
    __tablename__ = "fx_rates"

    id = db.Column(db.Integer, primary_key=True)
    year = db.Column(db.Integer, nullable=False)
    currency = db.Column(db.String(3), nullable=False)
    rate = db.Column(ScaledDecimal(6), nullable=False)

    __table_args__ = (
        db.UniqueConstraint("year", "currency", name="uq_fx_rates_year_currency"),
        db.CheckConstraint("rate > 0", name="rate_positive"),
    )
