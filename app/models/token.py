from app.extensions import db

from app.clock import utcnow


class ApiToken(db.Model):
    """A personal token for the JSON API (/api/v1). Only the SHA-256 of the token is kept:
    the token itself is shown once, when it is created. A revoked or expired token, or any token
    of a disabled user, no longer authenticates (app/services/tokens.py)."""
    __tablename__ = "api_tokens"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    name = db.Column(db.String(50), nullable=False)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_used_at = db.Column(db.DateTime)
    revoked_at = db.Column(db.DateTime)
    # Chosen at creation (app/services/tokens.py LIFETIMES); past it the token no longer authenticates.
    expires_at = db.Column(db.DateTime, nullable=False)

    user = db.relationship("User")

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= utcnow()

    @property
    def active(self) -> bool:
        return self.revoked_at is None and not self.expired
