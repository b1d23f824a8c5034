from app.extensions import db

from app.clock import utcnow

USERNAME, ADDRESS = "user", "ip"


class LoginThrottle(db.Model):
    """Failed logins per username and login attempts per client address.

    Kept in the database so every worker process sees the same counts; the rules that
    change a counter are in app.domain.lockout.
    """
    __tablename__ = "login_throttles"

    id = db.Column(db.Integer, primary_key=True)
    scope = db.Column(db.String(8), nullable=False)
    key = db.Column(db.String(128), nullable=False)
    count = db.Column(db.Integer, nullable=False, default=0)
    window_started_at = db.Column(db.DateTime)
    locked_until = db.Column(db.DateTime)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow, index=True)

    __table_args__ = (
        db.UniqueConstraint("scope", "key", name="uq_login_throttles_scope_key"),
        db.CheckConstraint("scope IN ('user', 'ip')", name="scope"),
    )
