from app.extensions import db

from app.clock import utcnow

from app.domain.classifications import CONTACT_FORMS  # noqa: F401  (the forms a contact may take)

contact_leaders = db.Table(
    "contact_leaders",
    db.Column("contact_id", db.Integer, db.ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    db.Column("user_id", db.Integer, db.ForeignKey("users.id"), primary_key=True),
    # The contact's date, copied so "my latest contacts" is read from an index, not sorted.
    db.Column("occurred_on", db.Date, nullable=False),
    db.Index("ix_contact_leaders_user_date", "user_id", "occurred_on"),
)


class Contact(db.Model):
    """对接记录: one contact with a project, in which one or more leaders took part."""
    __tablename__ = "contacts"

    id = db.Column(db.Integer, primary_key=True)
    zone_id = db.Column(db.Integer, db.ForeignKey("zones.id"), nullable=False)
    project_id = db.Column(db.Integer, db.ForeignKey("projects.id"), nullable=False)
    occurred_on = db.Column(db.Date, nullable=False)
    form = db.Column(db.String(16), nullable=False)
    summary = db.Column(db.Text, nullable=False)
    next_step = db.Column(db.String(200), nullable=False, default="")
    next_step_on = db.Column(db.Date)
    recorded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    project = db.relationship("Project")
    recorded_by = db.relationship("User", foreign_keys=[recorded_by_id])
    leaders = db.relationship("User", secondary=contact_leaders, order_by="User.id", viewonly=True)

    __table_args__ = (
        db.Index("ix_contacts_project_date", "project_id", "occurred_on"),
        db.Index("ix_contacts_zone_date", "zone_id", "occurred_on"),
    )


class LeaderProject(db.Model):
    """Summary kept current with every contact write: the first day in a year on which a
    leader took part in a contact with a project.

    A leader's quota count as of any date is then a count of rows, not a DISTINCT over all
    contacts (2 s at province scale); LeaderMonth makes it a sum of a dozen rows per leader.
    """
    __tablename__ = "leader_projects"

    leader_id = db.Column(db.Integer, db.ForeignKey("users.id"), primary_key=True)
    year = db.Column(db.Integer, primary_key=True)
    project_id = db.Column(db.Integer, db.ForeignKey("projects.id"), primary_key=True)
    first_contact_on = db.Column(db.Date, nullable=False)

    __table_args__ = (
        db.Index("ix_leader_projects_year_leader_first", "year", "leader_id", "first_contact_on"),
        # Finds the few rows after an as-of date within its month (see progress.leader_counts).
        db.Index("ix_leader_projects_year_first", "year", "first_contact_on", "leader_id"),
    )


class LeaderMonth(db.Model):
    """How many of a leader's leader_projects rows have their first contact in each month.

    Kept by database triggers on leader_projects, so every write path (a contact, an import,
    a recount) updates it in the same transaction; nothing in Python writes it. Their SQL, and
    what they keep, is in app/models/leader_month_triggers.py (run by migration 0006).
    """
    __tablename__ = "leader_months"

    leader_id = db.Column(db.Integer, db.ForeignKey("users.id"), primary_key=True)
    year = db.Column(db.Integer, primary_key=True)
    month = db.Column(db.Integer, primary_key=True)
    projects = db.Column(db.Integer, nullable=False)
