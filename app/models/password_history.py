from app.extensions import db

from app.clock import utcnow


class PasswordHistory(db.Model):
    """The hashes (never the passwords) of a user's recent passwords, newest by id, so that the
    last few cannot be chosen again (app/domain/passwords.py REUSE_DEPTH). Older rows are
    deleted as new ones arrive (app/services/users.py)."""
    __tablename__ = "password_history"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    password_hash = db.Column(db.String(256), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
