from app.extensions import db

from app.clock import utcnow

IMPORT_STATUSES = {
    "uploaded": "已上传",
    "checking": "正在检查",
    "checked": "已检查，待确认",
    "importing": "正在导入",
    "done": "已导入",
    "failed": "导入失败",
}


class ImportJob(db.Model):
    """One uploaded ledger file and what became of it: the dry run's summary, the import's
    progress and result. Kept in the database so any worker can answer a progress poll."""
    __tablename__ = "import_jobs"

    id = db.Column(db.Integer, primary_key=True)
    # ledger: a zone's ledger file; indicators: monthly indicator rows (the bureau's city-wide sheet).
    kind = db.Column(db.String(16), nullable=False, default="ledger", server_default="ledger")
    # The zone it writes into; none for the bureau's city-wide indicator sheet.
    zone_id = db.Column(db.Integer, db.ForeignKey("zones.id"), index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    file_name = db.Column(db.String(255), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    sha256 = db.Column(db.String(64), nullable=False)
    # The file itself until it is imported (or given up); cleared afterwards.
    content = db.Column(db.LargeBinary)
    status = db.Column(db.String(16), nullable=False, default="uploaded")
    progress_phase = db.Column(db.String(16), nullable=False, default="")
    progress_done = db.Column(db.Integer, nullable=False, default=0)
    progress_total = db.Column(db.Integer, nullable=False, default=0)
    # When a running step last reported; a step silent for long died with its worker.
    progress_at = db.Column(db.DateTime)
    created = db.Column(db.Integer, nullable=False, default=0)
    updated = db.Column(db.Integer, nullable=False, default=0)
    unchanged = db.Column(db.Integer, nullable=False, default=0)
    rejected = db.Column(db.Integer, nullable=False, default=0)
    summary = db.Column(db.JSON)
    error = db.Column(db.Text, nullable=False, default="")
    # The reason typed once for an indicator upload that changes figures already reported.
    reason = db.Column(db.String(200), nullable=False, default="", server_default="")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    finished_at = db.Column(db.DateTime)

    zone = db.relationship("Zone")
    user = db.relationship("User")

    __table_args__ = (
        db.CheckConstraint(
            "status IN ('uploaded', 'checking', 'checked', 'importing', 'done', 'failed')", name="status"),
        db.CheckConstraint("kind IN ('ledger', 'indicators')", name="kind"),
    )

    @property
    def status_label(self):
        return IMPORT_STATUSES[self.status]


class ImportColumnMapping(db.Model):
    """A zone's answer for a column its ledgers head in a way no field declares (投资方联系人,
    对接领导): the field it holds, or kept in 备注, or ignored; read for the zone's later files.
    `header` is the header as compared (ledger.header_key), `written` as the file wrote it."""
    __tablename__ = "import_column_mappings"

    id = db.Column(db.Integer, primary_key=True)
    zone_id = db.Column(db.Integer, db.ForeignKey("zones.id", ondelete="CASCADE"), nullable=False)
    sheet_kind = db.Column(db.String(16), nullable=False, server_default="projects")
    header = db.Column(db.String(200), nullable=False)
    written = db.Column(db.String(200), nullable=False)
    # A ledger column's key (origin, leader …), or "keep" (记入备注) or "ignore" (忽略).
    target = db.Column(db.String(32), nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    __table_args__ = (db.UniqueConstraint("zone_id", "sheet_kind", "header", name="uq_import_column_mappings"),)
