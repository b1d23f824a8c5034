"""Money that arrives: dated arrivals of funds per project, and the zones' monthly indicators."""
from app.domain.funds import ARRIVAL_KINDS
from app.domain.money import Money
from app.extensions import db

from .types import ScaledDecimal
from app.clock import utcnow

_KINDS = ", ".join(f"'{k}'" for k in ARRIVAL_KINDS)


class FundsArrival(db.Model):
    """到位资金: one dated payment into a project, in its own currency (cents, exact)."""
    __tablename__ = "funds_arrivals"

    id = db.Column(db.Integer, primary_key=True)
    project_id = db.Column(db.Integer, db.ForeignKey("projects.id"), nullable=False, index=True)
    # A copy of the project's zone, so zone sums and scope checks read one table.
    zone_id = db.Column(db.Integer, db.ForeignKey("zones.id"), nullable=False)
    arrived_on = db.Column(db.Date, nullable=False)
    amount = db.Column(ScaledDecimal(2), nullable=False)
    currency = db.Column(db.String(3), nullable=False, default="CNY")
    kind = db.Column(db.String(24), nullable=False)
    source_note = db.Column(db.String(200), nullable=False, default="")
    voucher_ref = db.Column(db.String(64))
    recorded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    recorded_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    project = db.relationship("Project")
    recorded_by = db.relationship("User")

    __table_args__ = (
        # Covering index for the zone sums (zone, year range, currency, amount).
        db.Index("ix_funds_arrivals_zone_day", "zone_id", "arrived_on", "currency", "amount"),
        db.CheckConstraint("amount > 0", name="amount_positive"),
        db.CheckConstraint(f"kind IN ({_KINDS})", name="kind"),
    )

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)

    @property
    def kind_label(self) -> str:
        return ARRIVAL_KINDS.get(self.kind, self.kind)


class ZoneMonthly(db.Model):
    """One zone's month as statistics report it: 营业收入 (CNY) and 实际使用外资 (USD)."""
    __tablename__ = "zone_monthly_indicators"

    id = db.Column(db.Integer, primary_key=True)
    zone_id = db.Column(db.Integer, db.ForeignKey("zones.id"), nullable=False)
    year = db.Column(db.Integer, nullable=False)
    month = db.Column(db.Integer, nullable=False)
    revenue = db.Column(ScaledDecimal(2))
    fdi = db.Column(ScaledDecimal(2))
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    zone = db.relationship("Zone")

    __table_args__ = (
        db.UniqueConstraint("zone_id", "year", "month", name="uq_zone_monthly_zone_year_month"),
        db.Index("ix_zone_monthly_year_month", "year", "month", "zone_id"),
        db.CheckConstraint("month BETWEEN 1 AND 12", name="month_in_year"),
        db.CheckConstraint("revenue >= 0", name="revenue_not_negative"),
        db.CheckConstraint("fdi >= 0", name="fdi_not_negative"),
    )
