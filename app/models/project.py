from app.domain.classifications import ORIGINS as _ORIGINS, industry_label, split_tags
from app.domain.counting import ProjectFacts, is_foreign_origin
from app.domain.money import Money
from app.domain.pipeline import LEAD, STAGES, StageDates
from app.domain.project_fields import plain_fields
from app.extensions import db

from .types import ScaledDecimal
from app.clock import utcnow

# Origins (GB/T 2659) offered in forms; 'CN' is the mainland, everything else counts as foreign capital.
ORIGINS = _ORIGINS


# The other leaders in charge of a project (分包领导) besides Project.leader, the first, in order.
project_co_leaders = db.Table(
    "project_co_leaders",
    db.Column("project_id", db.Integer, db.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    db.Column("user_id", db.Integer, db.ForeignKey("users.id"), primary_key=True),
    db.Column("position", db.Integer, nullable=False),
)


class Investor(db.Model):
    """An investing company as one zone knows it; zones keep their own records."""
    __tablename__ = "investors"

    id = db.Column(db.Integer, primary_key=True)
    zone_id = db.Column(db.Integer, db.ForeignKey("zones.id"), nullable=False, index=True)
    name = db.Column(db.String(200), nullable=False)
    # domain.names.company_key(name): finds the same investor pursued by two zones.
    name_key = db.Column(db.String(200), nullable=False, index=True)
    origin = db.Column(db.String(2), nullable=False, default="CN")
    usci = db.Column(db.String(18), index=True)

    __table_args__ = (db.UniqueConstraint("zone_id", "name", name="uq_investors_zone_name"),)

    @property
    def is_foreign(self):
        return is_foreign_origin(self.origin)

    @property
    def origin_label(self):
        return ORIGINS.get(self.origin, self.origin)


class Project(db.Model):
    __tablename__ = "projects"

    id = db.Column(db.Integer, primary_key=True)
    zone_id = db.Column(db.Integer, db.ForeignKey("zones.id"), nullable=False, index=True)
    code = db.Column(db.String(50))
    name = db.Column(db.String(200), nullable=False)
    investor_id = db.Column(db.Integer, db.ForeignKey("investors.id"), index=True)
    # The industry as the zone writes it (电子, 现代食品), kept beside its GB/T 4754-2017 code.
    industry = db.Column(db.String(50), nullable=False, default="")
    industry_code = db.Column(db.String(2), db.ForeignKey("industries.code"), index=True)
    # Strategic emerging areas and the zone's leading industries, joined by 、 (domain.classifications).
    tags = db.Column(db.String(200), nullable=False, default="", server_default="")
    is_manufacturing = db.Column(db.Boolean, nullable=False, default=False)
    is_industrial = db.Column(db.Boolean, nullable=False, default=False)
    total_investment = db.Column(ScaledDecimal(2))
    total_investment_currency = db.Column(db.String(3), nullable=False, default="CNY")
    foreign_capital = db.Column(ScaledDecimal(2))
    foreign_capital_currency = db.Column(db.String(3), nullable=False, default="USD")
    # A copy of the investor's origin test, kept with every save so the counting queries
    # read one covering index instead of joining investors (see app/queries/progress.py).
    is_foreign = db.Column(db.Boolean, nullable=False, default=False)
    key_level = db.Column(db.String(16))
    planned_on = db.Column(db.Date, nullable=False)
    leader_id = db.Column(db.Integer, db.ForeignKey("users.id"), index=True)
    responsible = db.Column(db.String(50), nullable=False, default="")
    note = db.Column(db.Text, nullable=False, default="")
    # Current stage and the milestone dates its dated history implies (domain.pipeline).
    stage = db.Column(db.String(16), nullable=False, default=LEAD)
    entered_on = db.Column(db.Date, nullable=False)
    negotiating_on = db.Column(db.Date)
    signed_on = db.Column(db.Date)
    started_on = db.Column(db.Date)
    produced_on = db.Column(db.Date)
    dropped_on = db.Column(db.Date)
    # The latest contact and the next step it set, kept with each contact for list pages.
    last_contact_on = db.Column(db.Date, index=True)
    next_step = db.Column(db.String(200))
    next_step_on = db.Column(db.Date, index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    zone = db.relationship("Zone")
    investor = db.relationship("Investor")
    leader = db.relationship("User", foreign_keys=[leader_id])
    co_leaders = db.relationship("User", secondary=project_co_leaders, order_by=project_co_leaders.c.position,
                                 viewonly=True)
    stage_changes = db.relationship(
        "StageChange", order_by="(StageChange.changed_on, StageChange.id)",
        back_populates="project", cascade="all, delete-orphan", foreign_keys="StageChange.project_id",
    )

    __table_args__ = (
        db.UniqueConstraint("zone_id", "code", name="uq_projects_zone_code"),
        db.Index("ix_projects_zone_stage", "zone_id", "stage"),
        # Covering indexes for the counting queries: each reads only index pages.
        db.Index("ix_projects_introduced", "signed_on", "dropped_on", "zone_id", "is_foreign", "is_manufacturing",
                 "total_investment_currency", "total_investment", "foreign_capital_currency", "foreign_capital"),
        db.Index("ix_projects_new_start", "started_on", "is_industrial", "total_investment_currency",
                 "total_investment"),
        db.Index("ix_projects_key_planned", "key_level", "planned_on", "dropped_on", "zone_id"),
        db.Index("ix_projects_stage_dates", "entered_on", "zone_id", "dropped_on", "produced_on", "started_on",
                 "signed_on", "negotiating_on"),
        db.CheckConstraint(
            "stage IN ('lead', 'negotiating', 'signed', 'started', 'producing', 'dropped')",
            name="stage",
        ),
        db.CheckConstraint("key_level IN ('provincial', 'municipal')", name="key_level"),
        db.CheckConstraint("total_investment >= 0", name="total_investment_positive"),
        db.CheckConstraint("foreign_capital >= 0", name="foreign_capital_positive"),
    )

    @property
    def stage_label(self):
        return STAGES[self.stage]

    @property
    def leaders(self):
        """Every leader in charge, the first (Project.leader, the one the pages show) first."""
        return ([self.leader] if self.leader else []) + [u for u in self.co_leaders if u.id != self.leader_id]

    @property
    def industry_label(self):
        return industry_label(self.industry_code)

    @property
    def tag_list(self):
        return split_tags(self.tags)

    @property
    def total_investment_money(self):
        if self.total_investment is None:
            return None
        return Money(self.total_investment, self.total_investment_currency)

    @property
    def foreign_capital_money(self):
        if self.foreign_capital is None:
            return None
        return Money(self.foreign_capital, self.foreign_capital_currency)

    def stage_dates(self) -> StageDates:
        return StageDates(self.stage, self.entered_on, self.negotiating_on, self.signed_on, self.started_on,
                          self.produced_on, self.dropped_on)

    def facts(self) -> ProjectFacts:
        return ProjectFacts(
            planned_on=self.planned_on,
            # From the investor itself, the source of truth the stored flag copies.
            is_foreign=self.investor is not None and self.investor.is_foreign,
            is_manufacturing=self.is_manufacturing,
            is_industrial=self.is_industrial,
            total_investment=self.total_investment_money,
            foreign_capital=self.foreign_capital_money,
            key_level=self.key_level,
            signed_on=self.signed_on,
            started_on=self.started_on,
            dropped_on=self.dropped_on,
        )


# The declaration's plain text fields (domain.project_fields) are columns made from it alone;
# declarative mapping adds a column assigned to the class to its table and mapper.
for _field in plain_fields():
    setattr(Project, _field.key, db.Column(db.String(_field.max_length), nullable=False, default="",
                                           server_default=""))


class StageChange(db.Model):
    """One dated change of stage; the history a project's milestones are replayed from."""
    __tablename__ = "stage_changes"

    id = db.Column(db.Integer, primary_key=True)
    project_id = db.Column(db.Integer, db.ForeignKey("projects.id"), nullable=False, index=True)
    stage = db.Column(db.String(16), nullable=False)
    changed_on = db.Column(db.Date, nullable=False)
    note = db.Column(db.String(200), nullable=False, default="")
    recorded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    recorded_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # 更正: a mistaken change is kept, marked corrected (when, by whom, why), and no longer
    # counts; the true change that replaces it, if any, names it in `corrects_id`.
    corrected_at = db.Column(db.DateTime)
    corrected_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    correction_note = db.Column(db.String(200), nullable=False, default="", server_default="")
    corrects_id = db.Column(db.Integer, db.ForeignKey("stage_changes.id"))

    project = db.relationship("Project", back_populates="stage_changes")
    recorded_by = db.relationship("User", foreign_keys=[recorded_by_id])
    corrected_by = db.relationship("User", foreign_keys=[corrected_by_id])

    @property
    def is_corrected(self) -> bool:
        return self.corrected_at is not None

    @property
    def stage_label(self):
        return STAGES[self.stage]
