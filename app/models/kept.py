from app.extensions import db

from app.clock import utcnow


class KeptForm(db.Model):
    """A form posted after its session expired, kept for its user to restore after signing in
    again (恢复未保存的内容). Only the user who typed it is offered it; it expires."""
    __tablename__ = "kept_forms"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    path = db.Column(db.String(200), nullable=False)
    fields = db.Column(db.JSON, nullable=False)  # [[name, value], ...] as posted, the CSRF token left out
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    expires_at = db.Column(db.DateTime, nullable=False)

    __table_args__ = (db.Index("ix_kept_forms_user_path", "user_id", "path"),)


class IdempotencyKey(db.Model):
    """A key a client sent with a POST that created something, and what it created: the same
    key from the same user again returns that record instead of a second one."""
    __tablename__ = "idempotency_keys"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    scope = db.Column(db.String(40), nullable=False)  # what was created: "contact"
    key = db.Column(db.String(100), nullable=False)
    resource_id = db.Column(db.Integer, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (db.UniqueConstraint("user_id", "scope", "key", name="uq_idempotency_keys_user_scope_key"),)
