from app.extensions import db

from app.clock import utcnow


class ReportArchive(db.Model):
    """An issued monthly bulletin, kept byte for byte: downloading it later gives the same
    file whatever the data has become. `fingerprint` is the SHA-256 of the progress JSON
    (`progress --json` for the as-of date) the bulletin was built from; `published` is that
    JSON itself, so the ranking as published can be read back (and checked against the
    fingerprint). Append only.

    A month has one issue number (期号 = the month). A correction (更正) of it is a new row
    with the same year and month, the next `revision` and `corrects_id` pointing at the row it
    corrects; the latest revision supersedes the earlier ones, which stay in the archive."""
    __tablename__ = "report_archives"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(16), nullable=False, default="monthly")
    year = db.Column(db.Integer, nullable=False)
    month = db.Column(db.Integer, nullable=False)
    revision = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    corrects_id = db.Column(db.Integer, db.ForeignKey("report_archives.id"))
    correction_note = db.Column(db.String(500), nullable=False, default="", server_default="")
    as_of = db.Column(db.Date, nullable=False)
    issued_on = db.Column(db.Date, nullable=False)
    issued_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    issuer_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    issuer_name = db.Column(db.String(64), nullable=False)
    fingerprint = db.Column(db.String(64), nullable=False)
    published = db.Column(db.JSON)
    file_sha256 = db.Column(db.String(64), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    pdf = db.Column(db.LargeBinary, nullable=False)

    # The bulletin in force for the previous month when this one was issued: the movement
    # (进位/退位) stored in `standings` is measured against it, and a later correction of that
    # month does not move what this one published.
    previous_id = db.Column(db.Integer, db.ForeignKey("report_archives.id"))

    issuer = db.relationship("User")
    previous = db.relationship("ReportArchive", foreign_keys=[previous_id], remote_side=[id])

    __table_args__ = (
        db.Index("ix_report_archives_year_month", "year", "month"),
        db.UniqueConstraint("kind", "year", "month", "revision", name="uq_report_archives_issue_revision"),
        db.CheckConstraint("month BETWEEN 1 AND 12", name="month_in_year"),
        db.CheckConstraint("revision >= 0", name="revision_not_negative"),
    )

    @property
    def issue_label(self) -> str:
        """期号, e.g. 2026年第10期, and （更正） for a correction."""
        return f"{self.year}年第{self.month}期" + (issue_suffix(self.revision))


def issue_suffix(revision: int) -> str:
    if revision == 0:
        return ""
    return "（更正）" if revision == 1 else f"（第{revision}次更正）"


class BulletinRead(db.Model):
    """Who opened an issued bulletin, first and last when (the bureau's read receipts)."""
    __tablename__ = "bulletin_reads"

    archive_id = db.Column(db.Integer, db.ForeignKey("report_archives.id"), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), primary_key=True)
    first_read_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_read_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    reads = db.Column(db.Integer, nullable=False, default=1)

    user = db.relationship("User")


class BulletinStanding(db.Model):
    """A zone's place as an issued bulletin published it, computed once at issue time by the
    ranking rule the desk uses (app.domain.ranking.standings, over every metric with a target,
    counts and money): every face that says 按通报公布 reads these rows and recomputes nothing.
    `score` is the exact score as a fraction ("361/3"), so a face rounds it exactly as the desk
    and the PDF did; `previous_rank` is the zone's rank in the same tier of the bulletin the
    movement is measured against (ReportArchive.previous), None when there is none. Append only."""
    __tablename__ = "bulletin_standings"

    archive_id = db.Column(db.Integer, db.ForeignKey("report_archives.id"), primary_key=True)
    zone_id = db.Column(db.Integer, db.ForeignKey("zones.id"), primary_key=True)
    tier = db.Column(db.String(1), nullable=False)
    score = db.Column(db.String(64), nullable=False)
    rank = db.Column(db.Integer, nullable=False)
    previous_rank = db.Column(db.Integer)

    __table_args__ = (
        db.CheckConstraint("rank >= 1", name="rank_positive"),
    )
