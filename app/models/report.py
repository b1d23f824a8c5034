from app.extensions import db

from .user import utcnow


class ReportArchive(db.Model):
    """An issued monthly bulletin, kept byte for byte: downloading it later gives the same
    file whatever the data has become. `fingerprint` is the SHA-256 of the progress JSON
    (`progress --json` for the as-of date) the bulletin was built from. Append only."""
    __tablename__ = "report_archives"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(16), nullable=False, default="monthly")
    year = db.Column(db.Integer, nullable=False)
    month = db.Column(db.Integer, nullable=False)
    as_of = db.Column(db.Date, nullable=False)
    issued_on = db.Column(db.Date, nullable=False)
    issued_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    issuer_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    issuer_name = db.Column(db.String(64), nullable=False)
    fingerprint = db.Column(db.String(64), nullable=False)
    file_sha256 = db.Column(db.String(64), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    pdf = db.Column(db.LargeBinary, nullable=False)

    issuer = db.relationship("User")

    __table_args__ = (
        db.Index("ix_report_archives_year_month", "year", "month"),
        db.CheckConstraint("month BETWEEN 1 AND 12", name="month_in_year"),
    )
